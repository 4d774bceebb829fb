{#- Every account that acts in ticketing or the CRM, resolved to an HR employee by work email. -#}
with

employees as (
    select employee_id, work_email from {{ ref('stg_hr__employees') }}
),

jira_users as (
    select 'ticketing' as source_system, account_id as person_id, email, display_name
    from {{ ref('stg_ticketing__users') }}
),

crm_owners as (
    select
        'crm' as source_system,
        owner_id as person_id,
        email,
        {{ dbt.concat(["first_name", "' '", "last_name"]) }} as display_name
    from {{ ref('stg_crm__owners') }}
),

people as (
    select * from jira_users
    union all
    select * from crm_owners
),

resolved as (
    select
        people.source_system,
        people.person_id,
        people.email,
        people.display_name,
        employees.employee_id,
        employees.employee_id is not null as is_resolved
    from people
    left join employees on employees.work_email = lower(trim(people.email))
)

select * from resolved
