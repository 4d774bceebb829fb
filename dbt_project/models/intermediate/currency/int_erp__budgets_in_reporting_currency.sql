{#-
    Budgets in the reporting currency, to compare with the GL's actuals: a budget has no posting date, so
    the ERP's rate of the first day of its fiscal period converts it.
-#}
{{ in_reporting_currency(ref('stg_erp__budgets'), rate_date='period_start_date') }}
