{#-
    Customer invoices in the reporting currency, what the ERP billed against the CRM's deals: converted
    with the ERP's rate of the posting date, as the invoice's revenue line in the GL is.
-#}
{{ in_reporting_currency(ref('stg_erp__sales_invoices'), rate_date='posting_date') }}
