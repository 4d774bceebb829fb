"""A department's employee scorecards as Excel workbooks (HR tier), English and Chinese.

Summary, Ranking, Metrics, Evidence and Calibration sheets, each headed "HR confidential" when printed,
each table filtered (`sheets.Sheet`). The English workbook is `<department>.xlsx` beside the English pages,
the Chinese one the same name in `zh/`, with its sheets, headers, labels and flags in Chinese. A large
department's Evidence sheet keeps at most `EVIDENCE_XLSX_CAP` rows (openpyxl writes about 25k cells a
second): the first records per person and metric, and a note above the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from openpyxl import Workbook

from connectors.landing.file_modes import write_atomically
from dagster_project.publish import i18n
from dagster_project.publish.glossary import TERMS
from dagster_project.publish.hr_i18n import reason
from dagster_project.publish.hr_scorecard_data import DepartmentPeople, HrScorecard, PersonRecord, RoleScore
from dagster_project.publish.sheets import (
    INDEX,
    INTEGER,
    NUMBER,
    PERCENT,
    PROVENANCE_ROWS,
    RECORD_COLUMNS,
    SCORE_COLUMNS,
    Column,
    Sheet,
    name_columns,
)

CONFIDENTIAL = TERMS["hr_confidential"].both
EVIDENCE_XLSX_CAP = 50_000  # rows of a workbook's Evidence sheet before records per metric are capped
SHEETS = {key: TERMS[key] for key in ("summary", "ranking", "metrics", "evidence", "calibration")}
SUMMARY_SHEET, RANKING_SHEET, METRICS_SHEET, EVIDENCE_SHEET, CALIBRATION_SHEET = (
    SHEETS[key]["en"] for key in ("summary", "ranking", "metrics", "evidence", "calibration")
)


PERSON_COLUMNS = (
    Column.of("employee_id"),
    Column.of("employee_number"),
    Column.of("name"),
    Column.of("role_id"),
)


def ranking_columns(lang: str) -> tuple[Column, ...]:
    return (
        Column.of("rank_in_department", INTEGER),
        *PERSON_COLUMNS,
        *name_columns(lang, "role"),
        Column.of("months_in_role", INTEGER),
        Column.of("index", INDEX),
        Column.of("core", INDEX),
        Column.of("extension", INDEX),
        Column.of("grade"),
        Column.of("rank_in_role", INTEGER),
        Column.of("employees_in_role", INTEGER),
        Column.of("rank_in_department_role", INTEGER),
        Column.of("employees_in_department_role", INTEGER),
        Column.of("weight_coverage", INDEX),
        Column.of("metrics_observed", INTEGER),
        Column.of("metrics_in_template", INTEGER),
        Column.of("records", INTEGER),
        Column.of("scheme"),
    )


def _metric_columns(lang: str) -> tuple[Column, ...]:
    return (
        *PERSON_COLUMNS,
        Column.of("tier"),
        Column.of("metric_id"),
        *name_columns(lang, "metric"),
        Column.of("value", NUMBER),
        Column.of("unit"),
        Column.of("numerator_column", NUMBER),
        Column.of("denominator_column", NUMBER),
        Column.of("records", INTEGER),
        *SCORE_COLUMNS,
        Column.of("direction"),
        Column.of("observed_column"),
    )


RANKING_COLUMNS = ranking_columns("en")
RATIO_CELLS = (8, 13, 14)  # value, target and floor of a ratio metric are shown as percentages
# Lean on purpose: names are on the Ranking and Metrics sheets, and the parts are plain numbers (a styled
# cell costs twice a plain one).
EVIDENCE_COLUMNS = (
    Column.of("employee_id"),
    Column.of("name"),
    Column.of("role_id"),
    Column.of("metric_id"),
    *RECORD_COLUMNS,
)


def _calibration_columns(lang: str) -> tuple[Column, ...]:
    return (
        Column.of("role_id"),
        *name_columns(lang, "role"),
        Column.of("group_size", INTEGER),
        Column.of("grade"),
        Column.of("employees", INTEGER),
        Column.of("share", PERCENT),
        Column.of("target_share", PERCENT),
        Column.of("tolerance", PERCENT),
        Column.of("deviation", "+0.0%;-0.0%;0.0%"),
        Column.of("off_target_column"),
        Column.of("flagged_for_review_column"),
    )


SUMMARY_COLUMNS = (Column.of("item"), Column.of("summary_value"))


def _item(lang: str, key: str, **values: object) -> str:
    """A Summary sheet item: the English workbook says it in both languages, the Chinese in Chinese."""
    en, zh = TERMS[key].en.format(**values), TERMS[key].zh.format(**values)
    return zh if lang == "zh" else f"{en} / {zh}"


def records_cap(counts: list[int], limit: int) -> int | None:
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


@dataclass(frozen=True)
class _Evidence:
    """The records of each person's metric line, and how many of them the Evidence sheet keeps."""

    groups: list[tuple[RoleScore, str, tuple[PersonRecord, ...]]]
    total: int
    cap: int | None

    @classmethod
    def of(cls, sc: HrScorecard, dept: DepartmentPeople) -> _Evidence:
        groups = [
            (r, m.metric_id, sc.evidence.get((*r.key, m.metric_id), ()))
            for r in dept.roles
            for m in sc.metrics.get(r.key, ())
        ]
        counts = [len(records) for *_, records in groups]
        return cls(groups, sum(counts), records_cap(counts, EVIDENCE_XLSX_CAP))

    def note(self, lang: str) -> str:
        if self.cap is None:
            return TERMS["workbook_all_evidence"][lang].format(total=self.total)
        kept = sum(min(len(records), self.cap) for *_, records in self.groups)
        return TERMS["workbook_capped_evidence"][lang].format(
            kept=kept, total=self.total, cap=self.cap, limit=EVIDENCE_XLSX_CAP
        )


