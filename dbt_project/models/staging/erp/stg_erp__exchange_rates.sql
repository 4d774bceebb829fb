{{ config(unique_key='exchange_rate_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('erp', 'exchange_rates')) }}
),

renamed as (
    select
        _key as exchange_rate_id,
        {{ to_date(json_text(payload, '$.RateDate')) }} as rate_date,
        {{ json_text(payload, '$.FromCurrency') }} as from_currency,
        {{ json_text(payload, '$.ToCurrency') }} as to_currency,
        {{ checked_field(payload, 'rate', '$.Rate', 'number') }},
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
