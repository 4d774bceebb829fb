{#-
    The metric facts that are a person's own work (catalog employee_attribution = own_records), with the
    role the person held in the fact's month: the employee-level counterpart of int_metric_facts, from
    the same fact models, so an employee's value and their department's are one definition summed over
    different records. Unlike the department facts they are not limited to the metric's department
    families: a finance officer in administration is appraised on postings although administration as a
    department is not. A record the person's scorecard cannot use (int_metric_exceptions, scope
    employee) is left out of that metric.
-#}
with

facts as (
    {% for model in metric_fact_models() -%}
    select * from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalog as (
    select metric_id from {{ ref('metric_catalog') }} where employee_attribution = 'own_records'
),

role_months as (
    select * from {{ ref('int_employee_role_months') }}
),

final as (
    select
        facts.employee_id,
        role_months.department_id,
        role_months.role_id,
        facts.metric_id,
        facts.month_start_date,
        facts.source_system,
        facts.source_stream,
        facts.record_key,
        facts.numerator,
        facts.denominator
    from facts
    inner join catalog on catalog.metric_id = facts.metric_id
    inner join role_months
        on role_months.employee_id = facts.employee_id
        and role_months.month_start_date = facts.month_start_date
    where facts.employee_id is not null
        and (facts.numerator <> 0 or facts.denominator <> 0)
        and {{ is_usable_fact('facts', 'employee') }}
)

select * from final
