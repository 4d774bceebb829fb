"""Plain text tables for the console (the demo's summaries, the bench's report), without Dagster."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: numeric columns right-aligned, text left-aligned."""
    columns = list(zip(header, *rows, strict=True))
    widths = [max(len(str(v)) for v in column) for column in columns]
    numeric = [all(_is_number(v) for v in column[1:]) for column in columns]
    lines = []
    for row in (header, *rows):
        cells = [
            str(v).rjust(w) if right else str(v).ljust(w)
            for v, w, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _is_number(value: object) -> bool:
    if isinstance(value, int | float) or value == "":
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True
