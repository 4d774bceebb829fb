{#-
    Metric values per period (month and quarter), rolled up from the monthly observations by each
    metric's own rule (catalog rollup; macro metric_values_per_period, the same rule as the people's
    int_employee_metric_values): ratio_of_sums recomputes the value from the months' numerators and
    denominators, never averaging rates; period_end takes the stock at the period's last covered month.
-#}
{{ metric_values_per_period(ref('int_metric_observations'), department_unit(), record_count='record_count') }}
