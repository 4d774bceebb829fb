{{ config(meta={'dagster': {'ref': {'name': 'employee_metric_evidence'}}}) }}
{#-
    The records listed as an employee's evidence add up to the numerator and denominator of every scored
    value. One aggregation over both sides (evidence parts and scores stacked), not an aggregation joined
    to the scores: at scale l the evidence has 18.6 million rows in 1.3 million groups, and the join's
    second hash table ran out of the 300 MB memory limit.
-#}
select employee_id, role_id, period_id, metric_id,
    sum(scored_numerator) as numerator, sum(numerator_part) as evidence_numerator
from (
    select employee_id, role_id, period_id, metric_id, numerator_part, denominator_part,
        cast(null as double) as scored_numerator, cast(null as double) as scored_denominator, 0 as is_score
    from {{ ref('employee_metric_evidence') }}
    union all
    select employee_id, role_id, period_id, metric_id, null, null, numerator, denominator, 1
    from {{ ref('fct_employee_metric_scores') }}
    where is_observed
) as both_sides
group by employee_id, role_id, period_id, metric_id
having max(is_score) = 1
    and (
        sum(numerator_part) is null
        or abs(sum(scored_numerator) - sum(numerator_part))
            > 0.000001 * greatest(1, abs(sum(scored_numerator)))
        or abs(sum(scored_denominator) - sum(denominator_part))
            > 0.000001 * greatest(1, abs(sum(scored_denominator)))
    )
