"""HR-only employee scorecards of one period: an index, and a page and a workbook per department.

They name people and show individual scores, so they are HR tier: rendered from the working database's
`hr` marts (the BI snapshot has none), written under `data/hr/scorecards/<period>/` (never under
`data/published/`), and marked "HR confidential / 仅限人力资源" on every page and sheet. Like the department
scorecards they are static and self-contained (CSS inline, no script, nothing loaded from the network),
and share their stylesheet, Jinja environment and Excel sheet writer, and say on every page and sheet
where the data came from (a "Demo data / 演示数据" banner for the bundled simulator's). Their files are
the HR tier's: readable by their owner only, or by `DCW_HR_GROUP`. Each person's section walks the
path from records to grade: value = numerator / denominator from N records, score against target and
floor, weight, contribution, index, grade; a person who changed role in the period has one row per role.
English pages, with the Chinese names the marts give (department, role, metric) beside the English.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from connectors.landing.file_modes import remove_partial_files, write_atomically
from dagster_project.publish import i18n
from dagster_project.publish.excel import INDEX, INTEGER, NUMBER, PERCENT, PROVENANCE_ROWS, Column, Sheet
from dagster_project.publish.hr_scorecard_data import (
    DepartmentPeople,
    HrScorecard,
    PersonRecord,
    RoleScore,
    load_hr_scorecard,
)
from dagster_project.publish.scorecards import (
    INDEX_PAGE,
    UNSAFE_FILE_CHARS,
    page_name,
    stylesheet,
    template_environment,
    write_page,
)

CONFIDENTIAL = "HR confidential / 仅限人力资源"
EVIDENCE_HTML_CAP = 20  # records listed per person and metric on a page; the workbook has them all
EVIDENCE_XLSX_CAP = 50_000  # rows of a workbook's Evidence sheet before records per metric are capped
TIERS = ("core", "extension")

SUMMARY_SHEET = "Summary"
RANKING_SHEET = "Ranking"
METRICS_SHEET = "Metrics"
EVIDENCE_SHEET = "Evidence"
CALIBRATION_SHEET = "Calibration"

PERSON_COLUMNS = (
    Column("Employee id", "员工编号"),
    Column("Employee number", "工号"),
    Column("Name", "姓名"),
    Column("Role id", "岗位编号"),
)
RANKING_COLUMNS = (
    Column("Rank in department", "部门内排名", INTEGER),
    *PERSON_COLUMNS,
    Column("Role", "岗位"),
    Column("Role (zh)", "岗位名称"),
    Column("Months in role", "任职月数", INTEGER),
    Column("Index", "指数", INDEX),
    Column("Core", "核心", INDEX),
    Column("Extension", "扩展", INDEX),
    Column("Grade", "等级"),
    Column("Rank in role", "岗位内排名", INTEGER),
    Column("Employees in role", "岗位人数", INTEGER),
    Column("Rank in department role", "部门岗位内排名", INTEGER),
    Column("Employees in department role", "部门岗位人数", INTEGER),
    Column("Weight coverage %", "权重覆盖率 %", INDEX),
    Column("Metrics observed", "有数据指标数", INTEGER),
    Column("Metrics in template", "模板指标数", INTEGER),
    Column("Records", "记录数", INTEGER),
    Column("Scoring scheme", "评分方案"),
)
METRIC_COLUMNS = (
    *PERSON_COLUMNS,
    Column("Tier", "层级"),
    Column("Metric id", "指标编号"),
    Column("Metric", "指标"),
    Column("Metric (zh)", "指标名称"),
    Column("Value", "数值", NUMBER),
    Column("Unit", "单位"),
    Column("Numerator", "分子", NUMBER),
    Column("Denominator", "分母", NUMBER),
    Column("Records", "记录数", INTEGER),
    Column("Target", "目标值", NUMBER),
    Column("Floor", "下限", NUMBER),
    Column("Score", "得分", INDEX),
    Column("Weight %", "权重 %", INDEX),
    Column("Effective weight %", "有效权重 %", INDEX),
    Column("Weighted contribution", "贡献分", "0.00"),
    Column("Direction", "方向"),
    Column("Observed", "有数据"),
)
RATIO_CELLS = (8, 13, 14)  # value, target and floor of a ratio metric are shown as percentages
# Lean on purpose (openpyxl writes ~25k cells a second): names are on the Ranking and Metrics sheets, and
# the parts are plain numbers (a styled cell costs twice a plain one).
EVIDENCE_COLUMNS = (
    Column("Employee id", "员工编号"),
    Column("Name", "姓名"),
    Column("Role id", "岗位编号"),
    Column("Metric id", "指标编号"),
    Column("Month", "月份"),
    Column("Source system", "源系统"),
    Column("Stream", "数据流"),
    Column("Record key", "记录键"),
    Column("Numerator part", "分子部分"),
    Column("Denominator part", "分母部分"),
)
CALIBRATION_COLUMNS = (
    Column("Role id", "岗位编号"),
    Column("Role", "岗位"),
    Column("Role (zh)", "岗位名称"),
    Column("Group size", "组内人数", INTEGER),
    Column("Grade", "等级"),
    Column("Employees", "人数", INTEGER),
    Column("Share", "占比", PERCENT),
    Column("Target share", "目标占比", PERCENT),
    Column("Tolerance", "容差", PERCENT),
    Column("Deviation", "偏差", "+0.0%;-0.0%;0.0%"),
    Column("Off target", "超出容差"),
    Column("Flagged for review", "需复核"),
)
SUMMARY_COLUMNS = (Column("Item", "项目"), Column("Value", "内容"))


def workbook_name(department_id: str) -> str:
    return f"{UNSAFE_FILE_CHARS.sub('_', department_id)}.xlsx"


def person_anchor(employee_id: str) -> str:
    return f"p-{UNSAFE_FILE_CHARS.sub('_', employee_id)}"


def _part(value: float | None) -> str:
    """A numerator or denominator: whole numbers without decimals, others with two."""
    if value is None:
        return i18n.DASH
    return i18n.number(value, 0 if float(value).is_integer() else 2)


def _records_cap(counts: list[int], limit: int) -> int | None:
    """The largest number of records per person and metric that keeps the total within `limit` (None:
    every record fits)."""
    if sum(counts) <= limit:
        return None
    low, high = 0, max(counts)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(n, middle) for n in counts) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


# -- HTML ------------------------------------------------------------------------------------------------
class _Site:
    def __init__(self, sc: HrScorecard) -> None:
        self.sc = sc
        self.env = template_environment()
        self.common: dict[str, Any] = {
            "css": stylesheet(),
            "confidential": CONFIDENTIAL,
            "t": lambda key, **values: i18n.label("en", key, **values),
            "num": i18n.number,
            "pct": i18n.percent,
            "signed": i18n.signed,
            "part": _part,
            "mv": lambda value, unit: i18n.metric_value("en", value, unit),
            "period": sc.period,
            "period_label": i18n.period_name("en", sc.period),
            "period_label_zh": i18n.period_name("zh", sc.period),
            "scheme_versions": ", ".join(sc.scheme_versions),
            "data_through": sc.data_through.isoformat() if sc.data_through else None,
            "is_partial": sc.is_partial,
            "grade_bands": sc.grade_bands,
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "banner": sc.provenance.bilingual_banner(),
            "data_from": sc.provenance.sources_line("en"),
            "page_of": page_name,
            "workbook_of": workbook_name,
            "anchor": person_anchor,
            "evidence_cap": EVIDENCE_HTML_CAP,
        }

    def index(self) -> str:
        sc = self.sc
        everyone = [r for d in sc.departments.values() for r in d.roles]
        context = dict(
            self.common,
            departments=list(sc.departments.values()),
            people=sc.people_count,
            role_rows=len(everyone),
            grade_counts=Counter(r.grade for r in everyone),
            dept_grades={d: Counter(r.grade for r in dept.roles) for d, dept in sc.departments.items()},
            outside=[
                d
                for d in sc.departments.values()
                if d.reconciliation and not d.reconciliation.is_within_tolerance
            ],
            flagged=sum(len(d.flagged) for d in sc.departments.values()),
        )
        return self.env.get_template("hr_index.html.j2").render(context)

    def department(self, dept: DepartmentPeople) -> str:
        sc = self.sc
        people = []
        for employee_id in dept.people:
            roles = sc.roles_of[employee_id]
            here = [r for r in roles if r.department_id == dept.department_id]
            people.append(
                {
                    "first": here[0],
                    "all_roles": roles,
                    "blocks": [self._block(r) for r in here],
                }
            )
        context = dict(
            self.common,
            dept=dept,
            people=people,
            grade_counts=Counter(r.grade for r in dept.roles),
        )
        return self.env.get_template("hr_department.html.j2").render(context)

    def _block(self, role: RoleScore) -> dict[str, Any]:
        """One role row of a person: the metric lines by tier, and the records behind each metric."""
        lines = self.sc.metrics.get(role.key, ())
        evidence: dict[str, tuple[tuple[PersonRecord, ...], int]] = {}
        for m in lines:
            records = self.sc.evidence.get((*role.key, m.metric_id), ())
            evidence[m.metric_id] = (records[:EVIDENCE_HTML_CAP], len(records))
        return {
            "role": role,
            "tiers": [(tier, rows) for tier in TIERS if (rows := [m for m in lines if m.tier == tier])],
            "lines": lines,
            "evidence": evidence,
            "band": next((b for b in self.sc.grade_bands if b.grade == role.grade), None),
        }


# -- Excel -----------------------------------------------------------------------------------------------
def _person(r: RoleScore) -> tuple[object, ...]:
    return (r.employee_id, r.employee_number, r.display_name, r.role_id)


def _summary(sheet: Sheet, sc: HrScorecard, dept: DepartmentPeople, evidence_note: str) -> None:
    rec = dept.reconciliation
    rows: list[tuple[str, object]] = [
        ("Classification / 密级", CONFIDENTIAL),
        ("Department / 部门", f"{dept.department_id} {dept.name_en} / {dept.name_zh}"),
        ("Period / 期间", sc.period.id),
        ("People scored / 评分人数", len(dept.people)),
        ("Role rows / 岗位行数", len(dept.roles)),
    ]
    if rec is not None:
        verdict = "within tolerance" if rec.is_within_tolerance else "OUTSIDE tolerance"
        rows += [
            ("Department index / 部门指数", rec.department_index),
            ("Roll-up of its people / 员工汇总指数", rec.employee_rollup_index),
            ("Difference / 差异", rec.difference),
            ("Reconciliation / 核对", f"{verdict} (±{rec.tolerance_points} points)"),
            *((f"Reason {i} / 原因 {i}", reason) for i, reason in enumerate(rec.reasons, 1)),
        ]
    for group in dept.flagged:
        off = ", ".join(
            f"{g.grade} {g.share:.0%} vs {g.target_share:.0%}" for g in group.grades if g.is_off_target
        )
        rows.append(("Calibration flag / 校准标记", f"{group.role_name_en}: {off or 'shares off target'}"))
    rows.append(("Evidence / 数据依据", evidence_note))
    sheet.header(SUMMARY_COLUMNS)
    for item, value in rows:
        sheet.add(SUMMARY_COLUMNS, (item, value), formats={1: INDEX} if isinstance(value, float) else None)


def build_department_workbook(sc: HrScorecard, dept: DepartmentPeople, path: Path) -> Path:
    """Write the department's workbook to `path` (atomically): Summary, Ranking, Metrics, Evidence,
    Calibration, each sheet headed "HR confidential" when printed."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{dept.name_en}: employee scorecards {sc.period.id}"
    workbook.properties.subject = workbook.properties.keywords = CONFIDENTIAL

    def sheet(name: str, freeze_column: str, header_rows: int = 1) -> Sheet:
        ws = workbook.create_sheet(name)
        ws.oddHeader.center.text = CONFIDENTIAL
        return Sheet(ws, f"{freeze_column}{PROVENANCE_ROWS + header_rows + 1}", sc.provenance)

    groups = [
        (r, m, sc.evidence.get((*r.key, m.metric_id), ()))
        for r in dept.roles
        for m in sc.metrics.get(r.key, ())
    ]
    total = sum(len(records) for *_, records in groups)
    cap = _records_cap([len(records) for *_, records in groups], EVIDENCE_XLSX_CAP)
    if cap is None:
        note = f"All {total:,} source records are on the Evidence sheet."
    else:
        kept = sum(min(len(records), cap) for *_, records in groups)
        note = (
            f"{kept:,} of {total:,} source records on the Evidence sheet (the first {cap:,} per person and "
            f"metric, to stay within {EVIDENCE_XLSX_CAP:,} rows); hr.employee_metric_evidence has them all."
        )

    summary = sheet(SUMMARY_SHEET, "A")
    _summary(summary, sc, dept, note)
    summary.flush()

    ranking = sheet(RANKING_SHEET, "E")
    ranking.header(RANKING_COLUMNS)
    for r in dept.roles:
        ranking.add(
            RANKING_COLUMNS,
            (r.rank_in_department, *_person(r), r.role_name_en, r.role_name_zh, r.months_in_role,
             r.employee_index, r.core_part, r.extension_part, r.grade, r.rank_in_role, r.employees_in_role,
             r.rank_in_department_role, r.employees_in_department_role, r.weight_coverage_pct,
             r.metrics_observed, r.metrics_in_template, r.evidence_record_count, r.scheme_version),
        )  # fmt: skip
    ranking.flush()

    metrics = sheet(METRICS_SHEET, "E")
    metrics.header(METRIC_COLUMNS)
    for r in dept.roles:
        for m in sc.metrics.get(r.key, ()):
            metrics.add(
                METRIC_COLUMNS,
                (*_person(r), m.tier, m.metric_id, m.name_en, m.name_zh, m.metric_value, m.unit, m.numerator,
                 m.denominator, m.record_count, m.target, m.floor, m.score, m.weight, m.effective_weight,
                 m.weighted_contribution, m.direction, "yes" if m.is_observed else "no"),
                formats=dict.fromkeys(RATIO_CELLS, PERCENT) if m.unit == "ratio" else None,
            )  # fmt: skip
    metrics.flush()

    evidence = sheet(EVIDENCE_SHEET, "C", 2 if cap is not None else 1)
    if cap is not None:
        evidence.rows.append([note])
    evidence.header(EVIDENCE_COLUMNS)
    for r, m, records in groups:
        for record in records[:cap]:
            evidence.add(
                EVIDENCE_COLUMNS,
                (r.employee_id, r.display_name, r.role_id, m.metric_id,
                 record.month_start_date.strftime("%Y-%m"), record.source_system, record.source_stream,
                 record.record_key, record.numerator_part, record.denominator_part),
            )  # fmt: skip
    evidence.flush()

    calibration = sheet(CALIBRATION_SHEET, "D")
    calibration.header(CALIBRATION_COLUMNS)
    for group in dept.calibration:
        for g in group.grades:
            calibration.add(
                CALIBRATION_COLUMNS,
                (group.role_id, group.role_name_en, group.role_name_zh, group.group_size, g.grade,
                 g.employees, g.share, g.target_share, g.tolerance, g.deviation,
                 "yes" if g.is_off_target else "no", "yes" if group.is_flagged_for_review else "no"),
            )  # fmt: skip
    calibration.flush()

    return write_atomically(path, workbook.save, readable=False)


