"""The rest of `daily_pipeline` through Dagster, timed step by step, and the definitions' load time.

Dagster is imported only by the function that runs the pipeline (in the bench's child process), so that
the bench's harness and report import without it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.landing.database import connect
from connectors.landing.tables import RAW_SCHEMA
from devtools.bench.stages import Recorder

if TYPE_CHECKING:
    import dagster as dg

DEFINITIONS_LOAD_RUNS = 3

# Dagster steps of `daily_pipeline` after extraction, in the order they run, with the bench's names.
STEPS = {
    "conformed_sources": "dbt: conformed sources (build)",
    "conformed_sources_tests": "dbt: conformed sources' tests",
    "quality_gates": "quality gates (great-expectations)",
    "warehouse_models": "dbt: metrics and marts (build)",
    "published__bi_snapshot": "publication (BI snapshot)",
}
DBT_STEPS = ("conformed_sources", "conformed_sources_tests", "warehouse_models")
PUBLICATION_STEP = "published__bi_snapshot"


def drop_models(warehouse: Path) -> None:
    """Leave the warehouse as extraction leaves it, so that the full run builds every model from raw:
    a resumed run may hold models from its first attempt, and dbt would then build them incrementally."""
    with connect(warehouse) as con:
        schemas = con.execute(
            "select schema_name from information_schema.schemata "
            "where catalog_name = current_database() and schema_name not in (?, 'main')",
            [RAW_SCHEMA],
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f'drop schema "{schema}" cascade')


def raw_rows(warehouse: Path) -> int:
    """Rows in every raw table: the input dbt and the gates read."""
    with connect(warehouse, read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and not starts_with(table_name, '_')",
            [RAW_SCHEMA],
        ).fetchall()
        return sum(con.execute(f"select count(*) from {RAW_SCHEMA}.{t}").fetchone()[0] for (t,) in tables)


@dataclass
class PipelineRun:
    success: bool
    seconds: float
    started_at: float
    finished_at: float
    steps: dict[str, dict[str, Any]]
    failed_checks: list[str]
    published_rows: int
    run_id: str


def slowest_models(result: dg.ExecuteInProcessResult, step: str, top: int = 8) -> dict[str, float]:
    """The dbt models of a step that took longest (dagster-dbt's `Execution Duration`), slowest first."""
    durations = {}
    for materialization in result.asset_materializations_for_node(step):
        duration = materialization.metadata.get("Execution Duration")
        if duration is not None:
            durations[materialization.asset_key.to_user_string()] = round(float(duration.value), 2)
    return dict(sorted(durations.items(), key=lambda item: -item[1])[:top])


def run_pipeline(warehouse: Path, log: Path) -> PipelineRun:
    """`daily_pipeline` through Dagster, minus extraction (the raw layer is landed already).

    The real definitions and job on the bench's warehouse; each step's start and end come from its
    Dagster events, which carry wall-clock timestamps comparable with the sampler's. dbt's and Dagster's
    console output goes to `log`, so that the bench's own lines stay readable.
    """
    import dagster as dg

    from dagster_project.definitions import build_definitions
    from dagster_project.demo_progress import QUIET_CONSOLE
    from dagster_project.jobs import pipeline_job, raw_selection
    from dagster_project.resources import Warehouse

    defs = build_definitions(Warehouse(path=str(warehouse)))
    selection = (pipeline_job.selection - raw_selection).resolve(defs.resolve_asset_graph())
    job = defs.resolve_job_def(pipeline_job.name)
    instance = dg.DagsterInstance.ephemeral()
    with log.open("a") as out, redirect_stdout(out), redirect_stderr(out):
        started = time.time()
        result = job.execute_in_process(
            instance=instance,
            asset_selection=sorted(selection),
            raise_on_error=False,
            run_config=QUIET_CONSOLE,
        )
        finished = time.time()
    steps: dict[str, dict[str, Any]] = {}
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event is None or entry.step_key is None:
            continue
        step = steps.setdefault(entry.step_key, {"status": "not run"})
        if event.event_type == dg.DagsterEventType.STEP_START:
            step["start"] = entry.timestamp
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            step["end"] = entry.timestamp
            step["status"] = "succeeded" if event.is_step_success else "failed"
        elif event.event_type == dg.DagsterEventType.STEP_SKIPPED:
            step["status"] = "skipped"
    failed_checks = sorted(
        f"{e.asset_key.to_user_string()}:{e.check_name}"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    )
    published_rows = 0
    for materialization in result.asset_materializations_for_node(PUBLICATION_STEP):
        rows = materialization.metadata.get("rows")
        if rows is not None:
            published_rows += sum(rows.value.values())
    for key in DBT_STEPS:
        if key in steps:
            steps[key]["slowest_models"] = slowest_models(result, key)
    return PipelineRun(
        success=result.success,
        seconds=finished - started,
        started_at=started,
        finished_at=finished,
        steps=steps,
        failed_checks=failed_checks,
        published_rows=published_rows,
        run_id=result.run_id,
    )


def record_pipeline(recorder: Recorder, run: PipelineRun, prefix: str, label: str, input_rows: int) -> None:
    """One stage per Dagster step, the two dbt steps together, and the whole run."""
    for key, step_label in STEPS.items():
        step = run.steps.get(key, {"status": "not run"})
        if "start" not in step or "end" not in step:
            recorder.echo(f"  {label}{step_label}: {step['status']}")
            continue
        publication = key == PUBLICATION_STEP
        recorder.add(
            f"{prefix}{key}",
            f"{label}{step_label}",
            step["start"],
            step["end"],
            run.published_rows if publication else input_rows,
            "rows published" if publication else "raw rows in",
            {k: v for k, v in step.items() if k not in ("start", "end")},
        )
    dbt = [run.steps.get(key, {}) for key in DBT_STEPS]
    if all("start" in s and "end" in s for s in dbt):
        recorder.add(
            f"{prefix}dbt_build",
            f"{label}dbt build with tests (its three steps)",
            min(s["start"] for s in dbt),
            max(s["end"] for s in dbt),
            input_rows,
            "raw rows in",
            seconds=sum(s["end"] - s["start"] for s in dbt),
        )
    recorder.add(
        f"{prefix}pipeline",
        f"{label}pipeline after extraction (Dagster run)",
        run.started_at,
        run.finished_at,
        input_rows,
        "raw rows in",
        {"success": run.success, "failed_checks": run.failed_checks, "run_id": run.run_id},
    )


DEFINITIONS_PROBE = """
import json, time
started = time.perf_counter()
import dagster_project.definitions as definitions
imported = time.perf_counter()
keys = definitions.defs.resolve_asset_graph().get_all_asset_keys()
resolved = time.perf_counter()
print(json.dumps({"import_s": imported - started, "resolve_s": resolved - imported, "assets": len(keys)}))
"""


def measure_definitions_load(runs: int = DEFINITIONS_LOAD_RUNS) -> dict[str, Any]:
    """Import the definitions and resolve the asset graph in fresh interpreters; the median counts.

    What `dagster dev` and every run worker pay before doing anything; a fresh process each time, so
    nothing is already imported.
    """
    measured = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", DEFINITIONS_PROBE], capture_output=True, text=True, check=True
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        figures["process_s"] = time.perf_counter() - started
        figures["load_s"] = figures["import_s"] + figures["resolve_s"]
        measured.append(figures)
    return {
        "seconds": statistics.median(m["load_s"] for m in measured),
        "process_seconds": statistics.median(m["process_s"] for m in measured),
        "assets": measured[0]["assets"],
        "runs": [{k: round(v, 3) if isinstance(v, float) else v for k, v in m.items()} for m in measured],
    }


def worker_pipeline(warehouse: Path, log: Path) -> dict[str, Any]:
    """In the child: the rest of `daily_pipeline` through Dagster."""
    return asdict(run_pipeline(warehouse, log))
