"""The checks a reported figure goes through, each with its id, severity and meaning: the one
list the validator, the findings table and the analyst guide use.

>>> allowed_range("forest_coverage_rate", "percent"), allowed_range("afforestation_mu", "mu")
((0.0, 100.0), (0.0, None))
>>> allowed_range("ecommerce_transaction_growth_rate", "percent")
(None, None)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error": the row is quarantined; "warning": the value is kept
    description: str
    description_zh: str = ""


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("unreadable_file", "error", "the file cannot be read (not a workbook or CSV, damaged, "
         "unknown encoding)",
         description_zh="文件无法读取（不是工作簿或 CSV、已损坏或编码不明）"),
    Rule("no_template_header", "warning", "a workbook without the template's header row on any "
         "sheet: not a department return, skipped",
         description_zh="工作簿中没有填报模板的表头：不是部门填报表，已跳过"),
    Rule("wrong_columns", "error", "a CSV whose columns are neither the long form nor the "
         "published-statistics form: skipped",
         description_zh="CSV 的栏目既不是长表格式也不是公开统计格式：已跳过"),
    Rule("unknown_target", "error", "target_id is not a target of the plan",
         description_zh="target_id 不是规划中的目标"),
    Rule("unknown_indicator", "error", "indicator_id is not an indicator of the plan",
         description_zh="indicator_id 不是规划中的指标"),
    Rule("context_figure", "warning", "a published statistic that measures no indicator of the "
         "plan (context, e.g. public_statistics_other.csv): not used",
         description_zh="公开统计数字没有对应的规划指标（背景数字）：不使用"),
    Rule("indicator_mismatch", "error", "indicator_id does not belong to the row's target_id",
         description_zh="indicator_id 与该行的 target_id 不对应"),
    Rule("missing_target", "error", "a value without a target_id",
         description_zh="有数值但没有 target_id"),
    Rule("bad_year", "error", "年份 is not a year of the plan period",
         description_zh="年份不在规划期内"),
    Rule("year_outside_period", "warning", "年份 is outside the target's period; the value is "
         "kept for the indicator",
         description_zh="年份不在目标的期限内；数值按指标保留"),
    Rule("unknown_geography", "error", "地区 is not 华池县, one of its townships or a village "
         "the plan names (township/village)",
         description_zh="地区不是华池县、其乡镇或规划点名的村（乡镇/村）"),
    Rule("geography_mismatch", "error", "地区 differs from the township or village the target "
         "is set for",
         description_zh="地区与目标所针对的乡镇或村不一致"),
    Rule("unit_changed", "error", "单位 is not the unit the target's value must be in",
         description_zh="单位不是目标值要求的单位"),
    Rule("not_a_number", "error", "text where a number is expected",
         description_zh="应填数字处填了文字"),
    Rule("yes_no_in_number", "error", "是/否 in a target that needs a number",
         description_zh="需要数字的目标填了是/否"),
    Rule("not_yes_no", "error", "a done/not-done target needs 是 or 否",
         description_zh="完成/未完成类目标只能填“是”或“否”"),
    Rule("negative_value", "error", "a negative count, area, amount or rate",
         description_zh="数量、面积、金额或比率为负数"),
    Rule("over_100_percent", "error", "a coverage, share or rate above 100 %",
         description_zh="覆盖率、比重或比率超过 100%"),
    Rule("conflicting_duplicate", "error", "the same target (indicator), year and geography "
         "with different values in two places; neither value is used",
         description_zh="同一目标（指标）、年份和地区在两处填了不同数值；两个数值都不使用"),
    Rule("duplicate", "warning", "the same figure reported twice; counted once",
         description_zh="同一数字填报了两次；只计一次"),
    Rule("missing_source", "warning", "数据来源 is empty; the department's name is used",
         description_zh="数据来源为空；以填报部门名称代替"),
)}


def allowed_range(indicator_id: str, unit_base: object) -> tuple[float | None, float | None]:
    """``(minimum, maximum)`` a value of the indicator may take (None: unbounded).

    Growth rates and percentage-point changes may be negative; other percentages (coverage,
    shares, rates) lie in 0…100; counts, areas, lengths and amounts are never negative."""
    if "growth" in indicator_id or unit_base == "percentage_points":
        return None, None
    if unit_base == "percent":
        return 0.0, 100.0
    return 0.0, None


def rules_markdown() -> str:
    """The rules as a Markdown table (for the analyst guide)."""
    lines = ["| rule | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{r.id}` | {r.severity} | {r.description} |" for r in RULES.values()]
    return "\n".join(lines)
