{{ config(unique_key='feedback_submission_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('crm', 'feedback_submissions')) }}
),

renamed as (
    select
        _key as feedback_submission_id,
        {{ json_text(payload, '$.properties.hs_survey_type') }} as survey_type,
        {{ checked_field(payload, 'response_value', '$.properties.hs_response_value', 'number', required=true) }},
        {{ checked_field(payload, 'submitted_at', '$.properties.hs_submission_timestamp', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.properties.hs_submission_timestamp'))) }} as submitted_date,
        lower({{ json_text(payload, '$.properties.hs_contact_email') }}) as contact_email,
        {{ json_text(payload, '$.properties.implementation_project_key') }} as implementation_project_key,
        {{ json_text(payload, '$.properties.hubspot_owner_id') }} as owner_id,
        _is_deleted or coalesce({{ json_text(payload, '$.archived') }} = 'true', false) as is_archived,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
