{#- The columns together identify a row (as dbt_utils does, without adding the package). -#}
{% test unique_combination_of(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as copies
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
