{#-
    Every field staging could not read, one row per (record, field), from the `field_issues` of every
    staging model (see macros/field_checks.sql): the record still lands in raw as the source sent it
    and in staging with that column null, and only the metrics that need the field skip it
    (int_metric_exceptions). This is what a data steward fixes at the source: the next read lands the
    corrected version and its row disappears here. Current versions only, as staging holds them.
-#}
with

issues as (
    {% for model in staging_models() -%}
    {%- set source_system, source_stream = model[4:].split('__') -%}
    select
        '{{ source_system }}' as source_system,
        '{{ source_stream }}' as source_stream,
        '{{ model }}' as model_name,
        entries.*
    from ({{ field_issue_entries(ref(model)) }}) as entries
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_system,
        source_stream,
        record_key,
        field,
        model_name,
        column_name,
        raw_value,
        reason,
        extracted_at as landed_at,
        record_hash
    from issues
)

select * from final
