{{ config(materialized='view') }}
{#-
    The records behind every value: for each (department, period, metric) the source system, stream and
    record key of every record that contributed, with its part of the numerator and the denominator.
    Summing the parts of a (department, period, metric) gives exactly the numerator and denominator in
    fct_metric_scores, so any score can be recomputed from the records listed here. A view over the fact
    table (each fact is listed once per period it counts in: 13.6M rows at scale l); the BI snapshot
    holds it as a table.
-#}
with

facts as (
    select * from {{ ref('int_metric_facts') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

catalog as (
    select metric_id, rollup from {{ ref('metric_catalog') }}
),

final as (
    select
        facts.department_id,
        period_months.period_id,
        period_months.period_type,
        facts.metric_id,
        facts.month_start_date,
        facts.source_system,
        facts.source_stream,
        facts.record_key,
        facts.numerator as numerator_part,
        facts.denominator as denominator_part
    from facts
    inner join period_months on period_months.month_start_date = facts.month_start_date
    inner join catalog on catalog.metric_id = facts.metric_id
    where catalog.rollup = 'ratio_of_sums' or period_months.is_last_covered_month
)

select * from final
