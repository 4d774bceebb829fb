{#- The calendar months the warehouse covers: from the ERP's first posting month to its last. -#}
with

bounds as (
    select
        {{ month_of('min(posting_date)') }} as first_month,
        {{ month_of('max(posting_date)') }} as last_month
    from {{ ref('stg_erp__gl_entries') }}
),

numbers as (
    {{ dbt.generate_series(240) }}
),

months as (
    select cast({{ dbt.dateadd('month', 'numbers.generated_number - 1', 'bounds.first_month') }} as date)
        as month_start_date
    from numbers
    cross join bounds
),

covered as (
    select
        months.month_start_date,
        cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '1', 'months.month_start_date')) }} as date)
            as month_end_date
    from months
    cross join bounds
    where months.month_start_date <= bounds.last_month
)

select * from covered
