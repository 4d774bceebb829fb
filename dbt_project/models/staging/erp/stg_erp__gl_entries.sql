{{ config(unique_key='gl_entry_id') }}
{%- set payload = json_fields('_payload') -%}
{#- Amounts are converted here, with the ERP's own daily rates, so every later model reads one currency. -#}
with

source as (
    {{ latest_version(source('erp', 'gl_entries')) }}
),

renamed as (
    select
        _key as gl_entry_id,
        {{ json_text(payload, '$.DocumentNo') }} as document_number,
        {{ to_date(json_text(payload, '$.PostingDate')) }} as posting_date,
        cast({{ json_text(payload, '$.FiscalYear') }} as integer) as fiscal_year,
        cast({{ json_text(payload, '$.FiscalPeriod') }} as integer) as fiscal_period,
        {{ json_text(payload, '$.GLAccount') }} as gl_account,
        {{ json_text(payload, '$.GLAccountType') }} as gl_account_type,
        {{ json_text(payload, '$.CostCenterID') }} as cost_center_id,
        {{ to_number(json_text(payload, '$.AmountInTransactionCurrency')) }} as amount_original,
        {{ json_text(payload, '$.TransactionCurrency') }} as currency_original,
        {{ to_number(json_text(payload, '$.Quantity')) }} as quantity,
        {{ json_text(payload, '$.IsReversal') }} = 'true' as is_reversal,
        {{ json_text(payload, '$.ReversedEntryID') }} as reversed_gl_entry_id,
        lower({{ json_text(payload, '$.PostedByEmail') }}) as posted_by_email,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from {{ with_json_fields(payload, 'source') }}
),

converted as (
    {{ in_reporting_currency('renamed', rate_date='renamed.posting_date') }}
)

select * from converted
