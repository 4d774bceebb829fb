{#- Per scheme version and family, the contribution lines (core + extension) weigh 100 %, and so do the
    service lines. -#}
select
    scheme_version,
    department_family,
    case when tier = 'service' then 'support' else 'contribution' end as scorecard,
    sum(weight) as total_weight
from {{ ref('scoring_scheme') }}
group by 1, 2, 3
having abs(sum(weight) - 100) > 0.000001
