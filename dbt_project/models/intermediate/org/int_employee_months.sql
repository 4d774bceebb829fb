{#-
    Every employee in every month they were employed for at least a day, with their share of the month's
    average headcount: half if employed on the first day, half if on the last (headcount counts the hire
    and the termination day as employed). Summed per department this is the FTE that per-head metrics
    divide by.
-#}
with

employees as (
    select * from {{ ref('int_employees_mapped') }}
),

months as (
    select * from {{ ref('int_months') }}
),

final as (
    select
        employees.employee_id,
        employees.department_id,
        employees.is_mapped,
        employees.hire_date,
        employees.termination_date,
        employees.termination_type,
        months.month_start_date,
        months.month_end_date,
        (
            case when employees.hire_date <= months.month_start_date
                and (employees.termination_date is null or employees.termination_date >= months.month_start_date)
                then 0.5 else 0 end
            + case when employees.hire_date <= months.month_end_date
                and (employees.termination_date is null or employees.termination_date >= months.month_end_date)
                then 0.5 else 0 end
        ) as average_headcount_share,
        employees.hire_date <= months.month_end_date
            and (employees.termination_date is null or employees.termination_date >= months.month_end_date)
            as is_employed_at_month_end
    from employees
    inner join months
        on employees.hire_date <= months.month_end_date
        and (employees.termination_date is null or employees.termination_date >= months.month_start_date)
)

select * from final
