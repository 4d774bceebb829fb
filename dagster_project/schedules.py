"""When things run on their own."""

from __future__ import annotations

import dagster as dg

from dagster_project.jobs import extract_job

daily_extraction = dg.ScheduleDefinition(
    name="daily_extraction",
    job=extract_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    description="Every night at 02:00 company time: read what changed in every source.",
)
