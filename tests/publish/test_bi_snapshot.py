"""The BI tier: atomic under readers, department level only; employee keys pseudonymized."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from connectors.settings import PSEUDONYM_KEY_ENV, Secret
from dagster_project.assets.publication import bi_snapshot, published_dir
from dagster_project.project import dbt_project
from dagster_project.publish.snapshot import (
    BI_TABLES,
    MART_TABLES,
    OWN_TABLES,
    PUBLISHED_DB,
    SNAPSHOT_TABLE,
    SNAPSHOT_TABLES_TABLE,
    publish_snapshot,
    sensitive_columns,
)
from dagster_project.resources import Warehouse
from tests.conftest import copy_warehouse, query

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
# Counts that the marts used to leave as sum()s of integers (HUGEINT) or take from a double.
FORMER_HUGEINTS = (
    ("dim_department", "current_headcount"),
    ("fct_collaboration", "rating_sum"),
    ("fct_collaboration", "resolved_within_sla"),
    ("fct_department_contribution", "headcount_at_period_end"),
    ("fct_department_contribution", "metrics_observed"),
    ("fct_department_contribution", "record_count"),
    ("fct_department_headcount", "headcount_at_month_end"),
    ("fct_department_headcount", "hires"),
    ("fct_department_headcount", "terminations"),
    ("fct_department_headcount", "voluntary_terminations"),
    ("fct_metric_scores", "record_count"),
    ("source_origins", "versions_landed"),
)
FORMER_DOUBLES = (
    ("fct_support_contribution", "requests_resolved_for_others"),
    ("fct_support_contribution", "ratings"),
)

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb
    published, stop, report = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    reads, errors, snapshots = 0, [], set()
    while not stop.exists():
        try:
            with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as c:
                [(snapshot,)] = c.execute("select snapshot_id from marts._snapshot").fetchall()
                for table, expected in c.execute("select * from marts._snapshot_tables").fetchall():
                    [(actual,)] = c.execute(f"select count(*) from marts.{table}").fetchall()
                    if actual != expected:
                        errors.append(f"{snapshot} {table}: {actual} != {expected}")
            folder = (published / "parquet").resolve()
            manifest = json.loads((folder / "_snapshot.json").read_text())
            for table in ("fct_department_contribution", "metric_evidence"):
                [(actual,)] = duckdb.sql(
                    f"select count(*) from read_parquet('{folder / (table + '.parquet')}')").fetchall()
                if actual != manifest["rows"][table]:
                    errors.append(f"parquet {manifest['snapshot_id']} {table}: {actual}")
            snapshots.add(snapshot)
            reads += 1
        except Exception as exc:  # every failure counts: lock errors, missing files, half tables
            errors.append(repr(exc))
    report.write_text(json.dumps({"reads": reads, "errors": errors, "snapshots": sorted(snapshots)}))
    """
)


