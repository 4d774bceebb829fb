{#-
    Calibration: the grade distribution of each department and role per period against the target
    distribution HR set (seed grade_distribution_targets). One row per (department, role, period, grade)
    with the count, the share and its deviation from the target. A grade is off target when its share is
    beyond the tolerance, in a group large enough for shares to mean something (var
    calibration_min_group_size), and beyond what chance explains in a group of that size: p_value, the
    probability that a group whose true share sat at the tolerance's edge would show a share at least
    this far out, is below var calibration_significance. Without that guard a company graded exactly
    on target would see about two in five of its five-person groups flagged (a share moves in steps of
    20 %). A group is flagged for HR review when a grade is off target in a complete period (all its
    months covered: the quarter in progress is shown, not flagged). Flags are for review: nothing here
    changes a grade.
-#}
with

scorecard as (
    select * from {{ ref('fct_employee_scorecard') }}
),

targets as (
    select * from {{ ref('grade_distribution_targets') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

covered_periods as (
    select
        period_id,
        count(*) = case when max(period_type) = 'quarter' then 3 else 1 end as is_period_complete
    from period_months
    group by 1
),

groups as (
    select
        department_id, department_name_en, role_id, role_name_en, period_id, period_type,
        count(*) as group_size
    from scorecard
    group by 1, 2, 3, 4, 5, 6
),

counts as (
    select department_id, role_id, period_id, grade, count(*) as employees
    from scorecard
    group by 1, 2, 3, 4
),

distribution as (
    select
        groups.*,
        targets.grade,
        coalesce(counts.employees, 0) as employees,
        1.0 * coalesce(counts.employees, 0) / groups.group_size as share,
        targets.target_share,
        targets.tolerance,
        1.0 * coalesce(counts.employees, 0) / groups.group_size - targets.target_share as deviation
    from groups
    cross join targets
    left join counts
        on counts.department_id = groups.department_id
        and counts.role_id = groups.role_id
        and counts.period_id = groups.period_id
        and counts.grade = targets.grade
),

{#- ln(k!) for k = 0 .. 4096, so binomial probabilities are sums of exp() of logs for any group size -#}
log_factorials as (
    select 0 as k, 0.0 as ln_factorial
    union all
    select
        generated_number as k,
        sum(ln(generated_number)) over (order by generated_number rows unbounded preceding) as ln_factorial
    from ({{ dbt.generate_series(4096) }}) as numbers
),

{#- the grades beyond tolerance, each tested against the edge of its tolerance band -#}
beyond_tolerance as (
    select
        department_id, role_id, period_id, grade,
        group_size,
        employees,
        deviation > 0 as is_above,
        case when deviation > 0 then target_share + tolerance else target_share - tolerance end as edge_share
    from distribution
    where abs(deviation) > tolerance
),

{#- P(X >= k) above the band, P(X <= k) below it, X ~ Binomial(group size, edge share) -#}
tail_probabilities as (
    select
        tested.department_id, tested.role_id, tested.period_id, tested.grade,
        least(1.0, sum(exp(
            group_factorial.ln_factorial - drawn.ln_factorial - rest.ln_factorial
            + drawn.k * ln(tested.edge_share) + (tested.group_size - drawn.k) * ln(1 - tested.edge_share)
        ))) as p_value
    from beyond_tolerance as tested
    inner join log_factorials as group_factorial on group_factorial.k = tested.group_size
    inner join log_factorials as drawn
        on drawn.k <= tested.group_size
        and ((tested.is_above and drawn.k >= tested.employees) or (not tested.is_above and drawn.k <= tested.employees))
    inner join log_factorials as rest on rest.k = tested.group_size - drawn.k
    where tested.edge_share > 0 and tested.edge_share < 1
    group by 1, 2, 3, 4
),

tested as (
    select
        distribution.*,
        tail_probabilities.p_value,
        covered_periods.is_period_complete,
        distribution.group_size >= {{ var('calibration_min_group_size') }}
            and abs(distribution.deviation) > distribution.tolerance
            {# a group beyond the 4096 people log_factorials covers has no p_value: its share alone decides #}
            and coalesce(tail_probabilities.p_value, 0) < {{ var('calibration_significance') }} as is_off_target
    from distribution
    inner join covered_periods on covered_periods.period_id = distribution.period_id
    left join tail_probabilities
        on tail_probabilities.department_id = distribution.department_id
        and tail_probabilities.role_id = distribution.role_id
        and tail_probabilities.period_id = distribution.period_id
        and tail_probabilities.grade = distribution.grade
),

final as (
    select
        tested.*,
        tested.is_period_complete and max(case when tested.is_off_target then 1 else 0 end) over (
            partition by tested.department_id, tested.role_id, tested.period_id
        ) = 1 as is_flagged_for_review
    from tested
)

select * from final
