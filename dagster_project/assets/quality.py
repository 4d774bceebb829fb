"""The quality gates as Dagster asset checks on the conformed sources.

All of them run in one step (one GX context, one read of the warehouse) after the first dbt step; the
blocking ones are declared `blocking=True`, so a failure keeps every downstream asset of the checked
one (the metrics and marts, and whatever publishes them) from running in that run. The HR tier's
checks (`employee_gates`) run after the employee marts and only warn: they are for HR to review.

great-expectations runs in a process of its own, started for the step and gone after it: imported into
the Dagster process it stays there (about 140 MiB at scale l) through the dbt step that follows, which
is the run's peak. That process imports the gates and nothing of Dagster (`quality.gates_process`).
"""

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import dagster as dg

from dagster_project.quality.checks import CHECKS, EMPLOYEE_CHECKS, QualityCheck, Severity
from dagster_project.quality.validation import CheckOutcome
from dagster_project.resources import Warehouse, refusals_as_failures


def _specs(checks: tuple[QualityCheck, ...]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            name=check.name,
            asset=dg.AssetKey(list(check.asset)),
            blocking=check.severity is Severity.BLOCKING,
            description=f"{check.meaning} Expected: {check.expected}. Fix: {check.fix}",
        )
        for check in checks
    ]


CHECK_SPECS = _specs(CHECKS)


@dg.multi_asset_check(specs=CHECK_SPECS, can_subset=True, name="quality_gates")
def quality_gates(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    """Cross-source, time, money, unit, freshness and volume checks (great-expectations on DuckDB)."""
    yield from _evaluate(context, warehouse, CHECKS)


@dg.multi_asset_check(specs=_specs(EMPLOYEE_CHECKS), can_subset=True, name="employee_gates")
def employee_gates(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    """The HR tier's warnings: department index vs the roll-up of its people, grade calibration."""
    yield from _evaluate(context, warehouse, EMPLOYEE_CHECKS)


def _evaluate(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse, declared: tuple[QualityCheck, ...]
):
    """Run the selected checks in one GX context and report each as its asset check's result."""
    selected = {key.name for key in context.selected_asset_check_keys}
    checks = [check for check in declared if check.name in selected]
    with refusals_as_failures():
        outcomes = _in_own_process(warehouse.path, context.run.run_id, checks)
    for outcome in outcomes:
        yield dg.AssetCheckResult(
            check_name=outcome.check,
            asset_key=dg.AssetKey(outcome.asset.split("/")),
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.severity == Severity.BLOCKING
            else dg.AssetCheckSeverity.WARN,
            metadata={
                "observed": outcome.observed,
                "expected": outcome.expected,
                "failing_places": dg.MetadataValue.json(outcome.failures[:50]),
                "places_checked": len(outcome.rows),
            },
        )


def _in_own_process(warehouse: str, run_id: str, checks: list[QualityCheck]) -> list[CheckOutcome]:
    """`run_quality_checks` in a fresh interpreter (`quality.gates_process`); its errors are raised here
    as they were there, with the traceback they had there."""
    with tempfile.TemporaryDirectory(prefix="quality-gates-") as scratch:
        job, result = Path(scratch, "job.pickle"), Path(scratch, "result.pickle")
        job.write_bytes(pickle.dumps((warehouse, run_id, checks)))
        process = subprocess.run(
            [sys.executable, "-m", "dagster_project.quality.gates_process", str(job), str(result)],
            check=False,
        )
        if not result.exists():
            raise dg.Failure(
                f"The quality gates' process stopped without a result (exit code {process.returncode})."
            )
        status, payload, trace = pickle.loads(result.read_bytes())
    if status == "error":
        payload.add_note(f"Raised in the quality gates' process:\n{trace}")
        raise payload
    return payload
