{#-
    The one place money is converted, the whole select of an intermediate model in models/intermediate/
    currency/: every column of `relation` (a staging model, which keeps the amount as its source sent it),
    then `exchange_rate` and the amount in the reporting currency (var reporting_currency), using the
    ERP's own rate of the record's date. `rate_date` names that date's column, or a list of columns of
    which the first that is set dates the record. A missing rate gives a null amount, which the not_null
    tests on converted amounts turn into a failure rather than a silent zero.
-#}
{% macro in_reporting_currency(relation, rate_date, original='amount_original', converted='amount',
                               currency='currency_original') -%}
    {%- set reporting = var('reporting_currency') -%}
    {%- set date_columns = [rate_date] if rate_date is string else rate_date -%}
    {%- set dated = [] -%}
    {%- for column in date_columns -%}
        {%- do dated.append('records.' ~ column) -%}
    {%- endfor -%}
    {%- set record_date = dated[0] if dated | length == 1 else 'coalesce(' ~ dated | join(', ') ~ ')' -%}
    {%- set rate -%}
        case when records.{{ currency }} = '{{ reporting }}' then 1.0 else reporting_rates.rate end
    {%- endset -%}
with

records as (
    select * from {{ relation }}
),

reporting_rates as (
    select from_currency, rate_date, rate
    from {{ ref('stg_erp__exchange_rates') }}
    where to_currency = '{{ reporting }}'
),

converted as (
    select
        records.*,
        {{ rate }} as exchange_rate,
        records.{{ original }} * {{ rate }} as {{ converted }}
    from records
    left join reporting_rates
        on reporting_rates.from_currency = records.{{ currency }}
        and reporting_rates.rate_date = {{ record_date }}
)

select * from converted
{%- endmacro %}
