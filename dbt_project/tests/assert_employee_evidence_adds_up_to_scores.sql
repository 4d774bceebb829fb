{{ config(meta={'dagster': {'ref': {'name': 'employee_metric_evidence'}}}) }}
{#- The records listed as an employee's evidence add up to the numerator and denominator of every scored value. -#}
with

evidence as (
    select employee_id, role_id, period_id, metric_id,
        sum(numerator_part) as numerator, sum(denominator_part) as denominator
    from {{ ref('employee_metric_evidence') }}
    group by 1, 2, 3, 4
)

select scores.employee_id, scores.role_id, scores.period_id, scores.metric_id, scores.numerator, evidence.numerator
from {{ ref('fct_employee_metric_scores') }} as scores
left join evidence
    on evidence.employee_id = scores.employee_id
    and evidence.role_id = scores.role_id
    and evidence.period_id = scores.period_id
    and evidence.metric_id = scores.metric_id
where scores.is_observed
    and (
        evidence.numerator is null
        or abs(scores.numerator - evidence.numerator) > 0.000001 * greatest(1, abs(scores.numerator))
        or abs(scores.denominator - evidence.denominator) > 0.000001 * greatest(1, abs(scores.denominator))
    )
