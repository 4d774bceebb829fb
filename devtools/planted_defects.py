"""`make demo DEFECTS=all|<kinds>`: the demo with defects planted, to see the quality gates catch them.

The simulator's seven, plus a broken scoring scheme.

The scheme is HR's data, not a source system's, so its defect is planted in a scratch copy of the dbt
project (never in the repository's seeds): a version that starts with the simulator's defect month and
whose weights for the sales family add up to 90 %. The run goes to a scratch warehouse in `data/defects/`;
the working one is untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from connectors.landing.file_modes import keep_new_files_private, make_private
from connectors.settings import SIMULATOR_DEFECTS_ENV, WAREHOUSE_PATH_ENV, warehouse_path
from dagster_project.paths import DBT_PROJECT_DIR, copy_dbt_project
from simulator.defects import KINDS as SIMULATOR_KINDS

if TYPE_CHECKING:
    import dagster as dg

SCHEME_DEFECT = "scheme_weights"
ALL_KINDS: tuple[str, ...] = (*SIMULATOR_KINDS, SCHEME_DEFECT)
SCHEME_DEFECT_VERSION = "2026.9-draft"
SCHEME_DEFECT_FROM = "2026-09-01"
DROPPED_LINE = ",sales,win_rate,"  # its 15 % are simply gone: 85 % left for sales

# The check that must catch each kind (tests assert it; `make demo DEFECTS=all` reports it).
CAUGHT_BY: dict[str, str] = {
    "unmapped_cost_center": "cost_centers_resolve",
    "revenue_mismatch": "crm_revenue_reconciles_with_erp",
    "minutes_not_hours": "units_as_declared",
    "duplicated_keys": "work_emails_identify_one_employee",
    "wrong_timezone": "events_keep_their_instant_across_clocks",
    "stale_source": "crm_is_fresh",
    "locale_amounts": "malformed_fields_stay_rare",
    SCHEME_DEFECT: "assert_scheme_weights_sum_to_100",
}


def parse_defects(text: str) -> tuple[str, ...]:
    """`all` or a comma list; unknown kinds are refused, naming the valid ones."""
    text = text.strip()
    if not text:
        return ()
    kinds = ALL_KINDS if text == "all" else tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = sorted(set(kinds) - set(ALL_KINDS))
    if unknown:
        raise ValueError(f"unknown defect kind(s) {unknown}; valid: all, {', '.join(ALL_KINDS)}")
    return kinds


def simulator_defects(kinds: tuple[str, ...]) -> str:
    """The part of the defects the simulator plants, as its `--defects` value."""
    return ",".join(k for k in kinds if k in SIMULATOR_KINDS)


def dbt_project_with_scheme_defect(target: Path) -> Path:
    """A copy of the dbt project whose scheme gains a version with sales weights short of 100 %."""
    copy_dbt_project(target)
    scheme = target / "seeds" / "scoring_scheme.csv"
    lines = scheme.read_text().splitlines()
    latest = max(line.split(",")[0] for line in lines[1:])
    planted = [
        line.replace(f"{latest},", f"{SCHEME_DEFECT_VERSION},", 1).replace(
            line.split(",")[1], SCHEME_DEFECT_FROM, 1
        )
        for line in lines[1:]
        if line.startswith(f"{latest},") and DROPPED_LINE not in line
    ]
    scheme.write_text("\n".join([*lines, *planted]) + "\n")
    return target


def defects_summary(result: dg.ExecuteInProcessResult, kinds: tuple[str, ...]) -> str:
    """For each planted defect: which check caught it, and where it says the problem is."""
    from dagster_project.demo import DBT_STEPS

    failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    lines = ["Planted defects:"]
    for kind in kinds:
        check = CAUGHT_BY[kind]
        evaluation = failed.get(check)
        if evaluation is None:
            lines.append(f"  {kind}: NOT CAUGHT (expected {check} to fail)")
            continue
        observed = evaluation.metadata.get("observed")
        where = observed.value if observed is not None else "failing rows in the dbt test"
        lines.append(f"  {kind}: caught by {check} on {evaluation.asset_key.to_user_string()}: {where}")
    skipped = [step for step in DBT_STEPS if not result.asset_materializations_for_node(step)]
    lines.append(f"Not run, because blocking checks failed upstream: {', '.join(skipped) or 'nothing'}.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--defects",
        default="all",
        help=f"the defects to plant: all (the default), or some of {', '.join(ALL_KINDS)}",
    )
    kinds = parse_defects(parser.parse_args(argv).defects)
    if not kinds:
        parser.error(f"name the defects to plant: all, or some of {', '.join(ALL_KINDS)}")
    keep_new_files_private()
    from dagster_project import demo

    refused = demo.refuse_at_start()
    if refused is not None:
        return refused
    from dagster_project.definitions import build_definitions
    from dagster_project.resources import Warehouse

    scratch = warehouse_path().resolve().parent / "defects"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    make_private(scratch)
    os.environ[WAREHOUSE_PATH_ENV] = str(scratch / "warehouse.duckdb")
    os.environ[SIMULATOR_DEFECTS_ENV] = simulator_defects(kinds)
    project_dir = DBT_PROJECT_DIR
    if SCHEME_DEFECT in kinds:
        project_dir = dbt_project_with_scheme_defect(scratch / "dbt_project")
    definitions = build_definitions(
        Warehouse(path=str(warehouse_path())), project_dir if SCHEME_DEFECT in kinds else None
    )
    print(f"Planting defects: {', '.join(kinds)} (in a scratch warehouse; the working one is untouched).")
    return demo.run_demo(definitions, project_dir, lambda result: defects_summary(result, kinds))


if __name__ == "__main__":
    raise SystemExit(main())
