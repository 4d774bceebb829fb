{#-
    The employee index per period (month and quarter) and role: the sum of the weighted contributions of
    the role template's core and extension metrics (fct_employee_metric_scores), the two parts, the grade
    on the scale departments use (seed grade_bands), and the rank among the people of the same role
    company-wide, of the same department, and of the same role in the department. An employee is scored
    in a role and period only when at least one extension metric (their own work) was observed: an index
    made of the HR core alone would grade attendance, not the job. HR tier only.
-#}
with

scores as (
    select * from {{ ref('fct_employee_metric_scores') }} where is_scored
),

employees as (
    select employee_id, employee_number, display_name from {{ ref('stg_hr__employees') }}
),

departments as (
    select department_id, name_en, name_zh from {{ ref('departments') }}
),

roles as (
    select distinct role_id, role_name_en, role_name_zh from {{ ref('job_roles') }}
),

indexed as (
    select
        employee_id,
        department_id,
        role_id,
        period_id,
        period_type,
        period_start_date,
        period_end_date,
        max(months_in_role) as months_in_role,
        max(scheme_version) as scheme_version,
        sum(weighted_contribution) as employee_index,
        sum(case when tier = 'core' then weighted_contribution else 0 end) as core_part,
        sum(case when tier = 'extension' then weighted_contribution else 0 end) as extension_part,
        sum(case when is_observed then weight else 0 end) as weight_coverage_pct,
        sum(case when is_observed then 1 else 0 end) as metrics_observed,
        count(*) as metrics_in_template,
        sum(record_count) as evidence_record_count
    from scores
    group by 1, 2, 3, 4, 5, 6, 7
),

graded as (
    select indexed.*, {{ grade_for('indexed.employee_index') }} as grade
    from indexed
),

{#- headcounts are people: someone who changed role in the period is one person with two rows -#}
people_in_role as (
    select period_id, role_id, count(distinct employee_id) as employees_in_role
    from graded group by 1, 2
),

people_in_department as (
    select period_id, department_id, count(distinct employee_id) as employees_in_department
    from graded group by 1, 2
),

people_in_department_role as (
    select period_id, department_id, role_id, count(distinct employee_id) as employees_in_department_role
    from graded group by 1, 2, 3
),

ranked as (
    select
        graded.*,
        rank() over (
            partition by graded.period_id, graded.role_id
            order by {{ comparable_index('graded.employee_index') }} desc
        ) as rank_in_role,
        people_in_role.employees_in_role,
        rank() over (
            partition by graded.period_id, graded.department_id
            order by {{ comparable_index('graded.employee_index') }} desc
        ) as rank_in_department,
        people_in_department.employees_in_department,
        rank() over (
            partition by graded.period_id, graded.department_id, graded.role_id
            order by {{ comparable_index('graded.employee_index') }} desc
        ) as rank_in_department_role,
        people_in_department_role.employees_in_department_role
    from graded
    inner join people_in_role
        on people_in_role.period_id = graded.period_id and people_in_role.role_id = graded.role_id
    inner join people_in_department
        on people_in_department.period_id = graded.period_id
        and people_in_department.department_id = graded.department_id
    inner join people_in_department_role
        on people_in_department_role.period_id = graded.period_id
        and people_in_department_role.department_id = graded.department_id
        and people_in_department_role.role_id = graded.role_id
),

final as (
    select
        ranked.employee_id,
        employees.employee_number,
        employees.display_name,
        ranked.department_id,
        departments.name_en as department_name_en,
        departments.name_zh as department_name_zh,
        ranked.role_id,
        roles.role_name_en,
        roles.role_name_zh,
        ranked.period_id,
        ranked.period_type,
        ranked.period_start_date,
        ranked.period_end_date,
        ranked.months_in_role,
        ranked.scheme_version,
        ranked.employee_index,
        ranked.core_part,
        ranked.extension_part,
        ranked.grade,
        ranked.rank_in_role,
        ranked.employees_in_role,
        ranked.rank_in_department,
        ranked.employees_in_department,
        ranked.rank_in_department_role,
        ranked.employees_in_department_role,
        ranked.weight_coverage_pct,
        ranked.metrics_observed,
        ranked.metrics_in_template,
        ranked.evidence_record_count
    from ranked
    inner join employees on employees.employee_id = ranked.employee_id
    inner join departments on departments.department_id = ranked.department_id
    inner join roles on roles.role_id = ranked.role_id
)

select * from final
