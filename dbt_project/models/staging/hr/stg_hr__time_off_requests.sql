{{ config(unique_key='time_off_request_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('hr', 'time_off_requests')) }}
),

renamed as (
    select
        _key as time_off_request_id,
        {{ json_text(payload, '$.employeeId') }} as employee_id,
        {{ json_text(payload, '$.type.id') }} as time_off_type_id,
        {{ json_text(payload, '$.type.name') }} as time_off_type,
        {{ json_text(payload, '$.status.status') }} as request_status,
        {{ to_date(json_text(payload, '$.start')) }} as start_date,
        {{ to_date(json_text(payload, '$.end')) }} as end_date,
        {{ json_text(payload, '$.amount.unit') }} as duration_unit,
        -- BambooHR may count some policies in hours; only a day count is a number of days.
        case
            when {{ json_text(payload, '$.amount.unit') }} = 'days'
                then {{ to_number(json_text(payload, '$.amount.amount')) }}
        end as duration_days,
        {{ to_date(json_text(payload, '$.created')) }} as created_date,
        {{ to_date(json_text(payload, '$.status.lastChanged')) }} as status_changed_date,
        {{ json_text(payload, '$.status.lastChangedByUserId') }} as status_changed_by_user_id,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
