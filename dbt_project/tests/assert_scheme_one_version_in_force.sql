{#-
    Exactly one version in force on any date: a version has one effective date, and no two versions of a
    family share one (the later date wins from that day on).
-#}
with

versions as (
    select distinct scheme_version, department_family, effective_from from {{ ref('scoring_scheme') }}
)

select scheme_version, null as department_family, count(distinct effective_from) as clashes
from versions
group by scheme_version
having count(distinct effective_from) > 1

union all

select null, department_family, count(distinct scheme_version)
from versions
group by department_family, effective_from
having count(distinct scheme_version) > 1
