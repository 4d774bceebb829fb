{{ config(materialized='view') }}
{#-
    The records behind every employee value: for each (employee, role, period, metric) the source system,
    stream and record key of every record that contributed, with its part of the numerator and of the
    denominator. Summing the parts gives the numerator and denominator in fct_employee_metric_scores, so
    an HR reviewer can walk any grade back to the tickets, postings, deals and reviews behind it. A view:
    the facts are already a table.
-#}
with

facts as (
    select * from {{ ref('int_employee_metric_facts') }}
),

role_periods as (
    select * from {{ ref('int_employee_role_periods') }}
),

catalog as (
    select metric_id, rollup from {{ ref('metric_catalog') }}
),

final as (
    select
        facts.employee_id,
        facts.role_id,
        role_periods.period_id,
        role_periods.period_type,
        facts.metric_id,
        facts.month_start_date,
        facts.source_system,
        facts.source_stream,
        facts.record_key,
        facts.numerator as numerator_part,
        facts.denominator as denominator_part
    from facts
    inner join role_periods
        on role_periods.employee_id = facts.employee_id
        and role_periods.role_id = facts.role_id
        and role_periods.month_start_date = facts.month_start_date
    inner join catalog on catalog.metric_id = facts.metric_id
    where catalog.rollup = 'ratio_of_sums' or role_periods.is_last_month_in_role
)

select * from final
