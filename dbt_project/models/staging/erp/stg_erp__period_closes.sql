{{ config(unique_key='period_close_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('erp', 'period_closes')) }}
),

renamed as (
    select
        _key as period_close_id,
        {{ json_text(payload, '$.CompanyCode') }} as company_code,
        cast({{ json_text(payload, '$.FiscalYear') }} as integer) as fiscal_year,
        cast({{ json_text(payload, '$.FiscalPeriod') }} as integer) as fiscal_period,
        {{ checked_field(payload, 'period_end_date', '$.PeriodEndDate', 'date') }},
        {{ checked_field(payload, 'closed_at', '$.ClosedDateTime', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.ClosedDateTime'))) }} as closed_date,
        {{ json_text(payload, '$.Status') }} as status,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
