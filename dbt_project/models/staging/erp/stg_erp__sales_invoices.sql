{{ config(unique_key='sales_invoice_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    Amounts stay in the invoice currency, as posted: int_erp__sales_invoices_in_reporting_currency
    converts them with the rate of the posting date, as the invoice's revenue line in the GL is.
-#}
with

source as (
    {{ latest_version(source('erp', 'sales_invoices')) }}
),

renamed as (
    select
        _key as sales_invoice_id,
        {{ json_text(payload, '$.CustomerID') }} as customer_id,
        {{ json_text(payload, '$.CustomerName') }} as customer_name,
        {{ json_text(payload, '$.CRMDealID') }} as crm_deal_id,
        {{ checked_field(payload, 'invoice_date', '$.InvoiceDate', 'date') }},
        {{ checked_field(payload, 'posting_date', '$.PostingDate', 'date') }},
        {{ checked_field(payload, 'amount_original', '$.Amount', 'number') }},
        {{ json_text(payload, '$.Currency') }} as currency_original,
        {{ json_text(payload, '$.CostCenterID') }} as cost_center_id,
        {{ json_text(payload, '$.Status') }} as status,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
