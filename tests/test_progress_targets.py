"""Targets against actuals, township shares, trajectories, village exits, parameters, build."""

import io

import pandas as pd
import pandas.testing as pdt
import pytest

from huachi_analysis.errors import ParameterError
from huachi_analysis.progress.compute import report_years
from huachi_analysis.progress.targets import progress_targets, unit_factor
from huachi_analysis.progress.trajectory import interpolated, progress_trajectory
from huachi_analysis.progress.village_exits import schedule_status, village_counts, village_exits

TARGETS = """target_id,indicator_id,geography,period_start,period_end,target_kind,comparator,value,unit,value_base,unit_base,direction
T-04-01,poverty_exits_persons,华池县,2015,2015,flow,=,9897,人,9897,people,higher
T-04-02,poverty_incidence,华池县,2015,2015,level,<,15.55,%,15.55,percent,lower
T-04-05,poverty_incidence,华池县,2016,2016,level,<,9.12,%,9.12,percent,lower
T-04-09,poor_income_per_capita,华池县,2015,2020,level,>=,7500,元,7500,yuan,higher
T-07.3-01,dangerous_houses_renovated,华池县,2015,2017,cumulative,=,3950,户,3950,households,higher
T-09-01,road_km,华池县,2015,2017,cumulative,=,2.7,万公里,27000,km,higher
T-09-02,full_coverage,华池县,2015,2017,deadline,,,是/否,,yes_no,higher
"""
ACTUALS = """indicator_id,year,geography,value,unit,source
poverty_exits_persons,2015,华池县,9000,people,registry
poverty_exits_persons,2015,白马乡,6000,people,registry
poverty_exits_persons,2015,乔河乡,3000,people,registry
poverty_incidence,2014,华池县,20,percent,registry
poverty_incidence,2015,华池县,15,percent,registry
poverty_incidence,2016,华池县,10,percent,registry
poor_income_per_capita,2014,华池县,2500,yuan,registry
poor_income_per_capita,2016,华池县,3500,yuan,registry
dangerous_houses_renovated,2015,华池县,1000,households,registry
dangerous_houses_renovated,2016,华池县,1500,households,registry
road_km,2015,华池县,0.5,万公里,统计局
road_km,2016,华池县,0.2,万公里,统计局
"""
TRAJ_HEADER = ("target_id,indicator_id,geography,period_start,period_end,target_kind,comparator,"
               "value,unit,value_base,unit_base,direction\n")


def targets() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(TARGETS))


def actuals() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(ACTUALS))


def row(df, target_id, year, geography="华池县"):
    r = df[(df["target_id"] == target_id) & (df["year"] == year) & (df["geography"] == geography)]
    assert len(r) == 1
    return r.iloc[0]


PT = progress_targets(targets(), actuals(), [2015, 2016])


def test_single_year_flow_missed_with_township_shares():
    r = row(PT, "T-04-01", 2015)
    assert (r["actual"], r["target"], r["gap"], r["status"]) == (9000, 9897, 897, "missed")
    assert r["pct_achieved"] == pytest.approx(100 * 9000 / 9897)  # 完成度 = actual ÷ target
    # the plan gives only a county total: townships get actuals and shares, no target
    got = PT[(PT["target_id"] == "T-04-01") & (PT["geography"] != "华池县")]
    assert got["target"].isna().all() and got["status"].isna().all()
    assert got.set_index("geography")["share_of_county"].to_dict() == {
        "乔河乡": pytest.approx(100 / 3), "白马乡": pytest.approx(200 / 3)}
    assert got["note"].str.contains("no township target").all()
    # and say where their figure came from, as county rows do (a briefing marks its kind)
    assert got["actual_origin"].notna().all() and got["actual_is_synthetic"].notna().all()


def test_lower_is_better_has_no_pct_but_a_gap_in_points():
    r = row(PT, "T-04-02", 2015)            # 15 < 15.55
    assert r["status"] == "achieved" and r["gap"] == pytest.approx(-0.55)
    assert pd.isna(r["pct_achieved"])       # no 完成度 for a lower-is-better target
    assert row(PT, "T-04-05", 2015)["status"] == "not_due"
    r = row(PT, "T-04-05", 2016)            # 10 is not < 9.12
    assert r["status"] == "missed" and r["gap"] == pytest.approx(0.88) and pd.isna(r["pct_achieved"])


def test_level_in_progress_uses_the_ratio_and_pct_is_actual_over_target():
    # income 2014 baseline 2500, 2016 actual 3500, 7500 by 2020 (no interim milestone):
    # observed 1000 of required (5000 × 2/6) → ratio 0.6 → at_risk; 完成度 3500 ÷ 7500
    r = row(PT, "T-04-09", 2016)
    assert r["status"] == "at_risk" and r["progress_ratio"] == pytest.approx(0.6)
    assert r["pct_achieved"] == pytest.approx(100 * 3500 / 7500)
    assert row(PT, "T-04-09", 2015)["status"] == "no_data"  # no 2015 actual


def test_cumulative_sums_yearly_actuals():
    # 1000 + 1500 = 2500 of 3950 by 2017; required by 2016 = 2/3 → ratio 0.949 → at_risk
    r = row(PT, "T-07.3-01", 2016)
    assert r["actual"] == 2500 and r["status"] == "at_risk"
    assert r["pct_achieved"] == pytest.approx(100 * 2500 / 3950)
    assert r["progress_ratio"] == pytest.approx((2500 / 3950) / (2 / 3))
    # 2015: 1000 / (3950 / 3) = 0.759 → at_risk
    assert row(PT, "T-07.3-01", 2015)["status"] == "at_risk"


