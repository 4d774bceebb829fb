{#-
    Calibration: the grade distribution of each department and role per period against the target
    distribution HR set (seed grade_distribution_targets). One row per (department, role, period, grade)
    with the count, the share and its deviation from the target; a grade whose share is off by more than
    its tolerance flags the whole group for HR review, when the group is large enough for shares to mean
    something (var calibration_min_group_size). Flags are for review: nothing here changes a grade.
-#}
with

scorecard as (
    select * from {{ ref('fct_employee_scorecard') }}
),

targets as (
    select * from {{ ref('grade_distribution_targets') }}
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

final as (
    select
        distribution.*,
        distribution.group_size >= {{ var('calibration_min_group_size') }}
            and abs(distribution.deviation) > distribution.tolerance as is_off_target,
        max(case when distribution.group_size >= {{ var('calibration_min_group_size') }}
            and abs(distribution.deviation) > distribution.tolerance then 1 else 0 end) over (
            partition by distribution.department_id, distribution.role_id, distribution.period_id
        ) = 1 as is_flagged_for_review
    from distribution
)

select * from final
