"""One count of checks on a real run: the Dagster run's asset check results, `quality.quality_results` and
`quality.counts` hold the same checks, each once, with the same verdicts; dbt's tests all count."""

from __future__ import annotations

import json

import dagster as dg
import duckdb

from dagster_project.project import dbt_project
from dagster_project.quality.checks import CHECKS, EMPLOYEE_CHECKS
from dagster_project.quality.counts import count_checks
from tests.conftest import query


def _verdicts(built) -> dict[tuple[str, str], bool]:
    rows = query(
        built.path,
        "select asset, check_name, passed from quality.quality_results where run_id = ?",
        [built.result.run_id],
    )
    assert len(rows) == len({(asset, check) for asset, check, _ in rows}), "a check stored twice"
    return {(asset, check): passed for asset, check, passed in rows}


def test_the_dagster_run_and_quality_results_hold_the_same_checks(built):
    in_dagster = {
        (e.asset_key.to_user_string(), e.check_name): e.passed
        for e in built.result.get_asset_check_evaluations()
    }
    assert in_dagster == _verdicts(built)


def test_no_dbt_test_is_logged_as_an_observation(built):
    observed_tests = [
        event.event_specific_data.asset_observation.metadata.get("unique_id")
        for event in built.result.all_events
        if event.event_type == dg.DagsterEventType.ASSET_OBSERVATION
    ]
    assert [
        uid.value for uid in observed_tests if uid is not None and str(uid.value).startswith("test.")
    ] == []


def test_the_count_is_every_dbt_data_test_and_every_gx_check(built):
    manifest = json.loads(dbt_project.manifest_path.read_text())
    data_tests = sum(node["resource_type"] == "test" for node in manifest["nodes"].values())
    with duckdb.connect(str(built.path), read_only=True) as connection:
        count = count_checks(connection, built.result.run_id)
    assert (count.dbt_tests, count.gx_checks) == (data_tests, len(CHECKS) + len(EMPLOYEE_CHECKS))
    assert count.checks == len(_verdicts(built)) == len(built.result.get_asset_check_evaluations())
    assert count.passed == sum(_verdicts(built).values())
    hr_tier = [key for key in _verdicts(built) if key[0].startswith("hr/")]
    assert count.hr_tier == len(hr_tier) > 0
    assert count.department_level == count.checks - len(hr_tier)
