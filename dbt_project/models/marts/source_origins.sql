with

loads as (
    select * from {{ ref('stg_ledger__loads') }}
),

{#- A batch counts when it landed something or read its stream to the end: its data is in raw. #}
contributing as (
    select * from loads
    where is_succeeded or rows_inserted > 0
),

by_origin as (
    select
        source_system,
        origin,
        origin = 'simulator' as is_simulator,
        min(started_at) as first_extracted_at,
        max(case when is_succeeded then finished_at end) as last_succeeded_at,
        count(*) as batches,
        cast(sum(rows_inserted) as bigint) as versions_landed
    from contributing
    group by source_system, origin
)

select * from by_origin
