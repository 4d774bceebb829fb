{{ config(unique_key='job_history_id') }}
{%- set payload = json_fields('_payload') -%}
{#- BambooHR's jobInfo table: one row at hire and one per role change, each from its effective date. -#}
with

source as (
    {{ latest_version(source('hr', 'job_history')) }}
),

renamed as (
    select
        _key as job_history_id,
        {{ checked_field(payload, 'employee_id', '$.employeeId', 'text', required=true) }},
        {{ checked_field(payload, 'effective_date', '$.date', 'date', required=true) }},
        {{ checked_field(payload, 'job_title', '$.jobTitle', 'text', required=true) }},
        {{ json_text(payload, '$.department') }} as hr_department_name,
        {{ json_text(payload, '$.division') }} as division_name,
        {{ json_text(payload, '$.location') }} as location_name,
        {{ json_text(payload, '$.reportsTo') }} as reports_to_name,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
