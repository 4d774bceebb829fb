{#- GL lines in the reporting currency, for the actuals: converted with the ERP's rate of the posting date. -#}
{{ in_reporting_currency(ref('stg_erp__gl_entries'), rate_date='posting_date') }}
