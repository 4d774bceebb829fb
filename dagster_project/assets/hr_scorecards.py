"""Employee scorecards for HR only, one partition per month, rendered from the working database's `hr` marts.

They name people, so they never go through the BI snapshot: they are read from the working database
(read-only) and written to `data/hr/scorecards/<period>/`, beside `data/scorecards/` but outside
`data/published/`. They depend on the BI snapshot too, for its place in the graph (the snapshot runs only
when every blocking check passed), and because the monthly job does not rerun the gates, the asset asks
Dagster which blocking checks failed in the latest run that judged any (`quality.run_verdicts`) and
refuses to render when one did: employee scores held back by a failed gate are never handed to HR either.
"""

from pathlib import Path

import dagster as dg

from dagster_project.assets.scorecards import monthly, quarter_of
from dagster_project.resources import Warehouse, refusals_as_failures

HR_SCORECARDS_DIR = Path("hr") / "scorecards"


def hr_scorecards_dir(warehouse: str | Path) -> Path:
    """`data/hr/scorecards/` beside the working database."""
    return Path(warehouse).resolve().parent / HR_SCORECARDS_DIR


@dg.asset(
    key=["hr", "employee_scorecards"],
    deps=[dg.AssetKey(["hr", "fct_employee_scorecard"]), dg.AssetKey(["published", "bi_snapshot"])],
    partitions_def=monthly,
    group_name="publication",
    description="HR-only employee scorecards of the month (and its quarter so far): an HTML page and an "
    "Excel workbook per department, with names, in data/hr/scorecards/<period>/.",
)
def employee_scorecards(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with refusals_as_failures():
        return _render(context, warehouse)


def _render(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Render the month's and its quarter's employee scorecards, then keep all of data/hr/ private."""
    from connectors.landing.file_modes import make_private
    from dagster_project.publish.hr_scorecard_data import scored_periods
    from dagster_project.publish.hr_scorecards import write_hr_scorecards
    from dagster_project.publish.scorecard_data import ScorecardError

    month = context.partition_key[:7]
    working = Path(warehouse.path).resolve()
    periods = scored_periods(working)
    if not periods:
        raise dg.Failure(f"{working} has no employee scores (hr.fct_employee_scorecard): run daily_pipeline.")
    if month not in periods:
        months = [p for p in periods if "Q" not in p]
        raise dg.Failure(
            f"No employee is scored in {month} (hr.fct_employee_scorecard has "
            f"{min(months, default='-')} to {max(months, default='-')})."
        )
    held_back = _failed_blocking_checks(context.instance)
    if held_back:
        raise dg.Failure(
            f"The latest pipeline run failed {len(held_back)} blocking check(s) "
            f"({', '.join(held_back[:5])}): its scores were not published, "
            "so no employee scorecard is rendered from them."
        )
    written: dict[str, list[Path]] = {}
    for period in (month, quarter_of(month)):
        try:
            written[period] = write_hr_scorecards(working, period, hr_scorecards_dir(working) / period)
        except ScorecardError as error:
            raise dg.Failure(f"The employee scorecards of {period} could not be written: {error}") from error
    make_private(hr_scorecards_dir(working).parent)
    people = _people(working, month)
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(written[month][0])),
            "quarter_index": dg.MetadataValue.path(str(written[quarter_of(month)][0])),
            "folder": dg.MetadataValue.path(str(written[month][0].parent)),
            "paths": dg.MetadataValue.json({p: [str(f) for f in files] for p, files in written.items()}),
            "people": people,
            "departments": sum(f.suffix == ".xlsx" for f in written[month]),
        }
    )


def _people(working: Path, period: str) -> int:
    from connectors.landing.database import connect

    with connect(working, read_only=True) as connection:
        query = "select count(distinct employee_id) from hr.fct_employee_scorecard where period_id = ?"
        return int(connection.execute(query, [period]).fetchone()[0])


def _failed_blocking_checks(instance: dg.DagsterInstance) -> list[str]:
    """The blocking checks that failed in the latest run that judged any (dbt tests and GX checks alike)."""
    from dagster_project.quality.run_verdicts import check_evaluations, failed_blocking, latest_checked_run

    run_id = latest_checked_run(instance)
    if run_id is None:
        return []
    return sorted({e.check_name for e in failed_blocking(check_evaluations(instance, run_id))})
