"""What a run's checks decided, read from Dagster's own record of the run (never from the warehouse).

Within a run, Dagster gates by itself: a blocking check that fails stops everything downstream. A later
run that must not act on data a gate rejected (the monthly HR scorecards, which do not rerun the gates)
asks the instance which blocking checks failed in the latest run that judged any, and why-not-published
records read the same. `quality.quality_results` holds the same verdicts for people; it decides nothing.
"""

from __future__ import annotations

import dagster as dg

# A run that judged checks (the daily pipeline) is never more than a few runs back: the runs between two
# of them are scorecard renderings and backfills. The bound only keeps a bare instance from being read whole.
RUNS_LOOKED_BACK = 100
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


def check_evaluations(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetCheckEvaluation]:
    """Every asset check result of the run, in the order they were recorded."""
    records = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    return [record.dagster_event.event_specific_data for record in records]


def failed_blocking(evaluations: list[dg.AssetCheckEvaluation]) -> list[dg.AssetCheckEvaluation]:
    """The evaluations that stop what is downstream: failed with ERROR severity."""
    return [e for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]


def latest_checked_run(instance: dg.DagsterInstance) -> str | None:
    """The newest finished run that recorded any asset check result; None when there is none."""
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=FINISHED), limit=RUNS_LOOKED_BACK):
        if check_evaluations(instance, run.run_id):
            return run.run_id
    return None
