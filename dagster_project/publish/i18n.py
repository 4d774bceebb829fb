"""How the scorecards say things in English and Chinese: labels from the glossary, and numbers.

The words themselves are the glossary's (`glossary.TERMS`, each defined once in both languages); this
module fills their placeholders, escapes them for the pages and writes numbers. Numbers are formatted
the same way in both languages (only the unit words differ), so a figure read on one page can be found
on the other.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from dagster_project.publish.glossary import FAMILIES, TERMS, UNITS

if TYPE_CHECKING:  # scorecard_data reads provenance, which labels through this module
    from collections.abc import Iterable

    from dagster_project.publish.scorecard_data import Period
    from dagster_project.publish.weights import Rescaling

LANGUAGE_TAGS = {"en": "en", "zh": "zh-CN"}  # BCP 47, for `<html lang>` and the workbooks' properties

DECIMALS = {"score_1_5": 2, "per_project": 2, "hours_per_employee": 2, "requests_per_fte": 2}
ID_BREAKS = re.compile(r"(?<=/)|(?<=__)|(?<=\.)(?=\w)")  # where a long identifier may wrap
MINUS = "\u2212"  # a real minus sign: a falling index must be as visible as a rising one
DASH = "\u2014"


def label(lang: str, key: str, **values: object) -> str:
    """The label in the language, with its placeholders filled."""
    text = TERMS[key][lang]
    return text.format(**values) if values else text


def code(text: object) -> Markup:
    """An identifier as the pages show it: monospace, and where it is long, free to wrap after a `/`, a
    `.` or a `__` (a narrow column then breaks `staging/stg_erp__gl_entries` between its parts)."""
    parts = (p for p in ID_BREAKS.split(str(text)) if p)
    return Markup("<code>{}</code>").format(Markup("<wbr>").join(escape(p) for p in parts))


def markup(lang: str, key: str, **values: object) -> Markup:
    """The label as page markup: its own text escaped, values escaped unless they are markup already (an
    identifier in `<code>`)."""
    return Markup(escape(TERMS[key][lang])).format(**values)


def rescaled_note(lang: str, rescaled: Rescaling, names: Iterable[str], period: str) -> Markup:
    """Why a tier carries more (or less) than the scheme gives it, on the page where it happens."""
    listed = ("、" if lang == "zh" else ", ").join(names)
    return markup(
        lang,
        "rescaled_note",
        missing=listed,
        period=period,
        core=percent(rescaled.scored["core"] / 100),
        core_scheme=percent(rescaled.scheme["core"] / 100, 0),
        extension=percent(rescaled.scored["extension"] / 100),
        extension_scheme=percent(rescaled.scheme["extension"] / 100, 0),
        core_scheme_points=number(rescaled.scheme["core"], 0),
    )


def value_word(lang: str, key: str, code: str) -> str:
    """A code the marts use as a value (`core`, `higher`, `ratio`), as a workbook in `lang` words it: the
    English workbook keeps the code itself, the Chinese one its label `<key>_<code>` where there is one."""
    wording = f"{key}_{code}"
    return TERMS[wording].zh if lang == "zh" and wording in TERMS else code


def in_order(lang: str, name_en: str, name_zh: str) -> tuple[str, str]:
    """A name in `lang` first, then in the other language."""
    return (name_zh, name_en) if lang == "zh" else (name_en, name_zh)


def family_name(lang: str, family: str) -> str:
    return FAMILIES[family][lang] if family in FAMILIES else family


def period_name(lang: str, period: Period) -> str:
    """`October 2026` / `2026年10月`, `Q4 2026` / `2026年第4季度`."""
    if period.type == "month":
        if lang == "zh":
            return f"{period.year}年{period.number}月"
        return f"{MONTH_NAMES[period.number - 1]} {period.year}"
    return f"{period.year}年第{period.number}季度" if lang == "zh" else f"Q{period.number} {period.year}"


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def number(value: float | None, decimals: int = 1) -> str:
    """`84.4`, `−2.9`; a dash for a missing value."""
    if value is None:
        return DASH
    text = f"{value:,.{decimals}f}"
    return text.replace("-", MINUS) if text.startswith("-") else text


def signed(value: float | None, decimals: int = 1) -> str:
    """`+30.4` or `−45.8`: the change vs the previous period."""
    if value is None:
        return DASH
    text = number(abs(value), decimals)
    if round(value, decimals) == 0:
        return f"±{text}"
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def percent(value: float | None, decimals: int = 1) -> str:
    """A share (0-1) as `77.1%`."""
    return DASH if value is None else f"{number(value * 100, decimals)}%"


def metric_value(lang: str, value: float | None, unit: str) -> str:
    """A metric's value (or target, floor) in its catalog unit: ratios as percentages."""
    if value is None:
        return DASH
    if unit == "ratio":
        return percent(value)
    pattern = UNITS[unit][lang] if unit in UNITS else "{v} " + unit
    return pattern.format(v=number(value, DECIMALS.get(unit, 1)))
