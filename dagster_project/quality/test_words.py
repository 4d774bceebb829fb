"""The generic dbt tests, worded once per kind in English and Chinese: the Dagster asset check's
description (`dbt_tests.describe_test`) and the scorecards' check table (`publish/check_text.py`) both
read them, so a steward and HR meet the same sentence. Plain data, no imports: the quality gates' own
process reads it too.
"""

# The generic dbt tests, worded once per kind: {model}, {column} and the kind's arguments arrive as code.
GENERIC: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "not_null": ("Never empty: {column}", "Every row of {model} has a {column}; a row without one "
                     "cannot be counted or joined."),
        "unique": ("No duplicates: {column}", "No two rows of {model} share a {column}; a duplicate would "
                   "be counted twice."),
        "unique_combination_of": ("One row per {columns}", "{model} holds one row per combination of "
                                  "{columns}; a duplicate would be counted twice."),
        "accepted_values": ("Known codes only: {column}", "{column} in {model} is one of {values}; any "
                            "other value is a code the warehouse does not know."),
        "relationships": ("Refers to an existing record: {column}", "Every {column} in {model} is found as "
                          "{field} in {to}; a row pointing to a missing record joins to nothing."),
        "ties_share_a_rank": ("Equal indexes share a rank: {column}", "Rows of {model} with an equal "
                              "{index} within one {within} hold the same {column}."),
        "conforms_to_metric_catalog": ("Observations conform to the metric catalog", "Every observation "
                                       "in {model} is of a catalog metric, in its unit and grain, within "
                                       "its valid range, for a department whose family it applies to."),
        "": ("Data test {kind}", "A dbt data test ({kind}) of {model}."),
    },
    "zh": {
        "not_null": ("不得为空：{column}", "{model} 的每一行都必须有 {column}；缺少该值的行无法计入或关联。"),
        "unique": ("不得重复：{column}", "{model} 中任意两行的 {column} 都不相同；重复的行会被计算两次。"),
        "unique_combination_of": ("每个 {columns} 组合只有一行",
                                  "{model} 中每个 {columns} 组合只有一行；重复的行会被计算两次。"),
        "accepted_values": ("只允许已知代码：{column}",
                            "{model} 的 {column} 只能是 {values} 之一；其他值是数据仓库不认识的代码。"),
        # A value list with phrases in it (`not a date`) is the data's own wording: not repeated in Chinese.
        "accepted_values_phrases": ("只允许已知代码：{column}",
                                    "{model} 的 {column} 只能取测试列出的值；其他值是数据仓库不认识的代码。"),
        "relationships": ("引用的记录必须存在：{column}",
                          "{model} 中的每个 {column} 都必须能在 {to} 的 {field} 中找到；"
                          "指向不存在记录的行无法关联。"),
        "ties_share_a_rank": ("指数相同则名次相同：{column}",
                              "{model} 中同一 {within} 内 {index} 相等的行，{column} 必须相同。"),
        "conforms_to_metric_catalog": ("观测值符合指标目录",
                                       "{model} 中的每条观测值都属于目录中的指标，单位和粒度与目录一致，"
                                       "数值在有效范围内，且所属部门的类别适用该指标。"),
        "": ("数据测试 {kind}", "{model} 的 dbt 数据测试（{kind}）。"),
    },
}  # fmt: skip
