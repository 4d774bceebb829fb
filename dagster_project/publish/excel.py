"""The scorecard of one period as an Excel workbook: the ranking, a sheet per department, the evidence.

HR works on in Excel: filters, pivots, a chart for a board deck. So every figure is a number cell (a
share stays the share, shown as a percentage), never text, and the workbook says the same as the HTML
pages because both are rendered from one `Scorecard` read from the marts. Headers are bilingual and
frozen, columns sized to their content. Record keys are identifiers and stay text (`0042` keeps its zero).
The first row of every sheet, frozen with the headers, says where the data came from: a "Demo data /
演示数据" banner when the bundled simulator served it, the sources' hosts otherwise (`provenance`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from connectors.landing.file_modes import write_atomically
from dagster_project.publish.charts import GRADE_COLOURS
from dagster_project.publish.i18n import FAMILIES
from dagster_project.publish.provenance import Provenance
from dagster_project.publish.scorecard_data import Scorecard, load_scorecard

RANKING_SHEET = "Ranking"
EVIDENCE_SHEET = "Evidence"
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60

NUMBER = "#,##0.00"
INDEX = "0.0"
INTEGER = "#,##0"
PERCENT = "0.0%"
CHANGE = "[Color10]+0.0;[Red]-0.0;0.0"  # rises green, falls red: as visible as on the page

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1E3A5F")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin", color="1E3A5F"))
BANNER_FONT = Font(bold=True, color="FFFFFF")
BANNER_FILL = PatternFill("solid", fgColor="B45309")
SOURCES_FONT = Font(italic=True, color="475569")
PROVENANCE_ROWS = 1  # every sheet's first row says where its data came from


@dataclass(frozen=True)
class Column:
    """A column: its bilingual header and the number format of its cells (None: text)."""

    en: str
    zh: str
    number_format: str | None = None

    @property
    def header(self) -> str:
        return f"{self.en}\n{self.zh}"


RANKING_COLUMNS = (
    Column("Rank", "排名", INTEGER),
    Column("Department id", "部门编号"),
    Column("Department", "部门"),
    Column("Department (zh)", "部门名称"),
    Column("Family", "类别"),
    Column("Index", "指数", INDEX),
    Column("Grade", "等级"),
    Column("Core", "核心", INDEX),
    Column("Extension", "扩展", INDEX),
    Column("Previous period", "上期"),
    Column("Previous index", "上期指数", INDEX),
    Column("Change", "变化", CHANGE),
    Column("Rank in family", "类别内排名", INTEGER),
    Column("Weight coverage %", "权重覆盖率 %", INDEX),
    Column("Metrics observed", "有数据指标数", INTEGER),
    Column("Metrics in scheme", "方案指标数", INTEGER),
    Column("Records", "记录数", INTEGER),
    Column("Headcount", "人数", INTEGER),
    Column("Scoring scheme", "评分方案"),
)

METRIC_COLUMNS = (
    Column("Scorecard", "评分卡"),
    Column("Tier", "层级"),
    Column("Metric id", "指标编号"),
    Column("Metric", "指标"),
    Column("Metric (zh)", "指标名称"),
    Column("Value", "数值", NUMBER),
    Column("Unit", "单位"),
    Column("Target", "目标值", NUMBER),
    Column("Floor", "下限", NUMBER),
    Column("Score", "得分", INDEX),
    Column("Weight %", "权重 %", INDEX),
    Column("Effective weight %", "有效权重 %", INDEX),
    Column("Weighted contribution", "贡献分", "0.00"),
    Column("Records", "记录数", INTEGER),
    Column("Numerator", "分子", NUMBER),
    Column("Denominator", "分母", NUMBER),
    Column("Direction", "方向"),
)

SUMMARY_COLUMNS = (
    Column("Department id", "部门编号"),
    Column("Department", "部门"),
    Column("Department (zh)", "部门名称"),
    Column("Family", "类别"),
    Column("Period", "期间"),
    Column("Index", "指数", INDEX),
    Column("Grade", "等级"),
    Column("Core", "核心", INDEX),
    Column("Extension", "扩展", INDEX),
    Column("Rank", "排名", INTEGER),
    Column("Rank in family", "类别内排名", INTEGER),
    Column("Change", "变化", CHANGE),
    Column("Previous period", "上期"),
    Column("Support index", "支持指数", INDEX),
    Column("Support grade", "支持等级"),
    Column("Scoring scheme", "评分方案"),
    Column("Headcount", "人数", INTEGER),
)
# Department sheets: the provenance row, the summary header and values, a blank row, then the metrics.
METRIC_HEADER_ROW = PROVENANCE_ROWS + 4
WEIGHTED_CONTRIBUTION = 12  # the metric table's column whose values add up to the index

EVIDENCE_COLUMNS = (
    Column("Department id", "部门编号"),
    Column("Department", "部门"),
    Column("Metric id", "指标编号"),
    Column("Metric", "指标"),
    Column("Month", "月份"),
    Column("Source system", "源系统"),
    Column("Stream", "数据流"),
    Column("Record key", "记录键"),
    Column("Numerator part", "分子部分"),
    Column("Denominator part", "分母部分"),
)


def department_sheet_name(department_id: str, name_en: str) -> str:
    """`D18 Human Resources`: unique by the id, within Excel's 31 characters and allowed characters."""
    return INVALID_SHEET_CHARS.sub(" ", f"{department_id} {name_en}")[:31].rstrip()


