"""Where a run's verdicts are kept for people and BI: `quality.quality_results`, a schema of its own.

Each step that judges (a dbt test step, the great-expectations gates) appends its own checks' verdicts
once, under the run's id; nothing rewrites them. The table is a record for data stewards, the demo's
summary, the Data Docs index and the BI snapshot: no step reads it to decide whether to run or publish.
Dagster's asset check results gate (blocking checks stop what is downstream in the same run), and a
later run learns what an earlier one decided from Dagster's own record of it (`quality.run_verdicts`).
Plain DuckDB, no Dagster: the quality gates' own process imports it too.
"""

from __future__ import annotations

import duckdb

QUALITY_SCHEMA = "quality"
QUALITY_TABLE = "quality_results"
QUALITY_RESULTS = f"{QUALITY_SCHEMA}.{QUALITY_TABLE}"
# Where the verdicts were kept before they had a schema of their own: moved once, never dropped unread.
FORMER_QUALITY_RESULTS = f"marts.{QUALITY_TABLE}"

QUALITY_RESULTS_DDL = f"""
create schema if not exists {QUALITY_SCHEMA};
create table if not exists {QUALITY_RESULTS} (
    check_name varchar not null,
    asset varchar not null,
    severity varchar not null,
    passed boolean not null,
    observed varchar,
    expected varchar,
    run_id varchar,
    checked_at timestamptz not null,
    engine varchar not null,
    details json
)
"""


def ensure_quality_results(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the record if absent; a warehouse that kept its verdicts in `marts` has them moved here,
    so that its history (the volume checks' previous counts among it) carries over."""
    if _exists(connection, QUALITY_SCHEMA) or not _exists(connection, "marts"):
        connection.execute(QUALITY_RESULTS_DDL)
        return
    connection.execute(QUALITY_RESULTS_DDL)
    connection.execute(f"insert into {QUALITY_RESULTS} by name select * from {FORMER_QUALITY_RESULTS}")
    connection.execute(f"drop table {FORMER_QUALITY_RESULTS}")


def _exists(connection: duckdb.DuckDBPyConnection, schema: str) -> bool:
    return bool(
        connection.execute(
            "select 1 from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, QUALITY_TABLE],
        ).fetchall()
    )
