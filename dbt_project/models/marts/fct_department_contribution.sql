{#-
    The department contribution index per period (month and quarter): the sum of the weighted
    contributions of the scheme's core and extension metrics (fct_metric_scores), its two subtotals, the
    grade on the one scale every department shares (seed grade_bands), the rank among all departments and
    within the family, and the change against the previous period of the same kind.
-#}
with

scores as (
    select * from {{ ref('fct_metric_scores') }} where scorecard = 'contribution'
),

departments as (
    select * from {{ ref('departments') }}
),

headcount as (
    select * from {{ ref('fct_department_headcount') }}
),

period_months as (
    select * from {{ ref('int_period_months') }} where is_last_covered_month
),

indexed as (
    select
        department_id,
        period_id,
        period_type,
        period_start_date,
        period_end_date,
        max(scheme_version) as scheme_version,
        sum(weighted_contribution) as contribution_index,
        sum(case when tier = 'core' then weighted_contribution else 0 end) as core_subtotal,
        sum(case when tier = 'extension' then weighted_contribution else 0 end) as extension_subtotal,
        sum(case when is_observed then weight else 0 end) as weight_coverage_pct,
        count(case when is_observed then 1 end) as metrics_observed,
        count(*) as metrics_in_scheme,
        cast(sum(record_count) as bigint) as record_count
    from scores
    group by 1, 2, 3, 4, 5
),

graded as (
    select indexed.*, {{ grade_for('indexed.contribution_index') }} as grade
    from indexed
),

ranked as (
    select
        graded.*,
        departments.name_en,
        departments.name_zh,
        departments.family as department_family,
        departments.is_production,
        graded.grade,
        rank() over (
            partition by graded.period_id order by {{ comparable_index('graded.contribution_index') }} desc
        ) as rank_overall,
        rank() over (
            partition by graded.period_id, departments.family
            order by {{ comparable_index('graded.contribution_index') }} desc
        ) as rank_in_family,
        lag(graded.contribution_index) over (
            partition by graded.department_id, graded.period_type order by graded.period_start_date
        ) as previous_index,
        lag(graded.period_id) over (
            partition by graded.department_id, graded.period_type order by graded.period_start_date
        ) as previous_period_id
    from graded
    inner join departments on departments.department_id = graded.department_id
),

final as (
    select
        ranked.department_id,
        ranked.name_en,
        ranked.name_zh,
        ranked.department_family,
        ranked.is_production,
        ranked.period_id,
        ranked.period_type,
        ranked.period_start_date,
        ranked.period_end_date,
        ranked.scheme_version,
        ranked.contribution_index,
        ranked.core_subtotal,
        ranked.extension_subtotal,
        ranked.grade,
        ranked.rank_overall,
        ranked.rank_in_family,
        ranked.previous_period_id,
        ranked.previous_index,
        ranked.contribution_index - ranked.previous_index as change_vs_previous,
        ranked.weight_coverage_pct,
        ranked.metrics_observed,
        ranked.metrics_in_scheme,
        ranked.record_count,
        headcount.headcount_at_month_end as headcount_at_period_end
    from ranked
    left join period_months on period_months.period_id = ranked.period_id
    left join headcount
        on headcount.department_id = ranked.department_id
        and headcount.month_start_date = period_months.month_start_date
)

select * from final