def test_unit_conversion_and_deadline_rows():
    # 0.5 + 0.2 万公里 = 7000 km of 27000 by 2017; 2/3 required → ratio 0.389 → off_track
    r = row(PT, "T-09-01", 2016)
    assert r["actual"] == pytest.approx(7000) and r["status"] == "off_track"
    assert unit_factor("people", "people", "万人", 2.78, 27800) == 1.0
    assert unit_factor("万人", "people", "万人", 2.78, 27800) == pytest.approx(10000)
    assert unit_factor("亩", "people", "万人", 2.78, 27800) is None
    d = row(PT, "T-09-02", 2016)
    assert d["status"] == "no_data" and pd.isna(d["pct_achieved"])


def test_provenance_defaults_for_the_six_column_table():
    r = row(PT, "T-09-01", 2016)
    assert r["actual_origin"] == "department" and r["actual_provenance"] == "统计局"
    assert bool(r["actual_is_synthetic"]) is False


def test_interpolation_rule_is_the_plan_datasets():
    # trajectories use huachi_analysis.plan.interpolate_milestones: 4200 (2017) → 7500 (2020)
    m = pd.read_csv(io.StringIO(
        TRAJ_HEADER
        + "A,poor_income_per_capita,华池县,2017,2017,level,>=,4200,元,4200,yuan,higher\n"
        "B,poor_income_per_capita,华池县,2020,2020,level,>=,7500,元,7500,yuan,higher\n"))
    assert interpolated(m, list(range(2015, 2021)), "yuan") == {2018: 5300.0, 2019: 6400.0}
    assert interpolated(m, list(range(2015, 2021)), "km") == {}  # other unit: not this series


def test_trajectory_stated_interpolated_and_statuses():
    t = pd.read_csv(io.StringIO(
        TRAJ_HEADER
        + "A,poor_income_per_capita,华池县,2017,2017,level,>=,4200,元,4200,yuan,higher\n"
        "B,poor_income_per_capita,华池县,2015,2020,level,>=,7500,元,7500,yuan,higher\n"))
    a = pd.read_csv(io.StringIO(
        "indicator_id,year,geography,value,unit,source\n"
        "poor_income_per_capita,2014,华池县,3000,yuan,r\n"
        "poor_income_per_capita,2017,华池县,4300,yuan,r\n"
        "poor_income_per_capita,2018,华池县,4500,yuan,r\n"))
    got = progress_trajectory(t, a, as_of=2018)
    assert set(got["series"]) == {"milestones"}
    got = got[got["year"].between(2017, 2020)].set_index("year")
    pdt.assert_series_equal(got["planned"], pd.Series(
        [4200.0, 5300.0, 6400.0, 7500.0], index=pd.Index([2017, 2018, 2019, 2020], name="year"),
        dtype="Float64", name="planned"))
    assert got["planned_is_derived"].tolist() == [False, True, True, False]
    # 2017 met; 2018 interpolated: progress from the 2017 milestone,
    # (4500 − 4200) / (5300 − 4200) = 0.27 → off_track
    assert got["status"].tolist() == ["achieved", "off_track", "not_due", "not_due"]


VILLAGES = pd.DataFrame({"township": ["白马乡", "白马乡", "乔河乡", "乔河乡"],
                         "village": ["白马村", "王沟门村", "虎洼村", "张岔村"],
                         "is_poor_village": [True, True, True, True],
                         "exit_year": [2015, 2016, 2016, 2017]})
INC = """indicator_id,year,level,geography,value
poverty_incidence,2015,village,白马乡/白马村,2.5
poverty_incidence,2016,village,白马乡/白马村,3.5
poverty_incidence,2015,village,白马乡/王沟门村,8.0
poverty_incidence,2016,village,白马乡/王沟门村,4.0
poverty_incidence,2015,village,乔河乡/虎洼村,2.0
poverty_incidence,2016,village,乔河乡/虎洼村,1.0
"""


def test_village_exits_against_schedule():
    reg = pd.read_csv(io.StringIO(INC))
    got = village_exits(reg, VILLAGES, [2015, 2016]).set_index(["year", "village"])
    assert got.loc[(2015, "白马村"), "schedule_status"] == "on_schedule"
    assert bool(got.loc[(2016, "白马村"), "relapsed"]) is True      # 3.5 ≥ 3 after exit
    assert got.loc[(2015, "王沟门村"), "schedule_status"] == "not_yet"
    assert got.loc[(2016, "王沟门村"), "schedule_status"] == "late"  # 4.0, due 2016
    assert got.loc[(2015, "虎洼村"), "schedule_status"] == "early"
    assert got.loc[(2016, "张岔村"), "schedule_status"] == "no_data"
    counts = village_counts(village_exits(reg, VILLAGES, [2015, 2016]), [2015, 2016])
    c = counts[counts["geography"] == "华池县"].set_index(["indicator_id", "year"])["value"]
    assert c[("poor_villages_exited", 2015)] == 2 and c[("registered_poor_villages", 2016)] == 2
    with pytest.raises(ParameterError):
        village_exits(reg, VILLAGES, [2015], threshold=0)


@pytest.mark.parametrize("sched,actual,as_of,data,expected", [
    (2016, 2015, 2016, True, "early"), (2016, 2016, 2016, True, "on_schedule"),
    (2016, 2017, 2017, True, "late"), (2016, None, 2016, True, "late"),
    (2017, None, 2016, True, "not_yet"), (2017, None, 2016, False, "no_data"),
])
def test_schedule_status(sched, actual, as_of, data, expected):
    assert schedule_status(sched, actual, as_of, data) == expected


def test_unknown_year_names_allowed_years():
    assert report_years([2014, 2015, 2016]) == [2015, 2016]
    with pytest.raises(ParameterError, match="2014, 2015, 2016"):
        report_years([2014, 2015, 2016], 2030)
