{{ config(unique_key='time_off_request_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('hr', 'time_off_requests')) }}
),

renamed as (
    select
        _key as time_off_request_id,
        {{ checked_field(payload, 'employee_id', '$.employeeId', 'text', required=true) }},
        {{ json_text(payload, '$.type.id') }} as time_off_type_id,
        {{ json_text(payload, '$.type.name') }} as time_off_type,
        {{ json_text(payload, '$.status.status') }} as request_status,
        {{ checked_field(payload, 'start_date', '$.start', 'date') }},
        {{ checked_field(payload, 'end_date', '$.end', 'date') }},
        {{ json_text(payload, '$.amount.unit') }} as duration_unit,
        {{ checked_field(payload, 'duration_amount', '$.amount.amount', 'number') }},
        {{ to_date(json_text(payload, '$.created')) }} as created_date,
        {{ checked_field(payload, 'status_changed_date', '$.status.lastChanged', 'date') }},
        {{ json_text(payload, '$.status.lastChangedByUserId') }} as status_changed_by_user_id,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
),

final as (
    select
        renamed.*,
        -- BambooHR may count some policies in hours; only a day count is a number of days.
        case when renamed.duration_unit = 'days' then renamed.duration_amount end as duration_days
    from renamed
)

select * from final
