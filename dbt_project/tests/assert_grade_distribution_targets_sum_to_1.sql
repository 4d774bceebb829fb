{#- The calibration targets describe one whole group: their shares add up to 1. -#}
select sum(target_share) as total_share
from {{ ref('grade_distribution_targets') }}
having abs(sum(target_share) - 1) > 0.000001
