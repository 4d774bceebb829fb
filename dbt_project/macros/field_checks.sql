{#-
    Raw keeps what the source sent; staging judges it. A staging model types each field it checks with
    `checked_field(payload, column, path, kind)`, which renders the typed value as `column` (null when
    the text does not read as its kind) and registers the check on the model's `json_fields`. The last
    column of the select list, `field_issues(payload)`, renders every check registered above it into the
    row's `field_issues`: null for a clean record, else one entry per malformed or missing field (record
    key, field as the source names it, column, raw text, reason). `int_field_issues` lists the entries
    of every staging model, so the typed column and the issue come from one declaration and cannot
    disagree, and no document is parsed a second time for them.

    Kinds: text, email (lower-cased text), date, timestamp (ISO-8601 with any offset, as UTC), number,
    integer. A field is absent when the source sends null, '' or BambooHR's '0000-00-00' ("none"): an
    issue only when the field is `required`. A present value that does not read as its kind always is.
-#}
{% macro checked_field(fields, column, path, kind, required=false) -%}
    {%- set raw = json_text(fields, path) -%}
    {%- if kind in ('text', 'email') and not required -%}
        {{ exceptions.raise_compiler_error("checked_field " ~ column ~ ": a text that is not required cannot be malformed") }}
    {%- endif -%}
    {%- do fields.checks.append({'column': column, 'field': path[2:], 'kind': kind, 'required': required, 'raw': raw}) -%}
    {{ typed_as(raw, kind) }} as {{ column }}
{%- endmacro %}

{% macro typed_as(text, kind) -%}
    {%- if kind == 'text' -%} {{ text }}
    {%- elif kind == 'email' -%} lower({{ text }})
    {%- elif kind == 'date' -%} {{ to_date(text) }}
    {%- elif kind == 'timestamp' -%} {{ to_utc(text) }}
    {%- elif kind == 'number' -%} {{ to_number(text) }}
    {%- elif kind == 'integer' -%} cast({{ to_number(text) }} as integer)
    {%- else -%} {{ exceptions.raise_compiler_error("checked_field: unknown kind " ~ kind) }}
    {%- endif -%}
{%- endmacro %}

{#- Why a registered check fails on this row, as text; null when the value is fine. -#}
{% macro field_issue_reason(check) -%}
    {%- set absent = "(" ~ check.raw ~ " is null or " ~ check.raw ~ " in ('', '0000-00-00'))" -%}
    case
        {%- if check.required %}
        when {{ absent }} then 'missing, but required'
        {%- endif %}
        {%- if check.kind not in ('text', 'email') %}
        when not {{ absent }} and {{ typed_as(check.raw, check.kind) }} is null then 'not {{ 'an' if check.kind == 'integer' else 'a' }} {{ check.kind }}'
        {%- endif %}
    end
{%- endmacro %}

{#- The row's `field_issues` column, from the checks registered on `fields` (render it last). -#}
{% macro field_issues(fields, key='_key') -%}
    {%- set reasons = [] -%}
    {%- for check in fields.checks -%}
        {%- do reasons.append(field_issue_reason(check)) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('field_issues')(fields.checks, reasons, key)) }}
{%- endmacro %}

