{#-
    A metric's 0-100 score: linear from the floor (0) to the target (100), capped at both ends. Measured
    from the floor towards the target, so it works the same for lower-is-better metrics (target below the
    floor). No value, no score. One definition for departments and employees alike.
-#}
{% macro score_against_target(value, target, floor) -%}
    case
        when {{ value }} is null then null
        when ({{ value }} - {{ floor }}) / ({{ target }} - {{ floor }}) >= 1 then 100.0
        when ({{ value }} - {{ floor }}) / ({{ target }} - {{ floor }}) <= 0 then 0.0
        else 100.0 * ({{ value }} - {{ floor }}) / ({{ target }} - {{ floor }})
    end
{%- endmacro %}
