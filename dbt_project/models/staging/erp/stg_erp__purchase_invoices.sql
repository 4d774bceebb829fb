{{ config(unique_key='purchase_invoice_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    Amounts stay in the invoice currency, as received: int_erp__purchase_invoices_in_reporting_currency
    converts them with the rate of posted_date (the date of the invoice's expense line in the GL), or of
    the received date while the invoice is a Draft.
-#}
with

source as (
    {{ latest_version(source('erp', 'purchase_invoices')) }}
),

renamed as (
    select
        _key as purchase_invoice_id,
        {{ json_text(payload, '$.VendorID') }} as vendor_id,
        {{ json_text(payload, '$.VendorName') }} as vendor_name,
        {{ checked_field(payload, 'received_date', '$.ReceivedDate', 'date') }},
        {{ checked_field(payload, 'posted_at', '$.PostedDateTime', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.PostedDateTime'))) }} as posted_date,
        {{ checked_field(payload, 'amount_original', '$.Amount', 'number') }},
        {{ json_text(payload, '$.Currency') }} as currency_original,
        {{ json_text(payload, '$.CostCenterID') }} as cost_center_id,
        lower({{ json_text(payload, '$.ProcessedByEmail') }}) as processed_by_email,
        {{ json_text(payload, '$.Status') }} as status,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
