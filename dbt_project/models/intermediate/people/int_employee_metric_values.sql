{#-
    Employee metric values per period (month and quarter) and role, rolled up by each metric's own rule
    (catalog rollup; macro metric_values_per_period, the same rule as the departments' int_metric_values)
    over the months the employee held that role: ratio_of_sums sums the numerators and denominators of
    those months, period_end takes the role's last month in the period.
-#}
{{ metric_values_per_period(ref('int_employee_metric_facts'), employee_unit()) }}
