"""The HR-only employee scorecards: pages and workbooks against the `hr` marts, and where they are written.

The warehouse is the one the session builds from the simulator (`built`, copied so that the files land in
a scratch folder); the asset renders the latest month and its quarter, as the monthly job does. Every
number on a page or in a workbook is compared with the mart it comes from.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from openpyxl import load_workbook

from dagster_project.assets.hr_scorecards import employee_scorecards, hr_scorecards_dir
from dagster_project.assets.publication import published_dir
from dagster_project.assets.scorecards import quarter_of
from dagster_project.publish import i18n
from dagster_project.publish.hr_scorecard_data import load_hr_scorecard
from dagster_project.publish.hr_scorecards import (
    EVIDENCE_HTML_CAP,
    person_anchor,
    render_hr_scorecards,
    workbook_name,
    write_hr_scorecards,
)
from dagster_project.publish.hr_workbook import (
    CONFIDENTIAL,
    EVIDENCE_SHEET,
    METRICS_SHEET,
    RANKING_COLUMNS,
    RANKING_SHEET,
    SUMMARY_SHEET,
    build_department_workbook,
    records_cap,
)
from dagster_project.publish.scorecard_data import ScorecardError, natural_key
from dagster_project.publish.scorecards import page_name
from dagster_project.publish.sheets import PROVENANCE_ROWS
from dagster_project.resources import Warehouse
from tests.conftest import copy_warehouse, query
from tests.publish.provenance_checks import assert_every_page_and_sheet_says_demo_data
from tests.publish.test_scorecards import REMOTE_REFERENCE

TOLERANCE = 1e-6
DEPARTMENT_ROW = re.compile(r'<tr data-department="([^"]+)">(.*?)</tr>', re.DOTALL)
PERSON_ROW = re.compile(
    r'<tr data-employee="([^"]+)" data-role="([^"]+)" data-index="([^"]+)" data-grade="([^"]+)">(.*?)</tr>',
    re.DOTALL,
)
COLUMN = {column.en: i for i, column in enumerate(RANKING_COLUMNS)}


@dataclass(frozen=True)
class Published:
    warehouse: Path
    month: str
    quarter: str
    result: dg.ExecuteInProcessResult
    folders: dict[str, Path]  # period -> data/hr/scorecards/<period>/


@pytest.fixture(scope="module")
def published(built, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The asset run for the latest scored month, on a copy of the session's warehouse."""
    warehouse = copy_warehouse(built.path, tmp_path_factory.mktemp("hr_scorecards") / "warehouse.duckdb")
    (month,) = query(
        warehouse, "select max(period_id) from hr.fct_employee_scorecard where period_type = 'month'"
    )[0]
    result = dg.materialize(
        [employee_scorecards],
        partition_key=f"{month}-01",
        resources={"warehouse": Warehouse(path=str(warehouse))},
        raise_on_error=False,
    )
    failures = [e.event_specific_data.error.message for e in result.all_events if e.is_step_failure]
    assert result.success, failures
    folders = {p: hr_scorecards_dir(warehouse) / p for p in (month, quarter_of(month))}
    return Published(warehouse, month, quarter_of(month), result, folders)


def _card(warehouse: Path, period: str) -> list[dict]:
    with_names = query(
        warehouse,
        """select employee_id, role_id, department_id, display_name, employee_index, grade, months_in_role,
               rank_in_department, evidence_record_count
           from hr.fct_employee_scorecard where period_id = ?
           order by department_id, rank_in_department, display_name, employee_id, role_id""",
        [period],
    )
    keys = ("employee_id", "role_id", "department_id", "display_name", "employee_index", "grade",
            "months_in_role", "rank_in_department", "evidence_record_count")  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in with_names]


def _section(html: str, employee_id: str) -> str:
    """A person's section of a department page."""
    return html.split(f'id="{person_anchor(employee_id)}"', 1)[1].split('<section class="panel', 1)[0]


def _by_department(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["department_id"]].append(row)
    return grouped


