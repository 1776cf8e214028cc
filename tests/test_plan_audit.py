"""The consistency audit: checks computed from the text and the tables."""

from __future__ import annotations

import pandas as pd
import pytest

from huachi_analysis import metadata, plan
from huachi_analysis.plan import consistency as A
from huachi_analysis.plan import tensions
from huachi_analysis.plan.geography import Gazetteer


@pytest.fixture(scope="module")
def findings():
    return plan.audit()


def test_schema_and_quotes_are_verbatim(findings):
    text = plan.text()
    metadata.schema("plan_audit").validate(findings)
    assert findings["finding_id"].is_unique
    for r in findings.itertuples():
        assert r.quote_a in text, (r.finding_id, r.quote_a)
        assert pd.isna(r.quote_b) or r.quote_b in text, (r.finding_id, r.quote_b)


def test_text_derived_findings(findings):
    by_id = findings.set_index("finding_id")
    f = by_id.loc["A-count_mismatch-poor_villages_54"]
    assert "54个贫困村" in f["quote_a"] and "56个贫困村" in f["quote_b"]
    assert f["kind"] == "contradiction"
    f = by_id.loc["A-count_mismatch-admin_villages_101_111"]
    assert "101个行政村" in f["quote_a"] and "111个行政村" in f["quote_b"]
    assert "五蛟乡" in by_id.loc["A-name_variant-五蛟镇_五蛟乡", "quote_b"]
    assert by_id.loc["A-name_variant-五蛟镇_五蛟乡", "kind"] == "naming"
    f = by_id.loc["A-deadline_conflict-natural_village_power_coverage"]
    assert f["kind"] == "contradiction" and "2016、2017、2020" in f["description_zh"]


def test_the_tensions_the_issue_lists(findings):
    by_id = findings.set_index("finding_id")
    f = by_id.loc["A-stable_below_milestone-T-04-15"]   # 稳定在5%以下 vs 5.47 % in 2017
    assert f["kind"] == "tension" and "5.47" in f["quote_b"] and "稳定在5%以下" in f["quote_a"]
    f = by_id.loc["A-coverage_vs_count-natural_villages_power_connected"]  # 22 + 20 vs 525
    assert "22 + 20 = 42" in f["description"] and "525" in f["quote_b"]
    f = by_id.loc["A-overlapping_rates-T-08.4-05_T-08.4-08"]  # e-commerce 20 % vs 30 %
    assert "20%" in f["quote_a"] and "30%" in f["quote_b"]
    f = by_id.loc["A-yearly_or_cumulative-labour_transfer_poor_person_times"]  # 2.53 vs 3.24万
    assert "0.71万人次" in f["description"] and "0.71万人次" in f["description_zh"]
    assert by_id.loc["A-implied_value_mismatch-exits_vs_baseline", "kind"] == "tension"
    assert by_id.loc["A-annual_total_mismatch-terraced_fields_new_mu", "kind"] == "arithmetic"


def test_only_findings_of_the_plan_against_itself(findings):
    # ambiguity notes stay on the targets; ordinary short names (乔川 for 乔川乡) are no finding
    assert set(findings["kind"]) <= {"contradiction", "tension", "arithmetic", "naming"}
    assert not findings["finding_id"].str.contains("target_ambiguity|abbreviated").any()
    assert len(findings) < 20
    # every finding speaks Chinese too, with no English sentence in it
    assert findings["description_zh"].str.contains(r"[\u4e00-\u9fff]").all()
    assert not findings["description_zh"].str.contains(r"\b(?:the|is|and|but)\b").any()


def test_schedule_consistent_with_text_and_tables(findings):
    assert not findings["finding_id"].str.contains("schedule_mismatch|list_count").any()
    g = Gazetteer.from_frames(plan.townships(), plan.villages())
    assert A.check_tables(plan.text(), plan.targets(), plan.villages(), g.resolve_township) == []
    _, checked = A.list_counts(plan.text())
    assert {(c["stated"], c["listed"]) for c in checked} >= {(22, 22), (20, 20), (14, 14), (5, 5)}


