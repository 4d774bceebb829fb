"""Employee scorecards (HR tier): role templates, role changes, reconciliation, calibration, isolation.

The employee index is the department index's method applied to one person's own records under their
role's template (seed role_scoring_scheme): these tests hold the warehouse to that, and keep the tier
out of everything published for BI.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dagster_project.paths import DBT_PROJECT_DIR, copy_dbt_project
from simulator import Company
from simulator.oracles.employees import EmployeeExpectations, expected_employees
from tests.conftest import AS_OF, SEED, copy_warehouse, query
from tests.dagster_project.test_contribution import _dbt

SEEDS = DBT_PROJECT_DIR / "seeds"


@pytest.fixture(scope="module")
def oracle() -> EmployeeExpectations:
    return expected_employees(Company(SEED, "s"), AS_OF)


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("period_type", ["month", "quarter"])
def test_every_employee_period_equals_the_generators_oracle(built, oracle, period_type):
    expected = oracle.scores if period_type == "month" else oracle.quarter_scores
    rows = query(
        built.path,
        """
        select employee_id, period_id, role_id, employee_index, core_part, extension_part, grade,
            scheme_version, months_in_role
        from hr.fct_employee_scorecard
        where period_type = ?""",
        [period_type],
    )
    actual = {(e, p, r): rest for e, p, r, *rest in rows}
    assert set(actual) == set(expected), {
        "only in the warehouse": sorted(set(actual) - set(expected))[:10],
        "only in the oracle": sorted(set(expected) - set(actual))[:10],
    }
    wrong = [
        (key, (e.index, e.grade, e.months_in_role), actual[key])
        for key, e in sorted(expected.items())
        if not (
            math.isclose(actual[key][0], e.index, abs_tol=1e-6)
            and math.isclose(actual[key][1], e.core_part, abs_tol=1e-6)
            and math.isclose(actual[key][2], e.extension_part, abs_tol=1e-6)
            and (actual[key][3] == e.grade or e.near_band_edge)
            and actual[key][4] == e.scheme_version
            and actual[key][5] == e.months_in_role
        )
    ]
    assert not wrong, f"{len(wrong)} of {len(expected)} employee-{period_type}s differ, e.g. {wrong[:3]}"
    assert len(expected) > (2000 if period_type == "month" else 1000)
    assert len({e.grade for e in expected.values()}) == 5


def test_the_articles_roles_each_have_a_template():
    """Weights of 100 with a core of 25-35 % and own-record metrics only are dbt's to assert
    (tests/assert_role_templates_weigh_100.sql, assert_role_templates_use_own_record_metrics.sql)."""
    templated = {line["role_id"] for line in _seed("role_scoring_scheme")}
    roles = {r["role_id"] for r in _seed("job_roles")}
    # the article's four administration roles and one role per production family, each with a template
    wanted = {
        "admin_officer",
        "finance_officer",
        "security_officer",
        "general_affairs_officer",
        "rnd_engineer",
        "implementation_consultant",
        "sales_representative",
    }
    assert wanted <= templated <= roles


def test_each_role_draws_its_extension_from_its_own_business_system(built):
    rows = query(
        built.path,
        """
        select scores.role_id, evidence.source_system, count(*)
        from hr.fct_employee_metric_scores as scores
        inner join hr.employee_metric_evidence as evidence
            using (employee_id, role_id, period_id, metric_id)
        where scores.tier = 'extension' and scores.period_type = 'month'
        group by all""",
    )
    systems: dict[str, set[str]] = defaultdict(set)
    for role, system, records in rows:
        assert records > 0
        systems[role].add(system)
    assert systems["finance_officer"] == {"erp"}
    assert systems["security_officer"] == {"ticketing"}
    assert systems["sales_representative"] == {"crm"}
    assert systems["rnd_engineer"] == {"ticketing"}


def test_a_person_promoted_mid_quarter_is_scored_under_each_role_for_its_months(built):
    changes = query(
        built.path,
        """
        with roles as (
            select employee_id, month_start_date, role_id,
                lag(role_id) over (partition by employee_id order by month_start_date) as previous_role
            from intermediate.int_employee_role_months
        )
        select employee_id, month_start_date, previous_role, role_id
        from roles
        where previous_role <> role_id and extract(month from month_start_date) % 3 <> 1
            and previous_role <> 'department_manager' and role_id <> 'department_manager'""",
    )
    assert changes, "the simulated company promotes someone inside a quarter"
    checked = 0
    for employee_id, month, before, after in changes:
        quarter = f"{month.year}-Q{(month.month - 1) // 3 + 1}"
        rows = query(
            built.path,
            """
            select role_id, months_in_role from hr.fct_employee_metric_scores
            where employee_id = ? and period_id = ? group by all""",
            [employee_id, quarter],
        )
        held = dict(rows)
        assert set(held) == {before, after}, (employee_id, quarter, held)
        months = query(
            built.path,
            """
            select role_id, count(*) from intermediate.int_employee_role_months
            where employee_id = ? and strftime(month_start_date, '%Y') || '-Q'
                || cast(extract(quarter from month_start_date) as varchar) = ?
            group by all""",
            [employee_id, quarter],
        )
        assert held == dict(months) and sum(held.values()) <= 3
        # each role's value sums only its own months' records
        split = query(
            built.path,
            """
            select evidence.role_id, min(evidence.month_start_date), max(evidence.month_start_date)
            from hr.employee_metric_evidence as evidence
            where evidence.employee_id = ? and evidence.period_id = ?
            group by all""",
            [employee_id, quarter],
        )
        spans = {role: (first, last) for role, first, last in split}
        assert set(spans) == {before, after}, spans  # attendance alone gives every role month evidence
        assert spans[before][1] < month <= spans[after][0]
        checked += 1
    assert checked


def test_the_employee_index_is_the_sum_of_its_contributions_and_ranks_within_role_and_department(built):
    wrong = query(
        built.path,
        """
        with sums as (
            select employee_id, role_id, period_id, sum(weighted_contribution) as total,
                sum(case when tier = 'core' then weighted_contribution else 0 end) as core
            from hr.fct_employee_metric_scores where is_scored group by all
        )
        select card.employee_id, card.period_id, card.employee_index, sums.total
        from hr.fct_employee_scorecard as card
        inner join sums using (employee_id, role_id, period_id)
        where abs(card.employee_index - sums.total) > 1e-9 or abs(card.core_part - sums.core) > 1e-9
            or card.employee_index not between 0 and 100 + 1e-9""",
    )
    assert not wrong, wrong[:5]
    first = query(
        built.path,
        """
        select role_id, max(employee_index), count(*) filter (where rank_in_role = 1)
        from hr.fct_employee_scorecard where period_id = '2026-10' group by role_id""",
    )
    assert len(first) >= 7
    for role, best, firsts in first:
        top = query(
            built.path,
            "select employee_index from hr.fct_employee_scorecard "
            "where period_id = '2026-10' and role_id = ? and rank_in_role = 1",
            [role],
        )
        # ranks compare indexes at 1e-9 (macro comparable_index): a float sum's last digit never splits a tie
        assert firsts >= 1 and all(index == pytest.approx(best, abs=1e-9) for (index,) in top)


def test_reconciliation_reports_every_department_period_with_the_reasons_of_a_gap(built):
    rows = query(
        built.path,
        """
        select department_id, period_id, department_index, employee_rollup_index, difference,
            tolerance_points, is_within_tolerance, divergence_reasons, managers_not_scored
        from hr.employee_rollup_reconciliation""",
    )
    departments = query(built.path, "select count(*) from marts.fct_department_contribution")[0][0]
    assert len(rows) == departments
    weighted: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for dept, period, index, months in query(
        built.path,
        "select department_id, period_id, employee_index, months_in_role from hr.fct_employee_scorecard",
    ):
        weighted[(dept, period)][0] += index * months
        weighted[(dept, period)][1] += months
    for dept, period, _, rollup, *_ in rows:
        total, months = weighted.get((dept, period), (0.0, 0.0))
        assert rollup == (pytest.approx(total / months) if months else None), (dept, period)
    unexplained = query(
        built.path,
        "select count(*) from hr.employee_rollup_reconciliation "
        "where new_hires_without_own_records > without_own_records "
        "or (not is_within_tolerance and divergence_reasons not like '%pooled%')",
    )
    assert unexplained == [(0,)]
    for dept, period, index, rollup, difference, tolerance, within, reasons, managers in rows:
        assert tolerance == 15
        if rollup is not None:
            assert difference == pytest.approx(rollup - index)
            assert within == (abs(difference) <= tolerance)
        assert managers >= 1 and "manager" in reasons, (dept, period)
        assert not reasons.endswith((";", " ")), reasons
    [evaluation] = [
        e
        for e in built.result.get_asset_check_evaluations()
        if e.check_name == "employee_rollup_reconciles_with_department_index"
    ]
    outside = [r for r in rows if not r[6]]
    assert evaluation.passed == (not outside)
    if outside:
        observed = evaluation.metadata["observed"].value
        assert f"{len(outside)} of {len(rows)}" in observed


def test_the_demo_company_grades_spread_as_the_targets_expect(built):
    """The simulated company is graded the way seed grade_distribution_targets expects, within its
    tolerance, for departments and people alike (complete quarters), and calibration flags no group."""
    shares = query(
        built.path,
        """
        with complete as (
            select period_id from intermediate.int_period_months group by 1 having count(*) = 3
        ),
        graded as (
            select 'departments' as level, grade from marts.fct_department_contribution
            where period_type = 'quarter' and period_id in (select period_id from complete)
            union all
            select 'people', grade from hr.fct_employee_scorecard
            where period_type = 'quarter' and period_id in (select period_id from complete)
        ),
        levels as (select level, count(*) as graded from graded group by 1)
        select levels.level, targets.grade, targets.target_share, targets.tolerance,
            1.0 * count(graded.grade) / any_value(levels.graded) as share
        from levels
        cross join marts.grade_distribution_targets as targets
        left join graded on graded.level = levels.level and graded.grade = targets.grade
        group by all
        order by 1, 2""",
    )
    assert {level for level, *_ in shares} == {"departments", "people"}
    outside = [row for row in shares if abs(row[4] - row[2]) > row[3]]
    assert not outside, outside
    flagged = query(
        built.path,
        "select count(*) from hr.grade_calibration where period_type = 'quarter' and is_flagged_for_review",
    )
    assert flagged == [(0,)]
    [evaluation] = [
        e for e in built.result.get_asset_check_evaluations() if e.check_name == "employee_grades_calibrated"
    ]
    assert evaluation.passed


def test_calibration_flags_a_planted_skew_for_review_and_changes_no_grade(built, tmp_path):
    warehouse = copy_warehouse(built.path, tmp_path / "w.duckdb")
    calm = query(
        warehouse,
        """
        select department_id, role_id, period_id, group_size from hr.grade_calibration
        where period_type = 'quarter' and is_period_complete and group_size >= 5
        group by all having not bool_or(is_flagged_for_review)
        order by group_size desc limit 1""",
    )
    assert calm, "some quarter's group sits within the target distribution"
    [(department, role, period, size)] = calm
    # plant: every person of that group graded S (a lenient reviewer), then recompute calibration only
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update hr.fct_employee_scorecard set grade = 'S' "
            "where department_id = ? and role_id = ? and period_id = ?",
            [department, role, period],
        )
    project = copy_dbt_project(tmp_path / "dbt_project")
    _dbt(project, warehouse, "run", "--select", "grade_calibration")
    flagged = query(
        warehouse,
        """
        select grade, employees, is_off_target, is_flagged_for_review from hr.grade_calibration
        where department_id = ? and role_id = ? and period_id = ? order by grade""",
        [department, role, period],
    )
    by_grade = {grade: (employees, off, review) for grade, employees, off, review in flagged}
    assert by_grade["S"] == (size, True, True)
    assert all(review for _, _, review in by_grade.values())
    others = query(
        warehouse,
        "select count(*) from hr.grade_calibration where is_flagged_for_review and not "
        "(department_id = ? and role_id = ? and period_id = ?)",
        [department, role, period],
    )
    before = query(
        built.path,
        "select count(*) from hr.grade_calibration where is_flagged_for_review",
    )
    assert others == before, "only the planted group changed its flag"


def test_nothing_of_the_hr_tier_is_in_the_bi_snapshot(built, tmp_path):
    from connectors.settings import Secret
    from dagster_project.publish.snapshot import BI_TABLES, PUBLISHED_DB, publish_snapshot

    snapshot = publish_snapshot(Path(built.path), tmp_path / "published", Secret("k"), "run-hr")
    hr_tables = {
        t
        for (t,) in query(
            built.path, "select table_name from information_schema.tables where table_schema = 'hr'"
        )
    }
    assert {"fct_employee_scorecard", "fct_employee_metric_scores", "employee_metric_evidence"} <= hr_tables
    files = {p.name for p in (tmp_path / "published").rglob("*") if p.is_file()}
    assert not any(name.startswith(tuple(hr_tables)) for name in files), files
    with duckdb.connect(str(tmp_path / "published" / PUBLISHED_DB), read_only=True) as con:
        schemas = {
            s for (s,) in con.execute("select schema_name from information_schema.schemata").fetchall()
        }
        columns = {c for (c,) in con.execute("select column_name from information_schema.columns").fetchall()}
        tables = {t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()}
    assert "hr" not in schemas and not (tables & hr_tables)
    assert set(snapshot.row_counts) == set(BI_TABLES)
    # employee-level columns of the HR tier are absent from every BI table
    assert not columns & {"display_name", "employee_number", "employee_index", "rank_in_role", "employee_id"}
    with duckdb.connect(str(tmp_path / "published" / PUBLISHED_DB), read_only=True) as con:
        hr_verdicts = con.execute(
            "select count(*) from marts.quality_results where asset like 'hr/%'"
        ).fetchall()
        employee_only = con.execute(
            """
            select count(*) from marts.metric_evidence
            where metric_id in ('review_360_score', 'incident_response_hours')
                or (source_system = 'hr' and not starts_with(record_key, 'p_')
                    and source_stream in ('employees', 'reviews', 'job_history'))"""
        ).fetchall()
    assert hr_verdicts == [(0,)] and employee_only == [(0,)]