# -- where the files go --------------------------------------------------------------------------------
def test_the_asset_writes_under_hr_scorecards_and_nothing_under_published(published):
    root = published.warehouse.parent
    for period, folder in published.folders.items():
        assert folder == root / "hr" / "scorecards" / period
        departments = {d for (d,) in query(
            published.warehouse,
            "select distinct department_id from hr.fct_employee_scorecard where period_id = ?",
            [period],
        )}  # fmt: skip
        pages = {page_name(d) for d in departments} | {workbook_name(d) for d in departments}
        assert {p.name for p in folder.iterdir()} == {"index.html", "zh", *pages}
        assert {p.name for p in (folder / "zh").iterdir()} == {"index.html", *pages}
    written = {p for p in root.rglob("*") if p.is_file()} - {published.warehouse}
    assert all(p.is_relative_to(root / "hr" / "scorecards") for p in written), written
    assert not published_dir(published.warehouse).exists()

    (materialization,) = published.result.asset_materializations_for_node("hr__employee_scorecards")
    meta = {k: v.value for k, v in materialization.metadata.items()}
    people = query(
        published.warehouse,
        "select count(distinct employee_id) from hr.fct_employee_scorecard where period_id = ?",
        [published.month],
    )[0][0]
    assert meta["people"] == people > 0
    assert meta["index"] == str(published.folders[published.month] / "index.html")
    assert set(meta["paths"]) == {published.month, published.quarter}


