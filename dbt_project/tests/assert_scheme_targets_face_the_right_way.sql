{{ config(meta={'dagster': {'ref': {'name': 'scoring_scheme'}}}) }}
{#- A target is better than its floor in the metric's direction, and both lie in the catalog's valid range. -#}
select scheme.scheme_version, scheme.department_family, scheme.metric_id, scheme.target, scheme.floor
from {{ ref('scoring_scheme') }} as scheme
inner join {{ ref('metric_catalog') }} as catalog on catalog.metric_id = scheme.metric_id
where (catalog.direction = 'higher' and scheme.target <= scheme.floor)
    or (catalog.direction = 'lower' and scheme.target >= scheme.floor)
    or scheme.target not between catalog.valid_min and catalog.valid_max
    or scheme.floor not between catalog.valid_min and catalog.valid_max
