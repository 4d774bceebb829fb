"""The BI tier: atomic under readers, department level only; employee keys pseudonymized."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time

import dagster as dg
import duckdb

from connectors.settings import PSEUDONYM_KEY_ENV, Secret
from dagster_project.assets.publication import bi_snapshot, published_dir
from dagster_project.publish.snapshot import BI_TABLES, PUBLISHED_DB, publish_snapshot
from dagster_project.resources import Warehouse
from tests.conftest import copy_warehouse, query

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)

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
