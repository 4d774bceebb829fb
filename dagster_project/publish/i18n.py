"""The scorecards' words in English and Chinese, and how each unit's numbers are written.

HR reads the scorecards in either language and hands them on; every label lives here, side by side, so
a missing translation is a KeyError in the tests rather than an English word on a Chinese page. Numbers
are formatted the same way in both languages (only the unit words differ), so a figure read on one page
can be found on the other.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:  # scorecard_data reads provenance, which labels through this module
    from collections.abc import Iterable

    from dagster_project.publish.scorecard_data import Period
    from dagster_project.publish.weights import Rescaling

LANGUAGES = ("en", "zh")
LANGUAGE_TAGS = {"en": "en", "zh": "zh-CN"}  # BCP 47, for `<html lang>` and the workbooks' properties

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Department contribution scorecard",
        "ranking": "Ranking",
        "monthly_ranking": "Monthly ranking",
        "quarterly_ranking": "Quarterly ranking",
        "scale_note": "Index 0–100: core ~30 + role-specific extension ~70, graded S–D on one scale",
        "scheme": "Scoring scheme",
        "data_through": "data through",
        "partial_period": "Period in progress: the figures cover the data through {date}.",
        "rank": "Rank",
        "department": "Department",
        "family": "Family",
        "index": "Index",
        "grade": "Grade",
        "core": "Core",
        "extension": "Extension",
        "change": "Change",
        "vs": "vs {period}",
        "new": "new",
        "trend": "Trend",
        "departments_ranked": "Departments ranked",
        "average_index": "Average index",
        "top": "Top",
        "biggest_rise": "Biggest rise",
        "biggest_fall": "Biggest fall",
        "no_change_data": "no earlier period",
        "grades": "Grades",
        "grade_bands": "Grade bands",
        "how_to_read": "How to read this",
        "how_to_read_text": (
            "Each metric scores 0–100, linear from its floor (0) to its target (100), capped at both ends. "
            "The index is the weighted sum of the scores; core metrics carry about 30 % of the weight and "
            "the family's extension metrics about 70 %. When a metric had nothing to observe in the period, "
            "the observed weights are scaled to 100 %."
        ),
        "open_department": "Open the department's scorecard",
        "back_to_ranking": "Ranking",
        "rank_overall": "Rank overall",
        "rank_in_family": "Rank in family",
        "colon": ": ",
        "of_n": "of {n}",
        "headcount": "Headcount",
        "movements": "{hires} hired · {leavers} left ({voluntary} voluntarily)",
        "points_of": "of {n} possible",
        "coverage_note": "Scored on {pct} of the scheme's weight ({observed} of {total} metrics observed).",
        "coverage_short": "on {pct} of weight",
        "coverage_explain": (
            "“On x% of weight”: some of the department's metrics had nothing to observe in the period; "
            "the observed metrics' weights were scaled to 100 %, so its core part can exceed the 30 % "
            "the scheme gives core."
        ),
        "rescaled_note": (
            "Weights rescaled: {missing} had nothing to observe in {period}, so the observed metrics' "
            "weights were scaled to 100 %. Core now carries {core} of the index (the scheme gives it "
            "{core_scheme}) and extension {extension} ({extension_scheme}): a core part above "
            "{core_scheme_points} points is this scaling, not an error."
        ),
        "history": "Index over time",
        "months": "Months",
        "quarters": "Quarters",
        "history_note": (
            "Bars: core (dark) and extension (light) points; the number on top is the index. "
            "Dotted lines are the grade bands; a dashed line marks a new scoring scheme."
        ),
        "metrics": "Metrics",
        "metric": "Metric",
        "tier": "Tier",
        "value": "Value",
        "target": "Target",
        "floor": "Floor",
        "score": "Score",
        "weight": "Weight",
        "contribution": "Contribution",
        "records": "Records",
        "higher_better": "higher is better",
        "lower_better": "lower is better",
        "not_observed": "not observed",
        "total": "Index",
        "tier_core": "Core",
        "tier_extension": "Extension",
        "tier_service": "Service",
        "weight_scaled": "scaled to {w}",
        "evidence": "Evidence",
        "evidence_note": (
            "The source records behind each value (raw.<system>__<stream>._key). Their parts add up to the "
            "numerator and denominator of the value. The workbook's Evidence sheet lists every record."
        ),
        "records_from": "{n} records from {table}",
        "numerator": "numerator",
        "denominator": "denominator",
        "first_keys": "First {shown} of {total} record keys",
        "all_keys": "All {total} record keys",
        "n_records": "{n} records",
        "not_counted": "not counted",
        "more_keys": "… and {n} more",
        "no_evidence": "No source records in this period.",
        "support": "Support for other departments",
        "support_index": "Support index",
        "rank_among_service": "Rank among service departments",
        "requests_resolved_for_others": "Requests resolved for other departments",
        "fte": "FTE (average headcount)",
        "requests_per_fte": "Requests per FTE",
        "sla_attainment": "SLA attainment",
        "requester_satisfaction": "Requester satisfaction",
        "rated": "Rated",
        "points": "Points",
        "part": "Part",
        "served": "Departments served",
        "received": "Services received",
        "requesting_department": "Requesting department",
        "serving_department": "Serving department",
        "requests": "Requests",
        "within_sla": "Within SLA",
        "satisfaction": "Satisfaction",
        "first_response": "First response",
        "own_department": "own department",
        "unmapped_department": "unmapped requester",
        "none_served": "No requests resolved for other departments in this period.",
        "none_received": "No service desk requests from this department were resolved in this period.",
        "quality": "Data quality",
        "quality_latest": "Latest quality run {run} ({time}): {passed} of {checks} checks on "
        "department-level data passed (dbt tests and great-expectations checks; the HR tier's own "
        "checks stay in the HR tier).",
        "quality_absent": "No quality results are recorded in this warehouse.",
        "quality_warnings": "Warnings that apply",
        "none": "none",
        "severity": "Severity",
        "check": "Check",
        "asset": "Checked on",
        "observed": "Observed",
        "expected": "Expected",
        "severity_blocking": "blocking",
        "severity_warning": "warning",
        "footer": (
            "Generated from the warehouse marts (marts.fct_department_contribution, fct_metric_scores, "
            "metric_evidence). Self-contained: this page loads nothing from the network."
        ),
        "generated": "Generated",
        "language": "Language",
        # Codes the marts use as values, as the workbooks word them.
        "scorecard_contribution": "contribution",
        "scorecard_support": "support",
        "scorecard_total": "total",
        "direction_higher": "higher",
        "direction_lower": "lower",
        "unit_ratio": "share",
        "unit_hours": "hours",
        "unit_days": "days",
        "unit_score_1_5": "score 1-5",
        "unit_per_project": "per project",
        "unit_requests_per_fte": "requests per FTE",
        "unit_hours_per_employee": "hours per employee",
        "yes": "yes",
        "no": "no",
        # Provenance: where the published data came from (dagster_project/publish/provenance.py).
        "demo_data": "Demo data",
        "demo_data_text": (
            "Every figure here comes from the bundled source simulator, a generated company, not from "
            "your systems."
        ),
        "data_from": "Data from",
        "origin_simulator": "the bundled simulator",
        "origin_unrecorded": "not recorded",
        "origin_unknown": (
            "Where this data came from is not recorded (published before origins were kept): treat it "
            "as unverified."
        ),
        "last_extracted": "last extracted {at}",
    },
    "zh": {
        "title": "部门贡献评分卡",
        "ranking": "排名",
        "monthly_ranking": "月度排名",
        "quarterly_ranking": "季度排名",
        "scale_note": "指数 0–100：核心指标约 30 分 + 岗位扩展指标约 70 分，S–D 统一评级",
        "scheme": "评分方案",
        "data_through": "数据截至",
        "partial_period": "本期尚未结束：数据截至 {date}。",
        "rank": "排名",
        "department": "部门",
        "family": "类别",
        "index": "指数",
        "grade": "等级",
        "core": "核心",
        "extension": "扩展",
        "change": "变化",
        "vs": "对比 {period}",
        "new": "新",
        "trend": "趋势",
        "departments_ranked": "参与排名部门",
        "average_index": "平均指数",
        "top": "第一名",
        "biggest_rise": "最大升幅",
        "biggest_fall": "最大降幅",
        "no_change_data": "无上期数据",
        "grades": "等级分布",
        "grade_bands": "等级划分",
        "how_to_read": "阅读说明",
        "how_to_read_text": (
            "每项指标得分 0–100：从下限（0 分）到目标值（100 分）线性计分，两端封顶。指数为各项得分的加权和；"
            "核心指标约占 30 % 的权重，岗位扩展指标约占 70 %。某项指标在本期没有可观测数据时，"
            "已观测指标的权重按比例放大至 100 %。"
        ),
        "open_department": "打开部门评分卡",
        "back_to_ranking": "排名",
        "rank_overall": "总排名",
        "rank_in_family": "类别内排名",
        "colon": "：",
        "of_n": "/ {n}",
        "headcount": "人数",
        "movements": "入职 {hires} 人 · 离职 {leavers} 人（主动离职 {voluntary} 人）",
        "points_of": "满分 {n}",
        "coverage_note": "按方案权重的 {pct} 计分（{total} 项指标中 {observed} 项有数据）。",
        "coverage_short": "按 {pct} 权重",
        "coverage_explain": (
            "“按 x% 权重”：本期该部门部分指标没有可观测数据，已观测指标的权重按比例放大至 100 %，"
            "因此核心得分可能超过方案给核心的 30 %。"
        ),
        "rescaled_note": (
            "权重已按比例调整：{missing}在{period}没有可观测数据，已观测指标的权重按比例放大至 100 %。"
            "核心现占指数的 {core}（方案为 {core_scheme}），扩展占 {extension}（方案为 {extension_scheme}）："
            "核心得分超过 {core_scheme_points} 分是这一调整所致，并非错误。"
        ),
        "history": "指数走势",
        "months": "按月",
        "quarters": "按季度",
        "history_note": (
            "柱形：核心（深色）与扩展（浅色）得分；柱顶数字为指数。点线为等级分界，虚线表示启用新的评分方案。"
        ),
        "metrics": "指标",
        "metric": "指标",
        "tier": "层级",
        "value": "数值",
        "target": "目标值",
        "floor": "下限",
        "score": "得分",
        "weight": "权重",
        "contribution": "贡献分",
        "records": "记录数",
        "higher_better": "越高越好",
        "lower_better": "越低越好",
        "not_observed": "无数据",
        "total": "指数",
        "tier_core": "核心",
        "tier_extension": "扩展",
        "tier_service": "服务",
        "weight_scaled": "按比例调整为 {w}",
        "evidence": "数据依据",
        "evidence_note": (
            "每项数值背后的源记录（原始层各数据流的记录键）。各记录的分子、分母部分之和即为该数值的分子和分母。"
            "中文 Excel 工作簿的“数据依据”工作表列出全部记录。"
        ),
        "records_from": "{n} 条记录，来自 {table}",
        "numerator": "分子",
        "denominator": "分母",
        "first_keys": "前 {shown} 个记录键（共 {total} 个）",
        "all_keys": "全部 {total} 个记录键",
        "n_records": "{n} 条记录",
        "not_counted": "不计入",
        "more_keys": "…… 另有 {n} 个",
        "no_evidence": "本期没有源记录。",
        "support": "对其他部门的支持",
        "support_index": "支持指数",
        "rank_among_service": "职能部门内排名",
        "requests_resolved_for_others": "为其他部门解决的请求",
        "fte": "FTE（平均人数）",
        "requests_per_fte": "人均请求数",
        "sla_attainment": "SLA 达成率",
        "requester_satisfaction": "服务满意度",
        "rated": "评价数",
        "points": "得分贡献",
        "part": "组成部分",
        "served": "服务的部门",
        "received": "获得的服务",
        "requesting_department": "请求部门",
        "serving_department": "服务部门",
        "requests": "请求数",
        "within_sla": "SLA 内解决",
        "satisfaction": "满意度",
        "first_response": "首次响应",
        "own_department": "本部门",
        "unmapped_department": "未映射的请求部门",
        "none_served": "本期没有为其他部门解决的请求。",
        "none_received": "本期没有该部门提出并已解决的服务请求。",
        "quality": "数据质量",
        "quality_latest": "最近一次质量检查 {run}（{time}）：部门级数据的 {checks} 项检查中 "
        "{passed} 项通过（人力资源层级自身的检查只在人力资源范围内报告）。",
        "quality_absent": "数据仓库中没有质量检查结果。",
        "quality_warnings": "相关警告",
        "none": "无",
        "severity": "严重程度",
        "check": "检查项",
        "asset": "检查对象",
        "observed": "观测结果",
        "expected": "期望",
        "severity_blocking": "阻断",
        "severity_warning": "警告",
        "footer": (
            "数据来自数据仓库的集市层"
            "（marts.fct_department_contribution、marts.fct_metric_scores、marts.metric_evidence）。"
            "本页面完全离线：不从网络加载任何内容。"
        ),
        "generated": "生成时间",
        "language": "语言",
        "scorecard_contribution": "贡献",
        "scorecard_support": "支持",
        "scorecard_total": "合计",
        "direction_higher": "越高越好",
        "direction_lower": "越低越好",
        "unit_ratio": "比率",
        "unit_hours": "小时",
        "unit_days": "天",
        "unit_score_1_5": "1–5 分",
        "unit_per_project": "次/项目",
        "unit_requests_per_fte": "件/人",
        "unit_hours_per_employee": "小时/人",
        "yes": "是",
        "no": "否",
        "demo_data": "演示数据",
        "demo_data_text": "本页所有数据来自内置的模拟数据源（生成的虚构公司），并非贵公司的业务系统。",
        "data_from": "数据来源",
        "origin_simulator": "内置模拟数据源",
        "origin_unrecorded": "未记录",
        "origin_unknown": "数据来源未记录（在开始记录来源之前发布），请视为未经核实的数据。",
        "last_extracted": "最近抽取 {at}",
    },
}

FAMILIES: dict[str, dict[str, str]] = {
    "en": {
        "rnd": "R&D",
        "implementation": "Implementation",
        "sales": "Sales",
        "hr": "HR",
        "finance": "Finance",
        "admin": "Administration",
    },
    "zh": {
        "rnd": "研发",
        "implementation": "实施",
        "sales": "销售",
        "hr": "人力资源",
        "finance": "财务",
        "admin": "行政",
    },
}

# Unit words; the number itself is written the same in both languages.
UNITS: dict[str, dict[str, str]] = {
    "en": {
        "hours": "{v} h",
        "days": "{v} days",
        "score_1_5": "{v} / 5",
        "per_project": "{v} per project",
        "hours_per_employee": "{v} h per employee",
        "requests_per_fte": "{v} per FTE",
    },
    "zh": {
        "hours": "{v} 小时",
        "days": "{v} 天",
        "score_1_5": "{v} / 5",
        "per_project": "{v} 次/项目",
        "hours_per_employee": "{v} 小时/人",
        "requests_per_fte": "{v} 件/人",
    },
}
DECIMALS = {"score_1_5": 2, "per_project": 2, "hours_per_employee": 2, "requests_per_fte": 2}
ID_BREAKS = re.compile(r"(?<=/)|(?<=__)|(?<=\.)(?=\w)")  # where a long identifier may wrap
MINUS = "\u2212"  # a real minus sign: a falling index must be as visible as a rising one
DASH = "\u2014"


def label(lang: str, key: str, **values: object) -> str:
    """The label in the language, with its placeholders filled."""
    text = LABELS[lang][key]
    return text.format(**values) if values else text


def code(text: object) -> Markup:
    """An identifier as the pages show it: monospace, and where it is long, free to wrap after a `/`, a
    `.` or a `__` (a narrow column then breaks `staging/stg_erp__gl_entries` between its parts)."""
    parts = (p for p in ID_BREAKS.split(str(text)) if p)
    return Markup("<code>{}</code>").format(Markup("<wbr>").join(escape(p) for p in parts))


def markup(lang: str, key: str, **values: object) -> Markup:
    """The label as page markup: its own text escaped, values escaped unless they are markup already (an
    identifier in `<code>`)."""
    return Markup(escape(LABELS[lang][key])).format(**values)


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
    return LABELS["zh"][wording] if lang == "zh" and wording in LABELS["zh"] else code


def in_order(lang: str, name_en: str, name_zh: str) -> tuple[str, str]:
    """A name in `lang` first, then in the other language."""
    return (name_zh, name_en) if lang == "zh" else (name_en, name_zh)


def family_name(lang: str, family: str) -> str:
    return FAMILIES[lang].get(family, family)


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
    pattern = UNITS[lang].get(unit, "{v} " + unit)
    return pattern.format(v=number(value, DECIMALS.get(unit, 1)))
