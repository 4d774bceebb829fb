{#-
    Metric values per period (month and quarter), rolled up from the monthly observations by each
    metric's own rule (catalog rollup): ratio_of_sums recomputes the value from the months' numerators
    and denominators, never averaging rates; period_end takes the stock at the period's last covered
    month (an employee counted in three months is still one employee).
-#}
with

observations as (
    select * from {{ ref('int_metric_observations') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

catalog as (
    select metric_id, unit, rollup from {{ ref('metric_catalog') }}
),

rolled_up as (
    select
        period_months.period_id,
        period_months.period_type,
        observations.department_id,
        observations.metric_id,
        sum(observations.numerator) as numerator,
        sum(observations.denominator) as denominator,
        cast(sum(observations.record_count) as bigint) as record_count,
        count(*) as months_observed
    from observations
    inner join period_months on period_months.month_start_date = observations.month_start_date
    inner join catalog on catalog.metric_id = observations.metric_id
    where catalog.rollup = 'ratio_of_sums' or period_months.is_last_covered_month
    group by 1, 2, 3, 4
),

final as (
    select
        rolled_up.period_id,
        rolled_up.period_type,
        rolled_up.department_id,
        rolled_up.metric_id,
        rolled_up.numerator,
        rolled_up.denominator,
        case when rolled_up.denominator > 0 then rolled_up.numerator / rolled_up.denominator end as metric_value,
        catalog.unit,
        catalog.rollup,
        rolled_up.record_count,
        rolled_up.months_observed
    from rolled_up
    inner join catalog on catalog.metric_id = rolled_up.metric_id
)

select * from final