def _display_width(value: object) -> int:
    if value is None:
        return 0
    text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    # A CJK character is about two Latin characters wide.
    return max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.split("\n"))


class Sheet:
    """A write-only sheet: where its data came from (row 1), frozen bilingual headers, typed cells,
    widths from the content. ``freeze`` is the first cell that scrolls (rows above and columns left of
    it stay)."""

    def __init__(self, ws: WriteOnlyWorksheet, freeze: str, provenance: Provenance) -> None:
        self.ws = ws
        self.rows: list[list[object]] = []
        self.widths: dict[int, int] = {}
        self.header_rows: list[int] = []
        ws.freeze_panes = freeze
        line = WriteOnlyCell(ws, value=provenance.workbook_line())
        warning = provenance.bilingual_banner() is not None
        line.font = BANNER_FONT if warning else SOURCES_FONT
        if warning:
            line.fill = BANNER_FILL
        self.rows.append([line])

    def _fit(self, i: int, value: object) -> None:
        self.widths[i] = max(self.widths.get(i, 8), _display_width(value))

    def header(self, columns: Sequence[Column]) -> None:
        row = []
        for i, column in enumerate(columns):
            cell = WriteOnlyCell(self.ws, value=column.header)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
            row.append(cell)
            self._fit(i, column.en)
            self._fit(i, column.zh)
        self.rows.append(row)
        self.header_rows.append(len(self.rows))

    def add(
        self,
        columns: Sequence[Column],
        values: Iterable[object],
        *,
        total: bool = False,
        formats: dict[int, str] | None = None,
    ) -> None:
        row: list[object] = []
        for i, (column, value) in enumerate(zip(columns, values, strict=True)):
            self._fit(i, value)
            number_format = (formats or {}).get(i, column.number_format)
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            is_grade = column.en.lower().endswith("grade") and value in GRADE_COLOURS
            if not (total or is_grade or (number_format and is_number)):
                row.append(value)  # a plain cell: much faster in write-only mode
                continue
            cell = WriteOnlyCell(self.ws, value=value)
            if number_format and is_number:
                cell.number_format = number_format
            if total:
                cell.font, cell.border = TOTAL_FONT, TOTAL_BORDER
            if is_grade:
                cell.fill = PatternFill("solid", fgColor=GRADE_COLOURS[str(value)].lstrip("#").upper())
                cell.font = Font(bold=True, color="FFFFFF")
                cell.alignment = Alignment(horizontal="center")
            row.append(cell)
        self.rows.append(row)

    def add_blank(self) -> None:
        self.rows.append([])

    def flush(self) -> None:
        for i, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(i + 1)].width = min(width + 3, MAX_WIDTH)
        for number in self.header_rows:
            self.ws.row_dimensions[number].height = 32
        for row in self.rows:
            self.ws.append(row)


def _ranking(sheet: Sheet, scorecard: Scorecard) -> None:
    sheet.header(RANKING_COLUMNS)
    for r in scorecard.ranking:
        sheet.add(
            RANKING_COLUMNS,
            (
                r.rank_overall,
                r.department_id,
                r.name_en,
                r.name_zh,
                _family(r.department_family),
                r.contribution_index,
                r.grade,
                r.core_subtotal,
                r.extension_subtotal,
                r.previous_period_id,
                r.previous_index,
                r.change_vs_previous,
                r.rank_in_family,
                r.weight_coverage_pct,
                r.metrics_observed,
                r.metrics_in_scheme,
                r.record_count,
                r.headcount_at_period_end,
                r.scheme_version,
            ),
        )


def _family(family: str) -> str:
    return f"{FAMILIES['en'].get(family, family)} / {FAMILIES['zh'].get(family, family)}"


