{{ config(unique_key='issue_id') }}
with

source as (
    {{ latest_version(source('ticketing', 'security_patrols')) }}
),

renamed as (
    select
        {{ jira_issue_columns('_payload') }},
        {{ to_date(json_text('_payload', '$.fields.duedate')) }} as scheduled_date,
        {{ json_text('_payload', '$.fields.status.name') }} = 'Done' as is_done,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
