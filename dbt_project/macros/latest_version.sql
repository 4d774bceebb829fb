{#-
    The latest landed version of each key of a raw table: raw is append-only history, staging is
    one row per entity. Written as a window in a subquery (not QUALIFY) so that every engine runs it.
-#}
{% macro latest_version(relation) -%}
    select * from (
        select
            *,
            row_number() over (partition by _key order by _extracted_at desc, _record_hash desc) as _version_rank
        from {{ relation }}
    ) as versions
    where _version_rank = 1
{%- endmacro %}
