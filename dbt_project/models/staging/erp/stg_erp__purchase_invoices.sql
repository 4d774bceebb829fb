{{ config(unique_key='purchase_invoice_id') }}
{#-
    Converted with the rate of the posting date (the company-local date of PostedDateTime, the date of
    the invoice's expense line in the GL); a Draft has not been posted, so it uses its received date.
-#}
with

source as (
    {{ latest_version(source('erp', 'purchase_invoices')) }}
),

renamed as (
    select
        _key as purchase_invoice_id,
        {{ json_text('_payload', '$.VendorID') }} as vendor_id,
        {{ json_text('_payload', '$.VendorName') }} as vendor_name,
        {{ to_date(json_text('_payload', '$.ReceivedDate')) }} as received_date,
        {{ to_utc(json_text('_payload', '$.PostedDateTime')) }} as posted_at,
        {{ local_date(to_utc(json_text('_payload', '$.PostedDateTime'))) }} as posted_date,
        {{ to_number(json_text('_payload', '$.Amount')) }} as amount_original,
        {{ json_text('_payload', '$.Currency') }} as currency_original,
        {{ json_text('_payload', '$.CostCenterID') }} as cost_center_id,
        lower({{ json_text('_payload', '$.ProcessedByEmail') }}) as processed_by_email,
        {{ json_text('_payload', '$.Status') }} as status,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
),

converted as (
    {{ in_reporting_currency('renamed', rate_date='coalesce(renamed.posted_date, renamed.received_date)') }}
)

select * from converted
