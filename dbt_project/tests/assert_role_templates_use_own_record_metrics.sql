{{ config(meta={'dagster': {'ref': {'name': 'role_scoring_scheme'}}}) }}
{#- A role template may only use metrics a person carries: a department-only metric has no employee value. -#}
select scheme.scheme_version, scheme.role_id, scheme.metric_id, catalog.employee_attribution
from {{ ref('role_scoring_scheme') }} as scheme
inner join {{ ref('metric_catalog') }} as catalog on catalog.metric_id = scheme.metric_id
where catalog.employee_attribution <> 'own_records'
