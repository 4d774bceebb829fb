{{ config(unique_key='issue_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('ticketing', 'customer_complaints')) }}
),

renamed as (
    select
        {{ jira_issue_columns(payload) }},
        {{ json_text(payload, '$.fields.customfield_10101') }} as customer_name,
        {{ json_text(payload, '$.fields.customfield_10102') }} as implementation_issue_key,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
