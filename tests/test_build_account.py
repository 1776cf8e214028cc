"""The registry step's account: per file rows read = accepted + quarantined, the top rules
with counts, loud missing-column warnings, and where the findings table is."""

from __future__ import annotations

import pandas as pd

from huachi_analysis.registry.account import account_lines, top_rules

SUMMARY = {
    "inputs": [
        {"file": "a.xlsx", "year": 2016, "rows_read": 1200, "rows_accepted": 1190,
         "rows_quarantined": 10},
        {"file": "b.csv", "year": None, "rows_read": 5, "rows_accepted": 5,
         "rows_quarantined": 0}],
    "missing_columns": [{"file": "b.csv", "years": [2017], "field": "income_per_capita",
                         "header": "人均纯收入", "closest": None, "indicators": ["x", "y"],
                         "how_zh": "请重新导出", "how_en": "export it again"}]}
FINDINGS = pd.DataFrame({
    "source_file": ["a.xlsx"] * 14,
    "rule": ["missing_village"] * 6 + ["negative_income"] * 4 + ["negative_income"] * 2
    + ["unknown_flag"] * 2,
    "severity": ["error"] * 12 + ["warning"] * 2,
    # the two extra negative_income errors belong to rows already counted under another rule
    "primary": [True] * 10 + [False] * 2 + [False] * 2,
})


def test_top_rules_count_quarantined_rows_once_and_warnings():
    assert top_rules(FINDINGS, "a.xlsx") == [
        ("error", "missing_village", 6), ("error", "negative_income", 4),
        ("warning", "unknown_flag", 2)]
    assert top_rules(FINDINGS, "b.csv") == []


def test_account_per_file_with_rules_warnings_and_the_findings_path():
    lines = account_lines(SUMMARY, FINDINGS, "data/processed/registry_findings.csv")
    text = "\n".join(lines)
    assert lines[0] == "a.xlsx（2016年）"
    assert "读入 1,200 行 = 接受 1,190 + 隔离 10" in lines[1]
    assert "rows read 1,200 = accepted 1,190 + quarantined 10" in lines[1]
    assert "行政村为空 [missing_village] 6" in lines[2] and "[unknown_flag] 2" in lines[2]
    assert "b.csv（年度栏）" in text
    assert "⚠ 警告：b.csv（2017年）没有“人均纯收入”栏" in text and "⚠ WARNING: b.csv" in text
    assert lines[-2].endswith("data/processed/registry_findings.csv")
    assert lines[-1].startswith("findings (one row per problem")


def test_rules_that_quarantined_rows_come_before_a_more_frequent_warning():
    # the 2021 round of the analyst guide: 53 villages the plan does not name (a warning every
    # year) must not push two of the three rules that quarantined rows off the line
    findings = pd.DataFrame({
        "source_file": ["c.xlsx"] * 59,
        "rule": ["village_not_in_plan"] * 53 + ["household_size_mismatch"] * 3
        + ["unknown_township", "unknown_exit_status", "income_not_a_number"],
        "severity": ["warning"] * 56 + ["error"] * 3,
        "primary": [False] * 56 + [True] * 3})
    assert top_rules(findings, "c.xlsx") == [
        ("error", "income_not_a_number", 1), ("error", "unknown_exit_status", 1),
        ("error", "unknown_township", 1), ("warning", "village_not_in_plan", 53),
        ("warning", "household_size_mismatch", 3)]
