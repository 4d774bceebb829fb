with

employees as (
    select * from {{ ref('stg_hr__employees') }}
),

aliases as (
    select lower(trim(alias)) as alias_key, department_id
    from {{ ref('department_aliases') }}
    where source_system = 'hr' and alias_kind = 'department_name'
),

departments as (
    select * from {{ ref('departments') }}
),

mapped as (
    select
        employees.employee_id,
        employees.work_email,
        employees.hr_department_name,
        aliases.department_id,
        departments.family as department_family,
        employees.job_title,
        -- Without a readable termination date the employment period is unknown (null would read as
        -- "still employed"): such an employee is in no headcount, like one without a hire date.
        case
            when not {{ has_field_issue('employees.field_issues', 'termination_date') }} then employees.hire_date
        end as hire_date,
        employees.termination_date,
        employees.termination_type,
        employees.is_active,
        aliases.department_id is not null as is_mapped
    from employees
    left join aliases on aliases.alias_key = lower(trim(employees.hr_department_name))
    left join departments on departments.department_id = aliases.department_id
)

select * from mapped
