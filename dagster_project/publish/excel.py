"""The scorecard of one period as Excel workbooks, English and Chinese: the ranking, a sheet per department,
the evidence.

The workbooks say the same as the HTML pages because both are rendered from one `Scorecard` read from
the marts. As the pages do, the English workbook sits in the period's folder and the Chinese one, under
the same name, in its `zh/` folder beside the Chinese pages; the Chinese one names its sheets, headers
and labels in Chinese (English below each header, ids and codes as they are). Record keys are
identifiers and stay text (`0042` keeps its zero). How sheets are written: `sheets`.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from openpyxl import Workbook

from connectors.landing.file_modes import write_atomically
from dagster_project.publish import i18n
from dagster_project.publish.glossary import TERMS
from dagster_project.publish.scorecard_data import Scorecard, load_scorecard
from dagster_project.publish.sheets import (
    CHANGE,
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

ZH_DIR = "zh"  # scorecards.ZH_DIR: the Chinese files' folder
SHEETS = {"ranking": TERMS["ranking"], "evidence": TERMS["evidence"]}
RANKING_SHEET = SHEETS["ranking"]["en"]
EVIDENCE_SHEET = SHEETS["evidence"]["en"]
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _ranking_columns(lang: str) -> tuple[Column, ...]:
    return (
        Column.of("rank", INTEGER),
        Column.of("department_id"),
        *name_columns(lang, "department"),
        Column.of("family"),
        Column.of("index", INDEX),
        Column.of("grade"),
        Column.of("core", INDEX),
        Column.of("extension", INDEX),
        Column.of("previous_period"),
        Column.of("previous_index", INDEX),
        Column.of("change", CHANGE),
        Column.of("rank_in_family", INTEGER),
        Column.of("weight_coverage", INDEX),
        Column.of("metrics_observed", INTEGER),
        Column.of("metrics_in_scheme", INTEGER),
        Column.of("records", INTEGER),
        Column.of("headcount", INTEGER),
        Column.of("scheme"),
    )


def _metric_columns(lang: str) -> tuple[Column, ...]:
    return (
        Column.of("scorecard"),
        Column.of("tier"),
        Column.of("metric_id"),
        *name_columns(lang, "metric"),
        Column.of("value", NUMBER),
        Column.of("unit"),
        *SCORE_COLUMNS,
        Column.of("records", INTEGER),
        Column.of("numerator_column", NUMBER),
        Column.of("denominator_column", NUMBER),
        Column.of("direction"),
    )


def _summary_columns(lang: str) -> tuple[Column, ...]:
    return (
        Column.of("department_id"),
        *name_columns(lang, "department"),
        Column.of("family"),
        Column.of("period"),
        Column.of("index", INDEX),
        Column.of("grade"),
        Column.of("core", INDEX),
        Column.of("extension", INDEX),
        Column.of("rank", INTEGER),
        Column.of("rank_in_family", INTEGER),
        Column.of("change", CHANGE),
        Column.of("previous_period"),
        Column.of("support_index", INDEX),
        Column.of("support_grade"),
        Column.of("scheme"),
        Column.of("headcount", INTEGER),
    )


def _evidence_columns(lang: str) -> tuple[Column, ...]:
    return (
        Column.of("department_id"),
        Column.of("department"),
        Column.of("metric_id"),
        Column.of("metric"),
        *RECORD_COLUMNS,
    )


RANKING_COLUMNS = _ranking_columns("en")
METRIC_COLUMNS = _metric_columns("en")
# Department sheets: the provenance row, the summary header and values, a blank row, then the metrics.
METRIC_HEADER_ROW = PROVENANCE_ROWS + 4
WEIGHTED_CONTRIBUTION = 12  # the metric table's column whose values add up to the index
TOTAL = "total"  # the Scorecard cell of the English workbook's total rows


def department_sheet_name(department_id: str, name: str) -> str:
    """`D18 Human Resources`: unique by the id, within Excel's 31 characters and allowed characters."""
    return INVALID_SHEET_CHARS.sub(" ", f"{department_id} {name}")[:31].rstrip()


def zh_workbook_path(path: Path) -> Path:
    """Where the Chinese workbook of the English one at `path` goes: `zh/` beside it, the same name."""
    return path.parent / ZH_DIR / path.name


def _family(lang: str, family: str) -> str:
    if lang == "zh":
        return i18n.family_name("zh", family)
    return f"{i18n.family_name('en', family)} / {i18n.family_name('zh', family)}"


def _ranking(sheet: Sheet, scorecard: Scorecard) -> None:
    lang, columns = sheet.lang, _ranking_columns(sheet.lang)
    names = partial(i18n.in_order, lang)
    sheet.header(columns)
    for r in scorecard.ranking:
        sheet.add(
            columns,
            (r.rank_overall, r.department_id, *names(r.name_en, r.name_zh),
             _family(lang, r.department_family), r.contribution_index, r.grade, r.core_subtotal,
             r.extension_subtotal, r.previous_period_id, r.previous_index, r.change_vs_previous,
             r.rank_in_family, r.weight_coverage_pct, r.metrics_observed, r.metrics_in_scheme,
             r.record_count, r.headcount_at_period_end, r.scheme_version),
        )  # fmt: skip


