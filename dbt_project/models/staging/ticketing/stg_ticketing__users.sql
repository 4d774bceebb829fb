{{ config(unique_key='account_id') }}
with

source as (
    {{ latest_version(source('ticketing', 'users')) }}
),

renamed as (
    select
        _key as account_id,
        lower({{ json_text('_payload', '$.emailAddress') }}) as email,
        {{ json_text('_payload', '$.displayName') }} as display_name,
        {{ json_text('_payload', '$.accountType') }} as account_type,
        {{ json_text('_payload', '$.active') }} = 'true' as is_active,
        {{ json_text('_payload', '$.timeZone') }} as time_zone,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
