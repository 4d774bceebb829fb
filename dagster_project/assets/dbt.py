"""Every dbt model as an asset, downstream of the raw assets its sources read."""

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from dagster_dbt.asset_utils import build_dbt_specs

from connectors.landing.database import check_not_held
from connectors.settings import (
    DUCKDB_MEMORY_LIMIT_ENV,
    DUCKDB_THREADS_ENV,
    WAREHOUSE_PATH_ENV,
    duckdb_settings,
)
from dagster_project.assets.raw import LEDGER_KEY, LEDGER_SOURCE, raw_asset_key
from dagster_project.changes import record_dbt_build
from dagster_project.dbt_target import (
    invocation_target_path,
    prune_invocation_folders,
    reusing_saved_parse,
    saved_parse_path,
)
from dagster_project.project import dbt_project
from dagster_project.quality.dbt_tests import describe_test
from dagster_project.quality.validation import record_dbt_results
from dagster_project.resources import Warehouse, refusals_as_failures

# The dbt layers in the order data flows through them: a seed joins the group of the first layer it feeds.
LAYERS = ("staging", "intermediate", "marts", "hr")


class WarehouseTranslator(DagsterDbtTranslator):
    """dbt sources are the raw assets; models are grouped by layer (staging, intermediate, marts, hr),
    each seed with the first layer that reads it; every test's check says what the test asserts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            if dbt_resource_props["source_name"] == LEDGER_SOURCE:
                return LEDGER_KEY
            return raw_asset_key(dbt_resource_props["source_name"], dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else super().get_group_name(dbt_resource_props)

    def get_asset_spec(self, manifest, unique_id, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("seed."):
            return spec.replace_attributes(group_name=seed_group(manifest, unique_id))
        return spec

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return spec._replace(description=describe_test(manifest, manifest["nodes"][unique_id]))


def seed_group(manifest: Mapping[str, Any], seed_id: str) -> str:
    """The first layer (in `LAYERS` order) of the models that read the seed: the group it belongs in."""
    readers = {
        manifest["nodes"][child]["fqn"][1]
        for child in manifest["child_map"].get(seed_id, [])
        if child.startswith("model.")
    }
    return next((layer for layer in LAYERS if layer in readers), "seeds")


class ConformedTranslator(WarehouseTranslator):
    """The conformed sources as assets without their tests: those are the checks of their own step,
    `conformed_sources_tests`, beside the great-expectations gates (see `conformed_sources_tests`)."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))


@contextmanager
def warehouse_for_dbt(path: str) -> Iterator[dict[str, str]]:
    """dbt runs from its own directory and reads the database path and DuckDB's bounds from the
    environment: hand it the warehouse resource's path, absolute, and the product's settings, for the
    duration of the call. Yields them: they are what dbt's rendered profile depends on."""
    settings = duckdb_settings()
    wanted = {
        WAREHOUSE_PATH_ENV: str(Path(path).resolve()),
        DUCKDB_MEMORY_LIMIT_ENV: settings["memory_limit"],
        DUCKDB_THREADS_ENV: settings["threads"],
    }
    previous = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield wanted
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# dbt runs in two steps so that the quality gates can stand between them: first the sources as they
# are (seeds, staging, identity and org conformance, the calendar, the field issues, the amounts in the
# reporting currency), then their tests and the great-expectations gates (two check steps), then the
# metrics, scores and marts. A failed blocking check on the first step's assets keeps the last from
# running: Dagster's own gate. The money gates judge converted amounts, hence the currency models here.
CONFORMED_SELECTION = (
    "resource_type:seed fqn:staging fqn:intermediate.org fqn:intermediate.calendar fqn:intermediate.quality"
    " fqn:intermediate.currency"
)
# A test runs in the step that builds the last of its parents (a relationship test between a mart and a
# seed waits for the mart), never against a model not built yet.
INDIRECT_SELECTION = ["--indirect-selection", "buildable"]
NO_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
# The second step's models, named rather than "everything but the first step's": dbt's exclusion drops
# every test that touches an excluded node, so a relationship test from a mart to a seed would belong to
# neither step's checks (Dagster logged it as an observation). Together the two selections hold every
# model and seed once (tests/dagster_project/test_definitions.py).
WAREHOUSE_SELECTION = (
    "fqn:intermediate.metrics fqn:intermediate.people fqn:intermediate.scoring fqn:marts fqn:hr"
)


class DbtRunConfig(dg.Config):
    """Launchpad options of a dbt step. ``full_refresh`` rebuilds the incremental models from all of raw
    (after a staging model's columns change); a normal run reads only what landed since the last one."""

    full_refresh: bool = False

    def build_args(self) -> list[str]:
        """The options of this step's `dbt build` (never of its `dbt test`)."""
        return ["--full-refresh"] if self.full_refresh else []


