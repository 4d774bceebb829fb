{{ config(unique_key='training_type_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('hr', 'training_types')) }}
),

renamed as (
    select
        _key as training_type_id,
        {{ json_text(payload, '$.name') }} as training_type_name,
        {{ json_text(payload, '$.category.id') }} as training_category_id,
        {{ json_text(payload, '$.category.name') }} as training_category_name,
        {{ json_text(payload, '$.required') }} = 'true' as is_required,
        {{ json_text(payload, '$.renewable') }} = 'true' as is_renewable,
        cast({{ to_number(json_text(payload, '$.frequency')) }} as integer) as renewal_frequency_months,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
