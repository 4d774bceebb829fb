{#-
    Facts for the support contribution of the service departments (see int_metric_facts): the service desk
    requests they resolved for other departments, per FTE, within SLA, and how those requesters rated
    them. A department's requests to itself are not support to others and are left out.
-#}
with

served as (
    select * from {{ ref('int_service_requests_served') }}
    where requesting_department_id is not null and requesting_department_id <> serving_department_id
),

months as (
    select * from {{ ref('int_months') }}
),

resolved_for_others as (
    select served.*, months.month_start_date
    from served
    inner join months on months.month_start_date = {{ month_of('served.resolved_date') }}
),

employee_months as (
    select * from {{ ref('int_employee_months') }}
    where is_mapped and average_headcount_share > 0
),

facts as (
    select
        'support_requests_per_fte' as metric_id, serving_department_id as department_id,
        null as employee_id, month_start_date,
        'ticketing' as source_system, 'service_requests' as source_stream, issue_id as record_key,
        1 as numerator, 0 as denominator
    from resolved_for_others

    union all

    select
        'support_requests_per_fte', department_id, null, month_start_date,
        'hr', 'employees', employee_id,
        0, average_headcount_share
    from employee_months

    union all

    select
        'support_sla_attainment', serving_department_id, null, month_start_date,
        'ticketing', 'service_requests', issue_id,
        case when is_resolved_within_sla then 1 else 0 end, 1
    from resolved_for_others

    union all

    select
        'support_requester_satisfaction', serving_department_id, null, month_start_date,
        'ticketing', 'service_requests', issue_id,
        satisfaction_rating, 1
    from resolved_for_others
    where satisfaction_rating is not null
)

{{ select_metric_facts() }}
