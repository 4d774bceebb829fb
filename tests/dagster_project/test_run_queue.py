"""Two writers through Dagster: runs that open the working warehouse queue one at a time (the instance
settings the Makefile installs), and a step or the demo that meets a process outside the queue holding
the warehouse fails with the one line that says which file, which process and what to do."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from dagster_project.assets.dbt import conformed_sources
from dagster_project.assets.raw import raw_asset_key
from dagster_project.definitions import defs, raw_assets
from dagster_project.jobs import WAREHOUSE_TAG
from dagster_project.project import DBT_EXECUTABLE, dbt_project
from dagster_project.resources import SourceSystems, Warehouse
from tests.deployment_helpers import (
    REPO,
    Held,
    assert_one_line_naming,
    environment_with,
    holding,
    run_command,
)

INSTANCE_SETTINGS = REPO / "dagster_project" / "dagster.yaml"
[(TAG_KEY, TAG_VALUE)] = WAREHOUSE_TAG.items()


@pytest.fixture()
def held_warehouse(tmp_path) -> Iterator[Held]:
    with holding(tmp_path / "data" / "warehouse.duckdb") as held:
        yield held


def test_the_makefile_installs_the_instance_settings_and_dagster_queues_one_run_at_a_time(tmp_path: Path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").touch()  # what the Makefile used to leave there: an empty file, newer
    done = run_command(
        ["make", "--no-print-directory", "instance", f"DAGSTER_HOME={home}"],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (home / "dagster.yaml").read_text() == INSTANCE_SETTINGS.read_text()

    instance = dg.DagsterInstance.from_config(str(home))
    queue = instance.get_concurrency_config().run_queue_config
    assert queue.max_concurrent_runs == 1
    assert queue.tag_concurrency_limits == [{"key": TAG_KEY, "limit": 1}]
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"


def test_every_job_carries_the_tag_the_queue_limits():
    settings = yaml.safe_load(INSTANCE_SETTINGS.read_text())
    limited = {limit["key"] for limit in settings["concurrency"]["runs"]["tag_concurrency_limits"]}
    assert TAG_KEY in limited
    jobs = [job for job in defs.resolve_all_job_defs() if not job.name.startswith("__")]
    assert {job.name for job in jobs} == {"extract_sources", "daily_pipeline", "monthly_publication"}
    for job in jobs:
        assert job.tags.get(TAG_KEY) == TAG_VALUE, job.name


def _failure_description(result: dg.ExecuteInProcessResult) -> str:
    [failure] = [e for e in result.all_events if e.is_step_failure]
    return failure.step_failure_data.user_failure_data.description


def test_an_extraction_step_that_meets_a_held_warehouse_fails_with_the_line(
    held_warehouse: Held, simulator, monkeypatch
):
    for name, value in simulator.environment().items():
        monkeypatch.setenv(name, value)
    result = dg.materialize(
        [raw_assets],
        selection=[raw_asset_key("crm", "owners")],
        resources={"warehouse": Warehouse(path=str(held_warehouse.path)), "source_systems": SourceSystems()},
        raise_on_error=False,
    )
    assert not result.success
    assert_one_line_naming(_failure_description(result), held_warehouse)


def test_a_dbt_step_that_meets_a_held_warehouse_fails_with_the_line_before_dbt_starts(held_warehouse: Held):
    from dagster_dbt import DbtCliResource

    result = dg.materialize(
        [conformed_sources],
        resources={
            "warehouse": Warehouse(path=str(held_warehouse.path)),
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        },
        raise_on_error=False,
    )
    assert not result.success
    assert_one_line_naming(_failure_description(result), held_warehouse)


def test_the_demo_refuses_a_held_warehouse_with_the_line(held_warehouse: Held):
    env = environment_with({"DCW_WAREHOUSE_PATH": str(held_warehouse.path)})
    done = run_command(
        [sys.executable, "-m", "dagster_project.demo"],
        env=env,
        timeout=600,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert_one_line_naming(done.stderr, held_warehouse)
