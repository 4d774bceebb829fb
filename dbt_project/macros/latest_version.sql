{#-
    The latest landed version of each key of a raw table: raw is append-only history, staging is
    one row per entity. The window ranks the narrow (key, landing, hash) triples only, and the rows it
    ranks below first (the superseded versions, few: most keys have one) are then removed from raw by an
    anti-join. Ranking whole rows would sort every JSON payload; joining the winners back would build a
    hash table of every key and push every payload through it, which at scale l spilled (37 s for the
    GL's 7.4 million rows under the 300 MB limit; 11 s this way). A window in a subquery (not QUALIFY)
    and NOT EXISTS, so that every engine runs it.

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
    where not exists (
        select 1
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
        ) as superseded
        where superseded._version_rank > 1
            and superseded._key = raw_versions._key
            and superseded._extracted_at = raw_versions._extracted_at
            and superseded._record_hash = raw_versions._record_hash
    )
    {%- if since %}
        and raw_versions._extracted_at > {{ since }}
    {%- endif %}
{%- endmacro %}
