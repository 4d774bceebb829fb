{#-
    The records a metric skips, and why: a field the metric needs (catalog required_fields) came
    malformed from the source (int_field_issues). int_metric_facts and int_employee_metric_facts leave
    these (metric, record) pairs out; every other metric still counts the record. Scope department: the
    department metrics; scope employee: the person's own scorecard, which also needs the employee's own
    employment dates (a person is scored in the months of their employment only), so an employee whose
    hire date is unreadable keeps their tickets and deals in their department's metrics but has no
    scorecard of their own. A record is listed for a metric whether or not it would otherwise have
    fallen in the metric's scope (an NPS answer under CSAT).
-#}
with

issues as (
    select * from {{ ref('int_field_issues') }}
),

catalog as (
    select metric_id, employee_attribution, required_fields from {{ ref('metric_catalog') }}
),

needed as (
    select catalog.metric_id, catalog.employee_attribution, issues.*
    from issues
    inner join catalog
        on {{ dbt.concat(["'|'", "catalog.required_fields", "'|'"]) }}
            like {{ dbt.concat(["'%|'", "issues.model_name", "'.'", "issues.column_name", "'|%'"]) }}
),

employment_dates_unreadable as (
    select catalog.metric_id, catalog.employee_attribution, issues.*
    from issues
    cross join catalog
    where catalog.employee_attribution = 'own_records'
        and issues.model_name = 'stg_hr__employees'
        and issues.column_name in ('hire_date', 'termination_date')
),

scoped as (
    select 'department' as scope, needed.* from needed

    union

    select 'employee', needed.* from needed where employee_attribution = 'own_records'

    union

    select 'employee', employment_dates_unreadable.* from employment_dates_unreadable
),

final as (
    select
        metric_id,
        scope,
        source_system,
        source_stream,
        record_key,
        field,
        column_name,
        raw_value,
        reason,
        landed_at
    from scoped
)

select * from final
