{#-
    The scoring scheme each period is scored under: for every period and department family, the lines of
    the latest scheme version in force on the period's first day (macro scheme_in_force), with the
    scorecard a line belongs to (service lines make the support index, the rest the contribution index).
-#}
with

lines as (
    {{ scheme_in_force(ref('scoring_scheme'), 'department_family') }}
),

final as (
    select
        period_id,
        scheme_version,
        effective_from,
        department_family,
        metric_id,
        tier,
        case when tier = 'service' then 'support' else 'contribution' end as scorecard,
        weight,
        target,
        floor
    from lines
)

select * from final