{% macro default__field_issues(checks, reasons, key) -%}
    {%- set entry_type = 'row(record_key varchar, field varchar, column_name varchar, raw_value varchar, reason varchar)' -%}
    {%- if checks -%}
    case when {% for reason in reasons %}({{ reason }}) is not null{{ ' or ' if not loop.last }}{% endfor %} then array[
        {%- for check in checks %}
        case when ({{ reasons[loop.index0] }}) is not null then cast(row(
            {{ key }}, '{{ check.field }}', '{{ check.column }}', {{ check.raw }}, {{ reasons[loop.index0] }}
        ) as {{ entry_type }}) end{{ ',' if not loop.last }}
        {%- endfor %}
    ] end as field_issues
    {%- else -%}
    cast(null as array({{ entry_type }})) as field_issues
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__field_issues(checks, reasons, key) -%}
    {%- if checks -%}
    case when {% for reason in reasons %}({{ reason }}) is not null{{ ' or ' if not loop.last }}{% endfor %} then list_filter([
        {%- for check in checks %}
        case when ({{ reasons[loop.index0] }}) is not null then {
            'record_key': {{ key }}, 'field': '{{ check.field }}', 'column_name': '{{ check.column }}',
            'raw_value': {{ check.raw }}, 'reason': {{ reasons[loop.index0] }}
        } end{{ ',' if not loop.last }}
        {%- endfor %}
    ], lambda issue: issue is not null) end as field_issues
    {%- else -%}
    cast(null as struct(record_key varchar, field varchar, column_name varchar, raw_value varchar, reason varchar)[])
        as field_issues
    {%- endif -%}
{%- endmacro %}

{#-
    The entries of a staging model's `field_issues`, one row each: record_key, field, column_name,
    raw_value, reason, with the row's extracted_at and record_hash. Only the rows that have issues are
    expanded (a few in a hundred); the column is null on the rest.
-#}
{% macro field_issue_entries(relation) -%}
    {{ return(adapter.dispatch('field_issue_entries')(relation)) }}
{%- endmacro %}

{% macro default__field_issue_entries(relation) -%}
    select
        issue.record_key, issue.field, issue.column_name, issue.raw_value, issue.reason,
        checked.extracted_at, checked.record_hash
    from {{ relation }} as checked
    cross join unnest(checked.field_issues) as issue (record_key, field, column_name, raw_value, reason)
    where checked.field_issues is not null and issue.reason is not null
{%- endmacro %}

{% macro duckdb__field_issue_entries(relation) -%}
    select
        issue.record_key, issue.field, issue.column_name, issue.raw_value, issue.reason,
        extracted_at, record_hash
    from (
        select extracted_at, record_hash, unnest(field_issues) as issue
        from {{ relation }}
        where field_issues is not null
    ) as entries
    where issue.reason is not null
{%- endmacro %}

{#-
    True when the row's `field_issues` names `column`: the source sent something there, but not a
    readable value (so a null in that column does not mean "none").
-#}
{% macro has_field_issue(field_issues, column) -%}
    {{ return(adapter.dispatch('has_field_issue')(field_issues, column)) }}
{%- endmacro %}

{% macro default__has_field_issue(field_issues, column) -%}
    exists (
        select 1
        from unnest({{ field_issues }}) as issue (record_key, field, column_name, raw_value, reason)
        where issue.column_name = '{{ column }}'
    )
{%- endmacro %}

{% macro duckdb__has_field_issue(field_issues, column) -%}
    coalesce(list_bool_or(list_transform({{ field_issues }}, lambda issue: issue.column_name = '{{ column }}')), false)
{%- endmacro %}

{#- Every staging model, all of which carry `field_issues` (a test holds this list to the project). -#}
{% macro staging_models() -%}
    {{ return([
        'stg_hr__employees', 'stg_hr__time_off_requests', 'stg_hr__training_types', 'stg_hr__training_records',
        'stg_hr__jobs', 'stg_hr__applications', 'stg_hr__reviews', 'stg_hr__job_history',
        'stg_erp__cost_centers', 'stg_erp__gl_entries', 'stg_erp__budgets', 'stg_erp__sales_invoices',
        'stg_erp__purchase_invoices', 'stg_erp__journal_corrections', 'stg_erp__exchange_rates',
        'stg_erp__period_closes',
        'stg_ticketing__projects', 'stg_ticketing__users', 'stg_ticketing__rd_issues',
        'stg_ticketing__implementation_projects', 'stg_ticketing__service_requests',
        'stg_ticketing__security_patrols', 'stg_ticketing__customer_complaints',
        'stg_crm__owners', 'stg_crm__deals', 'stg_crm__goal_targets', 'stg_crm__feedback_submissions',
    ]) }}
{%- endmacro %}
