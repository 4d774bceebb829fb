{#-
    The metric observations, long format, one grain: (department, month, metric) with the numerator, the
    denominator, the value, the catalog's unit, the source systems and how many source records are
    behind it. A month with records but a zero denominator (revenue without a goal) keeps its row with no
    value, so that the quarter still counts its numerator.
-#}
with

facts as (
    select * from {{ ref('int_metric_facts') }}
),

catalog as (
    select metric_id, unit from {{ ref('metric_catalog') }}
),

months as (
    select * from {{ ref('int_months') }}
),

observed as (
    select
        department_id,
        month_start_date,
        metric_id,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        count(*) as record_count,
        {{ dbt.listagg('distinct source_system', "'|'", "order by source_system") }} as source_systems
    from facts
    group by 1, 2, 3
),

final as (
    select
        observed.department_id,
        observed.month_start_date,
        months.month_end_date,
        observed.metric_id,
        observed.numerator,
        observed.denominator,
        case when observed.denominator > 0 then observed.numerator / observed.denominator end as metric_value,
        catalog.unit,
        observed.source_systems,
        observed.record_count
    from observed
    inner join catalog on catalog.metric_id = observed.metric_id
    inner join months on months.month_start_date = observed.month_start_date
)

select * from final
