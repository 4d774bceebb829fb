{{ config(unique_key='budget_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    A budget has no posting date: it is dated by the first day of its fiscal period (FiscalYear is the
    calendar year, periods are months), whose rate int_erp__budgets_in_reporting_currency converts a
    foreign-currency budget with. The amount stays here as the ERP holds it.
-#}
{%- set year_start_date = to_date(dbt.concat([json_text(payload, '$.FiscalYear'), "'-01-01'"])) -%}
{%- set months_into_year = 'cast(' ~ json_text(payload, '$.FiscalPeriod') ~ ' as integer) - 1' %}

with

source as (
    {{ latest_version(source('erp', 'budgets')) }}
),

renamed as (
    select
        _key as budget_id,
        {{ json_text(payload, '$.CostCenterID') }} as cost_center_id,
        cast({{ json_text(payload, '$.FiscalYear') }} as integer) as fiscal_year,
        cast({{ json_text(payload, '$.FiscalPeriod') }} as integer) as fiscal_period,
        cast({{ dbt.dateadd('month', months_into_year, year_start_date) }} as date) as period_start_date,
        {{ json_text(payload, '$.GLAccountType') }} as gl_account_type,
        {{ checked_field(payload, 'amount_original', '$.BudgetAmount', 'number') }},
        {{ json_text(payload, '$.Currency') }} as currency_original,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