def test_a_period_without_employee_scores_fails_clearly(published, tmp_path):
    with pytest.raises(ScorecardError, match="no employee is scored in 2023-01"):
        write_hr_scorecards(published.warehouse, "2023-01", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    result = dg.materialize(
        [employee_scorecards],
        partition_key="2024-01-01",
        resources={"warehouse": Warehouse(path=str(published.warehouse))},
        raise_on_error=False,
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "No employee is scored in 2024-01" in failure.event_specific_data.error.message


# -- the pages -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["month", "quarter"])
def test_the_index_lists_every_department_with_its_reconciliation_and_calibration(published, which):
    period = getattr(published, which)
    html = (published.folders[period] / "index.html").read_text("utf-8")
    assert CONFIDENTIAL in html and not REMOTE_REFERENCE.search(html)
    rows = dict(DEPARTMENT_ROW.findall(html))
    people = dict(
        query(
            published.warehouse,
            "select department_id, count(distinct employee_id) from hr.fct_employee_scorecard "
            "where period_id = ? group by 1",
            [period],
        )
    )
    assert people and list(rows) == sorted(people, key=natural_key)
    for department_id, n in people.items():
        assert f'data-people="{n}"' in rows[department_id]
        assert f'href="{page_name(department_id)}"' in rows[department_id]
    reconciliation = query(
        published.warehouse,
        """select department_id, department_index, employee_rollup_index, difference, is_within_tolerance,
               divergence_reasons
           from hr.employee_rollup_reconciliation where period_id = ?""",
        [period],
    )
    for department_id, index, rollup, difference, within, reasons in reconciliation:
        if department_id not in rows:
            continue
        row = rows[department_id]
        assert f">{i18n.number(index)}<" in row and f">{i18n.number(rollup)}<" in row
        assert i18n.signed(difference) in row
        assert ("within tolerance" if within else "outside tolerance") in row
        for reason in filter(None, (r.strip() for r in (reasons or "").split(";"))):
            assert f"<li>{escape(reason)}</li>" in row
    flagged = query(
        published.warehouse,
        "select distinct department_id, role_name_en from hr.grade_calibration "
        "where period_id = ? and is_flagged_for_review",
        [period],
    )
    for department_id, role in flagged:
        assert f'<span class="flag-chip">review</span> {escape(role)}' in rows[department_id]
    for department_id in set(rows) - {d for d, _ in flagged}:
        assert "no flag" in rows[department_id]


@pytest.mark.parametrize("which", ["month", "quarter"])
def test_each_department_page_shows_each_scored_person_with_the_marts_index_and_grade(published, which):
    period = getattr(published, which)
    for department_id, people in _by_department(_card(published.warehouse, period)).items():
        html = (published.folders[period] / page_name(department_id)).read_text("utf-8")
        assert CONFIDENTIAL in html and not REMOTE_REFERENCE.search(html)
        shown = PERSON_ROW.findall(html)
        assert [(e, r) for e, r, *_ in shown] == [(p["employee_id"], p["role_id"]) for p in people]
        for (_, _, index, grade, cells), person in zip(shown, people, strict=True):
            assert float(index) == pytest.approx(person["employee_index"], abs=TOLERANCE)
            assert grade == person["grade"] and f">{grade}</span>" in cells
            assert f"<b>{i18n.number(person['employee_index'])}</b>" in cells
            assert escape(person["display_name"]) in cells
            assert f'id="{person_anchor(person["employee_id"])}"' in html


def test_a_persons_section_walks_from_records_to_grade(published):
    period = published.month
    top = _card(published.warehouse, period)[0]
    html = (published.folders[period] / page_name(top["department_id"])).read_text("utf-8")
    section = _section(html, top["employee_id"])
    lines = query(
        published.warehouse,
        """select metric_id, metric_value, unit, numerator, record_count, score,
               weighted_contribution, is_observed
           from hr.fct_employee_metric_scores where employee_id = ? and role_id = ? and period_id = ?""",
        [top["employee_id"], top["role_id"], period],
    )
    assert lines
    for metric_id, value, unit, numerator, records, score, contribution, observed in lines:
        row = section.split(f'data-metric="{metric_id}">', 1)[1].split("</tr>", 1)[0]
        assert f"<b>{i18n.number(contribution, 2)}</b>" in row and i18n.number(score) in row
        if observed:
            assert escape(i18n.metric_value("en", value, unit)) in row
            assert f"{i18n.number(numerator, 0 if float(numerator).is_integer() else 2)} / " in row
            assert f"from {records} record" in row
    total = f"{i18n.number(top['employee_index'], 2)} "
    assert f'<td class="num">{total}' in section and f"grade <b>{top['grade']}</b>" in section
    assert f"{top['evidence_record_count']} records" in section


def test_the_page_lists_at_most_the_cap_of_records_per_person_and_metric(published):
    period = published.month
    rows = query(
        published.warehouse,
        """select e.employee_id, s.department_id, e.metric_id, count(*) as n
           from hr.employee_metric_evidence e
           join hr.fct_employee_scorecard s using (employee_id, role_id, period_id)
           join hr.fct_employee_metric_scores m using (employee_id, role_id, period_id, metric_id)
           where period_id = ? group by all order by n desc limit 1""",
        [period],
    )
    (employee_id, department_id, metric_id, n) = rows[0]
    assert n > EVIDENCE_HTML_CAP, "the simulated company has someone with many records for one metric"
    html = (published.folders[period] / page_name(department_id)).read_text("utf-8")
    section = _section(html, employee_id)
    block = section.split(f'<h4 data-metric="{metric_id}"', 1)[1].split("<h4", 1)[0]
    assert block.count('<td class="key"><code>') == EVIDENCE_HTML_CAP
    assert f"… and {n - EVIDENCE_HTML_CAP} more on the workbook" in block


# -- the workbooks -------------------------------------------------------------------------------------
def test_each_workbook_ranks_the_departments_people_with_their_metrics_and_every_record(published):
    period = published.month
    evidence = dict(
        query(
            published.warehouse,
            """select s.department_id, count(*) from hr.employee_metric_evidence e
               join hr.fct_employee_scorecard s using (employee_id, role_id, period_id)
               join hr.fct_employee_metric_scores m using (employee_id, role_id, period_id, metric_id)
               where period_id = ? group by 1""",
            [period],
        )
    )
    lines = dict(
        query(
            published.warehouse,
            """select s.department_id, count(*) from hr.fct_employee_metric_scores m
               join hr.fct_employee_scorecard s using (employee_id, role_id, period_id)
               where period_id = ? group by 1""",
            [period],
        )
    )
    for department_id, people in _by_department(_card(published.warehouse, period)).items():
        workbook = load_workbook(published.folders[period] / workbook_name(department_id), read_only=True)
        assert workbook.sheetnames[:4] == [SUMMARY_SHEET, RANKING_SHEET, METRICS_SHEET, EVIDENCE_SHEET]
        first = PROVENANCE_ROWS + 2  # below the provenance row and the header
        summary = [tuple(r) for r in workbook[SUMMARY_SHEET].iter_rows(min_row=first, values_only=True)]
        assert summary[0] == ("Classification / 密级", CONFIDENTIAL)
        ranking = list(workbook[RANKING_SHEET].iter_rows(min_row=first, values_only=True))
        assert len(ranking) == len(people)
        for row, person in zip(ranking, people, strict=True):
            assert row[COLUMN["Employee id"]] == person["employee_id"]
            assert row[COLUMN["Name"]] == person["display_name"]
            assert row[COLUMN["Rank in department"]] == person["rank_in_department"]
            assert row[COLUMN["Index"]] == pytest.approx(person["employee_index"], abs=TOLERANCE)
            assert row[COLUMN["Grade"]] == person["grade"]
        assert sum(1 for _ in workbook[METRICS_SHEET].iter_rows(min_row=first)) == lines[department_id]
        evidence_rows = sum(1 for _ in workbook[EVIDENCE_SHEET].iter_rows(min_row=first))
        assert evidence_rows == evidence.get(department_id, 0)
        workbook.close()


def test_a_workbook_caps_the_evidence_per_person_and_metric_and_says_so(published, tmp_path, monkeypatch):
    assert records_cap([10, 5], 100) is None
    assert records_cap([100, 5, 50], 60) == 27  # 27 + 5 + 27 = 59 fits, 28 + 5 + 28 = 61 does not
    sc = load_hr_scorecard(published.warehouse, published.month)
    dept = max(sc.departments.values(), key=lambda d: sum(r.evidence_record_count for r in d.roles))
    monkeypatch.setattr("dagster_project.publish.hr_workbook.EVIDENCE_XLSX_CAP", 100)
    path = build_department_workbook(sc, dept, tmp_path / "capped.xlsx")
    sheet = load_workbook(path, read_only=True)[EVIDENCE_SHEET]
    rows = list(sheet.iter_rows(min_row=PROVENANCE_ROWS + 1, values_only=True))
    note = rows[0][0]
    assert "source records on the Evidence sheet" in note and "hr.employee_metric_evidence" in note
    assert rows[1][0].startswith("Employee id") and 0 < len(rows) - 2 <= 100


# -- a change of role ----------------------------------------------------------------------------------
def _with_a_role_change(published: Published, tmp_path: Path) -> tuple[Path, str, str]:
    """A period in which someone held two roles: the simulated company's own if it has one, else the top
    person of the latest quarter split in a copy of the warehouse (2 months in role, 1 in another)."""
    found = query(
        published.warehouse,
        "select employee_id, period_id from hr.fct_employee_scorecard group by all having count(*) > 1 "
        "order by period_id desc, employee_id limit 1",
    )
    if found:
        return published.warehouse, *found[0]
    warehouse = copy_warehouse(published.warehouse, tmp_path / "warehouse.duckdb")
    period = published.quarter
    employee_id, role_id = query(
        warehouse,
        "select employee_id, role_id from hr.fct_employee_scorecard where period_id = ? "
        "order by rank_in_department, employee_id limit 1",
        [period],
    )[0]
    other = query(
        warehouse,
        "select role_id, role_name_en, role_name_zh from marts.job_roles where role_id <> ? limit 1",
        [role_id],
    )[0]
    import duckdb

    with duckdb.connect(str(warehouse)) as con:
        key = "employee_id = ? and role_id = ? and period_id = ?"
        con.execute(f"create temp table moved as select * from hr.fct_employee_scorecard where {key}",
                    [employee_id, role_id, period])  # fmt: skip
        con.execute("update moved set role_id = ?, role_name_en = ?, role_name_zh = ?, months_in_role = 1, "
                    "employee_index = 42.5, grade = 'D', rank_in_department = 999", list(other))  # fmt: skip
        con.execute("insert into hr.fct_employee_scorecard select * from moved")
        con.execute(f"update hr.fct_employee_scorecard set months_in_role = 2 where {key}",
                    [employee_id, role_id, period])  # fmt: skip
        con.execute(f"create temp table lines as select * from hr.fct_employee_metric_scores where {key}",
                    [employee_id, role_id, period])  # fmt: skip
        con.execute("update lines set role_id = ?", [other[0]])
        con.execute("insert into hr.fct_employee_metric_scores select * from lines")
    return warehouse, employee_id, period


def test_a_person_who_changed_role_shows_one_row_per_role_with_its_months(published, tmp_path):
    warehouse, employee_id, period = _with_a_role_change(published, tmp_path)
    rows = query(
        warehouse,
        "select department_id, role_id, months_in_role, employee_index, grade from hr.fct_employee_scorecard "
        "where employee_id = ? and period_id = ? order by role_id",
        [employee_id, period],
    )
    assert len(rows) == 2
    sc = load_hr_scorecard(warehouse, period)
    departments = {d for d, *_ in rows}
    sc = dataclasses.replace(sc, departments={d: sc.departments[d] for d in departments})
    out = tmp_path / "out"
    render_hr_scorecards(sc, out)
    for department_id in departments:
        html = (out / page_name(department_id)).read_text("utf-8")
        shown = {(r, float(i), g) for e, r, i, g, _ in PERSON_ROW.findall(html) if e == employee_id}
        here = [row for row in rows if row[0] == department_id]
        assert {r for r, *_ in shown} == {row[1] for row in here}
        for _, role, _months, index, grade in here:
            assert any(r == role and i == pytest.approx(index) and g == grade for r, i, g in shown)
        section = _section(html, employee_id)
        assert 'data-role-rows="2"' in section
        for *_, months, _, _ in rows:
            assert f"({months} month{'s' if months != 1 else ''}" in section
        assert section.count('<div class="role-block"') == len(here)
        ranking = load_workbook(out / workbook_name(department_id), read_only=True)[RANKING_SHEET]
        months_by_role = {
            row[COLUMN["Role id"]]: row[COLUMN["Months in role"]]
            for row in ranking.iter_rows(min_row=PROVENANCE_ROWS + 2, values_only=True)
            if row[COLUMN["Employee id"]] == employee_id
        }
        assert months_by_role == {role: months for d, role, months, *_ in here}


GL_ENTRIES = dg.AssetKey(["staging", "stg_erp__gl_entries"])


def _gated_run(instance: dg.DagsterInstance, *, passed: bool) -> None:
    """A pipeline run as Dagster records it: the GL entries and their blocking cost-center gate."""

    @dg.asset(
        key=GL_ENTRIES,
        check_specs=[dg.AssetCheckSpec("cost_centers_resolve", asset=GL_ENTRIES, blocking=True)],
    )
    def gl_entries():
        yield dg.Output(None)
        yield dg.AssetCheckResult(check_name="cost_centers_resolve", passed=passed)

    dg.materialize([gl_entries], instance=instance, raise_on_error=False)


def _render_month(published: Published, warehouse: Path, instance: dg.DagsterInstance):
    return dg.materialize(
        [employee_scorecards],
        partition_key=f"{published.month}-01",
        resources={"warehouse": Warehouse(path=str(warehouse))},
        instance=instance,
        raise_on_error=False,
    )


def test_nothing_is_rendered_from_a_run_whose_blocking_gate_failed(published, tmp_path):
    """Dagster's record of the latest run decides; the warehouse's quality_results, gone here, does not."""
    warehouse = copy_warehouse(published.warehouse, tmp_path / "held_back.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table quality.quality_results")
    with dg.DagsterInstance.ephemeral() as instance:
        _gated_run(instance, passed=False)
        result = _render_month(published, warehouse, instance)
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "cost_centers_resolve" in failure.event_specific_data.error.message
    assert not hr_scorecards_dir(warehouse).exists()


def test_a_failed_verdict_in_quality_results_gates_nothing(published, tmp_path):
    """quality_results is a record for people: a failed blocking row there, newer than the run Dagster
    recorded as passing, holds nothing back."""
    warehouse = copy_warehouse(published.warehouse, tmp_path / "recorded.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            """
            insert into quality.quality_results by name
            select 'cost_centers_resolve' as check_name, 'staging/stg_erp__gl_entries' as asset,
                'blocking' as severity, false as passed, 'planted' as observed, 'a band' as expected,
                'held-back-run' as run_id, now() + interval 1 day as checked_at,
                'great_expectations' as engine"""
        )
    with dg.DagsterInstance.ephemeral() as instance:
        _gated_run(instance, passed=True)
        result = _render_month(published, warehouse, instance)
    assert result.success
    assert (hr_scorecards_dir(warehouse) / published.month / "index.html").exists()


def test_a_simulator_run_says_demo_data_on_every_hr_page_and_every_sheet(published: Published):
    assert_every_page_and_sheet_says_demo_data(published.folders.values())
