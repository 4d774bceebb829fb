"""The sheet writer both scorecard workbooks share: typed cells, frozen headers, filters, sized columns.

HR works on in Excel: filters, pivots, a chart for a board deck. So every figure is a number cell (a
share stays the share, shown as a percentage), never text; every table a sheet holds has its header
frozen and, for its main table, an autofilter; columns are sized to their content. Headers carry both
languages, the workbook's own first (`Column.header`), in the glossary's terms (`Column.of`). The first
row of every sheet, frozen with the headers, says where the data came from: a "Demo data / 演示数据"
banner when the bundled simulator served it, the sources' hosts otherwise (`provenance`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from dagster_project.publish.charts import GRADE_COLOURS
from dagster_project.publish.glossary import TERMS
from dagster_project.publish.provenance import Provenance

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
    """A column: its header in both languages and the number format of its cells (None: text)."""

    en: str
    zh: str
    number_format: str | None = None

    @classmethod
    def of(cls, key: str, number_format: str | None = None) -> Column:
        """The column headed by the glossary's term `key`, as the pages name the same thing."""
        return cls(TERMS[key].en, TERMS[key].zh, number_format)

    def header(self, lang: str) -> str:
        """The workbook's language first, the other below it: `Index\\n指数` or `指数\\nIndex`."""
        return f"{self.zh}\n{self.en}" if lang == "zh" else f"{self.en}\n{self.zh}"


# Runs of columns both workbooks hold, in the same order: how a metric line is scored, and a source record.
SCORE_COLUMNS = (
    Column.of("target", NUMBER),
    Column.of("floor", NUMBER),
    Column.of("score", INDEX),
    Column.of("weight_pct", INDEX),
    Column.of("effective_weight", INDEX),
    Column.of("weighted_contribution", "0.00"),
)
RECORD_COLUMNS = (
    Column.of("month"),
    Column.of("source_system"),
    Column.of("stream"),
    Column.of("record_key"),
    Column.of("numerator_part"),
    Column.of("denominator_part"),
)


def name_columns(lang: str, key: str) -> tuple[Column, Column]:
    """A name column (the glossary's `key`) and its other language's: `Department`, `Department (zh)` in
    the English workbook; `部门`, `部门英文名称` in the Chinese one."""
    en, zh = TERMS[key].en, TERMS[key].zh
    if lang == "zh":
        return Column(en, zh), Column(f"{en} (en)", f"{zh}英文名称")
    return Column(en, zh), Column(f"{en} (zh)", f"{zh}名称")


def _display_width(value: object) -> int:
    if value is None:
        return 0
    text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    # A CJK character is about two Latin characters wide.
    return max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.split("\n"))


@dataclass
class _Table:
    header_row: int  # 1-based row of the table's header
    columns: int
    last_row: int  # the last row of the table's data (the header's own row while it has none)


class Sheet:
    """A write-only sheet: where its data came from (row 1), frozen headers in `lang`, typed cells,
    widths from the content, and an autofilter over its main table (the last one `header` started, up
    to its last `add`ed row: totals added with `in_table=False` stay outside the filter). ``freeze`` is
    the first cell that scrolls (rows above and columns left of it stay)."""

    def __init__(self, ws: WriteOnlyWorksheet, freeze: str, provenance: Provenance, lang: str = "en") -> None:
        self.ws = ws
        self.lang = lang
        self.rows: list[list[object]] = []
        self.widths: dict[int, int] = {}
        self.header_rows: list[int] = []
        self.table: _Table | None = None
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
            cell = WriteOnlyCell(self.ws, value=column.header(self.lang))
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
            row.append(cell)
            self._fit(i, column.en)
            self._fit(i, column.zh)
        self.rows.append(row)
        self.header_rows.append(len(self.rows))
        self.table = _Table(len(self.rows), len(columns), len(self.rows))

    def add(
        self,
        columns: Sequence[Column],
        values: Iterable[object],
        *,
        total: bool = False,
        formats: dict[int, str] | None = None,
        in_table: bool = True,
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
        if in_table and self.table is not None:
            self.table.last_row = len(self.rows)

    def add_blank(self) -> None:
        self.rows.append([])

    def flush(self) -> None:
        for i, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(i + 1)].width = min(width + 3, MAX_WIDTH)
        for number in self.header_rows:
            self.ws.row_dimensions[number].height = 32
        if self.table is not None:
            t = self.table
            self.ws.auto_filter.ref = f"A{t.header_row}:{get_column_letter(t.columns)}{t.last_row}"
        for row in self.rows:
            self.ws.append(row)
