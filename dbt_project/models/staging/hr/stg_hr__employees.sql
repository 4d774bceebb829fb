{{ config(unique_key='employee_id') }}
with

source as (
    {{ latest_version(source('hr', 'employees')) }}
),

renamed as (
    select
        _key as employee_id,
        {{ json_text('_payload', '$.employeeNumber') }} as employee_number,
        {{ json_text('_payload', '$.firstName') }} as first_name,
        {{ json_text('_payload', '$.lastName') }} as last_name,
        {{ json_text('_payload', '$.displayName') }} as display_name,
        lower({{ json_text('_payload', '$.workEmail') }}) as work_email,
        {{ json_text('_payload', '$.department') }} as hr_department_name,
        {{ json_text('_payload', '$.division') }} as division_name,
        {{ json_text('_payload', '$.jobTitle') }} as job_title,
        {{ json_text('_payload', '$.location') }} as location_name,
        {{ json_text('_payload', '$.supervisorEId') }} as supervisor_employee_id,
        {{ to_date(json_text('_payload', '$.hireDate')) }} as hire_date,
        {{ to_date(json_text('_payload', '$.terminationDate')) }} as termination_date,
        {{ json_text('_payload', '$.terminationType') }} as termination_type,
        {{ json_text('_payload', '$.status') }} = 'Active' as is_active,
        {{ to_number(dbt.split_part(json_text('_payload', '$.payRate'), "' '", 1)) }} as pay_rate_amount,
        {{ dbt.split_part(json_text('_payload', '$.payRate'), "' '", 2) }} as pay_rate_currency,
        {{ json_text('_payload', '$.payPer') }} as pay_period,
        {{ to_utc('_source_updated_at') }} as last_changed_at,
        {{ local_date('_source_updated_at') }} as last_changed_date,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        _batch_id as batch_id
    from source
)

select * from renamed
