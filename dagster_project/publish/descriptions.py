"""What each table and column of the BI snapshot means, carried to the tools that read it.

Tools that read DuckDB's catalog comments (`COMMENT ON`: SQLAlchemy's inspector, which Superset uses,
and SQL clients such as DBeaver) or Parquet's field metadata (pyarrow, pandas) can show an analyst what
`headcount_at_month_end` counts where they pick it. The words are dbt's: the YAML descriptions of the
models and seeds, which dbt writes as comments into the working database (`persist_docs` in
dbt_project.yml) and the snapshot copies from there. The tables the product writes itself are described
here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

# The key under which Parquet files carry a description: the file's (the table's) and each field's.
DESCRIPTION_KEY = "description"


@dataclass(frozen=True)
class TableDescription:
    """A table's comment and its columns' comments, in column order (None where there is none)."""

    description: str | None
    columns: dict[str, str | None]


SNAPSHOT_DESCRIPTION = TableDescription(
    "Which snapshot this file holds, in one row. A connection keeps reading the snapshot it opened: a "
    "publication replaces the file, so a long-lived reader reopens it (per query or per refresh) to see "
    "the new one, and compares snapshot_id to notice the change.",
    {
        "snapshot_id": "Identifies this snapshot (publication time and the run's first 8 characters); "
        "a new publication has a new one.",
        "published_at": "When it was published, in UTC, as YYYYMMDDTHHMMSSffffffZ.",
        "run_id": "The Dagster run that published it.",
        "is_demo_data": "True when the bundled simulator served any of the data: a generated company, "
        "not real records.",
        "data_origin": "Where each source system's data came from: simulator, or the host of the "
        "configured service (crm=...; erp=...).",
    },
)

SNAPSHOT_TABLES_DESCRIPTION = TableDescription(
    "The tables of this snapshot and their row counts at publication, to check a read is complete.",
    {
        "table_name": "A table of schema marts.",
        "row_count": "Its rows when it was published.",
    },
)

QUALITY_RESULTS_DESCRIPTION = TableDescription(
    "The verdict of every quality check of every run: the dbt tests and the quality gates. Checks of the "
    "HR tier's own tables stay in the HR tier, and so do the places a check observed on records about "
    "people (observed says 'see the HR tier').",
    {
        "check_name": "The check: a dbt test or a quality gate.",
        "asset": "The asset checked (layer/model, as in Dagster).",
        "severity": "blocking (a failure stops publication) or warning (reported only).",
        "passed": "True when the check passed.",
        "observed": "What the check found; 'see the HR tier' for checks on records about people.",
        "expected": "What passing requires.",
        "run_id": "The Dagster run that ran the check.",
        "checked_at": "When the check ran.",
        "engine": "What ran the check: dbt or great_expectations.",
    },
)


def describe(connection: duckdb.DuckDBPyConnection, table: str, description: TableDescription) -> None:
    """Write `description` as the comments of `table` (qualified, e.g. `marts.departments`)."""
    if description.description:
        connection.execute(f"comment on table {table} is {_literal(description.description)}")
    for column, text in description.columns.items():
        if text:
            connection.execute(f'comment on column {table}."{column}" is {_literal(text)}')


def described_tables(
    connection: duckdb.DuckDBPyConnection, schema: str, database: str | None = None
) -> dict[str, TableDescription]:
    """Every table and view of `schema` (in `database`, or the connection's own) with its comments, from
    DuckDB's catalog."""
    where = "where database_name = coalesce($database, current_database()) and schema_name = $schema"
    names = connection.execute(
        f"select table_name, comment from duckdb_tables() {where} "
        f"union all select view_name, comment from duckdb_views() {where}",
        {"database": database, "schema": schema},
    ).fetchall()
    tables = {name: TableDescription(_clean(comment), {}) for name, comment in names}
    for table, column, comment in connection.execute(
        f"select table_name, column_name, comment from duckdb_columns() {where} "
        "order by table_name, column_index",
        {"database": database, "schema": schema},
    ).fetchall():
        tables[table].columns[column] = _clean(comment)
    return tables


def write_described_parquet(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    description: TableDescription,
    file_metadata: dict[str, str],
) -> None:
    """Write `table` to `path` as Parquet, its description in the file's metadata and each column's in
    its field's (DuckDB's own COPY writes file metadata only)."""
    data = connection.sql(f"select * from {table}").to_arrow_table()
    fields = [
        field.with_metadata({DESCRIPTION_KEY: text} if (text := description.columns.get(field.name)) else {})
        for field in data.schema
    ]
    metadata = {
        **file_metadata,
        **({DESCRIPTION_KEY: description.description} if description.description else {}),
    }
    pq.write_table(pa.Table.from_arrays(data.columns, schema=pa.schema(fields, metadata=metadata)), path)


def _clean(comment: str | None) -> str | None:
    """dbt keeps a YAML block's closing line break; a tool shows the text without it."""
    return (comment.strip() or None) if comment else None


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
