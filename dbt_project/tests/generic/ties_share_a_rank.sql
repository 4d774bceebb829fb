{#-
    A rank column's ties: rows of one ranking group whose indices are equal (compared as grades and
    ranks compare them, `comparable_index`) hold one rank, whatever order the engine summed their parts
    in. Returns each group of equal indices that holds more than one rank.
-#}
{% test ties_share_a_rank(model, column_name, index, within) %}

select
    {{ concat_separated(within) }} as ranked_within,
    {{ comparable_index(index) }} as comparable_index,
    count(distinct {{ column_name }}) as ranks_given
from {{ model }}
where {{ index }} is not null
group by {{ within | join(', ') }}, {{ comparable_index(index) }}
having count(distinct {{ column_name }}) > 1

{% endtest %}
