{#-
    The one shape of a metric fact (see int_metric_facts): every int_metric_facts__* model ends with this
    select over its `facts` CTE, so the five cannot drift apart in columns or types. `source_system` is a
    literal for a model whose facts come from one system, or none when the CTE carries the column itself.
-#}
{% macro select_metric_facts(relation='facts', source_system=none) -%}
select
    metric_id,
    department_id,
    cast(month_start_date as date) as month_start_date,
    {% if source_system %}'{{ source_system }}'{% else %}source_system{% endif %} as source_system,
    source_stream,
    cast(record_key as {{ dbt.type_string() }}) as record_key,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator
from {{ relation }}
{%- endmacro %}
