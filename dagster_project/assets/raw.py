"""Raw landing: one asset per declared stream, built from the source registry, grouped by source.

All streams are one subsettable multi-asset because DuckDB allows a single writing process per file:
one step owns the write connection and overlaps the streams' HTTP waits in threads inside it.
"""

from collections.abc import Iterator, Mapping

import dagster as dg

from connectors.core.source import Source
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import StreamJob, StreamResult, extract_streams
from connectors.landing.tables import LOADS, LOADS_NAME, RAW_SCHEMA, raw_table, raw_table_name
from connectors.sources import SOURCES
from dagster_project.resources import SourceSystems, Warehouse

RAW_GROUP_PREFIX = "raw_"
# The extraction ledger (raw._loads, with each batch's origin): every extraction writes it, dbt reads it
# as its source `ledger` (for marts.source_origins, which says where the published data came from).
LEDGER_SOURCE = "ledger"
LEDGER_KEY = dg.AssetKey([RAW_SCHEMA, LOADS_NAME])
LEDGER_SPEC = dg.AssetSpec(
    key=LEDGER_KEY,
    group_name=f"{RAW_GROUP_PREFIX}{LEDGER_SOURCE}",
    description="The extraction ledger: one row per batch with its counters, status and origin "
    "(`simulator`, or the host of the service read).",
    kinds={"python", "duckdb"},
    metadata={"table": LOADS},
)


def raw_asset_key(source: str, stream: str) -> dg.AssetKey:
    """Matches dbt's default key for source `raw`, table `<source>__<stream>`."""
    return dg.AssetKey([RAW_SCHEMA, raw_table_name(source, stream)])


def _specs(sources: Mapping[str, Source]) -> dict[dg.AssetKey, tuple[str, str, dg.AssetSpec]]:
    specs = {}
    for source in sources.values():
        for stream in source.streams:
            key = raw_asset_key(source.name, stream.name)
            specs[key] = (
                source.name,
                stream.name,
                dg.AssetSpec(
                    key=key,
                    group_name=f"{RAW_GROUP_PREFIX}{source.name}",
                    description=f"{stream.description} ({source.product}, `{stream.path}`)",
                    kinds={"python", "duckdb"},
                    metadata={
                        "table": raw_table(source.name, stream.name),
                        "primary_key": ", ".join(stream.primary_key),
                        "cursor_field": stream.cursor.field if stream.cursor else "(full read)",
                    },
                ),
            )
    return specs


def _metadata(result: StreamResult) -> dict:
    return {
        "rows_fetched": result.rows_fetched,
        "rows_loaded": result.rows_loaded,
        "rows_inserted": result.rows_inserted,
        "rows_rejected": result.rows_rejected,
        "rows_tombstoned": result.rows_tombstoned,
        "pages": result.pages,
        "requests": result.requests,
        "retries": result.retries,
        "cursor_from": str(result.cursor_from) if result.cursor_from else "(first read)",
        "cursor_to": str(result.cursor_to) if result.cursor_to else "(none)",
        "batch_id": result.batch_id,
        "seconds": result.seconds,
        "table": raw_table(result.source, result.stream),
    }


def build_raw_assets(sources: Mapping[str, Source] = SOURCES, workers: int = 4) -> dg.AssetsDefinition:
    """The raw assets for every registered source; a new source module gets its assets from here."""
    specs = _specs(sources)

    @dg.multi_asset(
        name="extract_raw", specs=[*(spec for _, _, spec in specs.values()), LEDGER_SPEC], can_subset=True
    )
    def extract_raw(
        context: dg.AssetExecutionContext, warehouse: Warehouse, source_systems: SourceSystems
    ) -> Iterator[dg.MaterializeResult]:
        """Extract the selected streams and land them in `raw`, each page with its cursor."""
        selected = [specs[key][:2] for key in context.selected_asset_keys if key != LEDGER_KEY]
        with (
            source_systems.connect({src for src, _ in selected}, context.log) as settings,
            RawStore(warehouse.path) as store,
        ):
            jobs = [StreamJob(sources[src], settings[src], stream) for src, stream in selected]
            results, failures = extract_streams(store, jobs, workers=workers)
        for result in results:
            yield dg.MaterializeResult(
                asset_key=raw_asset_key(result.source, result.stream), metadata=_metadata(result)
            )
        if LEDGER_KEY in context.selected_asset_keys:
            yield dg.MaterializeResult(
                asset_key=LEDGER_KEY,
                metadata={
                    "batches": len(jobs),
                    "origins": dg.MetadataValue.json({name: s.origin for name, s in settings.items()}),
                },
            )
        if failures:
            raise dg.Failure(
                description=f"{len(failures)} stream(s) failed to extract",
                metadata={"errors": dg.MetadataValue.md("\n".join(f"- {f}" for f in failures))},
            )

    return extract_raw
