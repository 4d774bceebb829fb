{{ config(unique_key='account_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('ticketing', 'users')) }}
),

renamed as (
    select
        _key as account_id,
        lower({{ json_text(payload, '$.emailAddress') }}) as email,
        {{ json_text(payload, '$.displayName') }} as display_name,
        {{ json_text(payload, '$.accountType') }} as account_type,
        {{ json_text(payload, '$.active') }} = 'true' as is_active,
        {{ json_text(payload, '$.timeZone') }} as time_zone,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
