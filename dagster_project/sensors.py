"""Why a run did not publish, written down where the people who wait for the scorecards look."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from connectors.landing.file_modes import make_folder, make_readable
from dagster_project.assets.publication import published_dir
from dagster_project.jobs import pipeline_job, publication_job
from dagster_project.publish.snapshot import observation_for_bi
from dagster_project.quality.run_verdicts import check_evaluations, failed_blocking
from dagster_project.resources import Warehouse

NOT_PUBLISHED_LOG = "not_published.jsonl"


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[dict[str, str]]:
    """The blocking checks that failed in the run, with what they observed (withheld where the places
    observed can be people: the log sits in the BI tier)."""
    out = []
    for evaluation in failed_blocking(check_evaluations(instance, run_id)):
        observed = evaluation.metadata.get("observed")
        out.append(
            {
                "check": evaluation.check_name,
                "asset": evaluation.asset_key.to_user_string(),
                "observed": observation_for_bi(
                    evaluation.asset_key.to_user_string(), observed.value if observed is not None else ""
                ),
            }
        )
    return out


def record_not_published(log: Path, run: dg.DagsterRun, reason: str, checks: list[dict[str, str]]) -> None:
    make_folder(log.parent, readable=True)
    entry = {
        "run_id": run.run_id,
        "job": run.job_name,
        "recorded_at": datetime.now(UTC).isoformat(),
        "reason": reason,
        "failed_blocking_checks": checks,
    }
    with log.open("a") as out:
        out.write(json.dumps(entry) + "\n")
    make_readable(log)


@dg.run_failure_sensor(
    monitored_jobs=[pipeline_job, publication_job],
    description="Records in data/published/not_published.jsonl why a run did not publish.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def record_why_not_published(context: dg.RunFailureSensorContext, warehouse: Warehouse) -> None:
    checks = failed_checks(context.instance, context.dagster_run.run_id)
    reason = context.failure_event.message or "the run failed"
    record_not_published(
        published_dir(warehouse.path) / NOT_PUBLISHED_LOG, context.dagster_run, reason, checks
    )
