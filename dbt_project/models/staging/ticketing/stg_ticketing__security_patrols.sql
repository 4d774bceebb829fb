{{ config(unique_key='issue_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('ticketing', 'security_patrols')) }}
),

renamed as (
    select
        {{ jira_issue_columns(payload) }},
        {{ to_date(json_text(payload, '$.fields.duedate')) }} as scheduled_date,
        {{ json_text(payload, '$.fields.status.name') }} = 'Done' as is_done,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
