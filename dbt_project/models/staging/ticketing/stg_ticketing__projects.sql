{{ config(unique_key='project_id') }}
with

source as (
    {{ latest_version(source('ticketing', 'projects')) }}
),

renamed as (
    select
        _key as project_id,
        {{ json_text('_payload', '$.key') }} as project_key,
        {{ json_text('_payload', '$.name') }} as project_name,
        {{ json_text('_payload', '$.projectTypeKey') }} as project_type,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
