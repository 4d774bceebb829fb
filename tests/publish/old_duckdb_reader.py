"""Read the BI snapshot as BI tools do, with the DuckDB they ship: run by the reader venv's Python
(tests/publish/bi_reader_venv.py), never imported by the suite. Prints what it read as JSON.

Usage: python old_duckdb_reader.py <warehouse.duckdb> <parquet folder> <ranking SQL>
"""

import json
import sys
from pathlib import Path

import duckdb
import polars as pl
import sqlalchemy as sa

database, parquet, ranking_sql = Path(sys.argv[1]), Path(sys.argv[2]).resolve(), sys.argv[3]
seen: dict = {"duckdb": duckdb.__version__, "sqlalchemy": sa.__version__, "polars": pl.__version__}

# pandas: a read-only connection (DuckDB's own client).
with duckdb.connect(str(database), read_only=True) as connection:
    seen["snapshot_id"] = connection.execute("select snapshot_id from marts._snapshot").fetchone()[0]
    tables = connection.execute("select table_name, row_count from marts._snapshot_tables").fetchall()
    seen["rows"] = {t: len(connection.execute(f"select * from marts.{t}").fetchall()) for t, _ in tables}
    seen["rows_recorded"] = dict(tables)
    seen["table_comments"] = dict(
        connection.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    )
    seen["column_comments"] = {
        f"{table}.{column}": comment
        for table, column, comment in connection.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
        ).fetchall()
    }
    frame = connection.sql("select * from marts.fct_department_headcount").df()
    seen["pandas_dtypes"] = {column: str(dtype) for column, dtype in frame.dtypes.items()}

# Superset: duckdb-engine through SQLAlchemy, the URI as Superset's form takes it.
engine = sa.create_engine(f"duckdb:///{database}?access_mode=read_only")
with engine.connect() as connection:
    inspector = sa.inspect(connection)
    superset: dict = {
        "tables": sorted(inspector.get_table_names(schema="marts")),
        "table_comment": inspector.get_table_comment("fct_department_headcount", schema="marts")["text"],
        "columns": [
            [c["name"], repr(c["type"]), c["comment"]]
            for c in inspector.get_columns("fct_department_headcount", schema="marts")
        ],
        "ranking": [list(row) for row in connection.execute(sa.text(ranking_sql)).fetchall()],
    }
    try:
        connection.execute(sa.text("create table marts.written_by_a_reader as select 1 as one"))
        superset["write_refused"] = False
    except sa.exc.DBAPIError:
        superset["write_refused"] = True
seen["superset"] = superset

# Polars: the Parquet files, from the folder the `parquet` link resolves to.
seen["polars_dtypes"] = {
    column: str(dtype)
    for column, dtype in pl.read_parquet(parquet / "fct_department_headcount.parquet").schema.items()
}
seen["polars_rows"] = {path.stem: pl.read_parquet(path).height for path in sorted(parquet.glob("*.parquet"))}

print(json.dumps(seen, default=str))
