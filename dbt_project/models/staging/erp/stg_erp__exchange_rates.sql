{{ config(unique_key='exchange_rate_id') }}
with

source as (
    {{ latest_version(source('erp', 'exchange_rates')) }}
),

renamed as (
    select
        _key as exchange_rate_id,
        {{ to_date(json_text('_payload', '$.RateDate')) }} as rate_date,
        {{ json_text('_payload', '$.FromCurrency') }} as from_currency,
        {{ json_text('_payload', '$.ToCurrency') }} as to_currency,
        {{ to_number(json_text('_payload', '$.Rate')) }} as rate,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
