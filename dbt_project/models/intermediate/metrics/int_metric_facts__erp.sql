{#-
    The ERP's share of the metric facts (see int_metric_facts): posting accuracy and invoice processing for
    the department of the person who posted, and the company-wide close and budget control that the
    finance family owns. Money is in the reporting currency (models/intermediate/currency). Definitions:
    seed metric_catalog.
-#}
with

months as (
    select * from {{ ref('int_months') }}
),

posters as (
    select person_id as email, employee_id, department_id
    from {{ ref('int_person_departments') }}
    where source_system = 'email'
),

finance_departments as (
    select department_id from {{ ref('departments') }} where family = 'finance'
),

gl_entries as (
    select * from {{ ref('int_erp__gl_entries_in_reporting_currency') }} where not is_deleted
),

corrected_entries as (
    select distinct original_gl_entry_id as gl_entry_id
    from {{ ref('stg_erp__journal_corrections') }}
    where not is_deleted
),

budgets as (
    select budgets.*, months.month_start_date
    from {{ ref('int_erp__budgets_in_reporting_currency') }} as budgets
    inner join months on months.month_start_date = budgets.period_start_date
    where not budgets.is_deleted and budgets.gl_account_type in ('Expense', 'Payroll')
),

actuals as (
    select
        gl_entries.cost_center_id,
        gl_entries.gl_account_type,
        months.month_start_date,
        sum(gl_entries.amount) as actual_amount
    from gl_entries
    inner join months on months.month_start_date = {{ month_of('gl_entries.posting_date') }}
    group by 1, 2, 3
),

facts as (
    select
        'posting_accuracy' as metric_id, posters.department_id, posters.employee_id, months.month_start_date,
        'gl_entries' as source_stream, gl_entries.gl_entry_id as record_key,
        case when corrected_entries.gl_entry_id is null then 1 else 0 end as numerator, 1 as denominator
    from gl_entries
    inner join posters on posters.email = lower(trim(gl_entries.posted_by_email))
    inner join months on months.month_start_date = {{ month_of('gl_entries.posting_date') }}
    left join corrected_entries on corrected_entries.gl_entry_id = gl_entries.gl_entry_id
    where not gl_entries.is_reversal

    union all

    select
        'month_end_close_days', finance_departments.department_id, null, months.month_start_date,
        'period_closes', closes.period_close_id,
        {{ dbt.datediff('closes.period_end_date', 'closes.closed_date', 'day') }}, 1
    from {{ ref('stg_erp__period_closes') }} as closes
    inner join months on months.month_start_date = {{ month_of('closes.closed_date') }}
    cross join finance_departments
    where closes.status = 'Closed' and not closes.is_deleted

    union all

    select
        'budget_variance', finance_departments.department_id, null, budgets.month_start_date,
        'budgets', budgets.budget_id,
        abs(coalesce(actuals.actual_amount, 0) - budgets.amount), budgets.amount
    from budgets
    left join actuals
        on actuals.cost_center_id = budgets.cost_center_id
        and actuals.gl_account_type = budgets.gl_account_type
        and actuals.month_start_date = budgets.month_start_date
    cross join finance_departments

    union all

    select
        'invoice_processing_days', posters.department_id, posters.employee_id, months.month_start_date,
        'purchase_invoices', invoices.purchase_invoice_id,
        {{ dbt.datediff('invoices.received_date', 'invoices.posted_date', 'day') }}, 1
    from {{ ref('stg_erp__purchase_invoices') }} as invoices
    inner join posters on posters.email = lower(trim(invoices.processed_by_email))
    inner join months on months.month_start_date = {{ month_of('invoices.posted_date') }}
    where not invoices.is_deleted
)

{{ select_metric_facts(source_system='erp') }}
