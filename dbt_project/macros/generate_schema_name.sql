{#- Schemas are named exactly `staging`, `intermediate`, `marts`: the contract BI tools and HR read. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
