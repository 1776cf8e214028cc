"""The status rule of each kind of target (issue 11; issue 10 items 3 and 4), hand-computed."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from huachi_analysis import plan
from huachi_analysis.progress import baselines, plan_path, status
from huachi_analysis.progress.baselines import plan_baseline_for, plan_baselines
from huachi_analysis.progress.evaluate import evaluate
from huachi_analysis.progress.series import actual_series
from huachi_analysis.progress.targets import combine_actuals, progress_targets

COUNTY = "华池县"


def target(kind, value=None, unit=None, vb=None, ub=None, cmp=">=", direction="higher",
           start=2015, end=2020, ind="x", **more) -> dict:
    return {"target_id": "T", "indicator_id": ind, "geography": COUNTY, "target_kind": kind,
            "period_start": start, "period_end": end, "comparator": cmp, "value": value,
            "unit": unit, "value_base": vb if vb is not None else value,
            "unit_base": ub if ub is not None else unit, "direction": direction, **more}


def series(points, unit, ind="x", **cols):
    """A Series from {year: value} in ``unit`` (extra actuals columns: C4 provenance)."""
    df = pd.DataFrame({"indicator_id": ind, "year": list(points), "geography": COUNTY,
                       "value": list(points.values()), "unit": unit, "source": "统计局", **cols})
    return actual_series(df)[(ind, COUNTY)]


@pytest.mark.parametrize("module", [status, baselines, plan_path])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


# --- deadline (done / not done) ---------------------------------------------------------------
DEADLINE = target("deadline", unit="是/否", ub="yes_no", cmp=None, end=2017)


@pytest.mark.parametrize("points,as_of,expected", [
    ({2016: 1}, 2016, "achieved"),           # 是 by the deadline
    ({2016: 0, 2017: 1}, 2017, "achieved"),
    ({2015: 0, 2016: 0}, 2016, "off_track"),  # 否 before the deadline
    ({2016: 0, 2017: 0}, 2017, "missed"),     # 否 at the deadline
    ({2016: 0, 2017: 0}, 2020, "missed"),
    ({2016: 0}, 2018, "no_data"),             # nothing for the deadline year
    ({2018: 1}, 2017, "no_data"),             # no report by 2017
    ({2016: 2}, 2017, "no_data"),             # not a 1/0 value
])
def test_deadline(points, as_of, expected):
    r = evaluate(DEADLINE, series(points, "yes_no"), as_of)
    assert r["status"] == expected
    assert r["pct_achieved"] is None and r["gap"] is None


def test_deadline_accepts_both_spellings_and_names_a_late_yes():
    r = evaluate(DEADLINE, series({2017: 0, 2018: 1}, "是/否"), 2019)
    assert r["status"] == "missed" and "2018, after the 2017 deadline" in r["note"]
    assert evaluate(DEADLINE, None, 2016)["status"] == "no_data"
    assert evaluate(DEADLINE, series({2016: 1}, "yes_no"), 2014)["status"] == "not_due"


# --- yearly rates and standing rules: one status per year ----------------------------------------
YEARLY = target("yearly_rate", 3.3, "万亩", 33000, "mu")


def test_yearly_rate_judges_each_years_figure_and_keeps_earlier_misses():
    s = series({2015: 34000, 2016: 30000, 2017: 35000, 2019: 33000}, "mu")
    r = {y: evaluate(YEARLY, s, y) for y in range(2015, 2021)}
    assert [r[y]["status"] for y in range(2015, 2021)] == [
        "achieved", "missed", "achieved", "incomplete", "achieved", "incomplete"]
    assert r[2017]["years_not_met"] == "2016" and "not met in 2016" in r[2017]["note"]
    assert r[2018]["years_missing"] == "2018" and r[2018]["actual"] is None
    assert r[2019]["years_missing"] == "2018" and r[2019]["years_not_met"] == "2016"
    assert r[2017]["pct_achieved"] == pytest.approx(100 * 35000 / 33000)
    # a yearly rate is never on/at risk/off track: the year is over when it is reported
    assert {v["status"] for v in r.values()} <= {"achieved", "missed", "incomplete"}


def test_standing_rule_lower_is_better_and_yes_no():
    deductible = target("standing_rule", 3000, "元", 3000, "yuan", cmp="<=", direction="lower",
                        start=2016)
    s = series({2016: 3000, 2017: 3500}, "yuan")
    assert evaluate(deductible, s, 2015)["status"] == "not_due"
    assert evaluate(deductible, s, 2016)["status"] == "achieved"
    r = evaluate(deductible, s, 2017)
    assert r["status"] == "missed" and r["gap"] == 500 and r["pct_achieved"] is None
    rule = target("standing_rule", unit="是/否", ub="yes_no", cmp=None)
    s = series({2015: 1, 2016: 0, 2017: 1}, "yes_no")
    assert [evaluate(rule, s, y)["status"] for y in (2015, 2016, 2017)] == [
        "achieved", "missed", "achieved"]
    assert evaluate(rule, s, 2017)["years_not_met"] == "2016"


# --- cumulative with gaps (issue 10 item 4) -------------------------------------------------------
ROADS = target("cumulative", 886.1, "公里", 886.1, "km", cmp="=", start=2016, end=2020)


def test_incomplete_series_is_never_missed_because_of_a_gap():
    s = series({2016: 180, 2017: 170}, "km")           # 2018–2020 not reported
    r = evaluate(ROADS, s, 2020)
    assert r["status"] == "incomplete" and r["years_missing"] == "2018|2019|2020"
    assert r["actual"] is None and r["pct_achieved"] is None   # no partial sum taken as total
    assert "350" in r["note"] and "not taken as zero" in r["note"]
    s = series({2016: 180, 2018: 170}, "km")
    assert evaluate(ROADS, s, 2018)["status"] == "incomplete"
    assert evaluate(ROADS, s, 2018)["years_missing"] == "2017"
    # the reported years alone already reach the total: achieved, the gap still listed
    r = evaluate(ROADS, series({2016: 500, 2018: 400}, "km"), 2019)
    assert r["status"] == "achieved" and r["years_missing"] == "2017|2019"
    assert r["pct_achieved"] == pytest.approx(100 * 900 / 886.1)


def test_complete_cumulative_ratio_and_missed_at_deadline():
    s = series({2016: 170, 2017: 170, 2018: 170, 2019: 170, 2020: 170}, "km")
    r = evaluate(ROADS, s, 2017)
    assert r["status"] == "on_track"                   # (340 / 886.1) / (2/5) = 0.959
    assert r["progress_ratio"] == pytest.approx((340 / 886.1) / 0.4)
    r = evaluate(ROADS, s, 2020)
    assert r["status"] == "missed" and r["actual"] == 850
    assert r["pct_achieved"] == pytest.approx(100 * 850 / 886.1) and r["progress_ratio"] is None


# --- per-unit minimums --------------------------------------------------------------------------
PER_HOUSEHOLD = target("per_unit", 1, "人", 1, "people", per_unit="household")


def test_per_unit_needs_the_share_of_units_not_a_total():
    r = evaluate(PER_HOUSEHOLD, series({2020: 7000}, "people"), 2020)
    assert r["status"] == "no_data" and "share (%) of households" in r["note"]
    s = series({2018: 70, 2019: 85, 2020: 100}, "percent")
    r = evaluate(PER_HOUSEHOLD, s, 2019)  # ((85 − 70) / (100 − 70)) / (1 / 2) = 1.0
    assert r["status"] == "on_track" and r["progress_ratio"] == pytest.approx(1.0)
    assert r["pct_achieved"] == pytest.approx(85) and r["target"] == 100
    assert evaluate(PER_HOUSEHOLD, s, 2020)["status"] == "achieved"
    assert evaluate(PER_HOUSEHOLD, series({2020: 96}, "%"), 2020)["status"] == "missed"


# --- baseline -----------------------------------------------------------------------------------
def test_baseline_is_shown_with_the_difference_and_never_graded():
    b = target("baseline", 2.78, "万人", 27800, "people", cmp="=", direction="lower", start=2014,
               end=2014)
    s = series({2014: 28080, 2015: 17000}, "people")
    for y in range(2014, 2021):
        r = evaluate(b, s, y)
        assert r["status"] == "baseline" and r["actual"] == 28080 and r["gap"] == 280
        assert r["pct_achieved"] is None and r["progress_ratio"] is None
    assert evaluate(b, None, 2016)["status"] == "baseline"


def test_clause_1_baselines_are_never_graded_on_the_plan():
    t = plan.targets()
    a = pd.DataFrame({"indicator_id": ["registered_poor_persons"] * 2, "year": [2014, 2016],
                      "geography": COUNTY, "value": [28080.0, 9000.0], "unit": "people",
                      "source": "registry"})
    pt = progress_targets(t[t["clause"] == "1"], a, [2015, 2016, 2020])
    graded = pt[pt["target_id"].isin(["T-01-01", "T-01-02", "T-01-03"])
                & (pt["geography"] == COUNTY)]
    assert (graded["status"] == "baseline").all() and len(graded) == 9
    assert graded.loc[graded["target_id"] == "T-01-03", "gap"].tolist() == [280.0] * 3


# --- approximate, income concept, plan baselines, provenance ---------------------------------------
def test_approximate_target_is_met_within_five_percent():
    kva = target("level", 2, "千伏安", 2, "kVA", cmp="≈", end=2017)
    assert evaluate(kva, series({2017: 1.91}, "kVA"), 2017)["status"] == "achieved"
    assert evaluate(kva, series({2017: 1.85}, "kVA"), 2017)["status"] == "missed"


def test_plan_baseline_of_the_2014_incidence():
    t = plan.targets()
    table = plan_baselines(t)
    row = t.set_index("target_id").loc["T-04-15"].to_dict() | {"target_id": "T-04-15"}
    b = plan_baseline_for(row, table)
    assert b.year == 2014 and b.source == "D-2014-poverty-incidence-via-2017"
    assert b.value == pytest.approx(100 * 27800 / ((27800 - 9897 - 7400 - 4200) / 0.0547))


def test_provenance_and_income_concept_are_carried_through():
    reg = pd.DataFrame({"indicator_id": ["poor_income_per_capita"], "year": [2017],
                        "geography": [COUNTY], "breakdown": [None], "value": [4100.0],
                        "unit": ["yuan"], "is_synthetic": [True]})
    ia = pd.DataFrame({"indicator_id": ["road_km"], "year": [2016], "geography": [COUNTY],
                       "value": [10.0], "unit": ["km"], "source": ["交通局年报"],
                       "origin": ["published"], "is_synthetic": [False],
                       "source_file": ["交通.xlsx"], "source_sheet": ["交通"], "source_row": [12]})
    a = combine_actuals(reg, ia)
    assert a["origin"].tolist() == ["registry", "published"]
    assert a["provenance"].iloc[1] == "交通局年报 (交通.xlsx, sheet 交通, row 12)"
    t = pd.DataFrame([target("level", 4200, "元", 4200, "yuan", ind="poor_income_per_capita",
                             end=2017, income_concept="disposable") | {"target_id": "I"},
                      target("level", 10, "公里", 10, "km", ind="road_km", end=2016)
                      | {"target_id": "R"}])
    pt = progress_targets(t, a, [2017]).set_index("target_id")
    assert pt.loc["I", "actual_origin"] == "registry" and pt.loc["I", "actual_is_synthetic"]
    assert "人均纯收入 (net income)" in pt.loc["I", "note"]
    assert pt.loc["R", "actual_origin"] == "published"
    assert not pt.loc["R", "actual_is_synthetic"]
    assert pt.loc["R", "actual_provenance"] == "交通局年报 (交通.xlsx, sheet 交通, row 12)"


def test_actuals_may_be_shares_for_per_unit_and_yes_no_for_deadlines(tmp_path):
    from huachi_analysis.actuals.build import collect
    from huachi_analysis.plan.geography import gazetteer

    (tmp_path / "a.csv").write_text(
        "indicator_id,year,geography,value,unit,source\n"
        "poor_household_vocational_certificate,2020,华池县,92,%,人社局\n"
        "poor_village_broadband_coverage,2017,华池县,是,是/否,工信局\n"
        "poor_household_vocational_certificate,2019,华池县,1,人,人社局\n", encoding="utf-8")
    res = collect(tmp_path, plan.targets(), gazetteer())
    got = res.actuals.set_index("indicator_id")
    assert got.loc["poor_household_vocational_certificate", "unit"] == "%"
    assert got.loc["poor_village_broadband_coverage", ["value", "unit"]].tolist() == [
        1.0, "yes_no"]
    bad = res.findings[res.findings["rule"] == "unit_changed"]
    assert bad["finding_row"].tolist() == [4] and "'人'" in bad["message"].iloc[0]
