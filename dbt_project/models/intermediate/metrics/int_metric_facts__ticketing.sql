{#-
    The ticketing system's share of the metric facts (see int_metric_facts): R&D delivery, implementation
    go-lives and complaints, service-desk responses and SLAs, security patrols. Every issue counts for
    the department of its assignee. Definitions: seed metric_catalog.
-#}
with

months as (
    select * from {{ ref('int_months') }}
),

assignees as (
    select person_id as account_id, employee_id, department_id
    from {{ ref('int_person_departments') }}
    where source_system = 'ticketing'
),

departments as (
    select department_id, family from {{ ref('departments') }}
),

delivered as (
    select rd.*, assignees.employee_id, assignees.department_id, months.month_start_date
    from {{ ref('stg_ticketing__rd_issues') }} as rd
    inner join assignees on assignees.account_id = rd.assignee_account_id
    inner join months on months.month_start_date = {{ month_of('rd.resolved_date') }}
    where rd.issue_type in ('Story', 'Bug') and rd.resolution = 'Done' and not rd.is_deleted
),

projects as (
    select implementation.*, assignees.employee_id, assignees.department_id
    from {{ ref('stg_ticketing__implementation_projects') }} as implementation
    inner join assignees on assignees.account_id = implementation.assignee_account_id
    where not implementation.is_deleted
),

service_requests as (
    select requests.*, assignees.employee_id, assignees.department_id, departments.family
    from {{ ref('stg_ticketing__service_requests') }} as requests
    inner join assignees on assignees.account_id = requests.assignee_account_id
    inner join departments on departments.department_id = assignees.department_id
    where not requests.is_deleted
),

facts as (
    select
        'on_time_delivery_rate' as metric_id, department_id, employee_id, month_start_date,
        'rd_issues' as source_stream, issue_id as record_key,
        case when resolved_date <= due_date then 1 else 0 end as numerator, 1 as denominator
    from delivered
    where due_date is not null

    union all

    select
        'defect_fix_time_hours', department_id, employee_id, month_start_date, 'rd_issues', issue_id,
        {{ dbt.datediff('created_at', 'resolved_at', 'second') }} / 3600.0,  -- noqa: LT05
        1
    from delivered
    where issue_type = 'Bug'

    union all

    select
        'reopen_rate', department_id, employee_id, month_start_date, 'rd_issues', issue_id,
        case when reopen_count > 0 then 1 else 0 end, 1
    from delivered

    union all

    select
        'go_live_on_time_rate', projects.department_id, projects.employee_id, months.month_start_date,
        'implementation_projects', projects.issue_id,
        case when projects.go_live_date <= projects.due_date then 1 else 0 end, 1
    from projects
    inner join months on months.month_start_date = {{ month_of('projects.go_live_date') }}

    union all

    select
        'customer_complaint_rate', projects.department_id, projects.employee_id, months.month_start_date,
        'customer_complaints', complaints.issue_id,
        1, 0
    from {{ ref('stg_ticketing__customer_complaints') }} as complaints
    inner join projects on projects.issue_key = complaints.implementation_issue_key
    inner join months on months.month_start_date = {{ month_of('complaints.created_date') }}
    where not complaints.is_deleted

    union all

    select
        'customer_complaint_rate', projects.department_id, projects.employee_id, months.month_start_date,
        'implementation_projects', projects.issue_id,
        0, 1
    from projects
    inner join months
        on projects.created_date <= months.month_end_date
        and (projects.resolved_date is null or projects.resolved_date >= months.month_start_date)

    union all

    select
        case service_requests.family
            when 'hr' then 'hr_service_response_hours' else 'work_order_response_hours'
        end,
        service_requests.department_id, service_requests.employee_id, months.month_start_date,
        'service_requests', service_requests.issue_id,
        service_requests.first_response_sla_elapsed_hours, 1
    from service_requests
    inner join months
        on months.month_start_date = {{ month_of('service_requests.first_responded_date') }}
    where service_requests.family in ('hr', 'admin')

    union all

    select
        'incident_response_hours', service_requests.department_id, service_requests.employee_id,
        months.month_start_date,
        'service_requests', service_requests.issue_id,
        service_requests.first_response_sla_elapsed_hours, 1
    from service_requests
    inner join months
        on months.month_start_date = {{ month_of('service_requests.first_responded_date') }}
    where service_requests.issue_type = 'Incident'

    union all

    select
        'sla_attainment_rate', service_requests.department_id, service_requests.employee_id, months.month_start_date,
        'service_requests', service_requests.issue_id,
        case when service_requests.is_resolution_sla_breached then 0 else 1 end, 1
    from service_requests
    inner join months on months.month_start_date = {{ month_of('service_requests.resolved_date') }}

    union all

    select
        'requester_satisfaction', service_requests.department_id, service_requests.employee_id,
        months.month_start_date,
        'service_requests', service_requests.issue_id,
        service_requests.satisfaction_rating, 1
    from service_requests
    inner join months on months.month_start_date = {{ month_of('service_requests.resolved_date') }}
    where service_requests.satisfaction_rating is not null

    union all

    select
        'patrol_completion_rate', assignees.department_id, assignees.employee_id, months.month_start_date,
        'security_patrols', patrols.issue_id,
        case when patrols.is_done then 1 else 0 end, 1
    from {{ ref('stg_ticketing__security_patrols') }} as patrols
    inner join assignees on assignees.account_id = patrols.assignee_account_id
    inner join months on months.month_start_date = {{ month_of('patrols.scheduled_date') }}
    where patrols.status in ('Done', 'Missed') and not patrols.is_deleted
)

{{ select_metric_facts(source_system='ticketing') }}
