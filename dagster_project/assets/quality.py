"""The quality gates as Dagster asset checks on the conformed sources.

All of them run in one step (one GX context, one read of the warehouse) after the first dbt step; the
blocking ones are declared `blocking=True`, so a failure keeps every downstream asset of the checked
one (the metrics and marts, and whatever publishes them) from running in that run.
"""

import dagster as dg

from dagster_project.quality.checks import CHECKS, Severity
from dagster_project.quality.validation import run_quality_checks
from dagster_project.resources import Warehouse

CHECK_SPECS = [
    dg.AssetCheckSpec(
        name=check.name,
        asset=dg.AssetKey(list(check.asset)),
        blocking=check.severity is Severity.BLOCKING,
        description=f"{check.meaning} Expected: {check.expected}. Fix: {check.fix}",
    )
    for check in CHECKS
]


@dg.multi_asset_check(specs=CHECK_SPECS, can_subset=True, name="quality_gates")
def quality_gates(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    """Cross-source, time, money, unit, freshness and volume checks (great-expectations on DuckDB)."""
    selected = {key.name for key in context.selected_asset_check_keys}
    checks = [check for check in CHECKS if check.name in selected]
    for outcome in run_quality_checks(warehouse.path, context.run.run_id, checks):
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
