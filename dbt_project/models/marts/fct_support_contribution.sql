{#-
    The support contribution of the service departments (HR, finance, administration) per period: how
    much service they delivered to the other departments per FTE, how much of it within SLA and how the
    other departments rated it, each scored like any metric (scheme tier "service") and summed into a
    support index with its parts. Who they served is in fct_collaboration.
-#}
with

scores as (
    select * from {{ ref('fct_metric_scores') }} where scorecard = 'support'
),

departments as (
    select * from {{ ref('departments') }}
),

pivoted as (
    select
        department_id,
        period_id,
        period_type,
        period_start_date,
        max(scheme_version) as scheme_version,
        cast(max(case when metric_id = 'support_requests_per_fte' then numerator end) as bigint)
            as requests_resolved_for_others,
        max(case when metric_id = 'support_requests_per_fte' then denominator end) as fte,
        max(case when metric_id = 'support_requests_per_fte' then metric_value end) as requests_per_fte,
        max(case when metric_id = 'support_requests_per_fte' then weighted_contribution end)
            as requests_per_fte_contribution,
        max(case when metric_id = 'support_sla_attainment' then metric_value end) as sla_attainment,
        max(case when metric_id = 'support_sla_attainment' then weighted_contribution end)
            as sla_attainment_contribution,
        cast(max(case when metric_id = 'support_requester_satisfaction' then denominator end) as bigint) as ratings,
        max(case when metric_id = 'support_requester_satisfaction' then metric_value end) as requester_satisfaction,
        max(case when metric_id = 'support_requester_satisfaction' then weighted_contribution end)
            as requester_satisfaction_contribution,
        sum(weighted_contribution) as support_index,
        sum(case when is_observed then weight else 0 end) as weight_coverage_pct
    from scores
    group by 1, 2, 3, 4
),

final as (
    select
        pivoted.department_id,
        departments.name_en,
        departments.name_zh,
        departments.family as department_family,
        pivoted.period_id,
        pivoted.period_type,
        pivoted.period_start_date,
        pivoted.scheme_version,
        pivoted.support_index,
        {{ grade_for('pivoted.support_index') }} as grade,
        rank() over (
            partition by pivoted.period_id order by {{ comparable_index('pivoted.support_index') }} desc
        ) as rank_among_service,
        pivoted.requests_resolved_for_others,
        pivoted.fte,
        pivoted.requests_per_fte,
        pivoted.requests_per_fte_contribution,
        pivoted.sla_attainment,
        pivoted.sla_attainment_contribution,
        pivoted.ratings,
        pivoted.requester_satisfaction,
        pivoted.requester_satisfaction_contribution,
        pivoted.weight_coverage_pct
    from pivoted
    inner join departments on departments.department_id = pivoted.department_id
)

select * from final
