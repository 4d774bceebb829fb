{#-
    Headcount is counted on the last day of the month (employed from the hire date to the termination
    date, both inclusive: int_employee_months holds that rule), with the month's hires, terminations and
    voluntary terminations.
-#}
with

employee_months as (
    select * from {{ ref('int_employee_months') }} where is_mapped
),

counted as (
    select
        department_id,
        month_start_date,
        month_end_date,
        -- count(), not sum(): a count stays an integer (a sum of integers is a 128-bit one in DuckDB,
        -- which Parquet and BI drivers turn into a double)
        count(case when is_employed_at_month_end then 1 end) as headcount_at_month_end,
        count(case when hire_date between month_start_date and month_end_date then 1 end) as hires,
        count(case when termination_date between month_start_date and month_end_date then 1 end)
            as terminations,
        count(case
            when termination_date between month_start_date and month_end_date
                and termination_type = 'Voluntary'
            then 1
        end) as voluntary_terminations
    from employee_months
    group by 1, 2, 3
)

select * from counted
