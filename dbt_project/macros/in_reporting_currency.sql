{#-
    The one place money is converted: a select over `relation` adding `exchange_rate` and the amount in
    the reporting currency (var reporting_currency), using the ERP's own rate of `rate_date`. The
    original amount and currency stay as they are. A missing rate gives a null amount, which the
    not_null tests on converted amounts turn into a failure rather than a silent zero.
-#}
{% macro in_reporting_currency(relation, rate_date, original='amount_original', converted='amount',
                               currency='currency_original') -%}
    {%- set reporting = var('reporting_currency') -%}
    {%- set rate -%}
        case when {{ relation }}.{{ currency }} = '{{ reporting }}' then 1.0 else reporting_rates.rate end
    {%- endset %}
    select
        {{ relation }}.*,
        {{ rate }} as exchange_rate,
        {{ relation }}.{{ original }} * {{ rate }} as {{ converted }}
    from {{ relation }}
    left join (
        select from_currency, rate_date, rate
        from {{ ref('stg_erp__exchange_rates') }}
        where to_currency = '{{ reporting }}'
    ) as reporting_rates
        on reporting_rates.from_currency = {{ relation }}.{{ currency }}
        and reporting_rates.rate_date = {{ rate_date }}
{%- endmacro %}
