{{ config(unique_key='application_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('hr', 'applications')) }}
),

renamed as (
    select
        _key as application_id,
        {{ json_text(payload, '$.job.id') }} as job_id,
        {{ json_text(payload, '$.applicant.id') }} as applicant_id,
        lower({{ json_text(payload, '$.applicant.email') }}) as applicant_email,
        {{ json_text(payload, '$.status.label') }} as application_status,
        {{ checked_field(payload, 'applied_at', '$.appliedDate', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.appliedDate'))) }} as applied_date,
        {{ to_utc(json_text(payload, '$.lastStatusChangeDate')) }} as status_changed_at,
        {{ local_date(to_utc(json_text(payload, '$.lastStatusChangeDate'))) }} as status_changed_date,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
