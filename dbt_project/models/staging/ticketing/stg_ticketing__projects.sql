{{ config(unique_key='project_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('ticketing', 'projects')) }}
),

renamed as (
    select
        _key as project_id,
        {{ json_text(payload, '$.key') }} as project_key,
        {{ json_text(payload, '$.name') }} as project_name,
        {{ json_text(payload, '$.projectTypeKey') }} as project_type,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
