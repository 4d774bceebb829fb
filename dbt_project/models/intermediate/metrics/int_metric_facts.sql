{#-
    Every department metric as facts at record grain: one row per (metric, department, month, source record) holding
    that record's part of the numerator and of the denominator. A metric value is the sum of its
    numerators over the sum of its denominators, so the same rows give the month, roll up to the quarter
    and are the evidence a score is traced back to. Only the families a metric applies to (catalog
    department_families) keep their rows, and a record a metric cannot use (a field it needs came
    malformed: int_metric_exceptions) is left out of that metric only.
-#}
with

facts as (
    {% for model in metric_fact_models() -%}
    select * from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

departments as (
    select department_id, family from {{ ref('departments') }}
),

catalog as (
    select metric_id, department_families from {{ ref('metric_catalog') }}
    -- employee-only metrics (grain employee_month) are scored for people, never for a department
    where grain = 'department_month'
),

final as (
    select facts.*
    from facts
    inner join departments on departments.department_id = facts.department_id
    inner join catalog
        on catalog.metric_id = facts.metric_id
        and {{ dbt.concat(["'|'", "catalog.department_families", "'|'"]) }}
            like {{ dbt.concat(["'%|'", "departments.family", "'|%'"]) }}
    where (facts.numerator <> 0 or facts.denominator <> 0)
        and {{ is_usable_fact('facts', 'department') }}
)

select * from final
