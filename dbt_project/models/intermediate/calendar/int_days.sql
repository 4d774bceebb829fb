{#- Every calendar day of the covered months, with its month and whether it is a scheduled workday. -#}
with

months as (
    select * from {{ ref('int_months') }}
),

numbers as (
    {{ dbt.generate_series(31) }}
),

days as (
    select
        cast({{ dbt.dateadd('day', 'numbers.generated_number - 1', 'months.month_start_date') }} as date)
            as day_date,
        months.month_start_date,
        months.month_end_date
    from months
    cross join numbers
),

final as (
    select
        day_date,
        month_start_date,
        {{ is_weekday('day_date') }} as is_workday
    from days
    where day_date <= month_end_date
)

select * from final
