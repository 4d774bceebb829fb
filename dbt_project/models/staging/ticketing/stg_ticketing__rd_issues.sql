{{ config(unique_key='issue_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('ticketing', 'rd_issues')) }}
),

renamed as (
    select
        {{ jira_issue_columns(payload) }},
        {{ to_number(json_text(payload, '$.fields.customfield_10016')) }} as story_points,
        {{ changelog_transitions_into('_payload', 'status', 'Reopened') }} as reopen_count,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
