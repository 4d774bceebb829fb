{#-
    Shared by the ERP and ticketing staging models. Engine-specific SQL stays behind adapter.dispatch
    (a `default__` written for Trino/Presto, a `duckdb__` for the embedded warehouse), as in
    cross_database.sql.
-#}

{#-
    How many times a Jira issue's changelog moved `field` to `to_string` (e.g. status into "Reopened").
    Jira nests the items in each history (`changelog.histories[].items[]`), so the count needs a
    flatten-and-filter over a JSON array, which every engine spells differently.
-#}
{% macro changelog_transitions_into(column, field, to_string) -%}
    {{ return(adapter.dispatch('changelog_transitions_into')(column, field, to_string)) }}
{%- endmacro %}

{% macro default__changelog_transitions_into(column, field, to_string) -%}
    coalesce(cardinality(filter(
        flatten(transform(
            cast(json_extract({{ column }}, '$.changelog.histories') as array(json)),
            history -> cast(json_extract(history, '$.items') as array(json))
        )),
        item -> json_extract_scalar(item, '$.field') = '{{ field }}'
            and json_extract_scalar(item, '$.toString') = '{{ to_string }}'
    )), 0)
{%- endmacro %}

{% macro duckdb__changelog_transitions_into(column, field, to_string) -%}
    coalesce(len(list_filter(
        json_extract({{ column }}, '$.changelog.histories[*].items[*]'),
        lambda item: json_extract_string(item, '$.field') = '{{ field }}'
            and json_extract_string(item, '$.toString') = '{{ to_string }}'
    )), 0)
{%- endmacro %}

{#-
    A value of a Jira Service Management SLA field (`customfield_10200`, ...): from the completed cycle
    when there is one, else from the ongoing cycle. An ongoing cycle is measured at the issue's own
    `updated` instant, not at extraction time (see PROTOCOLS.md), so its values are a snapshot.
-#}
{% macro jira_sla_value(column, sla_field, attribute_path) -%}
    coalesce(
        {{ json_text(column, '$.fields.' ~ sla_field ~ '.completedCycles[0].' ~ attribute_path) }},
        {{ json_text(column, '$.fields.' ~ sla_field ~ '.ongoingCycle.' ~ attribute_path) }}
    )
{%- endmacro %}

{#-
    The columns every Jira issue stream shares (identity, workflow, people, dates), renamed and typed
    once so that the five issue models cannot drift apart; `column` is the model's `json_fields`, on
    which the checked fields register (see field_checks.sql). Each model adds its own custom fields.
-#}
{% macro jira_issue_columns(column) -%}
        _key as issue_id,
        {{ checked_field(column, 'issue_key', '$.key', 'text', required=true) }},
        {{ json_text(column, '$.fields.project.key') }} as project_key,
        {{ json_text(column, '$.fields.issuetype.name') }} as issue_type,
        {{ json_text(column, '$.fields.summary') }} as summary,
        {{ json_text(column, '$.fields.status.name') }} as status,
        {{ json_text(column, '$.fields.status.statusCategory.key') }} as status_category,
        {{ json_text(column, '$.fields.priority.name') }} as priority,
        {{ json_text(column, '$.fields.resolution.name') }} as resolution,
        {{ json_text(column, '$.fields.assignee.accountId') }} as assignee_account_id,
        lower({{ json_text(column, '$.fields.assignee.emailAddress') }}) as assignee_email,
        {{ json_text(column, '$.fields.reporter.accountId') }} as reporter_account_id,
        lower({{ json_text(column, '$.fields.reporter.emailAddress') }}) as reporter_email,
        {{ checked_field(column, 'created_at', '$.fields.created', 'timestamp') }},
        {{ local_date(to_utc(json_text(column, '$.fields.created'))) }} as created_date,
        {{ to_utc(json_text(column, '$.fields.updated')) }} as updated_at,
        {{ local_date(to_utc(json_text(column, '$.fields.updated'))) }} as updated_date,
        {{ checked_field(column, 'resolved_at', '$.fields.resolutiondate', 'timestamp') }},
        {{ local_date(to_utc(json_text(column, '$.fields.resolutiondate'))) }} as resolved_date,
        {{ checked_field(column, 'due_date', '$.fields.duedate', 'date') }}
{%- endmacro %}
