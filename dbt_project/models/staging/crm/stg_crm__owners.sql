{{ config(unique_key='owner_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('crm', 'owners')) }}
),

renamed as (
    select
        _key as owner_id,
        {{ json_text(payload, '$.userId') }} as user_id,
        {{ checked_field(payload, 'email', '$.email', 'email', required=true) }},
        {{ json_text(payload, '$.firstName') }} as first_name,
        {{ json_text(payload, '$.lastName') }} as last_name,
        -- HubSpot lists an owner's teams and flags one primary; three positions cover every owner (none has two).
        case
            {%- for position in range(3) %}
            when {{ json_text(payload, '$.teams[' ~ position ~ '].primary') }} = 'true'
                then {{ json_text(payload, '$.teams[' ~ position ~ '].id') }}
            {%- endfor %}
        end as primary_team_id,
        case
            {%- for position in range(3) %}
            when {{ json_text(payload, '$.teams[' ~ position ~ '].primary') }} = 'true'
                then {{ json_text(payload, '$.teams[' ~ position ~ '].name') }}
            {%- endfor %}
        end as primary_team_name,
        -- Archived owners come from the archived=true listing; a key scan may also find one gone.
        _is_deleted or coalesce({{ json_text(payload, '$.archived') }} = 'true', false) as is_archived,
        {{ to_utc(json_text(payload, '$.createdAt')) }} as created_at,
        {{ local_date(to_utc(json_text(payload, '$.createdAt'))) }} as created_date,
        {{ checked_field(payload, 'last_modified_at', '$.updatedAt', 'timestamp') }},
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
