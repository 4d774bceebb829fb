"""The definitions as `make ui` shows them: every dbt test an asset check with a description, seeds in a
named group beside what they feed, the dbt steps splitting the project between them, automation on."""

from __future__ import annotations

import json

import dagster as dg
import pytest
from dagster_dbt.asset_utils import get_asset_check_key_for_test

from dagster_project.assets.dbt import LAYERS, WarehouseTranslator
from dagster_project.definitions import defs
from dagster_project.project import dbt_project
from dagster_project.quality.checks import MONEY
from dagster_project.quality.dbt_tests import node_under_test


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


@pytest.fixture(scope="module")
def asset_graph():
    return defs.get_repository_def().asset_graph


def _nodes(manifest: dict, resource_type: str) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == resource_type}


def test_every_dbt_test_is_an_asset_check(manifest, asset_graph):
    """A test that is not a check is logged as an observation and missing from the run's count."""
    tests = {node["name"] for node in _nodes(manifest, "test").values()}
    checks = [key.name for key in asset_graph.asset_check_keys]
    assert tests - set(checks) == set()
    assert len([name for name in checks if name in tests]) == len(tests), "one check per test"


def test_every_asset_check_has_a_description(asset_graph):
    described = {key: asset_graph.get_check_spec(key).description for key in asset_graph.asset_check_keys}
    assert [key for key, text in described.items() if not (text or "").strip()] == []
    assert not [key for key, text in described.items() if "No description" in (text or "")]


def test_a_generic_tests_description_says_what_it_asserts_about_its_column(manifest, asset_graph):
    key = next(
        k
        for k in asset_graph.asset_check_keys
        if k.name.startswith("relationships_fct_metric_scores_department_id")
    )
    text = asset_graph.get_check_spec(key).description
    assert text.startswith(
        "Every `department_id` in `fct_metric_scores` is found as `department_id` in `departments`;"
    )
    assert f"dbt test --select {key.name}" in text


def test_a_singular_tests_description_is_its_own(asset_graph):
    key = next(k for k in asset_graph.asset_check_keys if k.name == "assert_scheme_weights_sum_to_100")
    assert "weigh 100 %" in asset_graph.get_check_spec(key).description


def test_the_stored_verdict_names_the_asset_the_dagster_check_sits_on(manifest):
    """`quality.quality_results` and the Dagster check name one asset, so that counts per asset agree."""
    translator = WarehouseTranslator()
    for unique_id, test in _nodes(manifest, "test").items():
        key = get_asset_check_key_for_test(manifest, translator, unique_id, project=None)
        assert key is not None, f"{test['name']} has no asset: give a singular test meta.dagster.ref"
        stored = translator.get_asset_spec(manifest, node_under_test(manifest, test), None).key
        assert key.asset_key == stored, test["name"]


def test_no_asset_sits_in_the_unnamed_default_group(asset_graph):
    groups = {key: asset_graph.get(key).group_name for key in asset_graph.get_all_asset_keys()}
    assert [key for key, group in groups.items() if group in (None, "default")] == []


def test_seeds_join_the_first_layer_they_feed(manifest, asset_graph):
    translator = WarehouseTranslator()
    for unique_id, seed in _nodes(manifest, "seed").items():
        key = translator.get_asset_spec(manifest, unique_id, None).key
        readers = [
            manifest["nodes"][c]["fqn"][1] for c in manifest["child_map"][unique_id] if c.startswith("model.")
        ]
        assert asset_graph.get(key).group_name == min(readers, key=LAYERS.index), seed["name"]


def test_the_two_dbt_steps_build_every_model_and_seed_once(manifest, asset_graph):
    translator = WarehouseTranslator()
    expected = {
        translator.get_asset_spec(manifest, uid, None).key
        for kind in ("model", "seed")
        for uid in _nodes(manifest, kind)
    }
    first, second = (
        set(defs.get_assets_def(dg.AssetKey(key)).keys)
        for key in (["staging", "stg_hr__employees"], ["marts", "fct_department_contribution"])
    )
    assert first & second == set()
    assert first | second == expected


def test_each_staging_model_reads_its_own_source_only(manifest):
    """Staging types what one source sent; converting money with the ERP's rates is intermediate's
    (models/intermediate/currency), so that no CRM or HR staging model waits on the ERP."""
    staging = {uid: node for uid, node in _nodes(manifest, "model").items() if node["fqn"][1] == "staging"}
    assert staging
    for node in staging.values():
        source = node["fqn"][2]  # the model's folder, models/staging/<source>/
        parents = node["depends_on"]["nodes"]
        assert parents, node["name"]
        assert all(p.startswith(f"source.{node['package_name']}.{source}.") for p in parents), (
            node["name"],
            parents,
        )


def test_the_money_gate_reads_what_the_first_dbt_step_builds():
    """The gates run after the conformed sources' step: the converted amounts they judge are built there."""
    first = set(defs.get_assets_def(dg.AssetKey(["staging", "stg_hr__employees"])).keys)
    for model, *_ in MONEY:
        assert dg.AssetKey(["intermediate", model]) in first, model


def test_schedules_and_the_sensor_are_on_by_default():
    assert {s.name: s.default_status for s in defs.schedules} == {
        "daily_pipeline": dg.DefaultScheduleStatus.RUNNING,
        "monthly_publication_schedule": dg.DefaultScheduleStatus.RUNNING,
    }
    assert {s.name: s.default_status for s in defs.sensors} == {
        "record_why_not_published": dg.DefaultSensorStatus.RUNNING
    }
