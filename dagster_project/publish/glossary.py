"""Every word the scorecards say, defined once in English and Chinese: pages, workbooks, both tiers.

HR reads the scorecards in either language and hands them on, and a page, its workbook and the Chinese
copy of each must name a thing alike: "Rank in family" is 类别内排名 in the ranking's header, the
department sheet and the page. So each term is one `Term`, both languages side by side (a missing
translation fails at import, not as an English word on a Chinese page), and the HTML labels (`i18n`),
the workbooks' sheet names, headers and items (`excel`, `hr_workbook`, `sheets`) all read it from here.
Placeholders (`{n}`) are filled by whoever says the term.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Term:
    """One thing's name in both languages; `term["zh"]` is its Chinese."""

    en: str
    zh: str

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def both(self) -> str:
        """`Demo data / 演示数据`: what every page and sheet says in both languages, whichever its own."""
        return f"{self.en} / {self.zh}"


TERMS: dict[str, Term] = {
    # The department scorecards' pages.
    "title": Term("Department contribution scorecard", "部门贡献评分卡"),
    "ranking": Term("Ranking", "排名"),
    "monthly_ranking": Term("Monthly ranking", "月度排名"),
    "quarterly_ranking": Term("Quarterly ranking", "季度排名"),
    "scale_note": Term(
        "Index 0–100: core ~30 + role-specific extension ~70, graded S–D on one scale",
        "指数 0–100：核心指标约 30 分 + 岗位扩展指标约 70 分，S–D 统一评级",
    ),
    "scheme": Term("Scoring scheme", "评分方案"),
    "data_through": Term("data through", "数据截至"),
    "partial_period": Term(
        "Period in progress: the figures cover the data through {date}.",
        "本期尚未结束：数据截至 {date}。",
    ),
    "rank": Term("Rank", "排名"),
    "department": Term("Department", "部门"),
    "family": Term("Family", "类别"),
    "index": Term("Index", "指数"),
    "grade": Term("Grade", "等级"),
    "core": Term("Core", "核心"),
    "extension": Term("Extension", "扩展"),
    "change": Term("Change", "变化"),
    "vs": Term("vs {period}", "对比 {period}"),
    "new": Term("new", "新"),
    "trend": Term("Trend", "趋势"),
    "departments_ranked": Term("Departments ranked", "参与排名部门"),
    "average_index": Term("Average index", "平均指数"),
    "top": Term("Top", "第一名"),
    "biggest_rise": Term("Biggest rise", "最大升幅"),
    "biggest_fall": Term("Biggest fall", "最大降幅"),
    "no_change_data": Term("no earlier period", "无上期数据"),
    "grades": Term("Grades", "等级分布"),
    "grade_bands": Term("Grade bands", "等级划分"),
    "how_to_read": Term("How to read this", "阅读说明"),
    "how_to_read_text": Term(
        (
            "Each metric scores 0–100, linear from its floor (0) to its target (100), capped at both ends. "
            "The index is the weighted sum of the scores; core metrics carry about 30 % of the weight and "
            "the family's extension metrics about 70 %. When a metric had nothing to observe in the period, "
            "the observed weights are scaled to 100 %."
        ),
        (
            "每项指标得分 0–100：从下限（0 分）到目标值（100 分）线性计分，两端封顶。指数为各项得分的加权和；"
            "核心指标约占 30 % 的权重，岗位扩展指标约占 70 %。某项指标在本期没有可观测数据时，"
            "已观测指标的权重按比例放大至 100 %。"
        ),
    ),
    "open_department": Term("Open the department's scorecard", "打开部门评分卡"),
    "back_to_ranking": Term("Ranking", "排名"),
    "rank_overall": Term("Rank overall", "总排名"),
    "rank_in_family": Term("Rank in family", "类别内排名"),
    "colon": Term(": ", "："),
    "of_n": Term("of {n}", "/ {n}"),
    "headcount": Term("Headcount", "人数"),
    "movements": Term(
        "{hires} hired · {leavers} left ({voluntary} voluntarily)",
        "入职 {hires} 人 · 离职 {leavers} 人（主动离职 {voluntary} 人）",
    ),
    "points_of": Term("of {n} possible", "满分 {n}"),
    "coverage_note": Term(
        "Scored on {pct} of the scheme's weight ({observed} of {total} metrics observed).",
        "按方案权重的 {pct} 计分（{total} 项指标中 {observed} 项有数据）。",
    ),
    "coverage_short": Term("on {pct} of weight", "按 {pct} 权重"),
    "coverage_explain": Term(
        (
            "“On x% of weight”: some of the department's metrics had nothing to observe in the period; the "
            "observed metrics' weights were scaled to 100 %, so its core part can exceed the 30 % the scheme "
            "gives core."
        ),
        (
            "“按 x% 权重”：本期该部门部分指标没有可观测数据，已观测指标的权重按比例放大至 100 "
            "%，因此核心得分可能超过方案给核心的 30 %。"
        ),
    ),
    "rescaled_note": Term(
        (
            "Weights rescaled: {missing} had nothing to observe in {period}, so the observed metrics' "
            "weights were scaled to 100 %. Core now carries {core} of the index (the scheme gives it "
            "{core_scheme}) and extension {extension} ({extension_scheme}): a core part above "
            "{core_scheme_points} points is this scaling, not an error."
        ),
        (
            "权重已按比例调整：{missing}在{period}没有可观测数据，已观测指标的权重按比例放大至 100 %。"
            "核心现占指数的 {core}（方案为 {core_scheme}），扩展占 {extension}（方案为 {extension_scheme}）："
            "核心得分超过 {core_scheme_points} 分是这一调整所致，并非错误。"
        ),
    ),
    "history": Term("Index over time", "指数走势"),
    "months": Term("Months", "按月"),
    "quarters": Term("Quarters", "按季度"),
    "history_note": Term(
        (
            "Bars: core (dark) and extension (light) points; the number on top is the index. Dotted lines "
            "are the grade bands; a dashed line marks a new scoring scheme."
        ),
        "柱形：核心（深色）与扩展（浅色）得分；柱顶数字为指数。点线为等级分界，虚线表示启用新的评分方案。",
    ),
    "metrics": Term("Metrics", "指标"),
    "metric": Term("Metric", "指标"),
    "tier": Term("Tier", "层级"),
    "value": Term("Value", "数值"),
    "target": Term("Target", "目标值"),
    "floor": Term("Floor", "下限"),
    "score": Term("Score", "得分"),
    "weight": Term("Weight", "权重"),
    "contribution": Term("Contribution", "贡献分"),
    "records": Term("Records", "记录数"),
    "higher_better": Term("higher is better", "越高越好"),
    "lower_better": Term("lower is better", "越低越好"),
    "not_observed": Term("not observed", "无数据"),
    "total": Term("Index", "指数"),
    "tier_core": Term("Core", "核心"),
    "tier_extension": Term("Extension", "扩展"),
    "tier_service": Term("Service", "服务"),
    "weight_scaled": Term("scaled to {w}", "按比例调整为 {w}"),
    "evidence": Term("Evidence", "数据依据"),
    "evidence_note": Term(
        (
            "The source records behind each value (raw.<system>__<stream>._key). Their parts add up to the "
            "numerator and denominator of the value. The workbook's Evidence sheet lists every record."
        ),
        (
            "每项数值背后的源记录（原始层各数据流的记录键）。各记录的分子、"
            "分母部分之和即为该数值的分子和分母。中文 Excel 工作簿的“数据依据”工作表列出全部记录。"
        ),
    ),
    "records_from": Term("{n} records from {table}", "{n} 条记录，来自 {table}"),
    "numerator": Term("numerator", "分子"),
    "denominator": Term("denominator", "分母"),
    "first_keys": Term("First {shown} of {total} record keys", "前 {shown} 个记录键（共 {total} 个）"),
    "all_keys": Term("All {total} record keys", "全部 {total} 个记录键"),
    "n_records": Term("{n} records", "{n} 条记录"),
    "not_counted": Term("not counted", "不计入"),
    "more_keys": Term("… and {n} more", "…… 另有 {n} 个"),
    "no_evidence": Term("No source records in this period.", "本期没有源记录。"),
    "support": Term("Support for other departments", "对其他部门的支持"),
    "support_index": Term("Support index", "支持指数"),
    "rank_among_service": Term("Rank among service departments", "职能部门内排名"),
    "requests_resolved_for_others": Term("Requests resolved for other departments", "为其他部门解决的请求"),
    "fte": Term("FTE (average headcount)", "FTE（平均人数）"),
    "requests_per_fte": Term("Requests per FTE", "人均请求数"),
    "sla_attainment": Term("SLA attainment", "SLA 达成率"),
    "requester_satisfaction": Term("Requester satisfaction", "服务满意度"),
    "rated": Term("Rated", "评价数"),
    "points": Term("Points", "得分贡献"),
    "part": Term("Part", "组成部分"),
    "served": Term("Departments served", "服务的部门"),
    "received": Term("Services received", "获得的服务"),
    "requesting_department": Term("Requesting department", "请求部门"),
    "serving_department": Term("Serving department", "服务部门"),
    "requests": Term("Requests", "请求数"),
    "within_sla": Term("Within SLA", "SLA 内解决"),
    "satisfaction": Term("Satisfaction", "满意度"),
    "first_response": Term("First response", "首次响应"),
    "own_department": Term("own department", "本部门"),
    "unmapped_department": Term("unmapped requester", "未映射的请求部门"),
    "none_served": Term(
        "No requests resolved for other departments in this period.",
        "本期没有为其他部门解决的请求。",
    ),
    "none_received": Term(
        "No service desk requests from this department were resolved in this period.",
        "本期没有该部门提出并已解决的服务请求。",
    ),
    "quality": Term("Data quality", "数据质量"),
    "quality_latest": Term(
        (
            "Latest quality run {run} ({time}): {passed} of {checks} checks on department-level data passed "
            "(dbt tests and great-expectations checks; the HR tier's own checks stay in the HR tier)."
        ),
        (
            "最近一次质量检查 {run}（{time}）：部门级数据的 {checks} 项检查中 {passed} 项通过"
            "（人力资源层级自身的检查只在人力资源范围内报告）。"
        ),
    ),
    "quality_absent": Term(
        "No quality results are recorded in this warehouse.",
        "数据仓库中没有质量检查结果。",
    ),
    "quality_warnings": Term("Warnings that apply", "相关警告"),
    "none": Term("none", "无"),
    "severity": Term("Severity", "严重程度"),
    "check": Term("Check", "检查项"),
    "asset": Term("Checked on", "检查对象"),
    "observed": Term("Observed", "观测结果"),
    "expected": Term("Expected", "期望"),
    "severity_blocking": Term("blocking", "阻断"),
    "severity_warning": Term("warning", "警告"),
    "footer": Term(
        (
            "Generated from the warehouse marts (marts.fct_department_contribution, fct_metric_scores, "
            "metric_evidence). Self-contained: this page loads nothing from the network."
        ),
        (
            "数据来自数据仓库的集市层（marts.fct_department_contribution、marts.fct_metric_scores、"
            "marts.metric_evidence）。本页面完全离线：不从网络加载任何内容。"
        ),
    ),
    "generated": Term("Generated", "生成时间"),
    "language": Term("Language", "语言"),
    "scorecard_contribution": Term("contribution", "贡献"),
    "scorecard_support": Term("support", "支持"),
    "scorecard_total": Term("total", "合计"),
    "direction_higher": Term("higher", "越高越好"),
    "direction_lower": Term("lower", "越低越好"),
    "unit_ratio": Term("share", "比率"),
    "unit_hours": Term("hours", "小时"),
    "unit_days": Term("days", "天"),
    "unit_score_1_5": Term("score 1-5", "1–5 分"),
    "unit_per_project": Term("per project", "次/项目"),
    "unit_requests_per_fte": Term("requests per FTE", "件/人"),
    "unit_hours_per_employee": Term("hours per employee", "小时/人"),
    "yes": Term("yes", "是"),
    "no": Term("no", "否"),
    "demo_data": Term("Demo data", "演示数据"),
    "demo_data_text": Term(
        (
            "Every figure here comes from the bundled source simulator, a generated company, not from your "
            "systems."
        ),
        "本页所有数据来自内置的模拟数据源（生成的虚构公司），并非贵公司的业务系统。",
    ),
    "data_from": Term("Data from", "数据来源"),
    "origin_simulator": Term("the bundled simulator", "内置模拟数据源"),
    "origin_unrecorded": Term("not recorded", "未记录"),
    "origin_unknown": Term(
        (
            "Where this data came from is not recorded (published before origins were kept): treat it as "
            "unverified."
        ),
        "数据来源未记录（在开始记录来源之前发布），请视为未经核实的数据。",
    ),
    "last_extracted": Term("last extracted {at}", "最近抽取 {at}"),
    # The employee scorecards' pages (HR tier).
    "hr_title": Term("Employee scorecards", "员工评分卡"),
    "confidential_note": Term(
        "Names and individual scores: keep within HR, do not forward.",
        "含员工姓名与个人评分，仅限人力资源部门内部使用，请勿外传。",
    ),
    "hr_sub": Term(
        "{period} · {departments} departments · {people} people scored",
        "{period} · {departments} 个部门 · 已评分 {people} 人",
    ),
    "hr_role_rows_changed": Term(
        " ({rows} role rows: some changed role)",
        "（{rows} 个岗位行：有人在期内调岗）",
    ),
    "hr_role_rows": Term(" ({rows} role rows)", "（{rows} 个岗位行）"),
    "people_scored": Term("People scored", "已评分人数"),
    "in_departments": Term("in {n} departments", "分布于 {n} 个部门"),
    "reconciliation": Term("Reconciliation", "核对"),
    "within_of_rollup": Term(
        "departments within tolerance of their people's roll-up",
        "个部门与员工汇总的差异在容差之内",
    ),
    "calibration": Term("Calibration", "校准"),
    "groups_flagged": Term("role groups flagged for review", "个岗位组被标记为需复核"),
    "departments": Term("Departments", "部门"),
    "departments_hint": Term(
        "department index vs the roll-up of its people (months-weighted mean of their indexes)",
        "部门指数与其员工汇总（按任职月数加权的员工指数平均值）对比",
    ),
    "people": Term("People", "人数"),
    "department_index": Term("Department index", "部门指数"),
    "rollup": Term("Roll-up", "员工汇总"),
    "difference": Term("Difference", "差异"),
    "workbook": Term("Workbook", "工作簿"),
    "within_tolerance": Term("within tolerance", "在容差之内"),
    "outside_tolerance": Term("outside tolerance", "超出容差"),
    "no_reconciliation": Term("no reconciliation row for this period", "本期没有核对记录"),
    "review": Term("review", "需复核"),
    "off_vs_target": Term("{grade} {share} vs {target} target", "{grade} 占 {share}，目标 {target}"),
    "shares_off_target": Term("shares off target", "占比偏离目标"),
    "no_flag": Term("no flag", "无标记"),
    "departments_note": Term(
        (
            "A department's index also rests on what no single person carries (department-only metrics such "
            "as attrition, managers appraised on the department index, vacancies, people without records of "
            "their own), so the roll-up is expected to differ within the tolerance; the reasons say why. "
            "Calibration compares each department role's grade distribution with HR's target distribution: a "
            "flag is for review, it changes no grade."
        ),
        (
            "部门指数还依赖于无人单独承担的部分（仅限部门的指标如离职率、按部门指数考核的经理、空缺岗位、"
            "没有个人记录的员工），因此员工汇总与部门指数在容差内存在差异属正常；原因列出差异的来源。"
            "校准将每个部门岗位的等级分布与 HR 的目标分布对比：标记仅提示复核，不改变任何等级。"
        ),
    ),
    "employee_index_note": Term(
        (
            "The employee index uses the department method on a person's own records under their role's "
            "template (core ~30: reviews, training, attendance; extension ~70: the role's own work), graded "
            "on the same scale. When a metric had nothing to observe, the observed weights are scaled to 100 "
            "%, so a core part can exceed 30 points."
        ),
        (
            "员工指数按部门评分方法，以个人自己的记录和所在岗位的模板计算（核心约 30 分：绩效评价、培训、"
            "出勤；扩展约 70 分：岗位本身的工作），按同一标准评级。某项指标没有可观测数据时，"
            "已观测指标的权重按比例放大至 100 %，因此核心得分可能超过 30 分。"
        ),
    ),
    "all_departments": Term("← All departments", "← 全部部门"),
    "workbook_link": Term("Workbook ({name})", "工作簿（{name}）"),
    "dept_sub": Term("{id} · {period} · {people} people scored", "{id} · {period} · 已评分 {people} 人"),
    "employed_in_period": Term("employed in the period", "本期在职"),
    "in_role_rows": Term("in {n} role rows", "共 {n} 个岗位行"),
    "department_scorecard": Term("department scorecard", "部门评分卡"),
    "rollup_of_people": Term("Roll-up of its people", "员工汇总"),
    "within_pm": Term("within ±{n}", "在 ±{n} 之内"),
    "outside_pm": Term("outside ±{n}", "超出 ±{n}"),
    "reconciliation_and_calibration": Term("Reconciliation and calibration", "核对与校准"),
    "reconciliation_line": Term(
        "Department index {index} vs roll-up of its people {rollup}: difference {diff} points,",
        "部门指数 {index}，员工汇总 {rollup}：差异 {diff} 分，",
    ),
    "tolerance_pm": Term("(±{n}).", "（±{n}）。"),
    "no_reconciliation_department": Term(
        "No reconciliation row for this department and period.",
        "本部门本期没有核对记录。",
    ),
    "n_people": Term("{n} people", "{n} 人"),
    "flagged_for_review": Term("flagged for review", "需复核"),
    "share": Term("Share", "占比"),
    "deviation": Term("Deviation", "偏差"),
    "tolerance": Term("Tolerance", "容差"),
    "off_target": Term("off target", "偏离目标"),
    "points_pp": Term("{n} pp", "{n} 个百分点"),
    "calibration_note": Term(
        (
            "A flag asks HR to review the group's grades; it changes no grade. Groups too small for shares "
            "to mean much are not flagged."
        ),
        "标记提示 HR 复核该组的等级，不改变任何等级。人数太少、占比意义不大的组不做标记。",
    ),
    "ranking_hint": Term(
        "rank in the department; rank in role is company-wide",
        "部门内排名；岗位内排名为全公司范围",
    ),
    "name": Term("Name", "姓名"),
    "role": Term("Role", "岗位"),
    "months_in_role": Term("Months in role", "任职月数"),
    "rank_in_role": Term("Rank in role", "岗位内排名"),
    "rank_in_department_role": Term("Rank in department role", "部门岗位内排名"),
    "coverage": Term("Coverage", "权重覆盖"),
    "of_total": Term("of {n}", "/ {n}"),
    "person_rank": Term("#{rank} of {n} in {department}", "{department}第 {rank} 名（共 {n} 人）"),
    "ranking_up": Term("ranking ↑", "返回排名 ↑"),
    "changed_role": Term(
        "Changed role in {period}: scored once per role on that role's months and template:",
        "{period}期间调岗：按每个岗位的任职月数和模板分别评分：",
    ),
    "n_months": Term("{n} month", "{n} 个月"),
    "n_months_plural": Term("{n} months", "{n} 个月"),
    "months_in_role_fact": Term("{months} in role", "任职 {months}"),
    "rank_in_role_fact": Term("rank in role", "岗位内排名"),
    "in_department_role_fact": Term("in department role", "部门岗位内排名"),
    "coverage_fact": Term("scored on {pct} of the template's weight", "按模板权重的 {pct} 计分"),
    "records_n": Term("{n} records", "{n} 条记录"),
    "metrics_observed_of": Term(
        "{observed} of {total} metrics observed",
        "{total} 项指标中 {observed} 项有数据",
    ),
    "path_core": Term("core", "核心"),
    "path_extension": Term("extension", "扩展"),
    "path_index": Term("index", "指数"),
    "path_grade": Term("grade", "等级"),
    "value_formula": Term("Value = numerator / denominator", "数值 = 分子 / 分母"),
    "target_floor": Term("(target / floor)", "（目标值 / 下限）"),
    "from_records": Term(
        "= {numerator} / {denominator} from {n} record",
        "= {numerator} / {denominator}，来自 {n} 条记录",
    ),
    "from_records_plural": Term(
        "= {numerator} / {denominator} from {n} records",
        "= {numerator} / {denominator}，来自 {n} 条记录",
    ),
    "no_records_in_period": Term("no records in the period", "本期没有记录"),
    "target_floor_values": Term("target {target} · floor {floor}", "目标值 {target} · 下限 {floor}"),
    "tier_part": Term("{tier} part", "{tier}得分"),
    "index_to_grade": Term("Index → Grade", "指数 → 等级"),
    "evidence_summary": Term(
        (
            "· {records} source records behind {metrics} metrics (up to {cap} per metric here; the workbook "
            "lists all)"
        ),
        "· {metrics} 项指标背后的 {records} 条源记录（此处每项指标最多列出 {cap} 条；工作簿列出全部）",
    ),
    "record_n": Term("{n} record", "{n} 条记录"),
    "record_n_plural": Term("{n} records", "{n} 条记录"),
    "first_shown": Term(", first {n} shown", "，列出前 {n} 条"),
    "month": Term("Month", "月份"),
    "source_table": Term("Source table", "源数据表"),
    "record_key": Term("Record key", "记录键"),
    "more_on_workbook": Term(
        "… and {n} more on the workbook's Evidence sheet",
        "…… 另有 {n} 条，见工作簿的“数据依据”工作表",
    ),
    "hr_footer": Term(
        (
            "Generated from the HR tier of the working warehouse (hr.fct_employee_scorecard, "
            "hr.fct_employee_metric_scores, hr.employee_metric_evidence, hr.employee_rollup_reconciliation, "
            "hr.grade_calibration); never part of the BI snapshot. Self-contained: this page loads nothing "
            "from the network."
        ),
        (
            "数据来自工作数据仓库的人力资源层级（hr.fct_employee_scorecard、hr.fct_employee_metric_scores、"
            "hr.employee_metric_evidence、hr.employee_rollup_reconciliation、hr.grade_calibration），"
            "从不进入 BI 快照。本页面完全离线：不从网络加载任何内容。"
        ),
    ),
    # The workbooks' sheets, headers and items.
    "weight_pct": Term("Weight %", "权重 %"),
    "effective_weight": Term("Effective weight %", "有效权重 %"),
    "weighted_contribution": Term("Weighted contribution", "贡献分"),
    "source_system": Term("Source system", "源系统"),
    "stream": Term("Stream", "数据流"),
    "numerator_part": Term("Numerator part", "分子部分"),
    "denominator_part": Term("Denominator part", "分母部分"),
    "department_id": Term("Department id", "部门编号"),
    "previous_period": Term("Previous period", "上期"),
    "previous_index": Term("Previous index", "上期指数"),
    "weight_coverage": Term("Weight coverage %", "权重覆盖率 %"),
    "metrics_observed": Term("Metrics observed", "有数据指标数"),
    "metrics_in_scheme": Term("Metrics in scheme", "方案指标数"),
    "scorecard": Term("Scorecard", "评分卡"),
    "metric_id": Term("Metric id", "指标编号"),
    "unit": Term("Unit", "单位"),
    "numerator_column": Term("Numerator", "分子"),
    "denominator_column": Term("Denominator", "分母"),
    "direction": Term("Direction", "方向"),
    "period": Term("Period", "期间"),
    "support_grade": Term("Support grade", "支持等级"),
    "core_subtotal": Term("Core subtotal", "核心小计"),
    "extension_subtotal": Term("Extension subtotal", "扩展小计"),
    "employee_id": Term("Employee id", "员工编号"),
    "employee_number": Term("Employee number", "工号"),
    "role_id": Term("Role id", "岗位编号"),
    "rank_in_department": Term("Rank in department", "部门内排名"),
    "employees_in_role": Term("Employees in role", "岗位人数"),
    "employees_in_department_role": Term("Employees in department role", "部门岗位人数"),
    "metrics_in_template": Term("Metrics in template", "模板指标数"),
    "observed_column": Term("Observed", "有数据"),
    "group_size": Term("Group size", "组内人数"),
    "employees": Term("Employees", "人数"),
    "target_share": Term("Target share", "目标占比"),
    "off_target_column": Term("Off target", "超出容差"),
    "flagged_for_review_column": Term("Flagged for review", "需复核"),
    "item": Term("Item", "项目"),
    "summary_value": Term("Value", "内容"),
    "classification": Term("Classification", "密级"),
    "people_scored_item": Term("People scored", "评分人数"),
    "role_rows": Term("Role rows", "岗位行数"),
    "rollup_index": Term("Roll-up of its people", "员工汇总指数"),
    "reason_n": Term("Reason {i}", "原因 {i}"),
    "calibration_flag": Term("Calibration flag", "校准标记"),
    "summary": Term("Summary", "概览"),
    "hr_confidential": Term("HR confidential", "仅限人力资源"),
    # The HR workbooks' sentences.
    "workbook_within": Term("within tolerance ({tolerance})", "在容差之内（{tolerance}）"),
    "workbook_outside": Term("OUTSIDE tolerance ({tolerance})", "超出容差（{tolerance}）"),
    "workbook_tolerance": Term("±{n} points", "±{n} 分"),
    "workbook_off": Term("{grade} {share} vs {target}", "{grade} 占 {share}，目标 {target}"),
    "workbook_shares_off": Term("shares off target", "占比偏离目标"),
    "workbook_all_evidence": Term(
        "All {total:,} source records are on the Evidence sheet.",
        "“数据依据”工作表列出全部 {total:,} 条源记录。",
    ),
    "workbook_capped_evidence": Term(
        (
            "{kept:,} of {total:,} source records on the Evidence sheet (the first {cap:,} per person and "
            "metric, to stay within {limit:,} rows); hr.employee_metric_evidence has them all."
        ),
        (
            "“数据依据”工作表列出 {total:,} 条源记录中的 {kept:,} 条（每人每项指标前 {cap:,} 条，"
            "以免超过 {limit:,} 行）；hr.employee_metric_evidence 包含全部记录。"
        ),
    ),
    "workbook_title": Term("{department}: employee scorecards {period}", "{department}：员工评分卡 {period}"),
}

# The department families (marts' `department_family`).
FAMILIES: dict[str, Term] = {
    "rnd": Term("R&D", "研发"),
    "implementation": Term("Implementation", "实施"),
    "sales": Term("Sales", "销售"),
    "hr": Term("HR", "人力资源"),
    "finance": Term("Finance", "财务"),
    "admin": Term("Administration", "行政"),
}
# How a value is written in its catalog unit; the number itself is the same in both languages.
UNITS: dict[str, Term] = {
    "hours": Term("{v} h", "{v} 小时"),
    "days": Term("{v} days", "{v} 天"),
    "score_1_5": Term("{v} / 5", "{v} / 5"),
    "per_project": Term("{v} per project", "{v} 次/项目"),
    "hours_per_employee": Term("{v} h per employee", "{v} 小时/人"),
    "requests_per_fte": Term("{v} per FTE", "{v} 件/人"),
}
