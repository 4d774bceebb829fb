"""When things run on their own."""

from __future__ import annotations

import dagster as dg

from dagster_project.jobs import pipeline_job, publication_job

daily_pipeline = dg.ScheduleDefinition(
    name="daily_pipeline",
    job=pipeline_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    description="At 02:00 company time: read what changed in every source, then rebuild the models.",
)

monthly_publication = dg.build_schedule_from_partitioned_job(
    publication_job,
    hour_of_day=6,
    day_of_month=1,
    description="On the 1st at 06:00 company time: publish the scorecards of the month just closed.",
)
