{#- Every employee score is capped to 0-100 and observed metrics have one. -#}
select employee_id, role_id, period_id, metric_id, score
from {{ ref('fct_employee_metric_scores') }}
where (is_observed and score is null) or score < 0 or score > 100