def _person(r: RoleScore) -> tuple[object, ...]:
    return (r.employee_id, r.employee_number, r.display_name, r.role_id)


def _summary(sheet: Sheet, sc: HrScorecard, dept: DepartmentPeople, evidence_note: str) -> None:
    lang, rec = sheet.lang, dept.reconciliation
    name, other = i18n.in_order(lang, dept.name_en, dept.name_zh)
    rows: list[tuple[str, object]] = [
        (_item(lang, "classification"), CONFIDENTIAL),
        (_item(lang, "department"), f"{dept.department_id} {name} / {other}"),
        (_item(lang, "period"), sc.period.id),
        (_item(lang, "people_scored_item"), len(dept.people)),
        (_item(lang, "role_rows"), len(dept.roles)),
    ]
    if rec is not None:
        tolerance = TERMS["workbook_tolerance"][lang].format(n=rec.tolerance_points)
        verdict = TERMS["workbook_within" if rec.is_within_tolerance else "workbook_outside"][lang].format(
            tolerance=tolerance
        )
        rows += [
            (_item(lang, "department_index"), rec.department_index),
            (_item(lang, "rollup_index"), rec.employee_rollup_index),
            (_item(lang, "difference"), rec.difference),
            (_item(lang, "reconciliation"), verdict),
            *((_item(lang, "reason_n", i=i), reason(lang, text)) for i, text in enumerate(rec.reasons, 1)),
        ]
    for group in dept.flagged:
        off = ", ".join(
            TERMS["workbook_off"][lang].format(
                grade=g.grade, share=f"{g.share:.0%}", target=f"{g.target_share:.0%}"
            )
            for g in group.grades
            if g.is_off_target
        )
        role = i18n.in_order(lang, group.role_name_en, group.role_name_zh)[0]
        rows.append((_item(lang, "calibration_flag"), f"{role}: {off or TERMS['workbook_shares_off'][lang]}"))
    rows.append((_item(lang, "evidence"), evidence_note))
    sheet.header(SUMMARY_COLUMNS)
    for item, value in rows:
        sheet.add(SUMMARY_COLUMNS, (item, value), formats={1: INDEX} if isinstance(value, float) else None)


