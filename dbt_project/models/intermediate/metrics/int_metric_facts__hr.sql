{#-
    The HR system's share of the metric facts: one row per source record per metric and month, holding
    that record's part of the numerator and of the denominator (see int_metric_facts). Definitions:
    seed metric_catalog.
-#}
with

employees as (
    select * from {{ ref('int_employees_mapped') }}
),

months as (
    select * from {{ ref('int_months') }}
),

workdays as (
    select * from {{ ref('int_days') }} where is_workday
),

hr_departments as (
    select department_id from {{ ref('departments') }} where family = 'hr'
),

employee_months as (
    select * from {{ ref('int_employee_months') }}
),

scheduled_workdays as (
    select employees.employee_id, employees.department_id, workdays.month_start_date, count(*) as workdays
    from employees
    inner join workdays
        on workdays.day_date >= employees.hire_date
        and (employees.termination_date is null or workdays.day_date <= employees.termination_date)
    where employees.is_mapped
    group by 1, 2, 3
),

{#- An absent workday counts once (under the lowest request id covering it), even when two requests overlap. -#}
absent_days as (
    select
        time_off.employee_id,
        employees.department_id,
        workdays.day_date,
        workdays.month_start_date,
        min(time_off.time_off_request_id) as time_off_request_id
    from {{ ref('stg_hr__time_off_requests') }} as time_off
    inner join employees on employees.employee_id = time_off.employee_id and employees.is_mapped
    inner join workdays
        on workdays.day_date between time_off.start_date and time_off.end_date
        and workdays.day_date >= employees.hire_date
        and (employees.termination_date is null or workdays.day_date <= employees.termination_date)
    where time_off.request_status = 'approved'
        and time_off.time_off_type in ('Sick', 'Personal')
        and not time_off.is_deleted
    group by 1, 2, 3, 4
),

absences as (
    select time_off_request_id, employee_id, department_id, month_start_date, count(*) as absent_workdays
    from absent_days
    group by 1, 2, 3, 4
),

required_trainings as (
    select training_type_id
    from {{ ref('stg_hr__training_types') }}
    where is_required and not is_deleted
),

required_completed as (
    select
        training.employee_id,
        months.month_start_date,
        count(distinct training.training_type_id) as required_types_completed
    from {{ ref('stg_hr__training_records') }} as training
    inner join required_trainings on required_trainings.training_type_id = training.training_type_id
    inner join months
        on training.completed_date
        between {{ dbt.dateadd('month', '-11', 'months.month_start_date') }} and months.month_end_date
    where not training.is_deleted
    group by 1, 2
),

{#- The latest completed 360 cycle for a month is the quarter before the month's quarter. -#}
review_cycle_months as (
    select
        month_start_date,
        {{ dbt.concat([
            dbt.cast('extract(year from ' ~ dbt.dateadd('month', '-3', 'month_start_date') ~ ')', api.Column.translate_type('integer')),
            "'-Q'",
            dbt.cast('extract(quarter from ' ~ dbt.dateadd('month', '-3', 'month_start_date') ~ ')', api.Column.translate_type('integer')),
        ]) }} as review_cycle
    from months
),

company_headcount as (
    select
        month_start_date,
        employee_id,
        average_headcount_share
    from employee_months
    where average_headcount_share > 0
),

facts as (
    select
        'attendance_rate' as metric_id, department_id, employee_id, month_start_date,
        'employees' as source_stream, employee_id as record_key,
        workdays as numerator, workdays as denominator
    from scheduled_workdays

    union all

    select
        'attendance_rate', department_id, employee_id, month_start_date,
        'time_off_requests', time_off_request_id,
        -absent_workdays, 0
    from absences

    union all

    select
        'voluntary_attrition_rate', department_id, employee_id, month_start_date,
        'employees', employee_id,
        case when termination_type = 'Voluntary'
            and termination_date between month_start_date and month_end_date then 1 else 0 end,
        average_headcount_share
    from employee_months
    where is_mapped
        and (average_headcount_share > 0 or termination_date between month_start_date and month_end_date)

    union all

    select
        'training_completion_rate', employee_months.department_id, employee_months.employee_id,
        employee_months.month_start_date,
        'employees', employee_months.employee_id,
        case when coalesce(required_completed.required_types_completed, 0)
            >= (select count(*) from required_trainings) then 1 else 0 end,
        1
    from employee_months
    left join required_completed
        on required_completed.employee_id = employee_months.employee_id
        and required_completed.month_start_date = employee_months.month_start_date
    where employee_months.is_mapped and employee_months.is_employed_at_month_end

    union all

    select
        case when reviews.reviewer_role = 'peer' then 'peer_collaboration_score' else 'review_360_score' end,
        employees.department_id, employees.employee_id, review_cycle_months.month_start_date,
        'reviews', reviews.review_id,
        reviews.review_score * reviews.reviewer_count, reviews.reviewer_count
    from {{ ref('stg_hr__reviews') }} as reviews
    inner join employees on employees.employee_id = reviews.employee_id and employees.is_mapped
    inner join review_cycle_months on review_cycle_months.review_cycle = reviews.review_cycle
    where reviews.reviewer_role in ('self', 'peer', 'manager') and not reviews.is_deleted

    union all

    -- a peer review also counts towards the whole 360 score
    select
        'review_360_score', employees.department_id, employees.employee_id, review_cycle_months.month_start_date,
        'reviews', reviews.review_id,
        reviews.review_score * reviews.reviewer_count, reviews.reviewer_count
    from {{ ref('stg_hr__reviews') }} as reviews
    inner join employees on employees.employee_id = reviews.employee_id and employees.is_mapped
    inner join review_cycle_months on review_cycle_months.review_cycle = reviews.review_cycle
    where reviews.reviewer_role = 'peer' and not reviews.is_deleted

    union all

    select
        'time_to_fill_days', hr_departments.department_id, null, months.month_start_date,
        'jobs', jobs.job_id,
        {{ dbt.datediff('jobs.posted_date', 'jobs.filled_date', 'day') }}, 1
    from {{ ref('stg_hr__jobs') }} as jobs
    inner join months on months.month_start_date = {{ month_of('jobs.filled_date') }}
    cross join hr_departments
    where jobs.job_status = 'Filled' and not jobs.is_deleted

    union all

    select
        'new_hire_retention_90d', hr_departments.department_id, null, months.month_start_date,
        'employees', employees.employee_id,
        case when employees.termination_date is null
            or employees.termination_date >= {{ dbt.dateadd('day', '90', 'employees.hire_date') }} then 1 else 0 end,
        1
    from employees
    inner join months
        on months.month_start_date = {{ month_of(dbt.dateadd('day', '90', 'employees.hire_date')) }}
    cross join hr_departments

    union all

    select
        'training_hours_per_employee', hr_departments.department_id, null, months.month_start_date,
        'training_records', training.training_record_id,
        training.training_hours, 0
    from {{ ref('stg_hr__training_records') }} as training
    -- the people the headcount counts: an employee without readable employment dates is in neither
    inner join employees on employees.employee_id = training.employee_id and employees.hire_date is not null
    inner join months on months.month_start_date = {{ month_of('training.completed_date') }}
    cross join hr_departments
    where not training.is_deleted

    union all

    select
        'training_hours_per_employee', hr_departments.department_id, null, company_headcount.month_start_date,
        'employees', company_headcount.employee_id,
        0, company_headcount.average_headcount_share
    from company_headcount
    cross join hr_departments
)

{{ select_metric_facts(source_system='hr') }}
