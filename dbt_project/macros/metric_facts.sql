{#-
    The one shape of a metric fact (see int_metric_facts): every int_metric_facts__* model ends with this
    select over its `facts` CTE, so the five cannot drift apart in columns or types. `source_system` is a
    literal for a model whose facts come from one system, or none when the CTE carries the column itself.
    `employee_id` is the HR employee whose own work or record the fact is (the assignee, poster, deal
    owner, the employee of a time-off request or review); null for a company-wide fact that counts for
    the family owning it (time to fill, budget variance) and for per-FTE support facts.
-#}
{% macro select_metric_facts(relation='facts', source_system=none) -%}
select
    metric_id,
    department_id,
    cast(employee_id as {{ dbt.type_string() }}) as employee_id,
    cast(month_start_date as date) as month_start_date,
    {% if source_system %}'{{ source_system }}'{% else %}source_system{% endif %} as source_system,
    source_stream,
    cast(record_key as {{ dbt.type_string() }}) as record_key,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator
from {{ relation }}
{%- endmacro %}

{#- The models whose facts are unioned into int_metric_facts (departments) and int_employee_metric_facts (people). -#}
{% macro metric_fact_models() -%}
    {{ return(['int_metric_facts__hr', 'int_metric_facts__erp', 'int_metric_facts__ticketing', 'int_metric_facts__crm', 'int_metric_facts__support']) }}
{%- endmacro %}

{#-
    True unless the fact's record is one its metric cannot use: a field the metric needs came malformed
    (see int_metric_exceptions; scope department for int_metric_facts, employee for the people's facts).
-#}
{% macro is_usable_fact(facts, scope) -%}
    not exists (
        select 1
        from {{ ref('int_metric_exceptions') }} as exceptions
        where exceptions.scope = '{{ scope }}'
            and exceptions.metric_id = {{ facts }}.metric_id
            and exceptions.source_system = {{ facts }}.source_system
            and exceptions.source_stream = {{ facts }}.source_stream
            and exceptions.record_key = {{ facts }}.record_key
    )
{%- endmacro %}
