"""The Dagster layer: definitions load, and materializing the raw assets runs the real extraction."""

from __future__ import annotations

import dagster as dg

from connectors.landing.tables import raw_table
from connectors.sources import SOURCES
from dagster_project.assets.raw import raw_asset_key
from dagster_project.definitions import defs, raw_assets
from dagster_project.resources import SourceSystems, Warehouse
from tests.conftest import AS_OF, BUILTIN_SOURCES, SEED, query


def test_every_declared_stream_is_an_asset_grouped_by_source():
    graph = defs.resolve_asset_graph()
    for source in BUILTIN_SOURCES:
        for stream in SOURCES[source].streams:
            key = raw_asset_key(source, stream.name)
            node = graph.get(key)
            assert node.group_name == f"raw_{source}"
            assert node.metadata["table"] == raw_table(source, stream.name)
    assert defs.resolve_job_def("extract_sources") is not None


def test_materializing_raw_assets_lands_records_and_reports_counts(simulator, tmp_path, monkeypatch):
    for name, value in simulator.environment().items():
        monkeypatch.setenv(name, value)
    selection = [
        raw_asset_key("hr", "employees"),
        raw_asset_key("crm", "owners"),
        raw_asset_key("erp", "budgets"),
    ]
    warehouse = tmp_path / "w.duckdb"
    result = dg.materialize(
        [raw_assets],
        selection=selection,
        resources={"warehouse": Warehouse(path=str(warehouse)), "source_systems": SourceSystems()},
    )
    assert result.success
    by_key = {m.asset_key: m.metadata for m in result.asset_materializations_for_node("extract_raw")}
    assert set(by_key) == set(selection)
    for key, metadata in by_key.items():
        rows = query(warehouse, f"select count(*) from raw.{key.path[-1]}")[0][0]
        assert metadata["rows_inserted"].value == rows > 0
        assert (
            metadata["rows_fetched"].value == metadata["rows_loaded"].value + metadata["rows_rejected"].value
        )


def test_with_no_source_configured_the_bundled_simulator_starts_by_itself(tmp_path, monkeypatch):
    for source in BUILTIN_SOURCES:
        monkeypatch.delenv(f"DCW_{source.upper()}_BASE_URL", raising=False)
    key = raw_asset_key("crm", "owners")
    result = dg.materialize(
        [raw_assets],
        selection=[key],
        resources={
            "warehouse": Warehouse(path=str(tmp_path / "w.duckdb")),
            "source_systems": SourceSystems(simulator_seed=SEED, simulator_as_of=AS_OF.isoformat()),
        },
    )
    assert result.success
    assert query(tmp_path / "w.duckdb", "select count(*) from raw.crm__owners")[0][0] > 0
