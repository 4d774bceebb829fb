"""Planted defects for proving the quality gates: the simulator's seven, plus a broken scoring scheme.

The scheme is HR's data, not a source system's, so its defect is planted in a scratch copy of the dbt
project (never in the repository's seeds): a version that starts with the simulator's defect month and
whose weights for the sales family add up to 90 %.
"""

from __future__ import annotations

from pathlib import Path

from connectors.simulator.defects import KINDS as SIMULATOR_KINDS
from dagster_project.project import copy_dbt_project

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
