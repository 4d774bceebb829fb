{#-
    One row per department, period and metric of the scheme in force: the value, its target and floor,
    the 0-100 score, the weight and the weighted contribution to the department's index. The score is
    linear from the floor (0) to the target (100) and capped at both ends; because it is measured from
    the floor towards the target it works the same for lower-is-better metrics, whose target lies below
    the floor. A metric with nothing observed in the period (e.g. no bug was fixed) has no score, and the
    weights of the observed metrics are scaled up to 100 % (weight_coverage_pct in
    fct_department_contribution says how much of the scheme was observed).
-#}
with

scheme as (
    select * from {{ ref('int_scheme_in_force') }}
),

metric_values as (
    select * from {{ ref('int_metric_values') }} where metric_value is not null
),

periods as (
    select * from {{ ref('int_periods') }}
),

departments as (
    select * from {{ ref('departments') }}
),

catalog as (
    select metric_id, unit, direction from {{ ref('metric_catalog') }}
),

{#- A department is scored in a period when at least one of its metrics was observed in it. -#}
department_periods as (
    select distinct department_id, period_id from metric_values
),

lines as (
    select
        department_periods.department_id,
        departments.family as department_family,
        department_periods.period_id,
        periods.period_type,
        periods.period_start_date,
        periods.period_end_date,
        scheme.scorecard,
        scheme.tier,
        scheme.metric_id,
        scheme.scheme_version,
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
    from department_periods
    inner join departments on departments.department_id = department_periods.department_id
    inner join periods on periods.period_id = department_periods.period_id
    inner join scheme
        on scheme.period_id = department_periods.period_id
        and scheme.department_family = departments.family
    inner join catalog on catalog.metric_id = scheme.metric_id
    left join metric_values
        on metric_values.department_id = department_periods.department_id
        and metric_values.period_id = department_periods.period_id
        and metric_values.metric_id = scheme.metric_id
),

weighted as (
    select
        lines.*,
        sum(case when is_observed then weight else 0 end)
            over (partition by department_id, period_id, scorecard) as observed_weight
    from lines
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
        is_observed
    from weighted
)

select * from final
