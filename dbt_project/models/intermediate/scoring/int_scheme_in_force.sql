{#-
    The scoring scheme each period is scored under: for every period and department family, the lines of
    the latest scheme version whose effective_from is on or before the period's first day. A new version
    therefore applies from its date on; periods before it keep the version they were scored under.
-#}
with

scheme as (
    select * from {{ ref('scoring_scheme') }}
),

periods as (
    select * from {{ ref('int_periods') }}
),

versions as (
    select distinct scheme_version, effective_from, department_family from scheme
),

in_force as (
    select
        periods.period_id,
        versions.department_family,
        max(versions.effective_from) as effective_from
    from periods
    inner join versions on versions.effective_from <= periods.period_start_date
    group by 1, 2
),

final as (
    select
        in_force.period_id,
        scheme.scheme_version,
        scheme.effective_from,
        scheme.department_family,
        scheme.metric_id,
        scheme.tier,
        case when scheme.tier = 'service' then 'support' else 'contribution' end as scorecard,
        scheme.weight,
        scheme.target,
        scheme.floor
    from in_force
    inner join scheme
        on scheme.department_family = in_force.department_family
        and scheme.effective_from = in_force.effective_from
)

select * from final
