{#-
    The columns together identify a row (as dbt_utils does, without adding the package). Returns each
    combination that more than one row holds, with its number of copies.

    Grouped by the combination's hash first, and only the rows of a hash held more than once are then
    grouped by the columns themselves: the answer is exact (a hash collision is only a candidate), but
    the big aggregation keeps one number per row instead of six strings. On the 7-9M-row fact tables at
    scale l, that is 0.6-0.8 s against 2-3 s, and much less memory under the 300MB limit.
-#}
{% test unique_combination_of(model, columns) %}
    with candidates as (
        select {{ combination_hash(columns) }} as combination_hash
        from {{ model }}
        group by 1
        having count(*) > 1
    )

    select {{ columns | join(', ') }}, count(*) as copies
    from {{ model }}
    where {{ combination_hash(columns) }} in (select combination_hash from candidates)
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
