{{ config(unique_key='budget_id') }}
{#-
    A budget has no posting date, so a foreign-currency budget is converted with the ERP's rate of the
    first day of its fiscal period (FiscalYear is the calendar year, periods are months).
-#}
{%- set year_start_date = to_date(dbt.concat([json_text('_payload', '$.FiscalYear'), "'-01-01'"])) -%}
{%- set months_into_year = 'cast(' ~ json_text('_payload', '$.FiscalPeriod') ~ ' as integer) - 1' %}

with

source as (
    {{ latest_version(source('erp', 'budgets')) }}
),

renamed as (
    select
        _key as budget_id,
        {{ json_text('_payload', '$.CostCenterID') }} as cost_center_id,
        cast({{ json_text('_payload', '$.FiscalYear') }} as integer) as fiscal_year,
        cast({{ json_text('_payload', '$.FiscalPeriod') }} as integer) as fiscal_period,
        cast({{ dbt.dateadd('month', months_into_year, year_start_date) }} as date) as period_start_date,
        {{ json_text('_payload', '$.GLAccountType') }} as gl_account_type,
        {{ to_number(json_text('_payload', '$.BudgetAmount')) }} as amount_original,
        {{ json_text('_payload', '$.Currency') }} as currency_original,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
),

converted as (
    {{ in_reporting_currency('renamed', rate_date='renamed.period_start_date') }}
)

select * from converted
