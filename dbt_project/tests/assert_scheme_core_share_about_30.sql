{#- The core tier carries about 30 % of every contribution index (25-35 %), the extension the rest. -#}
select
    scheme_version,
    department_family,
    sum(case when tier = 'core' then weight else 0 end) as core_weight
from {{ ref('scoring_scheme') }}
where tier in ('core', 'extension')
group by 1, 2
having sum(case when tier = 'core' then weight else 0 end) not between 25 and 35
