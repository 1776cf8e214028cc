"""The consistency audit: checks computed from the text and the tables."""

from __future__ import annotations

import pandas as pd
import pytest

from huachi_analysis import metadata, plan
from huachi_analysis.plan import consistency as A


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
    f = by_id.loc["A-count_mismatch-admin_villages_101_111"]
    assert "101个行政村" in f["quote_a"] and "111个行政村" in f["quote_b"]
    assert "五蛟乡" in by_id.loc["A-name_variant-五蛟镇_五蛟乡", "quote_b"]
    assert "紫坊" in by_id.loc["A-name_variant-紫坊畔乡_紫坊", "quote_b"]
    abbreviated = findings[findings["kind"] == "name_abbreviated"]
    assert len(abbreviated) == 9  # 乔川 元城 怀安 五蛟 白马 城壕 王咀子 上里塬 乔河
    assert "A-duplicate_village_name-张岔村" in by_id.index
    assert "A-implied_value_mismatch-rural_population_2014" in by_id.index


def test_every_ambiguity_becomes_a_finding(findings):
    t = plan.targets()
    n = int((t["ambiguity"].notna() & (t["ambiguity"].str.strip() != "")).sum())
    amb = findings[findings["kind"] == "target_ambiguity"]
    assert len(amb) == n
    assert set(amb["finding_id"].str.removeprefix("A-target_ambiguity-")) == set(
        t.loc[t["ambiguity"].notna(), "target_id"])


def test_schedule_consistent_with_text_and_tables(findings):
    assert not (findings["kind"] == "schedule_mismatch").any()
    assert not (findings["kind"] == "list_count_mismatch").any()
    _, checked = A.list_counts(plan.text())
    assert {(c["stated"], c["listed"]) for c in checked} >= {(22, 22), (20, 20), (14, 14), (5, 5)}


def _targets(rows):
    base = {"domain": "electricity", "indicator_zh": "z", "indicator_en": "e", "scope": "county",
            "geography": "华池县", "period_start": 2015, "comparator": None, "unit": None,
            "value_base": None, "unit_base": None, "direction": "higher", "ambiguity": None}
    cols = ["target_id", "indicator_id", "clause", "period_end", "target_kind", "value", "unit",
            "value_base", "unit_base", "cumulative", "quote"]
    df = pd.DataFrame([{**base, **dict(zip(cols, r, strict=True))} for r in rows])
    return metadata.conform(df, "plan_targets")


def test_deadline_conflict_and_stated_twice_inline():
    text = "7.甲。2015年建成建制村通畅工程270公里，2015年全县提前完成建制村通畅工程建设任务。" \
           "2016年实现自然村动力电全覆盖。到2017年实现动力电全覆盖。"
    t = _targets([
        ("T1", "road_km", "7", 2015, "quantity", 270.0, "公里", 270.0, "km", False,
         "2015年建成建制村通畅工程270公里"),
        ("T2", "road_done", "7", 2015, "deadline", None, None, None, None, False,
         "2015年全县提前完成建制村通畅工程建设任务"),
        ("T3", "power_coverage", "7", 2016, "deadline", None, None, None, None, False,
         "2016年实现自然村动力电全覆盖"),
        ("T4", "power_coverage_rate", "7", 2017, "quantity", 100.0, "%", 100.0, "percent",
         False, "到2017年实现动力电全覆盖")])
    kinds = {f["finding_id"]: f for f in A.repeated_deadlines(text, t)}
    assert set(kinds) == {"A-deadline_conflict-power_coverage", "A-stated_twice-T1_T2"}
    assert "2016, 2017" in kinds["A-deadline_conflict-power_coverage"]["description"]


def test_annual_vs_total_inline():
    t = _targets([
        ("T1", "terraces", "7", 2020, "quantity", 3.3, "万亩", 33000.0, "mu", False, "每年新修梯田3.3万亩"),
        ("T2", "terraces", "7", 2020, "quantity", 16.5, "万亩", 165000.0, "mu", True, "累计新修16.5万亩")])
    (f,) = A.annual_vs_total(t)
    assert "= 5 years" in f["description"] and "6 years" in f["description"]
    t.loc[1, "period_start"] = 2016
    assert A.annual_vs_total(t) == []


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
