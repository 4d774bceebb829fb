"""The demo's console: one line per stage of the pipeline as it ends, read from the run's own events.

A Dagster logger, so the lines come from the same events the UI shows (materializations, asset check
results, step failures), written as each step ends; dbt's own log goes to the demo's log file.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TextIO

import dagster as dg

from dagster_project.assets.raw import LEDGER_KEY

# Each step of the jobs the demo runs, and the stage of the pipeline it is.
STAGES: dict[str, str] = {
    "extract_raw": "extract",
    "conformed_sources": "conform",
    "conformed_sources_tests": "conform",
    "quality_gates": "gates",
    "warehouse_models": "marts",
    "employee_gates": "gates",
    "published__bi_snapshot": "publish",
    "published__scorecards": "scorecards",
    "hr__employee_scorecards": "scorecards",
}
# A step whose line waits for the next one's: the conformed sources' build and their tests are one stage,
# "conform", with one line (models built, tests passed) timed from the build's start.
LINE_SHARED_WITH = {"conformed_sources": "conformed_sources_tests"}
WIDTH = max(len(stage) for stage in STAGES.values()) + 2
LOGGER_NAME = "demo_progress"
# Dagster's own console logger says only what went wrong; the UI has the full log.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class StepTally:
    """What one step has done so far."""

    started: float
    seeds: int = 0
    models: int = 0
    raw_tables: int = 0
    fetched: int = 0
    new_versions: int = 0
    rejected: int = 0
    deleted: int = 0
    checks: int = 0
    passed: int = 0
    written: list[str] = field(default_factory=list)  # other assets, with their partition


class ProgressHandler(logging.Handler):
    """Tallies each step's events and writes its stage's line when the step ends."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(logging.DEBUG)
        self.out = out
        self.steps: dict[str, StepTally] = {}

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None or event.step_key is None:
            return
        step = event.step_key
        if event.is_step_start:
            self.steps[step] = self.steps.pop(_waiting(step), None) or StepTally(time.monotonic())
            return
        tally = self.steps.setdefault(step, StepTally(time.monotonic()))
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            _count_materialization(tally, event.event_specific_data.materialization)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            tally.checks += 1
            tally.passed += bool(event.event_specific_data.passed)
        elif event.is_step_success and step in LINE_SHARED_WITH:
            self.steps[_waiting(LINE_SHARED_WITH[step])] = self.steps.pop(step)
        elif event.is_step_success:
            self._line(step, f"{_what(step, tally)}  ({time.monotonic() - tally.started:.1f} s)")
        elif event.is_step_failure:
            self._line(step, f"FAILED: {_failure(event)}")
        elif event.is_step_skipped:
            self._line(step, f"not run ({step}): a blocking check upstream failed")

    def _line(self, step: str, text: str) -> None:
        self.out.write(f"{STAGES.get(step, step):<{WIDTH}}{text}\n")
        self.out.flush()


def _waiting(step: str) -> str:
    """Where a step's tally waits for the step that shares its line."""
    return f"{step}:waiting"


def _count_materialization(tally: StepTally, materialization: dg.AssetMaterialization) -> None:
    meta = {key: value.value for key, value in materialization.metadata.items()}
    unique_id = str(meta.get("unique_id", ""))
    if unique_id.startswith("seed."):
        tally.seeds += 1
    elif unique_id.startswith("model."):
        tally.models += 1
    elif "rows_fetched" in meta and materialization.asset_key != LEDGER_KEY:
        tally.raw_tables += 1
        tally.fetched += int(meta["rows_fetched"])
        tally.new_versions += int(meta.get("rows_inserted", 0))
        tally.rejected += int(meta.get("rows_rejected", 0))
        tally.deleted += int(meta.get("rows_tombstoned", 0))
    elif materialization.asset_key != LEDGER_KEY:
        partition = f" ({materialization.partition})" if materialization.partition else ""
        tally.written.append(f"{materialization.asset_key.to_user_string()}{partition}")


def _what(step: str, tally: StepTally) -> str:
    if step == "extract_raw":
        return (
            f"{tally.raw_tables} raw tables: {tally.fetched:,} records fetched, {tally.new_versions:,} new "
            f"versions, {tally.rejected:,} rejected, {tally.deleted:,} deleted"
        )
    if STAGES.get(step) in ("conform", "marts"):
        seeds = f" and {tally.seeds} seeds" if tally.seeds else ""
        return f"dbt: {tally.models} models{seeds} built, {tally.passed} of {tally.checks} tests passed"
    if STAGES.get(step) == "gates":
        tier = " on the HR tier (warnings only)" if step == "employee_gates" else ""
        return f"great-expectations: {tally.passed} of {tally.checks} checks passed{tier}"
    return f"{', '.join(tally.written) or 'nothing'} written"


def _failure(event: dg.DagsterEvent) -> str:
    """A failed step's own words: a `dg.Failure`'s description, else the error's message."""
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    return data.error.message.strip() if data.error else "failed"


def with_progress(job: dg.JobDefinition, out: TextIO) -> tuple[dg.JobDefinition, dict]:
    """The job with a logger that writes the stage lines to `out`, and the run config that turns it on."""

    @dg.logger
    def demo_progress(_init_context) -> logging.Logger:
        progress = logging.Logger(LOGGER_NAME, level=logging.DEBUG)
        progress.addHandler(ProgressHandler(out))
        return progress

    loggers = {**QUIET_CONSOLE["loggers"], LOGGER_NAME: {}}
    return job.with_logger_defs({**job.loggers, LOGGER_NAME: demo_progress}), {"loggers": loggers}
