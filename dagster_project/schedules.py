"""When things run on their own."""

from __future__ import annotations

import dagster as dg

from dagster_project.jobs import pipeline_job

daily_pipeline = dg.ScheduleDefinition(
    name="daily_pipeline",
    job=pipeline_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    description="At 02:00 company time: read what changed in every source, then rebuild the models.",
)
