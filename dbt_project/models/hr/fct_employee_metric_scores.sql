{#-
    One row per employee, role, period and metric of the role template in force (seed
    role_scoring_scheme): the employee's own value, its target and floor, the 0-100 score, the weight and
    the weighted contribution to the employee index. The same scoring rule as the departments'
    (score_against_target): a metric with nothing observed in the period has no score, and the observed
    metrics' weights are scaled up to 100 %. HR tier only: never published for BI.
-#}
with

role_periods as (
    select distinct employee_id, department_id, role_id, period_id, period_type, months_in_role
    from {{ ref('int_employee_role_periods') }}
),

scheme as (
    select * from {{ ref('int_role_scheme_in_force') }}
),

metric_values as (
    select * from {{ ref('int_employee_metric_values') }} where metric_value is not null
),

periods as (
    select * from {{ ref('int_periods') }}
),

catalog as (
    select metric_id, unit, direction from {{ ref('metric_catalog') }}
),

lines as (
    select
        role_periods.employee_id,
        role_periods.department_id,
        role_periods.role_id,
        role_periods.period_id,
        role_periods.period_type,
        periods.period_start_date,
        periods.period_end_date,
        role_periods.months_in_role,
        scheme.scheme_version,
        scheme.tier,
        scheme.metric_id,
        scheme.weight,
        scheme.target,
        scheme.floor,
        catalog.unit,
        catalog.direction,
        metric_values.numerator,
        metric_values.denominator,
        metric_values.metric_value,
        coalesce(metric_values.record_count, 0) as record_count,
        metric_values.metric_value is not null as is_observed,
        {{ score_against_target('metric_values.metric_value', 'scheme.target', 'scheme.floor') }} as score
    from role_periods
    inner join periods on periods.period_id = role_periods.period_id
    inner join scheme
        on scheme.period_id = role_periods.period_id
        and scheme.role_id = role_periods.role_id
    inner join catalog on catalog.metric_id = scheme.metric_id
    left join metric_values
        on metric_values.employee_id = role_periods.employee_id
        and metric_values.role_id = role_periods.role_id
        and metric_values.period_id = role_periods.period_id
        and metric_values.metric_id = scheme.metric_id
),

weighted as (
    select
        lines.*,
        sum(case when is_observed then weight else 0 end)
            over (partition by employee_id, role_id, period_id) as observed_weight,
        sum(case when is_observed and tier = 'extension' then 1 else 0 end)
            over (partition by employee_id, role_id, period_id) as extension_metrics_observed
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
        metric_value,
        unit,
        direction,
        numerator,
        denominator,
        target,
        floor,
        score,
        weight,
        case when is_observed then 100.0 * weight / observed_weight else 0 end as effective_weight,
        case when is_observed then score * weight / observed_weight else 0 end as weighted_contribution,
        record_count,
        is_observed,
        extension_metrics_observed > 0 as is_scored
    from weighted
)

select * from final
