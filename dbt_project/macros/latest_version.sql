{#-
    The latest landed version of each key of a raw table: raw is append-only history, staging is
    one row per entity. The window ranks the narrow (key, landing, hash) triples only and the payloads
    join back afterwards: ranking whole rows would sort every JSON payload, which at scale is the
    largest thing in memory. A window in a subquery (not QUALIFY), so that every engine runs it.

    Staging models are incremental: raw is append-only and a key's newest version is its newest
    landing, so the rows landed since the model's last build hold every key that changed, each with its
    latest version; `delete+insert` on the model's unique key replaces those keys' rows. A daily run
    then parses the day's JSON, not all of history. `dbt build --full-refresh` rebuilds from all of raw
    (after a staging model's columns change: `on_schema_change: fail` stops the build until then).
-#}
{% macro latest_version(relation) -%}
    {%- set since -%}
        {%- if is_incremental() %}(select max(extracted_at) from {{ this }}){% endif -%}
    {%- endset -%}
    select raw_versions.*
    from {{ relation }} as raw_versions
    inner join (
        select _key, _extracted_at, _record_hash
        from (
            select
                _key,
                _extracted_at,
                _record_hash,
                row_number() over (partition by _key order by _extracted_at desc, _record_hash desc) as _version_rank
            from {{ relation }}
            {%- if since %}
            where _extracted_at > {{ since }}
            {%- endif %}
        ) as ranked
        where _version_rank = 1
    ) as latest
        on raw_versions._key = latest._key
        and raw_versions._extracted_at = latest._extracted_at
        and raw_versions._record_hash = latest._record_hash
    {%- if since %}
    where raw_versions._extracted_at > {{ since }}
    {%- endif %}
{%- endmacro %}
