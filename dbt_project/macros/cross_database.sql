{#-
    Engine-specific SQL lives only here, behind adapter.dispatch, so the models run unchanged on
    DuckDB and on a distributed engine (Spark, Trino, Snowflake) by switching the dbt target.
-#}

{#-
    A staging model reads many fields of one JSON document. Parsed once per field, a wide Jira issue
    costs twenty parses per row, and on DuckDB every json function call keeps its own parse arena per
    thread: memory grows with the number of fields, not the data. So a model declares its document once,
    `{%- set payload = json_fields('_payload') -%}`, reads fields with `json_text(payload, '$.path')`,
    and selects `from {{ with_json_fields(payload, 'source') }}`: the paths collect while the select
    list renders, and the FROM clause, rendered last, parses each document once for all of them (on
    DuckDB, one `json_extract_string` with the list of paths). A plain column name still works and
    parses per call (intermediate models, other engines). The same mapping collects the model's field
    checks (`checked_field`, macros/field_checks.sql).
-#}
{% macro json_fields(column) -%}
    {{ return({'column': column, 'paths': [], 'checks': []}) }}
{%- endmacro %}

{#- The relation to select from: `relation` with the document's collected paths parsed, as `relation`. -#}
{% macro with_json_fields(fields, relation) -%}
    {{ return(adapter.dispatch('with_json_fields')(fields, relation)) }}
{%- endmacro %}

{% macro default__with_json_fields(fields, relation) -%}
    {{ relation }}
{%- endmacro %}

{% macro duckdb__with_json_fields(fields, relation) -%}
    {%- if fields.paths -%}
    (
        select
            {{ relation }}.*,
            json_extract_string({{ fields.column }}, [
                {%- for path in fields.paths %}'{{ path }}'{{ ', ' if not loop.last }}{% endfor -%}
            ]) as {{ fields.column }}_fields
        from {{ relation }}
    ) as {{ relation }}
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- The text at a JSON path (`$.fields.assignee.emailAddress`) of a JSON column or `json_fields`, or null. -#}
{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text')(column, path)) }}
{%- endmacro %}

{% macro default__json_text(column, path) -%}
    json_extract_scalar({{ column.column if column is mapping else column }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_text(column, path) -%}
    {%- if column is mapping -%}
        {%- if path not in column.paths %}{% do column.paths.append(path) %}{% endif -%}
        {{ column.column }}_fields[{{ column.paths.index(path) + 1 }}]
    {%- else -%}
        json_extract_string({{ column }}, '{{ path }}')
    {%- endif -%}
{%- endmacro %}

{% macro snowflake__json_text(column, path) -%}
    get_path(parse_json({{ column.column if column is mapping else column }}), '{{ path[2:] }}')::varchar
{%- endmacro %}

{% macro spark__json_text(column, path) -%}
    get_json_object({{ column.column if column is mapping else column }}, '{{ path }}')
{%- endmacro %}

{#- A JSON array at a path, as JSON text (for lateral expansion in intermediate models). -#}
{% macro json_array(column, path) -%}
    {{ return(adapter.dispatch('json_array')(column, path)) }}
{%- endmacro %}

{% macro default__json_array(column, path) -%}
    json_extract({{ column }}, '{{ path }}')
{%- endmacro %}

{#- An ISO-8601 text with any offset (`Z`, `+08:00`, Jira's `+0800`) as a UTC timestamp. -#}
{% macro to_utc(expression) -%}
    {{ return(adapter.dispatch('to_utc')(expression)) }}
{%- endmacro %}

{% macro default__to_utc(expression) -%}
    cast(from_iso8601_timestamp({{ expression }}) at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro duckdb__to_utc(expression) -%}
    (try_cast({{ expression }} as timestamptz) at time zone 'UTC')
{%- endmacro %}

{#- The company-local calendar date of a UTC timestamp (time zone: var company_timezone). -#}
{% macro local_date(utc_timestamp) -%}
    {{ return(adapter.dispatch('local_date')(utc_timestamp)) }}
{%- endmacro %}

{% macro default__local_date(utc_timestamp) -%}
    cast(from_utc_timestamp({{ utc_timestamp }}, '{{ var("company_timezone") }}') as date)
{%- endmacro %}

{#- A naive value is read as UTC (the profile pins the session zone to UTC); an aware one as it is. -#}
{% macro duckdb__local_date(utc_timestamp) -%}
    cast(timezone('{{ var("company_timezone") }}', cast({{ utc_timestamp }} as timestamptz)) as date)
{%- endmacro %}

{#- A text as a number, null when it is not one (raw keeps what sources send; staging types it). -#}
{% macro to_number(expression) -%}
    {{ return(adapter.dispatch('to_number')(expression)) }}
{%- endmacro %}

{% macro default__to_number(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}

{% macro to_date(expression) -%}
    {{ return(adapter.dispatch('to_date')(expression)) }}
{%- endmacro %}

{% macro default__to_date(expression) -%}
    try_cast(nullif({{ expression }}, '0000-00-00') as date)
{%- endmacro %}

{#- True on Monday to Friday: the scheduled workdays attendance is measured against. -#}
{% macro is_weekday(date_expression) -%}
    {{ return(adapter.dispatch('is_weekday')(date_expression)) }}
{%- endmacro %}

{% macro default__is_weekday(date_expression) -%}
    day_of_week({{ date_expression }}) < 6
{%- endmacro %}

{% macro duckdb__is_weekday(date_expression) -%}
    isodow({{ date_expression }}) < 6
{%- endmacro %}

{#- A 64-bit float: dbt's type_float() is 32 bits on DuckDB, too coarse for hours summed over thousands of records. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- One hash of several columns (nulls included), for grouping by a combination cheaply. -#}
{% macro combination_hash(columns) -%}
    {{ return(adapter.dispatch('combination_hash')(columns)) }}
{%- endmacro %}

{% macro default__combination_hash(columns) -%}
    {%- set texts = [] -%}
    {%- for column in columns -%}
        {%- do texts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(concat_separated(texts)) }}
{%- endmacro %}

{#- The expressions' texts joined with a separator between them (`a|b|c`), on any engine. -#}
{% macro concat_separated(expressions, separator="'|'") -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append(expression) -%}
        {%- if not loop.last %}{% do parts.append(separator) %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{% macro duckdb__combination_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}
