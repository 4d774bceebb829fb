{#- Headcount is counted on the last day of the month: employed from the hire date to the termination date, both inclusive. -#}
with

months as (
    select * from {{ ref('int_months') }}
),

employees as (
    select * from {{ ref('int_employees_mapped') }} where is_mapped
),

departments as (
    select * from {{ ref('departments') }}
),

department_months as (
    select departments.department_id, months.month_start_date, months.month_end_date
    from departments
    cross join months
    where departments.department_id in (select department_id from employees)
),

counted as (
    select
        department_months.department_id,
        department_months.month_start_date,
        department_months.month_end_date,
        sum(case
            when employees.hire_date <= department_months.month_end_date
                and (employees.termination_date is null
                    or employees.termination_date >= department_months.month_end_date)
            then 1 else 0
        end) as headcount_at_month_end,
        sum(case
            when employees.hire_date between department_months.month_start_date and department_months.month_end_date
            then 1 else 0
        end) as hires,
        sum(case
            when employees.termination_date between department_months.month_start_date
                and department_months.month_end_date
            then 1 else 0
        end) as terminations,
        sum(case
            when employees.termination_date between department_months.month_start_date
                and department_months.month_end_date
                and employees.termination_type = 'Voluntary'
            then 1 else 0
        end) as voluntary_terminations
    from department_months
    left join employees on employees.department_id = department_months.department_id
    group by 1, 2, 3
)

select * from counted
