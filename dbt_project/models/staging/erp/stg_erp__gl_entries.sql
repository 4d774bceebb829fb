{{ config(unique_key='gl_entry_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    Amounts stay in the transaction currency, as posted: int_erp__gl_entries_in_reporting_currency
    converts them, so that each staging model reads its own stream alone.
-#}
with

source as (
    {{ latest_version(source('erp', 'gl_entries')) }}
),

renamed as (
    select
        _key as gl_entry_id,
        {{ json_text(payload, '$.DocumentNo') }} as document_number,
        {{ checked_field(payload, 'posting_date', '$.PostingDate', 'date') }},
        cast({{ json_text(payload, '$.FiscalYear') }} as integer) as fiscal_year,
        cast({{ json_text(payload, '$.FiscalPeriod') }} as integer) as fiscal_period,
        {{ json_text(payload, '$.GLAccount') }} as gl_account,
        {{ json_text(payload, '$.GLAccountType') }} as gl_account_type,
        {{ checked_field(payload, 'cost_center_id', '$.CostCenterID', 'text', required=true) }},
        {{ checked_field(payload, 'amount_original', '$.AmountInTransactionCurrency', 'number') }},
        {{ json_text(payload, '$.TransactionCurrency') }} as currency_original,
        {{ to_number(json_text(payload, '$.Quantity')) }} as quantity,
        {{ json_text(payload, '$.IsReversal') }} = 'true' as is_reversal,
        {{ json_text(payload, '$.ReversedEntryID') }} as reversed_gl_entry_id,
        lower({{ json_text(payload, '$.PostedByEmail') }}) as posted_by_email,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