def _department(sheet: Sheet, scorecard: Scorecard, department_id: str) -> None:
    """The department's summary (rows 2-3), then its metric table (header on METRIC_HEADER_ROW) and the
    subtotals, which are the sums of the weighted contributions above them."""
    lang = sheet.lang
    names, word = partial(i18n.in_order, lang), partial(i18n.value_word, lang)
    row = next(r for r in scorecard.ranking if r.department_id == department_id)
    support = scorecard.support.get(department_id)
    summary = _summary_columns(lang)
    sheet.header(summary)
    sheet.add(
        summary,
        (row.department_id, *names(row.name_en, row.name_zh), _family(lang, row.department_family),
         scorecard.period.id, row.contribution_index, row.grade, row.core_subtotal, row.extension_subtotal,
         row.rank_overall, row.rank_in_family, row.change_vs_previous, row.previous_period_id,
         support.support_index if support else None, support.grade if support else None,
         row.scheme_version, row.headcount_at_period_end),
    )  # fmt: skip
    sheet.add_blank()
    columns = _metric_columns(lang)
    sheet.header(columns)
    for m in scorecard.metrics.get(department_id, ()):
        sheet.add(
            columns,
            (word("scorecard", m.scorecard), word("tier", m.tier), m.metric_id,
             *names(m.name_en, m.name_zh), m.metric_value, word("unit", m.unit), m.target,
             m.floor, m.score, m.weight, m.effective_weight, m.weighted_contribution, m.record_count,
             m.numerator, m.denominator, word("direction", m.direction)),
            # A share is kept as the share and shown as a percentage.
            formats=dict.fromkeys((5, 7, 8), PERCENT) if m.unit == "ratio" else None,
        )  # fmt: skip
    totals = [
        (TERMS["index"], row.contribution_index),
        (TERMS["core_subtotal"], row.core_subtotal),
        (TERMS["extension_subtotal"], row.extension_subtotal),
    ]
    if support is not None:
        totals.append((TERMS["support_index"], support.support_index))
    for term, value in totals:
        values: list[object] = [None] * len(columns)
        values[0] = word("scorecard", TOTAL)
        values[3], values[4] = names(term.en, term.zh)
        values[WEIGHTED_CONTRIBUTION] = value
        sheet.add(columns, values, total=term is TERMS["index"], in_table=False)


def _evidence(sheet: Sheet, scorecard: Scorecard) -> None:
    lang, columns = sheet.lang, _evidence_columns(sheet.lang)
    sheet.header(columns)
    names = {m.metric_id: m.name(lang) for rows in scorecard.metrics.values() for m in rows}
    for department_id in sorted(scorecard.evidence):
        department = scorecard.departments.get(department_id)
        for metric_id, groups in sorted(scorecard.evidence[department_id].items()):
            for group in groups:
                for record in group.records:
                    sheet.add(
                        columns,
                        (department_id, department.name(lang) if department else department_id, metric_id,
                         names.get(metric_id, metric_id), record.month_start_date.strftime("%Y-%m"),
                         record.source_system, record.source_stream, record.record_key,
                         record.numerator_part, record.denominator_part),
                    )  # fmt: skip


def build_workbook(scorecard: Scorecard, path: Path, lang: str = "en") -> Path:
    """Write the scorecard's workbook in `lang` to `path` (atomically: beside it, then renamed over it)."""
    workbook = Workbook(write_only=True)
    provenance = scorecard.provenance
    first_data_row = PROVENANCE_ROWS + 2
    ranking = Sheet(workbook.create_sheet(SHEETS["ranking"][lang]), f"C{first_data_row}", provenance, lang)
    _ranking(ranking, scorecard)
    ranking.flush()
    for row in scorecard.ranking:
        ws = workbook.create_sheet(department_sheet_name(row.department_id, row.name(lang)))
        sheet = Sheet(ws, f"D{METRIC_HEADER_ROW + 1}", provenance, lang)
        _department(sheet, scorecard, row.department_id)
        sheet.flush()
    evidence = Sheet(workbook.create_sheet(SHEETS["evidence"][lang]), f"C{first_data_row}", provenance, lang)
    _evidence(evidence, scorecard)
    evidence.flush()
    workbook.properties.subject = provenance.workbook_line()
    workbook.properties.language = i18n.LANGUAGE_TAGS[lang]
    return write_atomically(path, workbook.save, readable=True)


def write_scorecard_workbook(database: Path, period_id: str, path: Path) -> Path:
    """Write the workbooks of `period_id` (`2026-10` or `2026-Q4`) from the marts of `database` (opened
    read-only): the English one to `path`, the Chinese one to `zh_workbook_path(path)`; returns `path`."""
    scorecard = load_scorecard(Path(database), period_id)
    build_workbook(scorecard, zh_workbook_path(Path(path)), "zh")
    return build_workbook(scorecard, Path(path), "en")
