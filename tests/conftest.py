"""Fixtures shared by the suite: the real simulator on a free loopback port, real extractions."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from connectors.core.http import RetryPolicy
from connectors.embedded import SimulatorProcess
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import StreamJob, StreamResult, extract_streams
from connectors.landing.tables import RAW_SCHEMA
from connectors.sources import SOURCES
from tests.publish.browser import find_chromium
from tests.stub_server import StubServer

SEED = 7
AS_OF = date(2026, 10, 31)
BUILTIN_SOURCES = tuple(SOURCES)  # the registry before any test registers a source of its own
# Retries as the product does them, with backoff shrunk so faults cost milliseconds in tests; the
# simulator's Retry-After (1 s) is waited for real, as the product must.
FAST_RETRY = RetryPolicy(max_attempts=10, backoff_base_s=0.01, backoff_max_s=0.05, retry_after_max_s=5)


def all_streams() -> list[tuple[str, str]]:
    return [(source, stream.name) for source in BUILTIN_SOURCES for stream in SOURCES[source].streams]


def extract_all(
    warehouse: Path,
    simulator: SimulatorProcess,
    *,
    streams: list[tuple[str, str]] | None = None,
    retry: RetryPolicy | None = FAST_RETRY,
    reconcile: bool | None = None,
) -> dict:
    """Land the given streams (default: all) from the simulator; fail the test on any stream failure."""
    with RawStore(warehouse) as store:
        jobs = [
            StreamJob(SOURCES[src], simulator.settings(src), stream)
            for src, stream in streams or all_streams()
        ]
        results, failures = extract_streams(store, jobs, retry=retry, reconcile=reconcile)
    assert not failures, failures
    return {(r.source, r.stream): r for r in results}


def raw_versions(warehouse: Path) -> dict[str, set[tuple[str, str]]]:
    """Every raw table's set of (_key, _record_hash): what 'the same raw contents' means."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and not starts_with(table_name, '_')",
            [RAW_SCHEMA],
        ).fetchall()
        tables = [t for (t,) in names]
        return {
            t: set(con.execute(f"select _key, _record_hash from {RAW_SCHEMA}.{t}").fetchall()) for t in tables
        }


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def copy_warehouse(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


@dataclass(frozen=True)
class Extraction:
    path: Path
    results: dict[tuple[str, str], StreamResult]


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorProcess]:
    with SimulatorProcess(seed=SEED, scale="s", as_of=AS_OF) as sim:
        yield sim


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory, simulator: SimulatorProcess) -> Extraction:
    """One uninterrupted full extraction of every stream: the reference other runs are compared with."""
    path = tmp_path_factory.mktemp("baseline") / "warehouse.duckdb"
    return Extraction(path, extract_all(path, simulator))


@dataclass(frozen=True)
class BuiltWarehouse:
    """The baseline extraction with every dbt model built on it, and the Dagster result of that build."""

    path: Path
    result: object


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, baseline: Extraction) -> BuiltWarehouse:
    """`dbt build` and the quality gates through the Dagster assets, once per session, on a copy of the
    baseline."""
    import dagster as dg
    from dagster_dbt import DbtCliResource

    from dagster_project.assets.dbt import conformed_sources, conformed_sources_tests, warehouse_models
    from dagster_project.assets.quality import employee_gates, quality_gates
    from dagster_project.project import DBT_EXECUTABLE, dbt_project
    from dagster_project.resources import Warehouse

    warehouse = copy_warehouse(baseline.path, tmp_path_factory.mktemp("built") / "warehouse.duckdb")
    result = dg.materialize(
        [conformed_sources, conformed_sources_tests, warehouse_models, quality_gates, employee_gates],
        resources={
            "warehouse": Warehouse(path=str(warehouse)),
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        },
        raise_on_error=False,
    )
    failures = [e.event_specific_data.error.message for e in result.all_events if e.is_step_failure]
    assert not failures, f"dbt build failed (run `make test`, which prepares the dbt manifest): {failures}"
    return BuiltWarehouse(warehouse, result)


@pytest.fixture()
def faults(simulator: SimulatorProcess) -> Iterator:
    """Queue scripted faults on the simulator (`/_sim/faults`); cleared after the test."""
    import requests

    def queue(*specs: dict) -> None:
        response = requests.post(f"{simulator.url}/_sim/faults", json={"faults": list(specs)}, timeout=5)
        response.raise_for_status()

    yield queue
    requests.delete(f"{simulator.url}/_sim/faults", timeout=5)


@pytest.fixture()
def stub_server() -> Iterator[StubServer]:
    """A scripted HTTP server on a free loopback port (`tests/stub_server.py`), one per test."""
    with StubServer() as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, installed when absent (`tests/publish/browser.py`); the test is skipped only
    when that fails. Scorecards and Data Docs are both read through it."""
    return find_chromium()
