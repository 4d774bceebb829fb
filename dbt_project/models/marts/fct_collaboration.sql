{#-
    Who serves whom, department by department: per period, the service desk requests each department
    resolved for each requesting department (itself included, flagged), how many within SLA, and the
    requesters' ratings. Requests whose requesting department does not map are counted under a null
    requesting department, so the matrix adds up to every resolved request.
-#}
with

served as (
    select * from {{ ref('int_service_requests_served') }} where resolved_date is not null
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

months as (
    select * from {{ ref('int_months') }}
),

served_in_periods as (
    select period_months.period_id, period_months.period_type, served.*
    from served
    inner join months on months.month_start_date = {{ month_of('served.resolved_date') }}
    inner join period_months on period_months.month_start_date = months.month_start_date
),

final as (
    select
        period_id,
        period_type,
        serving_department_id,
        requesting_department_id,
        coalesce(requesting_department_id = serving_department_id, false) as is_own_department,
        count(*) as requests_resolved,
        count(case when is_resolved_within_sla then 1 end) as resolved_within_sla,
        count(satisfaction_rating) as ratings,
        cast(sum(satisfaction_rating) as bigint) as rating_sum,
        avg(satisfaction_rating) as mean_satisfaction,
        avg(first_response_sla_elapsed_hours) as mean_first_response_hours
    from served_in_periods
    group by 1, 2, 3, 4, 5
)

select * from final
