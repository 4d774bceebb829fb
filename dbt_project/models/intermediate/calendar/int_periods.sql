{#- The reporting periods: every covered month, and every quarter with at least one covered month. -#}
with

months as (
    select * from {{ ref('int_months') }}
),

month_periods as (
    select
        {{ dbt.concat([
            dbt.cast('extract(year from month_start_date)', api.Column.translate_type('integer')),
            "'-'",
            "lpad(" ~ dbt.cast(dbt.cast('extract(month from month_start_date)', api.Column.translate_type('integer')), dbt.type_string()) ~ ", 2, '0')",
        ]) }} as period_id,
        'month' as period_type,
        month_start_date as period_start_date,
        month_end_date as period_end_date,
        cast({{ dbt.date_trunc('quarter', 'month_start_date') }} as date) as quarter_start_date
    from months
),

quarter_periods as (
    select
        {{ dbt.concat([
            dbt.cast('extract(year from quarter_start_date)', api.Column.translate_type('integer')),
            "'-Q'",
            dbt.cast('extract(quarter from quarter_start_date)', api.Column.translate_type('integer')),
        ]) }} as period_id,
        'quarter' as period_type,
        quarter_start_date as period_start_date,
        cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '3', 'quarter_start_date')) }} as date)
            as period_end_date,
        quarter_start_date
    from month_periods
    group by quarter_start_date
),

{#- A month belongs to itself and to its quarter; a period's months say which facts it sums. -#}
final as (
    select period_id, period_type, period_start_date, period_end_date from month_periods
    union all
    select period_id, period_type, period_start_date, period_end_date from quarter_periods
)

select * from final
