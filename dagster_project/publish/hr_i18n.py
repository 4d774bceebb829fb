"""The employee scorecards' own words in English and Chinese (the department scorecards' are in `i18n`).

The HR pages use both: a key missing here is looked up in `i18n.LABELS`. The reasons a department index
and the roll-up of its people differ come from the marts in English (`divergence_reasons`, written by
`hr.employee_rollup_reconciliation`); the Chinese pages word each reason by the pattern that model writes
it in, and a reason no pattern knows stays as the marts wrote it (the language test then fails on it).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from dagster_project.publish import i18n

HR_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "hr_title": "Employee scorecards",
        "confidential_note": "Names and individual scores: keep within HR, do not forward.",
        "hr_sub": "{period} · {departments} departments · {people} people scored",
        "hr_role_rows_changed": " ({rows} role rows: some changed role)",
        "hr_role_rows": " ({rows} role rows)",
        "people_scored": "People scored",
        "in_departments": "in {n} departments",
        "reconciliation": "Reconciliation",
        "within_of_rollup": "departments within tolerance of their people's roll-up",
        "calibration": "Calibration",
        "groups_flagged": "role groups flagged for review",
        "departments": "Departments",
        "departments_hint": (
            "department index vs the roll-up of its people (months-weighted mean of their indexes)"
        ),
        "people": "People",
        "department_index": "Department index",
        "rollup": "Roll-up",
        "difference": "Difference",
        "workbook": "Workbook",
        "within_tolerance": "within tolerance",
        "outside_tolerance": "outside tolerance",
        "no_reconciliation": "no reconciliation row for this period",
        "review": "review",
        "off_vs_target": "{grade} {share} vs {target} target",
        "shares_off_target": "shares off target",
        "no_flag": "no flag",
        "departments_note": (
            "A department's index also rests on what no single person carries (department-only metrics "
            "such as attrition, managers appraised on the department index, vacancies, people without "
            "records of their own), so the roll-up is expected to differ within the tolerance; the reasons "
            "say why. Calibration compares each department role's grade distribution with HR's target "
            "distribution: a flag is for review, it changes no grade."
        ),
        "employee_index_note": (
            "The employee index uses the department method on a person's own records under their role's "
            "template (core ~30: reviews, training, attendance; extension ~70: the role's own work), graded "
            "on the same scale. When a metric had nothing to observe, the observed weights are scaled to "
            "100 %, so a core part can exceed 30 points."
        ),
        "all_departments": "← All departments",
        "workbook_link": "Workbook ({name})",
        "dept_sub": "{id} · {period} · {people} people scored",
        "employed_in_period": "employed in the period",
        "in_role_rows": "in {n} role rows",
        "department_scorecard": "department scorecard",
        "rollup_of_people": "Roll-up of its people",
        "within_pm": "within ±{n}",
        "outside_pm": "outside ±{n}",
        "reconciliation_and_calibration": "Reconciliation and calibration",
        "reconciliation_line": (
            "Department index {index} vs roll-up of its people {rollup}: difference {diff} points,"
        ),
        "tolerance_pm": "(±{n}).",
        "no_reconciliation_department": "No reconciliation row for this department and period.",
        "n_people": "{n} people",
        "flagged_for_review": "flagged for review",
        "share": "Share",
        "deviation": "Deviation",
        "tolerance": "Tolerance",
        "off_target": "off target",
        "points_pp": "{n} pp",
        "calibration_note": (
            "A flag asks HR to review the group's grades; it changes no grade. Groups too small for shares "
            "to mean much are not flagged."
        ),
        "ranking_hint": "rank in the department; rank in role is company-wide",
        "name": "Name",
        "role": "Role",
        "months_in_role": "Months in role",
        "rank_in_role": "Rank in role",
        "rank_in_department_role": "Rank in department role",
        "coverage": "Coverage",
        "of_total": "of {n}",
        "person_rank": "#{rank} of {n} in {department}",
        "ranking_up": "ranking ↑",
        "changed_role": "Changed role in {period}: scored once per role on that role's months and template:",
        "months": "{n} month",
        "months_plural": "{n} months",
        "months_in_role_fact": "{months} in role",
        "rank_in_role_fact": "rank in role",
        "in_department_role_fact": "in department role",
        "coverage_fact": "scored on {pct} of the template's weight",
        "records_n": "{n} records",
        "metrics_observed_of": "{observed} of {total} metrics observed",
        "path_core": "core",
        "path_extension": "extension",
        "path_index": "index",
        "path_grade": "grade",
        "value_formula": "Value = numerator / denominator",
        "target_floor": "(target / floor)",
        "from_records": "= {numerator} / {denominator} from {n} record",
        "from_records_plural": "= {numerator} / {denominator} from {n} records",
        "no_records_in_period": "no records in the period",
        "target_floor_values": "target {target} · floor {floor}",
        "tier_part": "{tier} part",
        "index_to_grade": "Index → Grade",
        "evidence_summary": (
            "· {records} source records behind {metrics} metrics (up to {cap} per metric here; the "
            "workbook lists all)"
        ),
        "record_n": "{n} record",
        "record_n_plural": "{n} records",
        "first_shown": ", first {n} shown",
        "month": "Month",
        "source_table": "Source table",
        "record_key": "Record key",
        "more_on_workbook": "… and {n} more on the workbook's Evidence sheet",
        "hr_footer": (
            "Generated from the HR tier of the working warehouse (hr.fct_employee_scorecard, "
            "hr.fct_employee_metric_scores, hr.employee_metric_evidence, hr.employee_rollup_reconciliation, "
            "hr.grade_calibration); never part of the BI snapshot. Self-contained: this page loads nothing "
            "from the network."
        ),
    },
    "zh": {
        "hr_title": "员工评分卡",
        "confidential_note": "含员工姓名与个人评分，仅限人力资源部门内部使用，请勿外传。",
        "hr_sub": "{period} · {departments} 个部门 · 已评分 {people} 人",
        "hr_role_rows_changed": "（{rows} 个岗位行：有人在期内调岗）",
        "hr_role_rows": "（{rows} 个岗位行）",
        "people_scored": "已评分人数",
        "in_departments": "分布于 {n} 个部门",
        "reconciliation": "核对",
        "within_of_rollup": "个部门与员工汇总的差异在容差之内",
        "calibration": "校准",
        "groups_flagged": "个岗位组被标记为需复核",
        "departments": "部门",
        "departments_hint": "部门指数与其员工汇总（按任职月数加权的员工指数平均值）对比",
        "people": "人数",
        "department_index": "部门指数",
        "rollup": "员工汇总",
        "difference": "差异",
        "workbook": "工作簿",
        "within_tolerance": "在容差之内",
        "outside_tolerance": "超出容差",
        "no_reconciliation": "本期没有核对记录",
        "review": "需复核",
        "off_vs_target": "{grade} 占 {share}，目标 {target}",
        "shares_off_target": "占比偏离目标",
        "no_flag": "无标记",
        "departments_note": (
            "部门指数还依赖于无人单独承担的部分（仅限部门的指标如离职率、按部门指数考核的经理、空缺岗位、"
            "没有个人记录的员工），因此员工汇总与部门指数在容差内存在差异属正常；原因列出差异的来源。"
            "校准将每个部门岗位的等级分布与 HR 的目标分布对比：标记仅提示复核，不改变任何等级。"
        ),
        "employee_index_note": (
            "员工指数按部门评分方法，以个人自己的记录和所在岗位的模板计算（核心约 30 分：绩效评价、培训、"
            "出勤；扩展约 70 分：岗位本身的工作），按同一标准评级。某项指标没有可观测数据时，"
            "已观测指标的权重按比例放大至 100 %，因此核心得分可能超过 30 分。"
        ),
        "all_departments": "← 全部部门",
        "workbook_link": "工作簿（{name}）",
        "dept_sub": "{id} · {period} · 已评分 {people} 人",
        "employed_in_period": "本期在职",
        "in_role_rows": "共 {n} 个岗位行",
        "department_scorecard": "部门评分卡",
        "rollup_of_people": "员工汇总",
        "within_pm": "在 ±{n} 之内",
        "outside_pm": "超出 ±{n}",
        "reconciliation_and_calibration": "核对与校准",
        "reconciliation_line": "部门指数 {index}，员工汇总 {rollup}：差异 {diff} 分，",
        "tolerance_pm": "（±{n}）。",
        "no_reconciliation_department": "本部门本期没有核对记录。",
        "n_people": "{n} 人",
        "flagged_for_review": "需复核",
        "share": "占比",
        "deviation": "偏差",
        "tolerance": "容差",
        "off_target": "偏离目标",
        "points_pp": "{n} 个百分点",
        "calibration_note": (
            "标记提示 HR 复核该组的等级，不改变任何等级。人数太少、占比意义不大的组不做标记。"
        ),
        "ranking_hint": "部门内排名；岗位内排名为全公司范围",
        "name": "姓名",
        "role": "岗位",
        "months_in_role": "任职月数",
        "rank_in_role": "岗位内排名",
        "rank_in_department_role": "部门岗位内排名",
        "coverage": "权重覆盖",
        "of_total": "/ {n}",
        "person_rank": "{department}第 {rank} 名（共 {n} 人）",
        "ranking_up": "返回排名 ↑",
        "changed_role": "{period}期间调岗：按每个岗位的任职月数和模板分别评分：",
        "months": "{n} 个月",
        "months_plural": "{n} 个月",
        "months_in_role_fact": "任职 {months}",
        "rank_in_role_fact": "岗位内排名",
        "in_department_role_fact": "部门岗位内排名",
        "coverage_fact": "按模板权重的 {pct} 计分",
        "records_n": "{n} 条记录",
        "metrics_observed_of": "{total} 项指标中 {observed} 项有数据",
        "path_core": "核心",
        "path_extension": "扩展",
        "path_index": "指数",
        "path_grade": "等级",
        "value_formula": "数值 = 分子 / 分母",
        "target_floor": "（目标值 / 下限）",
        "from_records": "= {numerator} / {denominator}，来自 {n} 条记录",
        "from_records_plural": "= {numerator} / {denominator}，来自 {n} 条记录",
        "no_records_in_period": "本期没有记录",
        "target_floor_values": "目标值 {target} · 下限 {floor}",
        "tier_part": "{tier}得分",
        "index_to_grade": "指数 → 等级",
        "evidence_summary": (
            "· {metrics} 项指标背后的 {records} 条源记录（此处每项指标最多列出 {cap} 条；工作簿列出全部）"
        ),
        "record_n": "{n} 条记录",
        "record_n_plural": "{n} 条记录",
        "first_shown": "，列出前 {n} 条",
        "month": "月份",
        "source_table": "源数据表",
        "record_key": "记录键",
        "more_on_workbook": "…… 另有 {n} 条，见工作簿的“数据依据”工作表",
        "hr_footer": (
            "数据来自工作数据仓库的人力资源层级（hr.fct_employee_scorecard、hr.fct_employee_metric_scores、"
            "hr.employee_metric_evidence、hr.employee_rollup_reconciliation、hr.grade_calibration），"
            "从不进入 BI 快照。本页面完全离线：不从网络加载任何内容。"
        ),
    },
}

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


def hr_markup(lang: str, key: str, **values: object) -> Markup:
    """An HR page's label (its own, or the department scorecards') as markup, values escaped."""
    text = HR_LABELS[lang].get(key)
    if text is None:
        return i18n.markup(lang, key, **values)
    return Markup(escape(text)).format(**values)


def counted(lang: str, key: str, n: int, **values: object) -> Markup:
    """`1 record` / `2 records`: the label `key`, or `key_plural` when `n` is not 1."""
    return hr_markup(lang, key if n == 1 else f"{key}_plural", n=n, **values)


def reason(lang: str, text: str) -> str:
    """One reason of `divergence_reasons` in the language."""
    if lang == "en":
        return text
    for pattern, zh in REASONS_ZH:
        if match := pattern.match(text):
            return zh.format(**match.groupdict())
    return text
