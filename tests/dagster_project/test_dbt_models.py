"""The dbt layer: sources match the connectors, lineage reaches the raw assets, models build for real."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml
from dagster_dbt import DbtCliResource

from connectors.landing.tables import RAW_SCHEMA, raw_table_name
from connectors.sources import SOURCES
from dagster_project.assets.dbt import warehouse_models
from dagster_project.definitions import defs
from dagster_project.project import DBT_EXECUTABLE, DBT_PROJECT_DIR, dbt_project
from dagster_project.resources import Warehouse
from tests.conftest import BUILTIN_SOURCES, copy_warehouse, query


def test_dbt_sources_declare_exactly_the_streams_the_connectors_land():
    for source in BUILTIN_SOURCES:
        path = DBT_PROJECT_DIR / "models" / "staging" / source / f"_{source}__sources.yml"
        [declared] = yaml.safe_load(path.read_text())["sources"]
        assert declared["schema"] == RAW_SCHEMA
        tables = {t["name"]: t["identifier"] for t in declared["tables"]}
        assert tables == {s.name: raw_table_name(source, s.name) for s in SOURCES[source].streams}


def test_every_model_reads_raw_assets_that_exist():
    graph = defs.resolve_asset_graph()
    models = [k for k in graph.get_all_asset_keys() if k.path[0] != RAW_SCHEMA]
    assert models
    for key in models:
        for parent in graph.get(key).parent_keys:
            assert graph.has(parent), (
                f"{key.to_user_string()} reads {parent.to_user_string()}, which no asset makes"
            )
    stg = graph.get(dg.AssetKey(["staging", "stg_erp__gl_entries"]))
    assert dg.AssetKey([RAW_SCHEMA, "erp__gl_entries"]) in stg.parent_keys
    assert stg.group_name == "staging"


def test_models_build_into_exact_schemas_one_row_per_entity_in_the_reporting_currency(baseline, tmp_path):
    warehouse = copy_warehouse(baseline.path, tmp_path / "w.duckdb")
    result = dg.materialize(
        [warehouse_models],
        resources={
            "warehouse": Warehouse(path=str(warehouse)),
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        },
    )
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)
    schemas = {s for (s,) in query(warehouse, "select distinct table_schema from information_schema.tables")}
    assert "staging" in schemas and not any(s.startswith("main_") for s in schemas)
    for model, table in [("stg_hr__employees", "hr__employees"), ("stg_erp__gl_entries", "erp__gl_entries")]:
        rows = query(warehouse, f"select count(*) from staging.{model}")[0][0]
        keys = query(warehouse, f"select count(distinct _key) from raw.{table}")[0][0]
        assert rows == keys > 0
    assert_amounts_are_in_the_reporting_currency_with_the_original_kept(warehouse)


def assert_amounts_are_in_the_reporting_currency_with_the_original_kept(warehouse: Path) -> None:
    usd = query(
        warehouse,
        """
        select g.amount_original, g.amount, r.rate
        from staging.stg_erp__gl_entries g
        join staging.stg_erp__exchange_rates r on r.rate_date = g.posting_date and r.from_currency = 'USD'
        where g.currency_original = 'USD' limit 50""",
    )
    assert usd, "the simulator posts some USD lines"
    for original, converted, rate in usd:
        assert abs(converted - original * rate) < 1e-6
