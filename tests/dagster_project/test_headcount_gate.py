"""The headcount gate's allowance: 2 people or 1.5% of the heads paid, whichever is larger.

Small tables built by hand, so that each side of the band is exercised at a chosen department size: the
planted-defect run cannot say where the band lies.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connectors.landing.database import connect
from dagster_project.quality.checks import check_named
from dagster_project.quality.validation import run_quality_checks

PAYDAY = date(2026, 10, 23)


def warehouse_with(tmp_path: Path, departments: dict[str, tuple[int, int]]) -> Path:
    """Departments as {id: (heads paid on the payroll line, employees HR shows on payday)}."""
    path = tmp_path / "warehouse.duckdb"
    with connect(path) as con:
        con.execute("create schema staging; create schema intermediate")
        con.execute(
            "create table staging.stg_erp__gl_entries (gl_account varchar, cost_center_id varchar, "
            "posting_date date, quantity double, is_reversal boolean, is_deleted boolean)"
        )
        con.execute(
            "create table intermediate.int_cost_centers_mapped "
            "(cost_center_id varchar, department_id varchar)"
        )
        con.execute(
            "create table intermediate.int_employees_mapped (employee_id varchar, department_id varchar, "
            "hire_date date, termination_date date)"
        )
        for department, (paid, employed) in departments.items():
            con.execute(
                "insert into intermediate.int_cost_centers_mapped values (?, ?)",
                [f"CC{department}", department],
            )
            con.execute(
                "insert into staging.stg_erp__gl_entries values ('6601', ?, ?, ?, false, false)",
                [f"CC{department}", PAYDAY, paid],
            )
            con.executemany(
                "insert into intermediate.int_employees_mapped values (?, ?, ?, ?)",
                # one more who left the day before payday: never counted
                [[f"{department}-{i}", department, date(2020, 1, 1), None] for i in range(employed)]
                + [[f"{department}-left", department, date(2020, 1, 1), date(2026, 10, 22)]],
            )
    return path


def verdict(tmp_path: Path, departments: dict[str, tuple[int, int]]):
    (outcome,) = run_quality_checks(
        warehouse_with(tmp_path, departments), "test", [check_named("headcount_matches_payroll")]
    )
    return outcome


def test_a_large_department_a_few_records_short_passes(tmp_path):
    # 5 of 440 (what 0.5% of HR hire dates unreadable does) is inside 1.5%; 2 of 20 is inside 2 people
    outcome = verdict(tmp_path, {"D08": (440, 435), "D01": (20, 18)})
    assert outcome.passed, outcome.observed


@pytest.mark.parametrize(
    ("departments", "where"),
    [
        ({"D01": (20, 17), "D08": (440, 440)}, "D01 payroll 2026-10-23: HR 17, paid 20"),
        ({"D01": (20, 20), "D08": (440, 432)}, "D08 payroll 2026-10-23: HR 432, paid 440"),
        ({"D01": (20, 23), "D08": (440, 440)}, "D01 payroll 2026-10-23: HR 23, paid 20"),
    ],
)
def test_a_gap_past_the_allowance_fails_and_says_where(tmp_path, departments, where):
    outcome = verdict(tmp_path, departments)
    assert not outcome.passed
    assert [failure["location"] for failure in outcome.failures] == [where]
