{{ config(unique_key='training_type_id') }}
with

source as (
    {{ latest_version(source('hr', 'training_types')) }}
),

renamed as (
    select
        _key as training_type_id,
        {{ json_text('_payload', '$.name') }} as training_type_name,
        {{ json_text('_payload', '$.category.id') }} as training_category_id,
        {{ json_text('_payload', '$.category.name') }} as training_category_name,
        {{ json_text('_payload', '$.required') }} = 'true' as is_required,
        {{ json_text('_payload', '$.renewable') }} = 'true' as is_renewable,
        cast({{ to_number(json_text('_payload', '$.frequency')) }} as integer) as renewal_frequency_months,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
