{#-
    Does the department index agree with the roll-up of its people? For every department and period:
    the department contribution index, the months-weighted mean index of the employees scored in it (a
    person who changed role counts once, split by months), their difference against the stated
    tolerance (var employee_rollup_tolerance_points), and the facts that explain a gap: people the
    roll-up cannot include (managers, titles with no role template, people with no own records such as
    new hires), vacancies, and the share of the department index that rests on department-only metrics
    (attrition, company-wide services) no person carries. The quality check
    employee_rollup_reconciles_with_department_index reports the departments outside the tolerance.
-#}
with

departments as (
    select * from {{ ref('fct_department_contribution') }}
),

scorecard as (
    select * from {{ ref('fct_employee_scorecard') }}
),

role_months as (
    select * from {{ ref('int_employee_role_months') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

periods as (
    select * from {{ ref('int_periods') }}
),

templates as (
    select distinct period_id, role_id from {{ ref('int_role_scheme_in_force') }}
),

department_metric_scores as (
    select * from {{ ref('fct_metric_scores') }} where scorecard = 'contribution'
),

catalog as (
    select metric_id, employee_attribution from {{ ref('metric_catalog') }}
),

hr_aliases as (
    select lower(trim(alias)) as alias_key, department_id
    from {{ ref('department_aliases') }}
    where source_system = 'hr' and alias_kind = 'department_name'
),

jobs as (
    select * from {{ ref('stg_hr__jobs') }} where not is_deleted
),

employee_rollup as (
    select
        department_id,
        period_id,
        sum(employee_index * months_in_role) / sum(months_in_role) as employee_rollup_index,
        count(distinct employee_id) as employees_scored
    from scorecard
    group by 1, 2
),

people as (
    select
        role_months.department_id,
        period_months.period_id,
        role_months.employee_id,
        max(case when role_months.role_id = 'department_manager' then 1 else 0 end) as is_manager,
        max(case when role_months.role_id is null
            or (role_months.role_id <> 'department_manager' and templates.role_id is null) then 1 else 0 end)
            as has_no_template,
        max(case when role_months.hire_date >= periods.period_start_date then 1 else 0 end) as is_new_hire
    from role_months
    inner join period_months on period_months.month_start_date = role_months.month_start_date
    inner join periods on periods.period_id = period_months.period_id
    left join templates
        on templates.period_id = period_months.period_id and templates.role_id = role_months.role_id
    group by 1, 2, 3
),

scored as (
    select distinct department_id, period_id, employee_id from scorecard
),

people_counts as (
    select
        people.department_id,
        people.period_id,
        count(*) as employees_in_period,
        sum(people.is_manager) as managers_not_scored,
        sum(people.has_no_template) as without_role_template,
        sum(case when people.is_manager = 0 and people.has_no_template = 0 and scored.employee_id is null
            then 1 else 0 end) as without_own_records,
        sum(case when people.is_manager = 0 and people.has_no_template = 0 and scored.employee_id is null
            and people.is_new_hire = 1 then 1 else 0 end) as new_hires_without_own_records
    from people
    left join scored
        on scored.department_id = people.department_id
        and scored.period_id = people.period_id
        and scored.employee_id = people.employee_id
    group by 1, 2
),

vacancies as (
    select hr_aliases.department_id, departments.period_id, count(*) as open_vacancies
    from jobs
    inner join hr_aliases on hr_aliases.alias_key = lower(trim(jobs.hr_department_name))
    inner join departments
        on departments.department_id = hr_aliases.department_id
        and jobs.posted_date <= departments.period_end_date
        and (jobs.filled_date is null or jobs.filled_date >= departments.period_start_date)
    where jobs.job_status in ('Open', 'Filled')
    group by 1, 2
),

department_only as (
    select
        department_metric_scores.department_id,
        department_metric_scores.period_id,
        sum(department_metric_scores.effective_weight) as department_only_weight_pct
    from department_metric_scores
    inner join catalog on catalog.metric_id = department_metric_scores.metric_id
    where catalog.employee_attribution = 'department_only'
    group by 1, 2
),

compared as (
    select
        departments.department_id,
        departments.name_en as department_name_en,
        departments.period_id,
        departments.period_type,
        departments.contribution_index as department_index,
        employee_rollup.employee_rollup_index,
        employee_rollup.employee_rollup_index - departments.contribution_index as difference,
        {{ var('employee_rollup_tolerance_points') }} as tolerance_points,
        coalesce(employee_rollup.employees_scored, 0) as employees_scored,
        coalesce(people_counts.employees_in_period, 0) as employees_in_period,
        coalesce(people_counts.managers_not_scored, 0) as managers_not_scored,
        coalesce(people_counts.without_role_template, 0) as without_role_template,
        coalesce(people_counts.without_own_records, 0) as without_own_records,
        coalesce(people_counts.new_hires_without_own_records, 0) as new_hires_without_own_records,
        coalesce(vacancies.open_vacancies, 0) as open_vacancies,
        coalesce(department_only.department_only_weight_pct, 0) as department_only_weight_pct
    from departments
    left join employee_rollup
        on employee_rollup.department_id = departments.department_id
        and employee_rollup.period_id = departments.period_id
    left join people_counts
        on people_counts.department_id = departments.department_id
        and people_counts.period_id = departments.period_id
    left join vacancies
        on vacancies.department_id = departments.department_id and vacancies.period_id = departments.period_id
    left join department_only
        on department_only.department_id = departments.department_id
        and department_only.period_id = departments.period_id
),

final as (
    select
        compared.*,
        compared.employee_rollup_index is not null
            and abs(compared.difference) <= compared.tolerance_points as is_within_tolerance,
        {#- why, in the order an HR analyst checks: who is missing, then what no person carries -#}
        rtrim(
            case when compared.employee_rollup_index is null then 'no employee scored; ' else '' end
            || case when compared.without_own_records > 0
                then cast(compared.without_own_records as {{ dbt.type_string() }})
                    || ' without own records (of them new hires: '
                    || cast(compared.new_hires_without_own_records as {{ dbt.type_string() }}) || '); ' else '' end
            || case when compared.open_vacancies > 0
                then cast(compared.open_vacancies as {{ dbt.type_string() }}) || ' vacancies open; ' else '' end
            || case when compared.managers_not_scored > 0
                then cast(compared.managers_not_scored as {{ dbt.type_string() }})
                    || ' manager(s) appraised on the department index; ' else '' end
            || case when compared.without_role_template > 0
                then cast(compared.without_role_template as {{ dbt.type_string() }})
                    || ' without a role template; ' else '' end
            || case when compared.department_only_weight_pct > 0
                then cast(round(compared.department_only_weight_pct, 1) as {{ dbt.type_string() }})
                    || '% of the department index on department-only metrics; ' else '' end
            {#- always true of a gap: the department scores its pooled records, a person only their own,
                and each score is capped at 100, so a few people far above target lift the department
                but not the mean of capped personal scores -#}
            || case when compared.employee_rollup_index is not null
                and abs(compared.difference) > compared.tolerance_points
                then 'pooled department records vs capped personal scores; ' else '' end,
            '; '
        ) as divergence_reasons
    from compared
)

select * from final
