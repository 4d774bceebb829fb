{{ config(unique_key='job_history_id') }}
{#- BambooHR's jobInfo table: one row at hire and one per role change, each from its effective date. -#}
with

source as (
    {{ latest_version(source('hr', 'job_history')) }}
),

renamed as (
    select
        _key as job_history_id,
        {{ json_text('_payload', '$.employeeId') }} as employee_id,
        {{ to_date(json_text('_payload', '$.date')) }} as effective_date,
        {{ json_text('_payload', '$.jobTitle') }} as job_title,
        {{ json_text('_payload', '$.department') }} as hr_department_name,
        {{ json_text('_payload', '$.division') }} as division_name,
        {{ json_text('_payload', '$.location') }} as location_name,
        {{ json_text('_payload', '$.reportsTo') }} as reports_to_name,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
