{#-
    The role each employee held in each month they were employed, from the HR job history (BambooHR's
    jobInfo table): the job title in force on the month's last day of employment (the month end, or the
    termination day), mapped to a role of the role templates (seed job_roles). A month belongs to one
    role, so a person promoted mid-quarter is scored under each role for the months it held. Before the
    first history row (a history that starts late) its title stands; with no history at all (not
    extracted) the employee's current title does, for every month.
-#}
with

employee_months as (
    select * from {{ ref('int_employee_months') }} where is_mapped
),

employees as (
    select employee_id, job_title from {{ ref('stg_hr__employees') }}
),

job_history as (
    select employee_id, effective_date, job_title, job_history_id
    from {{ ref('stg_hr__job_history') }}
    where not is_deleted and effective_date is not null
),

job_roles as (
    select * from {{ ref('job_roles') }}
),

first_titles as (
    select employee_id, job_title
    from (
        select
            employee_id,
            job_title,
            row_number() over (partition by employee_id order by effective_date, job_history_id) as earliest
        from job_history
    ) as ranked
    where earliest = 1
),

role_days as (
    select
        employee_months.*,
        case
            when employee_months.termination_date < employee_months.month_end_date
                then employee_months.termination_date
            else employee_months.month_end_date
        end as role_day
    from employee_months
),

titles as (
    select
        role_days.employee_id,
        role_days.month_start_date,
        job_history.job_title,
        job_history.effective_date,
        row_number() over (
            partition by role_days.employee_id, role_days.month_start_date
            order by job_history.effective_date desc, job_history.job_history_id desc
        ) as recency
    from role_days
    inner join job_history
        on job_history.employee_id = role_days.employee_id
        and job_history.effective_date <= role_days.role_day
),

final as (
    select
        role_days.employee_id,
        role_days.department_id,
        role_days.month_start_date,
        role_days.month_end_date,
        role_days.hire_date,
        role_days.termination_date,
        role_days.is_employed_at_month_end,
        coalesce(titles.job_title, first_titles.job_title, employees.job_title) as job_title,
        titles.effective_date as job_title_effective_date,
        titles.job_title is not null as is_from_job_history,
        job_roles.role_id,
        job_roles.role_name_en,
        job_roles.role_name_zh
    from role_days
    inner join employees on employees.employee_id = role_days.employee_id
    left join titles
        on titles.employee_id = role_days.employee_id
        and titles.month_start_date = role_days.month_start_date
        and titles.recency = 1
    left join first_titles on first_titles.employee_id = role_days.employee_id
    left join job_roles
        on job_roles.job_title = coalesce(titles.job_title, first_titles.job_title, employees.job_title)
)

select * from final