def test_readers_see_a_whole_snapshot_and_no_error_while_runs_publish(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    resources = {"warehouse": Warehouse(path=str(warehouse))}
    assert dg.materialize([bi_snapshot], resources=resources).success
    published = published_dir(warehouse)
    stop, report = tmp_path / "stop", tmp_path / "report.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop), str(report)])
    try:
        time.sleep(1.0)
        for _ in range(4):
            result = dg.materialize([bi_snapshot], resources=resources)
            assert result.success
            ranking = result.asset_materializations_for_node("published__bi_snapshot")[0].metadata["ranking"]
            assert "| rank | department |" in ranking.value
        time.sleep(1.0)
    finally:
        stop.touch()
        reader.wait(timeout=300)
    seen = json.loads(report.read_text())
    print(f"reader: {seen['reads']} reads, {len(seen['snapshots'])} snapshots, {len(seen['errors'])} errors")
    assert seen["errors"] == [] and seen["reads"] >= 4, seen
    assert len(seen["snapshots"]) >= 2, "readers moved from snapshot to snapshot as they were published"
    assert len(list(published.glob("parquet-*"))) <= 3, "old Parquet versions are pruned"


def test_the_bi_tier_holds_no_emails_names_or_pay(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k1"), "run-1")
    names = {n for (n,) in query(warehouse, "select display_name from staging.stg_hr__employees")}
    names |= {
        n for (n,) in query(warehouse, "select last_name || ' ' || first_name from staging.stg_hr__employees")
    }
    with duckdb.connect(str(snapshot.database), read_only=True) as connection:
        columns = connection.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall()
        assert {t for t, _, _ in columns} >= set(BI_TABLES)
        for table, column, data_type in columns:
            assert not re.search(r"pay|salary|email|name_first|first_name|last_name", column), (table, column)
            if data_type != "VARCHAR":
                continue
            values = {
                v for (v,) in connection.execute(f'select distinct "{column}" from marts.{table}').fetchall()
            }
            assert not any(isinstance(v, str) and EMAIL.search(v) for v in values), (table, column)
            assert not values & names, (table, column)


def test_employee_keys_are_pseudonymized_stably_and_differ_under_another_key(built, tmp_path, monkeypatch):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    sql = (
        "select record_key from marts.metric_evidence where source_stream = 'employees' "
        "order by department_id, period_id, metric_id, month_start_date, record_key"
    )

    def keys(key: str, name: str) -> list[str]:
        snapshot = publish_snapshot(warehouse, tmp_path / name, Secret(key), name)
        with duckdb.connect(str(snapshot.database), read_only=True) as connection:
            return sorted(k for (k,) in connection.execute(sql).fetchall())

    first, again, other = keys("key-one", "a"), keys("key-one", "b"), keys("key-two", "c")
    employees = {str(e) for (e,) in query(warehouse, "select employee_id from staging.stg_hr__employees")}
    assert first and first == again and set(first).isdisjoint(other)
    assert all(k.startswith("p_") for k in first) and not set(first) & employees
    [(distinct,)] = query(
        warehouse,
        "select count(distinct record_key) from marts.metric_evidence where source_stream = 'employees'",
    )
    assert len(set(first)) == distinct, "one pseudonym per employee key"
    monkeypatch.setenv(PSEUDONYM_KEY_ENV, "from-the-environment")
    from dagster_project.publish.snapshot import pseudonym_key

    assert pseudonym_key(tmp_path).reveal() == "from-the-environment"
    assert b"key-one" not in (tmp_path / "a" / PUBLISHED_DB).read_bytes(), "the key never reaches the file"


def _column_values(snapshot_db: Path, warehouse: Path, table: str, column: str, where: str) -> tuple:
    """A column's values in the snapshot and in the working marts, on the rows `where` selects."""
    sql = f'select cast("{column}" as varchar) from marts.{table} where {where} order by 1'
    with duckdb.connect(str(snapshot_db), read_only=True) as connection:
        published = [v for (v,) in connection.execute(sql).fetchall()]
    return published, [v for (v,) in query(warehouse, sql)]


def _condition(only_where: dict[str, tuple[str, ...]]) -> str:
    return " and ".join(f"{c} in ({', '.join(repr(v) for v in values)})" for c, values in only_where.items())


def test_the_snapshot_hashes_exactly_the_columns_the_dbt_yaml_tags_sensitive(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k"), "run-tags")
    tagged = {(t, c.name): c.only_where for t, columns in sensitive_columns().items() for c in columns}
    assert ("metric_evidence", "record_key") in tagged, "the YAML tags the evidence's record keys"
    _, catalog = _catalog(snapshot.database)
    hashed = unchanged = 0
    for table, column in sorted(k for k in catalog if k[0] in MART_TABLES):
        if (table, column) not in tagged:
            published, working = _column_values(snapshot.database, warehouse, table, column, "true")
            assert published == working, f"{table}.{column} is not tagged: copied as it is"
            unchanged += 1
            continue
        person_rows = _condition(tagged[(table, column)]) or "true"
        published, working = _column_values(snapshot.database, warehouse, table, column, person_rows)
        assert published and all(v.startswith("p_") for v in published), (table, column)
        assert set(published).isdisjoint(working), f"{table}.{column}: no tagged value reaches BI"
        other = _column_values(snapshot.database, warehouse, table, column, f"not ({person_rows})")
        assert other[0] == other[1], f"{table}.{column}: rows outside the tag's condition keep their value"
        hashed += len(published)
    print(f"{len(tagged)} tagged column(s), {hashed} values hashed; {unchanged} untagged columns unchanged")
    assert hashed and unchanged


def test_tagging_a_column_is_all_it_takes_and_no_column_is_hashed_untagged(built, tmp_path):
    """A copy of dbt's manifest with the record key's tag taken off and a department name tagged: the
    name is hashed and the HR keys, which a Python list once hashed, are published as they are."""
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")}
    nodes["metric_evidence"]["columns"]["record_key"]["meta"] = {}
    nodes["dim_department"]["columns"]["name_en"]["meta"] = {"sensitive": True}
    edited = tmp_path / "manifest.json"
    edited.write_text(json.dumps(manifest))
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k"), "run-retagged", edited)

    names, working_names = _column_values(snapshot.database, warehouse, "dim_department", "name_en", "true")
    assert names and all(n.startswith("p_") for n in names) and set(names).isdisjoint(working_names)
    keys = _column_values(
        snapshot.database, warehouse, "metric_evidence", "record_key", "source_system = 'hr'"
    )
    assert keys[0] and keys[0] == keys[1], "an untagged column is copied as it is, HR keys included"


def test_the_snapshot_and_its_manifest_say_the_data_is_the_simulators(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k"), "run-demo")
    assert snapshot.is_demo_data
    with duckdb.connect(str(snapshot.database), read_only=True) as connection:
        [(is_demo, origin)] = connection.execute(
            "select is_demo_data, data_origin from marts._snapshot"
        ).fetchall()
        origins = connection.execute(
            "select source_system, origin, is_simulator from marts.source_origins order by 1"
        ).fetchall()
    assert is_demo is True
    assert origin == "crm=simulator; erp=simulator; hr=simulator; ticketing=simulator"
    assert origins == [(s, "simulator", True) for s in ("crm", "erp", "hr", "ticketing")]
    manifest = json.loads((snapshot.parquet / "_snapshot.json").read_text())
    assert manifest["origin"]["demo_data"] is True
    assert {s["source_system"]: s["origin"] for s in manifest["origin"]["sources"]} == dict.fromkeys(
        ("crm", "erp", "hr", "ticketing"), "simulator"
    )
    assert all(s["last_succeeded_at"] for s in manifest["origin"]["sources"])


def _catalog(database: Path) -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, str]]]:
    """(table -> comment, (table, column) -> (type, comment)) of the snapshot's schema marts."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = dict(
            connection.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
        columns = {
            (t, c): (data_type, comment)
            for t, c, data_type, comment in connection.execute(
                "select table_name, column_name, data_type, comment from duckdb_columns() "
                "where schema_name = 'marts'"
            ).fetchall()
        }
    return tables, columns


def test_every_table_and_column_carries_its_dbt_description_in_duckdb_and_parquet(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k"), "run-described")
    tables, columns = _catalog(snapshot.database)
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    dbt = {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] in ("model", "seed") and n["name"] in BI_TABLES
    }
    expected_tables = {
        t: OWN_TABLES[t].description if t in OWN_TABLES else dbt[t]["description"] for t in tables
    }
    expected_columns = {
        (t, c): OWN_TABLES[t].columns[c] if t in OWN_TABLES else dbt[t]["columns"][c]["description"]
        for t, c in columns
    }
    assert set(tables) == {*BI_TABLES, SNAPSHOT_TABLE, SNAPSHOT_TABLES_TABLE}
    assert set(dbt) | set(OWN_TABLES) == set(tables), "every table is dbt's or the product's own"
    assert {t: c for t, c in tables.items() if c != expected_tables[t].strip()} == {}
    assert {k: c for k, (_, c) in columns.items() if c != expected_columns[k].strip()} == {}
    assert all(tables.values()) and all(c for _, c in columns.values())

    fields = described = 0
    for table in BI_TABLES:
        schema = pq.read_schema(snapshot.parquet / f"{table}.parquet")
        assert schema.metadata[b"description"].decode() == tables[table]
        assert schema.metadata[b"snapshot_id"].decode() == snapshot.snapshot_id
        for field in schema:
            fields += 1
            described += field.metadata[b"description"].decode() == columns[(table, field.name)][1]
    print(
        f"comments: {len(tables)} of {len(tables)} tables, {len(columns)} of {len(columns)} columns; "
        f"Parquet: {len(BI_TABLES)} files, {described} of {fields} fields described"
    )
    assert described == fields == sum(1 for t, _ in columns if t in BI_TABLES)


def test_counts_stay_integers_in_duckdb_and_parquet(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published", Secret("k"), "run-integers")
    _, columns = _catalog(snapshot.database)
    wide = {k: t for k, (t, _) in columns.items() if t in ("HUGEINT", "UHUGEINT") or t.startswith("DECIMAL")}
    assert wide == {}, "a sum of integers is a HUGEINT in DuckDB: a double in Parquet and most BI drivers"
    counts = {k: t for k, (t, _) in columns.items() if k in FORMER_HUGEINTS or k in FORMER_DOUBLES}
    assert counts == dict.fromkeys([*FORMER_HUGEINTS, *FORMER_DOUBLES], "BIGINT")
    integer_columns = {k for k, (t, _) in columns.items() if t in INTEGER_TYPES}
    for table in BI_TABLES:
        path = snapshot.parquet / f"{table}.parquet"
        schema = pq.read_schema(path)
        for field in schema:
            if (table, field.name) in integer_columns:
                assert pa.types.is_integer(field.type), (table, field.name, field.type)
        frame = pd.read_parquet(path)
        for column in frame.columns:
            if (table, column) in integer_columns and not frame[column].isna().any():
                assert pd.api.types.is_integer_dtype(frame[column]), (table, column, frame[column].dtype)
    assert len(integer_columns) >= len(FORMER_HUGEINTS) + len(FORMER_DOUBLES)


def test_a_kept_connection_reads_its_snapshot_until_it_is_reopened(built, tmp_path):
    """What the README tells a long-lived reader: publication replaces the file, an open connection keeps
    the snapshot it opened, `parquet/_snapshot.json` says a new one is there, and a connection opened
    after the old ones are closed reads it."""
    warehouse = copy_warehouse(built.path, tmp_path / "warehouse.duckdb")
    published = tmp_path / "published"
    first = publish_snapshot(warehouse, published, Secret("k"), "run-first")
    snapshot_sql = "select snapshot_id from marts._snapshot"
    pointer = published / "parquet" / "_snapshot.json"
    with duckdb.connect(str(published / PUBLISHED_DB), read_only=True) as kept:
        assert json.loads(pointer.read_text())["snapshot_id"] == first.snapshot_id
        second = publish_snapshot(warehouse, published, Secret("k"), "run-second")
        assert kept.execute(snapshot_sql).fetchall() == [(first.snapshot_id,)]
        assert kept.execute("select count(*) from marts.metric_evidence").fetchall() == [
            (first.row_counts["metric_evidence"],)
        ]
        assert json.loads(pointer.read_text())["snapshot_id"] == second.snapshot_id != first.snapshot_id
    with duckdb.connect(str(published / PUBLISHED_DB), read_only=True) as reopened:
        assert reopened.execute(snapshot_sql).fetchall() == [(second.snapshot_id,)]
