{{ config(unique_key='employee_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('hr', 'employees')) }}
),

renamed as (
    select
        _key as employee_id,
        {{ json_text(payload, '$.employeeNumber') }} as employee_number,
        {{ json_text(payload, '$.firstName') }} as first_name,
        {{ json_text(payload, '$.lastName') }} as last_name,
        {{ json_text(payload, '$.displayName') }} as display_name,
        {{ checked_field(payload, 'work_email', '$.workEmail', 'email', required=true) }},
        {{ json_text(payload, '$.department') }} as hr_department_name,
        {{ json_text(payload, '$.division') }} as division_name,
        {{ json_text(payload, '$.jobTitle') }} as job_title,
        {{ json_text(payload, '$.location') }} as location_name,
        {{ json_text(payload, '$.supervisorEId') }} as supervisor_employee_id,
        {{ checked_field(payload, 'hire_date', '$.hireDate', 'date', required=true) }},
        {{ checked_field(payload, 'termination_date', '$.terminationDate', 'date') }},
        {{ json_text(payload, '$.terminationType') }} as termination_type,
        {{ json_text(payload, '$.status') }} = 'Active' as is_active,
        {{ to_number(dbt.split_part(json_text(payload, '$.payRate'), "' '", 1)) }} as pay_rate_amount,
        {{ dbt.split_part(json_text(payload, '$.payRate'), "' '", 2) }} as pay_rate_currency,
        {{ json_text(payload, '$.payPer') }} as pay_period,
        {{ to_utc('_source_updated_at') }} as last_changed_at,
        {{ local_date('_source_updated_at') }} as last_changed_date,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        _batch_id as batch_id,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
