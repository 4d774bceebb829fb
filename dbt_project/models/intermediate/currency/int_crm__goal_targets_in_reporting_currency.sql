{#-
    Revenue quotas in the reporting currency, to divide closed-won amounts by: converted with the ERP's
    rate of the period's first day.
-#}
{{ in_reporting_currency(
    ref('stg_crm__goal_targets'), rate_date='period_start_date',
    original='target_amount_original', converted='target_amount'
) }}
