{#- Every account that acts in ticketing or the CRM, resolved to an HR employee by work email, then by the
    mapping seed. -#}
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

{#- When the email does not match (a personal address, a renamed mailbox), a steward maps the account by hand. -#}
mapping as (
    select source_system, person_id, cast(employee_id as {{ dbt.type_string() }}) as employee_id
    from {{ ref('person_mapping') }}
),

resolved as (
    select
        people.source_system,
        people.person_id,
        people.email,
        people.display_name,
        coalesce(by_email.employee_id, mapped_employee.employee_id) as employee_id,
        case
            when by_email.employee_id is not null then 'email'
            when mapped_employee.employee_id is not null then 'mapping'
        end as resolved_by,
        coalesce(by_email.employee_id, mapped_employee.employee_id) is not null as is_resolved
    from people
    left join employees as by_email on by_email.work_email = lower(trim(people.email))
    left join mapping as mapped
        on mapped.source_system = people.source_system and mapped.person_id = people.person_id
    -- a mapping to an employee HR does not have resolves nothing: the account stays an exception
    left join employees as mapped_employee on mapped_employee.employee_id = mapped.employee_id
)

select * from resolved
