{#-
    Who did the work, as a department: every person reference the metrics attribute by (a Jira account,
    a CRM owner or HubSpot user, an ERP poster's email) with the HR employee and department it resolves
    to. Only resolved people are here; the rest are in int_references_unresolved.
-#}
with

employees as (
    select employee_id, work_email, department_id
    from {{ ref('int_employees_mapped') }}
    where is_mapped
),

resolved_people as (
    select source_system, person_id, employee_id
    from {{ ref('int_people_resolved') }}
    where is_resolved
),

crm_users as (
    select 'crm_user' as source_system, user_id as person_id, owner_id
    from {{ ref('stg_crm__owners') }}
    where user_id is not null
),

person_references as (
    select source_system, person_id, employee_id from resolved_people

    union all

    select crm_users.source_system, crm_users.person_id, resolved_people.employee_id
    from crm_users
    inner join resolved_people
        on resolved_people.source_system = 'crm' and resolved_people.person_id = crm_users.owner_id

    union all

    select 'email', work_email, employee_id from employees
),

final as (
    select
        person_references.source_system,
        person_references.person_id,
        person_references.employee_id,
        employees.department_id
    from person_references
    inner join employees on employees.employee_id = person_references.employee_id
)

select * from final
