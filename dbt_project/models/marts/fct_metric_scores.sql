{#-
    One row per department, period and metric of the scheme in force: the value, its target and floor,
    the 0-100 score, the weight and the weighted contribution to the department's index (macro
    scored_scheme_lines, the rule people are scored by too). The score is linear from the floor (0) to
    the target (100) and capped at both ends; because it is measured from the floor towards the target it
    works the same for lower-is-better metrics, whose target lies below the floor. A metric with nothing
    observed in the period (e.g. no bug was fixed) has no score, and the weights of the observed metrics
    of the same scorecard are scaled up to 100 % (weight_coverage_pct in fct_department_contribution says
    how much of the scheme was observed).
-#}
with

scheme as (
    select * from {{ ref('int_scheme_in_force') }}
),

metric_values as (
    select * from {{ ref('int_metric_values') }} where metric_value is not null
),

departments as (
    select * from {{ ref('departments') }}
),

{#- A department is scored in a period when at least one of its metrics was observed in it. -#}
department_periods as (
    select distinct
        metric_values.department_id,
        departments.family as department_family,
        metric_values.period_id
    from metric_values
    inner join departments on departments.department_id = metric_values.department_id
),

lines as (
    {{ scored_scheme_lines(
        'department_periods', 'scheme', 'metric_values', department_unit(), scheme_columns=['scorecard']
    ) }}
),

final as (
    select
        department_id,
        department_family,
        period_id,
        period_type,
        period_start_date,
        period_end_date,
        scorecard,
        tier,
        metric_id,
        scheme_version,
        {{ scored_line_columns() }}
    from lines
)

select * from final
