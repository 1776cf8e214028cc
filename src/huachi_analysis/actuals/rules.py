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


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("unreadable_file", "error", "the file cannot be read (not a workbook or CSV, damaged, "
         "unknown encoding)"),
    Rule("no_template_header", "warning", "a workbook without the template's header row on any "
         "sheet: not a department return, skipped"),
    Rule("wrong_columns", "error", "a CSV whose columns are neither the long form nor the "
         "published-statistics form: skipped"),
    Rule("unknown_target", "error", "target_id is not a target of the plan"),
    Rule("unknown_indicator", "error", "indicator_id is not an indicator of the plan"),
    Rule("context_figure", "warning", "a published statistic that measures no indicator of the "
         "plan (context, e.g. public_statistics_other.csv): not used"),
    Rule("indicator_mismatch", "error", "indicator_id does not belong to the row's target_id"),
    Rule("missing_target", "error", "a value without a target_id"),
    Rule("bad_year", "error", "年份 is not a year of the plan period"),
    Rule("year_outside_period", "warning", "年份 is outside the target's period; the value is "
         "kept for the indicator"),
    Rule("unknown_geography", "error", "地区 is not 华池县, one of its townships or a village "
         "the plan names (township/village)"),
    Rule("geography_mismatch", "error", "地区 differs from the township or village the target "
         "is set for"),
    Rule("unit_changed", "error", "单位 is not the unit the target's value must be in"),
    Rule("not_a_number", "error", "text where a number is expected"),
    Rule("yes_no_in_number", "error", "是/否 in a target that needs a number"),
    Rule("not_yes_no", "error", "a done/not-done target needs 是 or 否"),
    Rule("negative_value", "error", "a negative count, area, amount or rate"),
    Rule("over_100_percent", "error", "a coverage, share or rate above 100 %"),
    Rule("conflicting_duplicate", "error", "the same target (indicator), year and geography "
         "with different values in two places; neither value is used"),
    Rule("duplicate", "warning", "the same figure reported twice; counted once"),
    Rule("missing_source", "warning", "数据来源 is empty; the department's name is used"),
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
