{#-
    Which months of each period an employee spent in each role, and the last of them: a quarter in which
    someone changed role is two (employee, role, quarter) rows, each summing only its own months, and a
    period_end metric (training completion, the 360 score) takes its value from the role's last month.
-#}
with

role_months as (
    select * from {{ ref('int_employee_role_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

final as (
    select
        role_months.employee_id,
        role_months.department_id,
        role_months.role_id,
        period_months.period_id,
        period_months.period_type,
        role_months.month_start_date,
        role_months.month_start_date = max(role_months.month_start_date) over (
            partition by role_months.employee_id, role_months.role_id, period_months.period_id
        ) as is_last_month_in_role,
        count(*) over (
            partition by role_months.employee_id, role_months.role_id, period_months.period_id
        ) as months_in_role
    from role_months
    inner join period_months on period_months.month_start_date = role_months.month_start_date
    where role_months.role_id is not null
)

select * from final
