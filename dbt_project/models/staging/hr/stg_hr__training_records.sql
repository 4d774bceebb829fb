{{ config(unique_key='training_record_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    Costs stay in the recorded currency, as BambooHR sent them: int_hr__training_records_in_reporting_currency
    converts them with the ERP's rates, so that staging reads the HR system alone.
-#}
with

source as (
    {{ latest_version(source('hr', 'training_records')) }}
),

renamed as (
    select
        _key as training_record_id,
        {{ checked_field(payload, 'employee_id', '$.employeeId', 'text', required=true) }},
        {{ json_text(payload, '$.type.id') }} as training_type_id,
        {{ json_text(payload, '$.type.name') }} as training_type_name,
        {{ checked_field(payload, 'completed_date', '$.completed', 'date') }},
        {{ checked_field(payload, 'training_hours', '$.hours', 'number') }},
        {{ to_number(json_text(payload, '$.credits')) }} as training_credits,
        {{ json_text(payload, '$.instructor') }} as instructor_name,
        {{ to_number(json_text(payload, '$.cost.cost')) }} as cost_original,
        {{ json_text(payload, '$.cost.currency') }} as currency_original,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
