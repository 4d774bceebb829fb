{{ config(meta={'dagster': {'ref': {'name': 'role_scoring_scheme'}}}) }}
{#- As for the department scheme: a role template version has one effective date, and no two versions of a
    role share one. -#}
with

versions as (
    select distinct scheme_version, role_id, effective_from from {{ ref('role_scoring_scheme') }}
)

select scheme_version, null as role_id, count(distinct effective_from) as clashes
from versions
group by scheme_version
having count(distinct effective_from) > 1

union all

select null, role_id, count(distinct scheme_version)
from versions
group by role_id, effective_from
having count(distinct scheme_version) > 1
