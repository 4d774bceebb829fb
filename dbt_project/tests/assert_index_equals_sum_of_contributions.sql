{{ config(meta={'dagster': {'ref': {'name': 'fct_department_contribution'}}}) }}
{#- Each index is the sum of its weighted contributions, and core + extension = index (within 0.01). -#}
with

contributions as (
    select department_id, period_id, sum(weighted_contribution) as summed
    from {{ ref('fct_metric_scores') }}
    where scorecard = 'contribution'
    group by 1, 2
)

select
    indexes.department_id,
    indexes.period_id,
    indexes.contribution_index,
    contributions.summed,
    indexes.core_subtotal + indexes.extension_subtotal as subtotals
from {{ ref('fct_department_contribution') }} as indexes
left join contributions
    on contributions.department_id = indexes.department_id and contributions.period_id = indexes.period_id
where contributions.summed is null
    or abs(indexes.contribution_index - contributions.summed) > 0.01
    or abs(indexes.contribution_index - (indexes.core_subtotal + indexes.extension_subtotal)) > 0.01
    or indexes.contribution_index < 0
    or indexes.contribution_index > 100.000001
