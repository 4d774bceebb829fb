{#-
    Trainings with their cost in the reporting currency, as every other amount of the warehouse is:
    converted with the ERP's rate of the completion date.
-#}
{{ in_reporting_currency(
    ref('stg_hr__training_records'), rate_date='completed_date', original='cost_original', converted='cost'
) }}
