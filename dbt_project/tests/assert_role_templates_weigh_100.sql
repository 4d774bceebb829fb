{#- Per version and role the template's lines weigh 100 %, of which the shared core about 30 % (25-35). -#}
select
    scheme_version,
    role_id,
    sum(weight) as total_weight,
    sum(case when tier = 'core' then weight else 0 end) as core_weight
from {{ ref('role_scoring_scheme') }}
group by 1, 2
having abs(sum(weight) - 100) > 0.000001
    or sum(case when tier = 'core' then weight else 0 end) not between 25 and 35
