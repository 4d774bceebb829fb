{#-
    Deals with their amount in the reporting currency, for revenue and its reconciliation with the ERP:
    converted with the ERP's rate of the close date, or of the create date while the deal is open.
-#}
{{ in_reporting_currency(ref('stg_crm__deals'), rate_date=['close_date', 'created_date']) }}