def _dbt(
    context: dg.OpExecutionContext | dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: Warehouse,
    args: list[str],
    *,
    raise_on_error: bool,
    cli_options: Mapping[str, Any] | None = None,
) -> Iterator:
    """One dbt command, streamed; then every test's verdict is appended to quality.quality_results (the
    record for people, beside GX's), and the project it built from to marts.dbt_builds (what a rerun
    compares, `dagster_project.changes`). `cli_options` replace the step's context as what dagster-dbt
    reads its selection and asset keys from (a check step hands it the manifest and translator)."""
    project_dir = Path(dbt.project_dir)
    target_path = invocation_target_path(project_dir, context.op.name, context.run.run_id)
    # dbt opens the warehouse itself: a process outside the run queue that holds it is named here,
    # in one line, rather than in dbt's own error halfway through the build.
    with refusals_as_failures():
        check_not_held(warehouse.path)
    with (
        warehouse_for_dbt(warehouse.path) as profile_env,
        reusing_saved_parse(saved_parse_path(project_dir, profile_env), target_path),
    ):
        invocation = dbt.cli(
            [*args, *INDIRECT_SELECTION],
            raise_on_error=False,
            target_path=target_path,
            **(cli_options if cli_options is not None else {"context": context}),
        )
        yield from invocation.stream()
        if invocation.target_path.joinpath("run_results.json").exists():
            record_dbt_results(
                warehouse.path,
                invocation.get_artifact("run_results.json"),
                invocation.manifest,
                context.run.run_id,
            )
        record_dbt_build(warehouse.path, context.run.run_id, context.op.name, project_dir)
        removed = prune_invocation_folders(project_dir)
        if removed:
            context.log.debug(
                f"Removed {len(removed)} old dbt invocation folders from {project_dir / 'target'}"
            )
        if raise_on_error and not invocation.is_successful():
            raise invocation.get_error() or dg.Failure(f"dbt {args[0]} failed")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=ConformedTranslator(),
    select=CONFORMED_SELECTION,
    name="conformed_sources",
)
def conformed_sources(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse, config: DbtRunConfig
):
    """Seeds, staging and conformance: each source typed, its people and departments mapped.

    Built without their tests, which are the checks of the next step (`conformed_sources_tests`): so
    that one failing test does not leave the models after it unbuilt, and the great-expectations gates,
    a step of their own beside it, still see every conformed source and name what they find.
    """
    yield from _dbt(context, dbt, warehouse, ["build", *NO_TESTS, *config.build_args()], raise_on_error=True)


MANIFEST: Mapping[str, Any] = json.loads(Path(dbt_project.manifest_path).read_text())
# The conformed sources' dbt tests as Dagster asset checks, each on the model it tests and exactly as
# dagster-dbt declares them on a `@dbt_assets` (severity error: blocking; warn: not).
_, CONFORMED_TEST_SPECS = build_dbt_specs(
    translator=WarehouseTranslator(),
    manifest=MANIFEST,
    select=CONFORMED_SELECTION,
    exclude="",
    selector="",
    io_manager_key=None,
    project=dbt_project,
)


@dg.multi_asset_check(specs=CONFORMED_TEST_SPECS, can_subset=True, name="conformed_sources_tests")
def conformed_sources_tests(
    context: dg.AssetCheckExecutionContext, dbt: DbtCliResource, warehouse: Warehouse
):
    """The conformed sources' dbt tests (`dbt test`). Their blocking checks gate as the great-expectations
    gates' do: a failed one keeps the metrics and marts, and all that publishes them, from running."""
    selected = context.selected_asset_check_keys
    every = len(selected) == len(CONFORMED_TEST_SPECS)
    select = CONFORMED_SELECTION if every else " ".join(sorted(key.name for key in selected))
    options = {"manifest": MANIFEST, "dagster_dbt_translator": WarehouseTranslator()}
    for event in _dbt(
        context.op_execution_context,
        dbt,
        warehouse,
        ["test", "--select", select],
        raise_on_error=False,
        cli_options=options,
    ):
        # Outside an asset step dagster-dbt reports a test as a bare evaluation; as this check's result
        # it carries the check's blocking flag.
        if isinstance(event, dg.AssetCheckEvaluation) and event.asset_check_key in selected:
            yield dg.AssetCheckResult(
                asset_key=event.asset_key,
                check_name=event.check_name,
                passed=event.passed,
                severity=event.severity,
                metadata=event.metadata,
            )


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=WarehouseTranslator(),
    select=WAREHOUSE_SELECTION,
    name="warehouse_models",
)
def warehouse_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse, config: DbtRunConfig
):
    """Metrics, scores and marts (`dbt build`), once the conformed sources passed their gates."""
    yield from _dbt(context, dbt, warehouse, ["build", *config.build_args()], raise_on_error=True)
