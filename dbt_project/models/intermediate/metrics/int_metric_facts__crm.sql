{#-
    The CRM's share of the metric facts (see int_metric_facts): deals and revenue goals for the department
    of their owner, CSAT for the department that ran the implementation project surveyed. Money is in the
    reporting currency (models/intermediate/currency converts it with the ERP's rates). Definitions: seed
    metric_catalog.
-#}
with

months as (
    select * from {{ ref('int_months') }}
),

people as (
    select * from {{ ref('int_person_departments') }}
),

closed_deals as (
    select deals.*, people.employee_id, people.department_id, months.month_start_date
    from {{ ref('int_crm__deals_in_reporting_currency') }} as deals
    inner join people on people.source_system = 'crm' and people.person_id = deals.owner_id
    inner join months on months.month_start_date = {{ month_of('deals.close_date') }}
    where deals.is_closed
),

project_departments as (
    select projects.issue_key, people.employee_id, people.department_id
    from {{ ref('stg_ticketing__implementation_projects') }} as projects
    inner join people on people.source_system = 'ticketing' and people.person_id = projects.assignee_account_id
    where not projects.is_deleted
),

facts as (
    select
        'revenue_attainment' as metric_id, department_id, employee_id, month_start_date,
        'deals' as source_stream, deal_id as record_key,
        amount as numerator, 0 as denominator
    from closed_deals
    where is_closed_won

    union all

    select
        'revenue_attainment', people.department_id, people.employee_id, months.month_start_date,
        'goal_targets', goals.goal_target_id,
        0, goals.target_amount
    from {{ ref('int_crm__goal_targets_in_reporting_currency') }} as goals
    inner join people on people.source_system = 'crm_user' and people.person_id = goals.assignee_user_id
    inner join months on months.month_start_date = {{ month_of('goals.period_start_date') }}
    where not goals.is_archived

    union all

    select
        'win_rate', department_id, employee_id, month_start_date, 'deals', deal_id,
        case when is_closed_won then 1 else 0 end, 1
    from closed_deals

    union all

    select
        'sales_cycle_days', department_id, employee_id, month_start_date, 'deals', deal_id,
        {{ dbt.datediff('created_date', 'close_date', 'day') }}, 1
    from closed_deals
    where is_closed_won

    union all

    select
        'customer_satisfaction', project_departments.department_id, project_departments.employee_id,
        months.month_start_date,
        'feedback_submissions', feedback.feedback_submission_id,
        feedback.response_value, 1
    from {{ ref('stg_crm__feedback_submissions') }} as feedback
    inner join project_departments on project_departments.issue_key = feedback.implementation_project_key
    inner join months on months.month_start_date = {{ month_of('feedback.submitted_date') }}
    where feedback.survey_type = 'CSAT' and not feedback.is_archived
)

{{ select_metric_facts(source_system='crm') }}
