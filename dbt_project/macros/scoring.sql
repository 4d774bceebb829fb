{#-
    How a unit (a department, a person in a role) is scored against its scheme, one definition for
    departments and people alike: the metric values of a period (metric_values_per_period, from the
    records listed by metric_evidence_shape), each scored against its scheme line's target and floor
    (score_against_target), with the weights of the observed lines rebased to 100 % (rebased_weights),
    all put together by scored_scheme_lines. The unit tests (unit_tests: in the YAML of the models
    marts, hr, intermediate/metrics and intermediate/people) hold the formulas on fixed inputs.
-#}

{#-
    A metric's 0-100 score: linear from the floor (0) to the target (100), capped at both ends. Measured
    from the floor towards the target, so it works the same for lower-is-better metrics (target below the
    floor). No value, no score.
-#}
{% macro score_against_target(value, target, floor) -%}
    case
        when {{ value }} is null then null
        when ({{ value }} - {{ floor }}) / ({{ target }} - {{ floor }}) >= 1 then 100.0
        when ({{ value }} - {{ floor }}) / ({{ target }} - {{ floor }}) <= 0 then 0.0
        else 100.0 * ({{ value }} - {{ floor }}) / ({{ target }} - {{ floor }})
    end
{%- endmacro %}

{#-
    The effective weight and the weighted contribution of a scheme line, over rows carrying `weight`,
    `score` and `is_observed`: a metric with nothing observed in the period (no bug was fixed) has no
    score and weighs 0, and the observed lines of the same scorecard (`rebase_within`, the unit's
    columns) share its weight, scaled up to 100 %. The index is then the sum of the contributions.
-#}
{% macro rebased_weights(rebase_within) -%}
    {%- set observed_weight -%}
        sum(case when is_observed then weight else 0 end) over (partition by {{ rebase_within | join(', ') }})
    {%- endset -%}
    case when is_observed then 100.0 * weight / {{ observed_weight }} else 0 end as effective_weight,
    case when is_observed then score * weight / {{ observed_weight }} else 0 end as weighted_contribution
{%- endmacro %}

{#-
    The two kinds of unit scored, each described once: its key columns; the months of each period it is
    scored over (`periods`, the model listing them, joined to its facts on `join_keys`, the period's last
    month flagged in `is_last_month`, where a period_end metric reads); the column its scheme is chosen by; and what its
    weights are rebased within (a department has two scorecards, contribution and support).
-#}
{% macro department_unit() -%}
    {{ return({
        'keys': ['department_id'],
        'periods': 'int_period_months',
        'join_keys': ['month_start_date'],
        'is_last_month': 'is_last_covered_month',
        'scheme_key': 'department_family',
        'rebase_within': ['department_id', 'period_id', 'scorecard'],
    }) }}
{%- endmacro %}

{#- A person in a role: someone promoted mid-quarter is scored under each role for the months held. -#}
{% macro employee_unit() -%}
    {{ return({
        'keys': ['employee_id', 'role_id'],
        'periods': 'int_employee_role_periods',
        'join_keys': ['employee_id', 'role_id', 'month_start_date'],
        'is_last_month': 'is_last_month_in_role',
        'scheme_key': 'role_id',
        'rebase_within': ['employee_id', 'role_id', 'period_id'],
    }) }}
{%- endmacro %}

{#-
    Every line of the scheme in force for each unit and period, with the unit's value, the score and the
    rebased weight. `units` holds one row per unit and period: the unit's keys, `period_id` and its
    scheme key, and any column to carry along. `scheme` is the scheme in force per period (macro
    scheme_in_force), with `scheme_columns` carried besides the line itself; `metric_values` the unit's
    observed values per period (metric_value not null).
-#}
{% macro scored_scheme_lines(units, scheme, metric_values, unit, scheme_columns=[]) -%}
select
    lines.*,
    {{ rebased_weights(unit.rebase_within) }}
from (
    select
        units.*,
        periods.period_type,
        periods.period_start_date,
        periods.period_end_date,
        {%- for column in scheme_columns %}
        scheme.{{ column }},
        {%- endfor %}
        scheme.scheme_version,
        scheme.tier,
        scheme.metric_id,
        scheme.weight,
        scheme.target,
        scheme.floor,
        catalog.unit,
        catalog.direction,
        metric_values.numerator,
        metric_values.denominator,
        metric_values.metric_value,
        coalesce(metric_values.record_count, 0) as record_count,
        metric_values.metric_value is not null as is_observed,
        {{ score_against_target('metric_values.metric_value', 'scheme.target', 'scheme.floor') }} as score
    from {{ units }} as units
    inner join {{ ref('int_periods') }} as periods on periods.period_id = units.period_id
    inner join {{ scheme }} as scheme
        on scheme.period_id = units.period_id
        and scheme.{{ unit.scheme_key }} = units.{{ unit.scheme_key }}
    inner join {{ ref('metric_catalog') }} as catalog on catalog.metric_id = scheme.metric_id
    left join {{ metric_values }} as metric_values
        on metric_values.period_id = units.period_id
        and metric_values.metric_id = scheme.metric_id
        {%- for key in unit['keys'] %}
        and metric_values.{{ key }} = units.{{ key }}
        {%- endfor %}
) as lines
{%- endmacro %}

{#- The columns of a scored line after the unit's own, in the order both score tables list them. -#}
{% macro scored_line_columns() -%}
    metric_value, unit, direction, numerator, denominator, target, floor, score, weight, effective_weight,
    weighted_contribution, record_count, is_observed
{%- endmacro %}

{#-
    The parts (facts, or monthly sums of them) of a unit that count in each period, by the metric's
    catalog rollup: ratio_of_sums counts every month of the period, period_end (a stock: an employee
    counted in three months is still one employee) only the period's last month of the unit.
-#}
{% macro counted_in_periods(parts, unit) -%}
    select periods.period_id, periods.period_type, parts.*
    from {{ parts }} as parts
    inner join {{ ref(unit.periods) }} as periods
        on {% for key in unit.join_keys %}periods.{{ key }} = parts.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
    inner join {{ ref('metric_catalog') }} as catalog on catalog.metric_id = parts.metric_id
    where catalog.rollup = 'ratio_of_sums' or periods.{{ unit.is_last_month }}
{%- endmacro %}

{#- The unit's keys, the period and the metric of `counted`: what a value and its evidence are per. -#}
{% macro unit_period_metric(unit) -%}
    {% for key in unit['keys'] %}counted.{{ key }}, {% endfor %}counted.period_id, counted.period_type, counted.metric_id
{%- endmacro %}

{#-
    The records behind every value of a unit (macro counted_in_periods over record-grain `facts`): per
    unit, period and metric, the source system, stream and record key of each record with its part of
    the numerator and the denominator. Summing the parts gives the value's numerator and denominator, so
    any score can be walked back to its records.
-#}
{% macro metric_evidence_shape(facts, unit) -%}
    select
        {{ unit_period_metric(unit) }},
        counted.month_start_date,
        counted.source_system,
        counted.source_stream,
        counted.record_key,
        counted.numerator as numerator_part,
        counted.denominator as denominator_part
    from ({{ counted_in_periods(facts, unit) }}) as counted
{%- endmacro %}

{#-
    A unit's metric values per period (macro counted_in_periods): the value is the sum of the counted
    numerators over the sum of the denominators, never an average of monthly rates; null when the
    denominator is 0 (no value, no score). `record_count` names the parts' column saying how many source
    records each stands for (monthly sums); none when each part is one record.
-#}
{% macro metric_values_per_period(parts, unit, record_count=none) -%}
    select
        {{ unit_period_metric(unit) }},
        sum(counted.numerator) as numerator,
        sum(counted.denominator) as denominator,
        case when sum(counted.denominator) > 0 then sum(counted.numerator) / sum(counted.denominator) end
            as metric_value,
        catalog.unit,
        catalog.rollup,
        cast({% if record_count %}sum(counted.{{ record_count }}){% else %}count(*){% endif %} as bigint)
            as record_count,
        count(distinct counted.month_start_date) as months_observed
    from ({{ counted_in_periods(parts, unit) }}) as counted
    inner join {{ ref('metric_catalog') }} as catalog on catalog.metric_id = counted.metric_id
    group by {{ unit_period_metric(unit) }}, catalog.unit, catalog.rollup
{%- endmacro %}
