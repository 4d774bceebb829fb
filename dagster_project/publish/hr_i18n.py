"""What the employee scorecards say beyond the glossary's terms (their labels are `glossary.TERMS`).

The reasons a department index and the roll-up of its people differ come from the marts in English
(`divergence_reasons`, written by `hr.employee_rollup_reconciliation`); the Chinese pages word each reason
by the pattern that model writes it in, and a reason no pattern knows stays as the marts wrote it (the
language test then fails on it). Counted labels have a `_plural` term beside them.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from dagster_project.publish import i18n

# How hr.employee_rollup_reconciliation words each reason, and its Chinese.
REASONS_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^no employee scored$"), "没有员工获得评分"),
    (
        re.compile(r"^(?P<n>\d+) without own records \(of them new hires: (?P<hires>\d+)\)$"),
        "{n} 人没有个人记录（其中新员工 {hires} 人）",
    ),
    (re.compile(r"^(?P<n>\d+) vacancies open$"), "{n} 个空缺岗位"),
    (re.compile(r"^(?P<n>\d+) manager\(s\) appraised on the department index$"), "{n} 名经理按部门指数考核"),
    (re.compile(r"^(?P<n>\d+) without a role template$"), "{n} 人没有岗位模板"),
    (
        re.compile(r"^(?P<pct>[\d.]+)% of the department index on department-only metrics$"),
        "部门指数的 {pct}% 来自仅限部门的指标",
    ),
    (
        re.compile(r"^pooled department records vs capped personal scores$"),
        "部门按汇总记录计分，个人得分封顶于 100",
    ),
)


def counted(lang: str, key: str, n: int, **values: object) -> Markup:
    """`1 record` / `2 records`: the label `key`, or `key_plural` when `n` is not 1."""
    return i18n.markup(lang, key if n == 1 else f"{key}_plural", n=n, **values)


def reason(lang: str, text: str) -> str:
    """One reason of `divergence_reasons` in the language."""
    if lang == "en":
        return text
    for pattern, zh in REASONS_ZH:
        if match := pattern.match(text):
            return zh.format(**match.groupdict())
    return text
