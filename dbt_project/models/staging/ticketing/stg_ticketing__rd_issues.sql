{{ config(unique_key='issue_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('ticketing', 'rd_issues')) }}
),

renamed as (
    select
        {{ jira_issue_columns(payload) }},
        {{ checked_field(payload, 'story_points', '$.fields.customfield_10016', 'number') }},
        {{ changelog_transitions_into('_payload', 'status', 'Reopened') }} as reopen_count,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
