{{ config(meta={'dagster': {'ref': {'name': 'role_scoring_scheme'}}}) }}
{#- A role template's target is better than its floor in the metric's direction, both in the catalog's valid range. -#}
select scheme.scheme_version, scheme.role_id, scheme.metric_id, scheme.target, scheme.floor
from {{ ref('role_scoring_scheme') }} as scheme
inner join {{ ref('metric_catalog') }} as catalog on catalog.metric_id = scheme.metric_id
where (catalog.direction = 'higher' and scheme.target <= scheme.floor)
    or (catalog.direction = 'lower' and scheme.target >= scheme.floor)
    or scheme.target not between catalog.valid_min and catalog.valid_max
    or scheme.floor not between catalog.valid_min and catalog.valid_max