def _department(sheet: Sheet, scorecard: Scorecard, department_id: str) -> None:
    """The department's summary (rows 2-3), then its metric table (header on METRIC_HEADER_ROW) and the
    subtotals, which are the sums of the weighted contributions above them."""
    row = next(r for r in scorecard.ranking if r.department_id == department_id)
    support = scorecard.support.get(department_id)
    sheet.header(SUMMARY_COLUMNS)
    sheet.add(
        SUMMARY_COLUMNS,
        (
            row.department_id,
            row.name_en,
            row.name_zh,
            _family(row.department_family),
            scorecard.period.id,
            row.contribution_index,
            row.grade,
            row.core_subtotal,
            row.extension_subtotal,
            row.rank_overall,
            row.rank_in_family,
            row.change_vs_previous,
            row.previous_period_id,
            support.support_index if support else None,
            support.grade if support else None,
            row.scheme_version,
            row.headcount_at_period_end,
        ),
    )
    sheet.add_blank()
    sheet.header(METRIC_COLUMNS)
    for m in scorecard.metrics.get(department_id, ()):
        sheet.add(
            METRIC_COLUMNS,
            (
                m.scorecard,
                m.tier,
                m.metric_id,
                m.name_en,
                m.name_zh,
                m.metric_value,
                m.unit,
                m.target,
                m.floor,
                m.score,
                m.weight,
                m.effective_weight,
                m.weighted_contribution,
                m.record_count,
                m.numerator,
                m.denominator,
                m.direction,
            ),
            # A share is kept as the share and shown as a percentage.
            formats=dict.fromkeys((5, 7, 8), PERCENT) if m.unit == "ratio" else None,
        )
    totals = [
        ("Index", "指数", row.contribution_index),
        ("Core subtotal", "核心小计", row.core_subtotal),
        ("Extension subtotal", "扩展小计", row.extension_subtotal),
    ]
    if support is not None:
        totals.append(("Support index", "支持指数", support.support_index))
    for en, zh, value in totals:
        values: list[object] = [None] * len(METRIC_COLUMNS)
        values[0], values[3], values[4], values[WEIGHTED_CONTRIBUTION] = "total", en, zh, value
        sheet.add(METRIC_COLUMNS, values, total=en == "Index")


def _evidence(sheet: Sheet, scorecard: Scorecard) -> None:
    sheet.header(EVIDENCE_COLUMNS)
    names = {m.metric_id: m.name_en for rows in scorecard.metrics.values() for m in rows}
    for department_id in sorted(scorecard.evidence):
        department = scorecard.departments.get(department_id)
        for metric_id, groups in sorted(scorecard.evidence[department_id].items()):
            for group in groups:
                for record in group.records:
                    sheet.add(
                        EVIDENCE_COLUMNS,
                        (
                            department_id,
                            department.name_en if department else department_id,
                            metric_id,
                            names.get(metric_id, metric_id),
                            record.month_start_date.strftime("%Y-%m"),
                            record.source_system,
                            record.source_stream,
                            record.record_key,
                            record.numerator_part,
                            record.denominator_part,
                        ),
                    )


def build_workbook(scorecard: Scorecard, path: Path) -> Path:
    """Write the scorecard's workbook to `path` (atomically: beside it, then renamed over it)."""
    workbook = Workbook(write_only=True)
    provenance = scorecard.provenance
    ranking = Sheet(workbook.create_sheet(RANKING_SHEET), f"C{PROVENANCE_ROWS + 2}", provenance)
    _ranking(ranking, scorecard)
    ranking.flush()
    for row in scorecard.ranking:
        ws = workbook.create_sheet(department_sheet_name(row.department_id, row.name_en))
        sheet = Sheet(ws, f"D{METRIC_HEADER_ROW + 1}", provenance)
        _department(sheet, scorecard, row.department_id)
        sheet.flush()
    evidence = Sheet(workbook.create_sheet(EVIDENCE_SHEET), f"C{PROVENANCE_ROWS + 2}", provenance)
    _evidence(evidence, scorecard)
    evidence.flush()
    workbook.properties.subject = provenance.workbook_line()
    return write_atomically(path, workbook.save, readable=True)


def write_scorecard_workbook(database: Path, period_id: str, path: Path) -> Path:
    """Write the `.xlsx` of `period_id` (`2026-10` or `2026-Q4`) from the marts of `database` (opened
    read-only) to `path`; returns `path`."""
    return build_workbook(load_scorecard(Path(database), period_id), Path(path))
