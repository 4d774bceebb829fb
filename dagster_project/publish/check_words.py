"""How the checks are worded: generic dbt tests per kind in both languages, and the Chinese of the
great-expectations checks, the singular dbt tests and the places the checks name.

The English of a great-expectations check and of a singular dbt test is its own definition's (the
`meaning` in dagster_project/quality/checks.py; the test's description): only their Chinese is here. A
generic dbt test has no words of its own beyond its kind and arguments: both its languages are in
`dagster_project/quality/test_words.py`, once per kind, which the Dagster check's description reads too.
`check_text` puts them together for a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from dagster_project.company import EMPLOYEE_ROLLUP_TOLERANCE, REPORTING_CURRENCY
from dagster_project.publish.i18n import code
from dagster_project.quality import checks as gx

SYSTEMS_ZH = {"hr": "HR 系统", "erp": "ERP 系统", "ticketing": "工单系统", "crm": "CRM 系统"}

# The singular dbt tests in Chinese: name and meaning (their English is the test's own description).
SINGULAR_ZH: dict[str, tuple[str, str]] = {
    "assert_employee_evidence_adds_up_to_scores": (
        "员工数据依据与得分一致", "列为员工数据依据的记录之和等于每个已评分数值的分子和分母。"),
    "assert_employee_scores_within_0_100": (
        "员工得分在 0–100 之间", "每个员工得分都限定在 0–100 之间，有数据的指标都有得分。"),
    "assert_evidence_adds_up_to_scores": (
        "数据依据与得分一致", "列为数据依据的记录之和等于每个已评分数值的分子和分母。"),
    "assert_grade_distribution_targets_sum_to_1": (
        "等级分布目标合计为 1", "校准目标描述的是一个完整的群体：各等级占比之和为 1。"),
    "assert_index_equals_sum_of_contributions": (
        "指数等于各项贡献分之和",
        "每个指数都等于其各项加权贡献分之和，核心 + 扩展 = 指数（误差在 0.01 以内）。"),
    "assert_role_scheme_one_version_in_force": (
        "岗位模板同一时间只有一个版本生效",
        "与部门评分方案相同：一个岗位模板版本只有一个生效日期，同一岗位的两个版本不共用生效日期。"),
    "assert_role_scheme_targets_face_the_right_way": (
        "岗位模板的目标值方向正确", "岗位模板的目标值按指标方向优于下限，且两者都在指标目录的有效范围内。"),
    "assert_role_templates_use_own_record_metrics": (
        "岗位模板只使用个人记录指标", "岗位模板只能使用个人承担的指标：仅限部门的指标没有员工数值。"),
    "assert_role_templates_weigh_100": (
        "岗位模板权重合计 100 %", "每个版本和岗位的模板权重合计 100 %，其中共同核心约占 30 %（25–35 %）。"),
    "assert_scheme_core_share_about_30": (
        "评分方案核心占比约 30 %", "核心层约占每个贡献指数的 30 %（25–35 %），扩展层占其余部分。"),
    "assert_scheme_one_version_in_force": (
        "评分方案同一时间只有一个版本生效",
        "任何日期只有一个版本生效：一个版本只有一个生效日期，同一类别的两个版本不共用生效日期"
        "（较晚的日期从当天起生效）。"),
    "assert_scheme_targets_face_the_right_way": (
        "评分方案的目标值方向正确", "目标值按指标方向优于下限，且两者都在指标目录的有效范围内。"),
    "assert_scheme_weights_sum_to_100": (
        "评分方案权重合计 100 %",
        "每个方案版本和类别的贡献指标（核心 + 扩展）权重合计 100 %，服务指标亦然。"),
    "assert_scores_within_0_100": (
        "得分在 0–100 之间", "每个得分都限定在 0–100 之间，有数据的指标都有得分。"),
}  # fmt: skip
SINGULAR_FALLBACK = {
    "en": "A data test of the dbt project.",
    "zh": ("dbt 数据测试", "dbt 项目中的数据测试。"),
}


def _pct(value: float, decimals: int = 0) -> str:
    return f"{value:.{decimals}%}"


# The great-expectations checks in Chinese: name, meaning, band. `{source}` is the source's Chinese name.
GX_ZH: dict[str, tuple[str, str, str]] = {
    "cost_centers_resolve": (
        "成本中心均对应到部门",
        "部分总账分录记入的成本中心没有对应任何部门：这些成本不计入任何部门的实际数，预算偏差被低估。",
        f"每月至少 {_pct(gx.COST_CENTER_RESOLUTION_MIN)} 的总账分录记入已映射的成本中心"),
    "people_resolve": (
        "工作分派给 HR 已知的员工",
        "工作被分派给无法对应到 HR 员工的账号，因此不计入任何部门。",
        f"每月至少 {_pct(gx.PEOPLE_RESOLUTION_MIN)} 的工单和商机分派给 HR 已知的员工"),
    "work_emails_identify_one_employee": (
        "每个工作邮箱只对应一名员工",
        "两条员工记录共用一个工作邮箱（通常是以新编号重新入职）：此人的每张工单、每个商机和每笔记账都会被计算两次。",
        "每个工作邮箱只有一条 HR 员工记录"),
    "crm_revenue_reconciles_with_erp": (
        "CRM 收入与 ERP 开票一致",
        "ERP 开票金额与 CRM 记录的成交金额不同：收入达成率与财务收入不一致。",
        f"按成交月份，同一批商机的 ERP 开票金额与 CRM 赢单金额相差不超过 ±{_pct(gx.REVENUE_TOLERANCE)}"
        f"（{REPORTING_CURRENCY}）"),
    "headcount_matches_payroll": (
        "在职人数与工资发放一致",
        "HR 与工资发放对部门在职人员的认定不一致：基于人数的比率（离职率、人均支持量）分母有误。",
        f"发薪日 HR 在职人数与部门工资行上的发薪人数相差不超过 ±{gx.HEADCOUNT_TOLERANCE} 人或发薪人数的 "
        f"±{_pct(gx.HEADCOUNT_TOLERANCE_SHARE, 1)}，取较大者（数值为差额与该容差之比）"),
    "events_keep_their_instant_across_clocks": (
        "同一事件在不同时钟下时间一致",
        "时间戳的 UTC 时差有误：事件落入错误的日期或月份，响应时间偏差数小时。",
        f"同一请求的创建与解决时间与 SLA 引擎的开始与停止时间相差不超过 {gx.SAME_INSTANT_SECONDS} 秒"),
    "money_in_the_reporting_currency": (
        "金额已换算为报告币种",
        "某笔金额在其日期没有汇率（或被重复换算）：收入与预算指标会混用币种。",
        f"每笔金额均按其日期的 ERP 汇率换算为 {REPORTING_CURRENCY}"),
    "units_as_declared": (
        "数值单位与声明一致",
        "数值远超该单位的合理范围：通常是把分钟当作声明的小时发送，使培训时长和响应时间放大六十倍。",
        "每月最大值不超过其声明单位的合理上限"),
    "malformed_fields_stay_rare": (
        "格式错误的字段保持罕见",
        "某数据流的一个字段同时在大量记录中格式错误：这是源系统的格式变更（如金额采用其他地区格式 1.234,56，"
        "或新的日期格式），而非偶然的录入错误。这些记录的该字段为空，需要该字段的指标会跳过它们"
        "（intermediate.int_metric_exceptions）。",
        f"同一天落地的某数据流当前记录中，任何字段的格式错误比例不超过 {_pct(gx.MALFORMED_SHARE_MAX)}"
        f"（当天记录少于 {gx.MALFORMED_FLOOR_RECORDS} 条时按 {gx.MALFORMED_FLOOR_RECORDS} 条计）"),
    "is_fresh": (
        "{source}数据及时",
        "{source}已停止提供变更：其指标会在无人察觉时描述一个过时的公司状态。",
        f"最新变更比所有源中最新的变更晚不超过 {gx.FRESHNESS_MAX_HOURS} 小时"),
    "volume_within_band": (
        "{source}数据量在正常范围内",
        "某数据流丢失了记录或突然增长：源系统的筛选条件、权限或重复数据源发生了变化。",
        f"每张原始表的记录数为上次检查的 {_pct(gx.VOLUME_BAND[0])} 至 {_pct(gx.VOLUME_BAND[1])}"),
    "employee_rollup_reconciles_with_department_index": (
        "员工汇总与部门指数一致",
        "部门指数与其员工汇总反映的情况不同：有人未计入汇总（新员工、空缺、经理），部门依赖无人承担的指标，"
        "或少数远超目标的员工抬高了部门汇总值，却没有抬高封顶后个人得分的平均值。位置说明属于哪种情况。",
        f"每个部门指数与其已评分员工按任职月数加权的平均指数相差不超过 {EMPLOYEE_ROLLUP_TOLERANCE:g} 分"),
    "employee_grades_calibrated": (
        "员工等级分布经过校准",
        "某组的等级过于集中（人人优秀或人人不合格），超出 HR 的预期：评价过宽或过严、目标过易或过难，"
        "或确实是特殊团队。",
        "每个部门岗位的季度等级占比都在 grade_distribution_targets 的容差之内"),
}  # fmt: skip


def codes(values: list[object], lang: str) -> Markup:
    return Markup("、" if lang == "zh" else ", ").join(code(v) for v in values)


UNREADABLE_MONTH = "date unreadable"  # checks.MONTH's place for a date the source sent malformed


def _month_zh(text: str) -> str:
    return "日期无法读取" if text == UNREADABLE_MONTH else text


def _p(template: str, **wrap: Callable[[str], Markup | str]) -> Callable[[re.Match[str]], Markup]:
    """A Chinese place from a match: groups named in `wrap` pass through their function, others escape."""

    def word(match: re.Match[str]) -> Markup:
        parts = {k: (wrap[k](v) if k in wrap else v) for k, v in match.groupdict(default="").items()}
        return Markup(escape(template)).format(**parts)

    return word


MONTH = r"(?P<month>\d{4}-\d{2}|date unreadable)"
# How each check's query writes its places (checks.py), and their Chinese.
PLACES_ZH: dict[str, tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Markup]], ...]] = {
    "cost_centers_resolve": (
        (re.compile(rf"^{MONTH} unmapped: (?P<ids>.+)$"), _p("{month}，未映射：{ids}", month=_month_zh,
                                                             ids=code)),
        (re.compile(rf"^{MONTH}$"), _p("{month}", month=_month_zh)),
    ),
    "people_resolve": (
        (re.compile(rf"^(?P<system>\w+) {MONTH}$"), _p("{system} {month}", system=lambda s: SYSTEMS_ZH.get(
            s, s), month=_month_zh)),
    ),
    "work_emails_identify_one_employee": ((re.compile(r"^employees (?P<ids>.+)$"), _p("员工 {ids}")),),
    "crm_revenue_reconciles_with_erp": (
        (re.compile(rf"^deals closed {MONTH}$"), _p("{month} 成交的商机", month=_month_zh)),
    ),
    "headcount_matches_payroll": (
        (re.compile(r"^(?P<dept>\S+) payroll (?P<date>\S+): HR (?P<hr>\d+), paid (?P<paid>\d+)$"),
         _p("{dept} {date} 发薪：HR 在职 {hr} 人，发薪 {paid} 人")),
    ),
    "events_keep_their_instant_across_clocks": (
        (re.compile(rf"^service requests created {MONTH}$"), _p("{month} 创建的服务请求", month=_month_zh)),
    ),
    "money_in_the_reporting_currency": (
        (re.compile(rf"^(?P<model>\S+) {MONTH}$"), _p("{model} {month}", model=code, month=_month_zh)),
    ),
    "units_as_declared": (
        (re.compile(rf"^(?P<column>\S+) \((?P<unit>[^)]+)\) {MONTH}$"),
         _p("{column}（{unit}）{month}", column=code, unit=lambda u: UNITS_ZH.get(u, u), month=_month_zh)),
    ),
    "malformed_fields_stay_rare": (
        (re.compile(r"^(?P<stream>\S+) (?P<field>\S+) landed (?P<day>\S+): "
                    r"(?P<n>\d+) of (?P<m>\d+) malformed$"),
         _p("{stream} 字段 {field}（{day} 落地）：{m} 条中 {n} 条格式错误", stream=code, field=code)),
        (re.compile(r"^(?P<stream>\S+): no malformed field in (?P<n>\d+) records$"),
         _p("{stream}：{n} 条记录中没有格式错误的字段", stream=code)),
    ),
    "is_fresh": (
        (re.compile(r"^(?P<system>\w+) newest change (?P<at>.+ UTC)$"),
         _p("{system}最新变更 {at}", system=lambda s: SYSTEMS_ZH.get(s, s))),
    ),
    "volume_within_band": ((re.compile(r"^(?P<table>\S+)$"), _p("{table}", table=code)),),
}  # fmt: skip
UNITS_ZH = {"hours per training": "每次培训的小时数", "days per request": "每次请求的天数", "hours": "小时"}
