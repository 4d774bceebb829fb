{#-
    The grade of an index on the one scale every department and scorecard shares (seed grade_bands):
    the band with the highest min_index at or below the index. One definition, so that the contribution
    and the support index cannot grade differently.
-#}
{% macro grade_for(index_expression) -%}
    (
        select grade_bands.grade
        from {{ ref('grade_bands') }} as grade_bands
        where grade_bands.min_index = (
            select max(lower_bands.min_index)
            from {{ ref('grade_bands') }} as lower_bands
            where lower_bands.min_index <= {{ index_expression }}
        )
    )
{%- endmacro %}
