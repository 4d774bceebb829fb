with

departments as (
    select * from {{ ref('departments') }}
),

headcount as (
    select * from {{ ref('fct_department_headcount') }}
),

latest_month as (
    select max(month_start_date) as month_start_date from headcount
),

current_headcount as (
    select headcount.department_id, headcount.headcount_at_month_end
    from headcount
    inner join latest_month on latest_month.month_start_date = headcount.month_start_date
),

final as (
    select
        departments.department_id,
        departments.name_en,
        departments.name_zh,
        departments.family,
        departments.is_production,
        current_headcount.headcount_at_month_end as current_headcount
    from departments
    inner join current_headcount on current_headcount.department_id = departments.department_id
)

select * from final
