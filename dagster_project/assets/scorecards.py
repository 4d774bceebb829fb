"""Scorecards for HR, one partition per month, rendered from the published BI snapshot.

Partitioned so that a month can be re-published or backfilled on its own; rendering from the published
snapshot (not the working database) means a scorecard shows exactly what BI tools see, and never data
that a blocking check held back.
"""

from pathlib import Path

import dagster as dg

from connectors.landing.database import connect
from connectors.landing.file_modes import make_passable
from dagster_project.assets.publication import PUBLISHED_DB, published_dir
from dagster_project.company import COMPANY_TIMEZONE
from dagster_project.resources import Warehouse

SCORECARDS_DIR = "scorecards"
# The earliest month any simulator scale (and a real company onboarding two years back) has data for.
FIRST_MONTH = "2024-01-01"
monthly = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH, timezone=COMPANY_TIMEZONE, end_offset=1)


def scorecards_dir(warehouse: str | Path) -> Path:
    """`data/scorecards/` beside the working database."""
    return Path(warehouse).resolve().parent / SCORECARDS_DIR


def quarter_of(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


@dg.asset(
    key=["published", "scorecards"],
    deps=[dg.AssetKey(["published", "bi_snapshot"])],
    partitions_def=monthly,
    group_name="publication",
    description="Bilingual HTML scorecards and an Excel workbook for the month (and its quarter so far).",
)
def scorecards(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    from dagster_project.publish.excel import write_scorecard_workbook
    from dagster_project.publish.scorecards import write_scorecards

    month = context.partition_key[:7]
    snapshot = published_dir(warehouse.path) / PUBLISHED_DB
    if not snapshot.exists():
        raise dg.Failure(f"No BI snapshot at {snapshot}: run daily_pipeline first (it publishes one).")
    with connect(snapshot, read_only=True) as connection:
        periods = {
            p
            for (p,) in connection.execute(
                "select distinct period_id from marts.fct_department_contribution"
            ).fetchall()
        }
    if month not in periods:
        raise dg.Failure(
            f"The published snapshot has no scores for {month} (it has {min(periods)} to {max(periods)})."
        )
    written = {}
    for period in (month, quarter_of(month)):
        out = scorecards_dir(warehouse.path) / period
        index = write_scorecards(snapshot, period, out)
        workbook = write_scorecard_workbook(snapshot, period, out / f"scorecard_{period}.xlsx")
        written[period] = (index, workbook)
        make_passable(Path(warehouse.path).resolve().parent, out)
    index, workbook = written[month]
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(index)),
            "workbook": dg.MetadataValue.path(str(workbook)),
            "quarter_index": dg.MetadataValue.path(str(written[quarter_of(month)][0])),
        }
    )
