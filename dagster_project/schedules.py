"""When things run on their own: both schedules are on as soon as the code location loads (`make ui`);
stop one in the UI (Automation, then its toggle), which the instance remembers across restarts."""

from __future__ import annotations

import dagster as dg

from dagster_project.company import COMPANY_TIMEZONE
from dagster_project.jobs import pipeline_job, publication_job

daily_pipeline = dg.ScheduleDefinition(
    name="daily_pipeline",
    job=pipeline_job,
    cron_schedule="0 2 * * *",
    execution_timezone=COMPANY_TIMEZONE,
    description="At 02:00 company time: read what changed in every source, then rebuild the models.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

monthly_publication = dg.build_schedule_from_partitioned_job(
    publication_job,
    hour_of_day=6,
    day_of_month=1,
    description="On the 1st at 06:00 company time: publish the scorecards of the month just closed.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
