"""Target kinds (contract C1), the plan's word-numbers and the fidelity points of issue 11."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from huachi_analysis import plan
from huachi_analysis.plan import findings, kinds, numerals
from huachi_analysis.plan import numbers as plan_numbers
from huachi_analysis.plan.numbers import unaccounted_numbers, word_occurrences


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return plan.targets()


@pytest.mark.parametrize("module", [kinds, numerals, findings, plan_numbers])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_every_target_has_one_kind_and_its_fields(targets):
    assert set(targets["target_kind"]) == set(kinds.KINDS)
    assert targets["target_kind"].notna().all()
    # clause 1's register is the baseline, and only it
    assert set(targets.loc[targets["target_kind"] == "baseline", "target_id"]) == {
        "T-01-01", "T-01-02", "T-01-03"}
    # done/not done: 是/否, no value
    yn = targets[targets["target_kind"] == "deadline"]
    assert (yn["unit"] == "是/否").all() and (yn["unit_base"] == "yes_no").all()
    assert yn["value"].isna().all()
    # per-unit minimums name their unit; no other kind does
    pu = targets["target_kind"] == "per_unit"
    assert targets.loc[pu, "per_unit"].notna().all()
    assert targets.loc[~pu, "per_unit"].isna().all()
    assert pu.sum() >= 19
    # yearly rates: every 每年 quantity of the plan
    yr = set(targets.loc[targets["target_kind"] == "yearly_rate", "target_id"])
    assert {"T-07.7-01", "T-07.8-18", "T-07.8-19", "T-09.1-08", "T-12-01", "T-12-02"} <= yr
    # the 12 yearly quantities that are flows
    flows = targets[targets["target_kind"] == "flow"]
    assert len(flows) >= 12 and (flows["period_start"] == flows["period_end"]).all()


def test_helpers_follow_the_kind():
    assert kinds.reporting_years({"target_kind": "deadline", "period_start": 2015,
                                  "period_end": 2017}) == [2015, 2016, 2017]
    assert kinds.reporting_years({"target_kind": "baseline", "period_end": 2014}) == []
    assert kinds.is_yes_no({"target_kind": "standing_rule", "unit_base": "yes_no"})
    assert kinds.is_numeric({"target_kind": "standing_rule", "unit_base": "yuan"})
    assert kinds.actual_unit({"target_kind": "deadline"}) == "yes_no"
    assert kinds.accepted_units({"target_kind": "per_unit", "unit_base": "people"}) == (
        "percent", "%")
    assert kinds.accepted_units({"target_kind": "level", "unit": "万亩", "unit_base": "mu"}) == (
        "mu", "万亩")
    with pytest.raises(ValueError, match="target_kind"):
        kinds.kind_of("quantity")


def test_fidelity_points(targets):
    t = targets.set_index("target_id")
    # clause 7(2) ends 到2020年 (今后五年内 read as by 2020), flagged as inferred
    assert (t.loc[[f"T-07.2-0{i}" for i in range(1, 7)], "period_end"] == 2020).all()
    assert t.loc[[f"T-07.2-0{i}" for i in range(1, 7)], "year_is_inferred"].all()
    # the 3 GPs' 2016 is borrowed from another sentence
    assert t.loc["T-09.2-03", "year_is_inferred"]
    # 约2千伏安 stays approximate
    assert t.loc["T-07.4-04", "comparator"] == "≈" and t.loc["T-07.4-04", "is_approximate"]
    # the plan's income targets are disposable income; clause 8(1) speaks of net income
    income = t[t["indicator_id"].isin(["rural_income_per_capita", "poor_income_per_capita"])]
    assert (income["income_concept"] == "disposable").all()
    assert t.loc["T-08.1-03", "income_concept"] == "net"


def test_undated_deliverables_are_flagged_deadlines(targets):
    t = targets.set_index("target_id")
    deliverables = {"T-01-04": "大数据库", "T-09.1-14": "职教中心", "T-09.2-11": "县中医院",
                    "T-09.4-07": "云平台", "T-08.4-09": "三级物流配送", "T-10-01": "公告公示制度"}
    for tid, word in deliverables.items():
        assert word in t.loc[tid, "quote"]
        assert t.loc[tid, "target_kind"] == "deadline" and t.loc[tid, "year_is_inferred"]
    undated = targets[(targets["target_kind"] == "deadline") & targets["year_is_inferred"]]
    assert len(undated) >= 11


def test_word_numbers_are_counted():
    text = plan.text()
    occ = word_occurrences(text)
    found = set(zip(occ["form"], occ["number"], strict=True))
    for w in ("一", "两", "三", "五", "八", "十", "半", "十三五", "百万"):
        assert ("numeral", w) in found, w
    for w in ("全部", "全覆盖", "所有", "每个", "每年", "每半年", "应搬尽搬"):
        assert ("commitment", w) in found, w
    # idioms and names are not numbers: 统一, 一把手, 第一书记, 三相, 五蛟
    for pos in (text.index("统一识别"), text.index("一把手"), text.index("第一书记"),
                text.index("三相"), text.index("五蛟镇")):
        assert not ((occ["start"] <= pos + 1) & (occ["end"] > pos + 1)
                    & (occ["form"] == "numeral")).any()


def test_accounting_fails_when_a_commitment_is_dropped(targets):
    text, ledger = plan.text(), plan.number_ledger()
    assert unaccounted_numbers(text, targets["quote"], ledger["context"]).empty
    for tid, word in (("T-19-01", "半"), ("T-09.5-10", "三"), ("T-13-03", "八"),
                      ("T-09.5-08", "全部")):
        rest = targets[targets["target_id"] != tid]
        u = unaccounted_numbers(text, rest["quote"], ledger["context"])
        assert word in set(u["number"]), tid


def test_new_commitments_have_kind_and_unit(targets):
    t = targets.set_index("target_id")
    assert t.loc["T-19-01", "value_base"] == 2 and t.loc["T-19-01", "unit_base"] == \
        "times_per_year"
    assert (t.loc[["T-13-02", "T-13-03", "T-13-04", "T-13-05"], "value"].tolist()
            == [5, 8, 3, 10])
    assert t.loc["T-07.6-08", "value"] == 2 and t.loc["T-07.6-08", "comparator"] == "<="
    assert t.loc["T-09.5-09", "target_kind"] == "per_unit"
    assert t.loc["T-11-01", "target_kind"] == "standing_rule"
    assert t.loc["T-11-01", "unit_base"] == "yes_no"
