{#-
    Which months make up each period (a month itself; a quarter its covered months), and which of them is
    the period's last covered month: the month a period_end metric (a stock, such as training
    completion) takes its value from.
-#}
with

periods as (
    select * from {{ ref('int_periods') }}
),

months as (
    select * from {{ ref('int_months') }}
),

period_months as (
    select
        periods.period_id,
        periods.period_type,
        months.month_start_date
    from periods
    inner join months
        on months.month_start_date between periods.period_start_date and periods.period_end_date
),

final as (
    select
        period_id,
        period_type,
        month_start_date,
        month_start_date = max(month_start_date) over (partition by period_id) as is_last_covered_month
    from period_months
)

select * from final
