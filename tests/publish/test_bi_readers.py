"""BI tools read the snapshot with the DuckDB they ship: the oldest release that opens it, in a venv of its
own, through the clients BI tools use (duckdb-engine and SQLAlchemy as Superset does, pandas, Polars)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from connectors.settings import Secret
from dagster_project.publish.ranking import RANKING_SQL, latest_ranking
from dagster_project.publish.snapshot import OLDEST_BI_DUCKDB, PARQUET_LINK, publish_snapshot
from tests.conftest import copy_warehouse
from tests.publish.bi_reader_venv import reader_python

READER = Path(__file__).with_name("old_duckdb_reader.py")
# The counts the marts used to leave as 128-bit sums (doubles in Parquet and in pandas).
COUNTS = ("headcount_at_month_end", "hires", "terminations", "voluntary_terminations")


@pytest.fixture(scope="module")
def reader() -> Path:
    return reader_python()


def read_as_a_bi_tool(reader: Path, database: Path, parquet: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(reader), str(READER), str(database), str(parquet), RANKING_SQL],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_oldest_supported_duckdb_reads_the_snapshot_through_superset_pandas_and_polars(
    built, tmp_path, reader
):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k"), "run-bi-readers")
    result = read_as_a_bi_tool(reader, snapshot.database, tmp_path / "published" / PARQUET_LINK)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    superset = seen["superset"]
    print(
        f"DuckDB {seen['duckdb']}, SQLAlchemy {seen['sqlalchemy']} (duckdb-engine), Polars {seen['polars']}"
    )
    print(
        f"snapshot {seen['snapshot_id']}: {len(seen['rows'])} tables, {sum(seen['rows'].values())} rows read"
    )
    print(f"marts.fct_department_headcount: {superset['table_comment']}")
    for name, sql_type, comment in superset["columns"]:
        print(f"  {name} {sql_type}: {comment}")
    for row in superset["ranking"]:
        print("  ", row)

    assert seen["duckdb"] == OLDEST_BI_DUCKDB
    assert seen["snapshot_id"] == snapshot.snapshot_id
    assert seen["rows"] == seen["rows_recorded"] == snapshot.row_counts
    assert seen["polars_rows"] == snapshot.row_counts
    with duckdb.connect(str(snapshot.database), read_only=True) as connection:
        _, _, ranking = latest_ranking(connection)
        tables = dict(
            connection.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
        columns = {
            f"{t}.{c}": comment
            for t, c, comment in connection.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
    assert seen["table_comments"] == tables and seen["column_comments"] == columns
    assert all(tables.values()) and all(columns.values())
    assert superset["tables"] == sorted(tables)
    assert superset["table_comment"] == tables["fct_department_headcount"]
    assert {n: c for n, _, c in superset["columns"]} == {
        c.split(".", 1)[1]: comment
        for c, comment in columns.items()
        if c.startswith("fct_department_headcount.")
    }
    assert superset["ranking"] == json.loads(json.dumps([list(r) for r in ranking], default=str))
    assert len(superset["ranking"]) >= 5
    assert superset["write_refused"], "the read-only URI keeps a BI tool from writing"
    assert {n: t for n, t, _ in superset["columns"] if n in COUNTS} == dict.fromkeys(COUNTS, "BigInteger()")
    assert {c: seen["pandas_dtypes"][c] for c in COUNTS} == dict.fromkeys(COUNTS, "int64")
    assert {c: seen["polars_dtypes"][c] for c in COUNTS} == dict.fromkeys(COUNTS, "Int64")


def test_the_old_reader_refuses_a_file_in_duckdb_2s_own_format(tmp_path, reader):
    """The venv's DuckDB is genuinely older than the pipeline's: a file in the default format stops it."""
    database = tmp_path / "latest.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts; create table marts._snapshot as select 'x' as snapshot_id")
    result = read_as_a_bi_tool(reader, database, tmp_path)
    assert result.returncode != 0
    assert "version number" in result.stderr or "storage" in result.stderr, result.stderr