# -- entry point -----------------------------------------------------------------------------------------
def render_hr_scorecards(sc: HrScorecard, out_dir: Path) -> list[Path]:
    """Write the pages and workbooks of `sc` under `out_dir`; returns index.html, then each department's
    page and workbook."""
    site = _Site(sc)
    written = []
    remove_partial_files(out_dir)  # what a render killed midway left
    # Departments first, the index last: a reader following a link never lands on a missing page.
    for dept in sc.departments.values():
        page = out_dir / page_name(dept.department_id)
        write_page(page, site.department(dept), readable=False)
        written += [page, build_department_workbook(sc, dept, out_dir / workbook_name(dept.department_id))]
    index = out_dir / INDEX_PAGE
    write_page(index, site.index(), readable=False)
    return [index, *written]


def write_hr_scorecards(database: Path, period_id: str, out_dir: Path) -> list[Path]:
    """Render the employee scorecards of `period_id` (`2026-10` or `2026-Q4`) from the `hr` marts of the
    working `database` (opened read-only) into `out_dir` (`data/hr/scorecards/<period_id>/`): `index.html`,
    and `<department_id>.html` and `<department_id>.xlsx` per department with scored people. Returns the
    paths written, `index.html` first. Raises `ScorecardError` when the period has no employee scores."""
    return render_hr_scorecards(load_hr_scorecard(Path(database), period_id), Path(out_dir))