def _targets(rows):
    base = {"domain": "electricity", "indicator_zh": "z", "indicator_en": "e", "scope": "county",
            "geography": "华池县", "period_start": 2015, "comparator": None, "unit": None,
            "value_base": None, "unit_base": None, "direction": "higher", "ambiguity": None,
            "year_is_inferred": False, "is_approximate": False}
    cols = ["target_id", "indicator_id", "clause", "period_end", "target_kind", "value", "unit",
            "value_base", "unit_base", "quote"]
    df = pd.DataFrame([{**base, **dict(zip(cols, r, strict=True))} for r in rows])
    return metadata.conform(df, "plan_targets")


def test_deadline_conflict_inline():
    t = _targets([
        ("T1", "road_km", "7", 2015, "flow", 270.0, "公里", 270.0, "km",
         "2015年建成建制村通畅工程270公里"),
        ("T2", "road_done", "7", 2015, "deadline", None, "是/否", None, "yes_no",
         "2015年全县提前完成建制村通畅工程建设任务"),
        ("T3", "power_coverage", "7", 2016, "deadline", None, "是/否", None, "yes_no",
         "2016年实现自然村动力电全覆盖"),
        ("T4", "power_coverage_rate", "7", 2017, "level", 100.0, "%", 100.0, "percent",
         "到2017年实现动力电全覆盖")])
    (f,) = tensions.deadline_conflicts(t)
    assert f["finding_id"] == "A-deadline_conflict-power_coverage"
    assert "2016, 2017" in f["description"] and "2016、2017年" in f["description_zh"]


def test_annual_vs_total_inline():
    t = _targets([
        ("T1", "terraces", "7", 2020, "yearly_rate", 3.3, "万亩", 33000.0, "mu", "每年新修梯田3.3万亩"),
        ("T2", "terraces", "7", 2020, "cumulative", 16.5, "万亩", 165000.0, "mu", "累计新修16.5万亩")])
    (f,) = tensions.annual_vs_total(t)
    assert "= 5 years" in f["description"] and "6 years" in f["description"]
    assert "= 5年" in f["description_zh"]
    t.loc[1, "period_start"] = 2016
    assert tensions.annual_vs_total(t) == []


def test_stable_below_and_yearly_or_cumulative_inline():
    t = _targets([
        ("A", "inc", "4", 2017, "level", 5.47, "%", 5.47, "percent", "贫困面下降到5.47%"),
        ("B", "inc", "4", 2020, "level", 5.0, "%", 5.0, "percent", "贫困发生率稳定在5%以下"),
        ("C", "jobs", "8", 2017, "flow", 2.53, "万人次", 25300.0, "person_times", "输转2.53万人次"),
        ("D", "jobs", "8", 2020, "flow", 3.24, "万人次", 32400.0, "person_times", "输转3.24万人次")])
    t["comparator"] = ["<=", "<", ">=", ">="]
    t["period_start"] = t["period_end"]
    (f,) = tensions.stable_below(t)
    assert f["finding_id"] == "A-stable_below_milestone-B" and "5.47%" in f["description"]
    t.loc[1, "value_base"] = 6.0   # stay below 6 %: 5.47 % is already below it
    assert tensions.stable_below(t) == []
    (g,) = tensions.yearly_or_cumulative(t)
    assert "0.71万人次" in g["description"]
    t.loc[3, "quote"] = "每年输转3.24万人次"   # said to be yearly: no tension
    assert tensions.yearly_or_cumulative(t) == []


def test_count_mentions_inline():
    villages = pd.DataFrame({"township": ["甲乡"] * 3, "village": ["a村", "b村", "c村"],
                             "is_poor_village": [True, True, True], "exit_year": [2015] * 3})
    townships = pd.DataFrame({"township": ["甲乡", "乙乡"]})
    text = "对3个贫困村，有需求的2个贫困村，建档立卡的4个贫困村。全县2个乡（镇）；5个行政村和6个行政村"
    ids = [f["finding_id"] for f in A.count_mentions(text, villages, townships)]
    assert ids == ["A-count_mismatch-poor_villages_4", "A-count_mismatch-admin_villages_5_6"]


def test_list_counts_inline():
    f, checked = A.list_counts("完成甲、乙、丙等4个乡（镇），三个办法（子、丑、寅），甲、乙各1个")
    assert [(c["stated"], c["listed"]) for c in checked] == [(3, 3), (4, 3)]
    assert len(f) == 1 and f[0]["quote_a"] == "完成甲、乙、丙等4个"