def _yes(lang: str, value: bool) -> str:
    return i18n.label(lang, "yes" if value else "no")


def build_department_workbook(sc: HrScorecard, dept: DepartmentPeople, path: Path, lang: str = "en") -> Path:
    """Write the department's workbook in `lang` to `path` (atomically)."""
    workbook = Workbook(write_only=True)
    names, word = partial(i18n.in_order, lang), partial(i18n.value_word, lang)
    department = names(dept.name_en, dept.name_zh)[0]
    workbook.properties.title = TERMS["workbook_title"][lang].format(
        department=department, period=sc.period.id
    )
    workbook.properties.subject = workbook.properties.keywords = CONFIDENTIAL
    workbook.properties.language = i18n.LANGUAGE_TAGS[lang]

    def sheet(key: str, freeze_column: str, header_rows: int = 1) -> Sheet:
        ws = workbook.create_sheet(SHEETS[key][lang])
        ws.oddHeader.center.text = CONFIDENTIAL
        return Sheet(ws, f"{freeze_column}{PROVENANCE_ROWS + header_rows + 1}", sc.provenance, lang)

    evidence = _Evidence.of(sc, dept)
    summary = sheet("summary", "A")
    _summary(summary, sc, dept, evidence.note(lang))
    summary.flush()

    ranking = sheet("ranking", "E")
    columns = ranking_columns(lang)
    ranking.header(columns)
    for r in dept.roles:
        ranking.add(
            columns,
            (r.rank_in_department, *_person(r), *names(r.role_name_en, r.role_name_zh),
             r.months_in_role, r.employee_index, r.core_part, r.extension_part, r.grade, r.rank_in_role,
             r.employees_in_role, r.rank_in_department_role, r.employees_in_department_role,
             r.weight_coverage_pct, r.metrics_observed, r.metrics_in_template, r.evidence_record_count,
             r.scheme_version),
        )  # fmt: skip
    ranking.flush()

    metrics = sheet("metrics", "E")
    columns = _metric_columns(lang)
    metrics.header(columns)
    for r in dept.roles:
        for m in sc.metrics.get(r.key, ()):
            metrics.add(
                columns,
                (*_person(r), word("tier", m.tier), m.metric_id, *names(m.name_en, m.name_zh),
                 m.metric_value, word("unit", m.unit), m.numerator, m.denominator, m.record_count,
                 m.target, m.floor, m.score, m.weight, m.effective_weight, m.weighted_contribution,
                 word("direction", m.direction), _yes(lang, m.is_observed)),
                formats=dict.fromkeys(RATIO_CELLS, PERCENT) if m.unit == "ratio" else None,
            )  # fmt: skip
    metrics.flush()

    records = sheet("evidence", "C", 2 if evidence.cap is not None else 1)
    if evidence.cap is not None:
        records.rows.append([evidence.note(lang)])
    records.header(EVIDENCE_COLUMNS)
    for r, metric_id, lines in evidence.groups:
        for record in lines[: evidence.cap]:
            records.add(
                EVIDENCE_COLUMNS,
                (r.employee_id, r.display_name, r.role_id, metric_id,
                 record.month_start_date.strftime("%Y-%m"), record.source_system, record.source_stream,
                 record.record_key, record.numerator_part, record.denominator_part),
            )  # fmt: skip
    records.flush()

    calibration = sheet("calibration", "D")
    columns = _calibration_columns(lang)
    calibration.header(columns)
    for group in dept.calibration:
        for g in group.grades:
            calibration.add(
                columns,
                (group.role_id, *names(group.role_name_en, group.role_name_zh), group.group_size,
                 g.grade, g.employees, g.share, g.target_share, g.tolerance, g.deviation,
                 _yes(lang, g.is_off_target), _yes(lang, group.is_flagged_for_review)),
            )  # fmt: skip
    calibration.flush()

    return write_atomically(path, workbook.save, readable=False)
