{#-
    The lines of a versioned scheme (seed scoring_scheme per department family, role_scoring_scheme per
    role) that each period is scored under: for every period and `key` (the family or the role), the
    lines of the latest version whose effective_from is on or before the period's first day. A new
    version therefore applies from its date on; periods before it keep the version they were scored
    under. One rule for departments and people.
-#}
{% macro scheme_in_force(scheme, key) -%}
with

scheme as (
    select * from {{ scheme }}
),

periods as (
    select * from {{ ref('int_periods') }}
),

versions as (
    select distinct scheme_version, effective_from, {{ key }} from scheme
),

in_force as (
    select
        periods.period_id,
        versions.{{ key }},
        max(versions.effective_from) as effective_from
    from periods
    inner join versions on versions.effective_from <= periods.period_start_date
    group by 1, 2
),

final as (
    select in_force.period_id, scheme.*
    from in_force
    inner join scheme
        on scheme.{{ key }} = in_force.{{ key }}
        and scheme.effective_from = in_force.effective_from
)

select * from final
{%- endmacro %}
