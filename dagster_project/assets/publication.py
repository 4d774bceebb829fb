"""Publication for BI: the snapshot asset, downstream of every mart it copies.

Being downstream of the marts puts it behind every blocking check: when a gate fails, the marts are not
rebuilt and this asset does not run, so BI keeps reading the previous good snapshot.
"""

from pathlib import Path

import dagster as dg

from connectors.landing.database import connect
from connectors.landing.file_modes import make_passable
from dagster_project.publish.ranking import latest_ranking
from dagster_project.publish.snapshot import (
    MART_TABLES,
    OLDEST_BI_DUCKDB,
    PUBLISHED_DB,
    pseudonym_key,
    publish_snapshot,
)
from dagster_project.resources import Warehouse, refusals_as_failures

PUBLISHED_DIR = "published"
MART_DEPS = [dg.AssetKey(["marts", table]) for table in MART_TABLES]


def published_dir(warehouse: str | Path) -> Path:
    """`data/published/` beside the working database `data/warehouse.duckdb`."""
    return Path(warehouse).resolve().parent / PUBLISHED_DIR


@dg.asset(
    key=["published", "bi_snapshot"],
    deps=MART_DEPS,
    group_name="publication",
    description=(
        f"The BI tier, atomically: data/published/warehouse.duckdb (DuckDB {OLDEST_BI_DUCKDB} and later "
        "open it) and data/published/parquet/, every table and column described."
    ),
)
def bi_snapshot(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    working = Path(warehouse.path).resolve()
    with refusals_as_failures():
        snapshot = publish_snapshot(
            working, published_dir(working), pseudonym_key(working.parent), context.run.run_id
        )
    make_passable(working.parent, published_dir(working))
    with connect(snapshot.database, read_only=True) as connection:
        _, header, rows = latest_ranking(connection)
    return dg.MaterializeResult(
        metadata={
            "snapshot_id": snapshot.snapshot_id,
            "database": dg.MetadataValue.path(str(snapshot.database)),
            "parquet": dg.MetadataValue.path(str(snapshot.parquet)),
            "rows": dg.MetadataValue.json(snapshot.row_counts),
            "oldest_duckdb_reader": OLDEST_BI_DUCKDB,
            "demo_data": snapshot.is_demo_data,
            "data_origin": snapshot.data_origin,
            "ranking": dg.MetadataValue.md(_markdown_table(header, rows)),
        }
    )


def _markdown_table(header: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


__all__ = ["PUBLISHED_DB", "bi_snapshot", "published_dir"]
