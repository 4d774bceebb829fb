{#-
    The grade of an index on the one scale every department and scorecard shares (seed grade_bands):
    the band with the highest min_index at or below the index. One definition, so that the contribution
    and the support index cannot grade differently.
-#}
{% macro grade_for(index_expression) -%}
    {%- set index = comparable_index(index_expression) -%}
    (
        select grade_bands.grade
        from {{ ref('grade_bands') }} as grade_bands
        where grade_bands.min_index = (
            select max(lower_bands.min_index)
            from {{ ref('grade_bands') }} as lower_bands
            where lower_bands.min_index <= {{ index }}
        )
    )
{%- endmacro %}


{#-
    An index as grades and ranks compare it: rounded to 9 decimals. Indices are sums of floats, and two
    that are equal in exact arithmetic (two people at 66.666...) or a band edge (59.99999999999999 for 60)
    differ in the last bits by the order the engine summed in, which changes from run to run: compared
    raw, equal people got different ranks and the ranks flipped between two builds of the same data.
-#}
{% macro comparable_index(index_expression) -%}
    round({{ index_expression }}, 9)
{%- endmacro %}
