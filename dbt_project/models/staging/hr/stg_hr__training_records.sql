{{ config(unique_key='training_record_id') }}
{%- set payload = json_fields('_payload') -%}
{#- Costs are converted here, with the ERP's own daily rates, so every later model reads one currency. -#}
with

source as (
    {{ latest_version(source('hr', 'training_records')) }}
),

renamed as (
    select
        _key as training_record_id,
        {{ json_text(payload, '$.employeeId') }} as employee_id,
        {{ json_text(payload, '$.type.id') }} as training_type_id,
        {{ json_text(payload, '$.type.name') }} as training_type_name,
        {{ to_date(json_text(payload, '$.completed')) }} as completed_date,
        {{ to_number(json_text(payload, '$.hours')) }} as training_hours,
        {{ to_number(json_text(payload, '$.credits')) }} as training_credits,
        {{ json_text(payload, '$.instructor') }} as instructor_name,
        {{ to_number(json_text(payload, '$.cost.cost')) }} as cost_original,
        {{ json_text(payload, '$.cost.currency') }} as currency_original,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from {{ with_json_fields(payload, 'source') }}
),

converted as (
    {{ in_reporting_currency('renamed', rate_date='renamed.completed_date', original='cost_original', converted='cost') }}
)

select * from converted
