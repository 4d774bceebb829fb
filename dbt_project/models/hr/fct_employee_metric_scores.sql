{#-
    One row per employee, role, period and metric of the role template in force (seed
    role_scoring_scheme): the employee's own value, its target and floor, the 0-100 score, the weight and
    the weighted contribution to the employee index. The departments' scoring rule (macro
    scored_scheme_lines): a metric with nothing observed in the period has no score, and the observed
    metrics' weights are scaled up to 100 %. HR tier only: never published for BI.
-#}
with

role_periods as (
    select distinct employee_id, department_id, role_id, period_id, months_in_role
    from {{ ref('int_employee_role_periods') }}
),

scheme as (
    select * from {{ ref('int_role_scheme_in_force') }}
),

metric_values as (
    select * from {{ ref('int_employee_metric_values') }} where metric_value is not null
),

lines as (
    {{ scored_scheme_lines('role_periods', 'scheme', 'metric_values', employee_unit()) }}
),

{#- An index made of the HR core alone would grade attendance, not the job (see fct_employee_scorecard). -#}
scored as (
    select
        lines.*,
        sum(case when lines.is_observed and lines.tier = 'extension' then 1 else 0 end)
            over (partition by lines.employee_id, lines.role_id, lines.period_id) > 0 as is_scored
    from lines
),

final as (
    select
        employee_id,
        department_id,
        role_id,
        period_id,
        period_type,
        period_start_date,
        period_end_date,
        months_in_role,
        scheme_version,
        tier,
        metric_id,
        {{ scored_line_columns() }},
        is_scored
    from scored
)

select * from final
