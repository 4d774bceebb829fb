{#-
    Supplier invoices in the reporting currency: converted with the ERP's rate of the posting date (the
    date of the invoice's expense line in the GL); a Draft has not been posted, so its received date's.
-#}
{{ in_reporting_currency(ref('stg_erp__purchase_invoices'), rate_date=['posted_date', 'received_date']) }}
