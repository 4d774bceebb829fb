{#-
    Employee metric values per period (month and quarter) and role, rolled up by each metric's own rule
    (catalog rollup) over the months the employee held that role: ratio_of_sums sums the numerators and
    denominators of those months, period_end takes the role's last month in the period.
-#}
with

facts as (
    select * from {{ ref('int_employee_metric_facts') }}
),

role_periods as (
    select * from {{ ref('int_employee_role_periods') }}
),

catalog as (
    select metric_id, unit, rollup from {{ ref('metric_catalog') }}
),

rolled_up as (
    select
        role_periods.employee_id,
        role_periods.role_id,
        role_periods.period_id,
        facts.metric_id,
        sum(facts.numerator) as numerator,
        sum(facts.denominator) as denominator,
        count(*) as record_count
    from facts
    inner join role_periods
        on role_periods.employee_id = facts.employee_id
        and role_periods.role_id = facts.role_id
        and role_periods.month_start_date = facts.month_start_date
    inner join catalog on catalog.metric_id = facts.metric_id
    where catalog.rollup = 'ratio_of_sums' or role_periods.is_last_month_in_role
    group by 1, 2, 3, 4
),

final as (
    select
        rolled_up.*,
        case when rolled_up.denominator > 0 then rolled_up.numerator / rolled_up.denominator end as metric_value,
        catalog.unit,
        catalog.rollup
    from rolled_up
    inner join catalog on catalog.metric_id = rolled_up.metric_id
)

select * from final
