{#-
    Catalog conformance: every observation's metric is in the catalog (seed metric_catalog), carries the
    catalog's unit, sits at the catalog's grain (one department and one calendar month), has a value in
    the catalog's valid range, and belongs to a department whose family the metric applies to. Returns
    the rows that do not, with the reason.
-#}
{% test conforms_to_metric_catalog(model, metric_column='metric_id', value_column='metric_value',
                                   unit_column='unit', department_column='department_id',
                                   month_column='month_start_date') %}

with

observations as (
    select * from {{ model }}
),

catalog as (
    select * from {{ ref('metric_catalog') }}
),

departments as (
    select department_id, family from {{ ref('departments') }}
),

checked as (
    select
        observations.{{ department_column }} as department_id,
        observations.{{ metric_column }} as metric_id,
        observations.{{ value_column }} as metric_value,
        case
            when catalog.metric_id is null then 'metric not in the catalog'
            when observations.{{ unit_column }} <> catalog.unit then 'unit differs from the catalog'
            when catalog.grain <> 'department_month'
                or observations.{{ month_column }} <> cast({{ dbt.date_trunc('month', 'observations.' ~ month_column) }} as date)
                then 'not at the catalog grain (department, calendar month)'
            when observations.{{ value_column }} < catalog.valid_min
                or observations.{{ value_column }} > catalog.valid_max
                then 'value outside the catalog range'
            when departments.family is null
                or {{ dbt.concat(["'|'", "catalog.department_families", "'|'"]) }}
                    not like {{ dbt.concat(["'%|'", "departments.family", "'|%'"]) }}
                then 'metric does not apply to the department family'
        end as violation
    from observations
    left join catalog on catalog.metric_id = observations.{{ metric_column }}
    left join departments on departments.department_id = observations.{{ department_column }}
)

select * from checked where violation is not null

{% endtest %}
