{{ config(unique_key='gl_entry_id') }}
{#- Amounts are converted here, with the ERP's own daily rates, so every later model reads one currency. -#}
with

source as (
    {{ latest_version(source('erp', 'gl_entries')) }}
),

renamed as (
    select
        _key as gl_entry_id,
        {{ json_text('_payload', '$.DocumentNo') }} as document_number,
        {{ to_date(json_text('_payload', '$.PostingDate')) }} as posting_date,
        cast({{ json_text('_payload', '$.FiscalYear') }} as integer) as fiscal_year,
        cast({{ json_text('_payload', '$.FiscalPeriod') }} as integer) as fiscal_period,
        {{ json_text('_payload', '$.GLAccount') }} as gl_account,
        {{ json_text('_payload', '$.GLAccountType') }} as gl_account_type,
        {{ json_text('_payload', '$.CostCenterID') }} as cost_center_id,
        {{ to_number(json_text('_payload', '$.AmountInTransactionCurrency')) }} as amount_original,
        {{ json_text('_payload', '$.TransactionCurrency') }} as currency_original,
        {{ to_number(json_text('_payload', '$.Quantity')) }} as quantity,
        {{ json_text('_payload', '$.IsReversal') }} = 'true' as is_reversal,
        {{ json_text('_payload', '$.ReversedEntryID') }} as reversed_gl_entry_id,
        lower({{ json_text('_payload', '$.PostedByEmail') }}) as posted_by_email,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
),

converted as (
    {{ in_reporting_currency('renamed', rate_date='renamed.posting_date') }}
)

select * from converted
