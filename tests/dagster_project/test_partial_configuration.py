"""A partly configured deployment never reaches the simulator through Dagster or the demo: the code location
fails to load with the one message, a step refuses with it, and the demo stops before it runs anything."""

from __future__ import annotations

import os
import sys

import dagster as dg
import pytest

from connectors.deployment import PartialConfiguration
from dagster_project.assets.raw import raw_asset_key
from dagster_project.definitions import build_definitions, raw_assets
from dagster_project.resources import SourceSystems, Warehouse
from tests.connectors.test_deployment import CRM_ONLY, CRM_ONLY_REFUSAL
from tests.deployment_helpers import REPO, environment_with, run_command

DAGSTER = str(REPO / ".venv" / "bin" / "dagster")


@pytest.fixture()
def crm_only(monkeypatch):
    """This process configured for the CRM alone."""
    for name in [n for n in os.environ if n.startswith("DCW_")]:
        monkeypatch.delenv(name)
    for name, value in CRM_ONLY.items():
        monkeypatch.setenv(name, value)


def test_the_code_location_fails_to_load_with_the_one_message(tmp_path):
    """What `dagster dev` shows for the code location: its load error, and no schedule can fire."""
    env = environment_with(CRM_ONLY)
    done = run_command(
        [DAGSTER, "definitions", "validate", "-m", "dagster_project.definitions"],
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"connectors.deployment.PartialConfiguration: {CRM_ONLY_REFUSAL}" in output, output[-3000:]


def test_building_the_definitions_refuses(crm_only):
    with pytest.raises(PartialConfiguration, match=r"^Not every source is configured"):
        build_definitions()


def test_a_step_that_extracts_fails_with_the_message_and_reads_nothing(crm_only, tmp_path):
    """Definitions loaded before the configuration changed (a long-running code server): the step
    itself refuses, with the message as the failure's description."""
    warehouse = tmp_path / "w.duckdb"
    result = dg.materialize(
        [raw_assets],
        selection=[raw_asset_key("hr", "employees"), raw_asset_key("crm", "owners")],
        resources={"warehouse": Warehouse(path=str(warehouse)), "source_systems": SourceSystems()},
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert failure.step_failure_data.user_failure_data.description == (
        "Not every source is configured, and the bundled simulator stands in only when none is: "
        "hr (BambooHR): set DCW_HR_BASE_URL and DCW_HR_API_KEY; "
        "or set DCW_SIMULATOR=1 to read the unconfigured ones from the bundled simulator."
    )
    assert not warehouse.exists()


def test_the_demo_refuses_at_start_with_the_one_message(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    env = {**environment_with(CRM_ONLY), "DCW_WAREHOUSE_PATH": str(warehouse)}
    done = run_command(
        [sys.executable, "-m", "dagster_project.demo"],
        env=env,
        timeout=600,
    )
    assert done.returncode == 2
    assert done.stderr == CRM_ONLY_REFUSAL + "\n" and done.stdout == ""
    assert not list(tmp_path.iterdir()), "nothing was run, nothing was written"
