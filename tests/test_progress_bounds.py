"""完成度 and the progress ratio are bounded and mean what a reader takes them to mean.

Property tests (hypothesis) over every numeric kind; the plan with the bundled actuals; and the
"done when" of issue 11 with a rural-income series. That series is a TEST FIXTURE shaped like
the county's published figures (real ones come from data/raw/actuals/public_statistics.csv),
not a sourced statistic.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huachi_analysis import plan
from huachi_analysis.metadata.fields_progress import STATUSES
from huachi_analysis.plan.geography import gazetteer
from huachi_analysis.progress.evaluate import evaluate
from huachi_analysis.progress.registry_indicators import INDICATORS
from huachi_analysis.progress.series import actual_series
from huachi_analysis.progress.status import (
    PCT_MAX,
    RATIO_MAX,
    RATIO_MIN,
    bounded_ratio,
    pct_achieved,
)
from huachi_analysis.progress.targets import combine_actuals, progress_targets
from huachi_analysis.progress.trajectory import progress_trajectory
from huachi_analysis.synthetic.departments import as_actuals, generate_returns

COUNTY = "华池县"
EMPTY_REGISTRY = pd.DataFrame({"indicator_id": [], "year": [], "geography": [], "breakdown": [],
                               "value": [], "unit": [], "is_synthetic": []})
finite = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False)


@given(finite, finite, st.sampled_from(["higher", "lower"]))
def test_pct_is_bounded_and_only_for_higher_is_better(actual, target, direction):
    p = pct_achieved(actual, target, direction)
    if direction == "lower" or target <= 0 or actual < 0:
        assert p is None
    else:
        assert 0 <= p <= PCT_MAX


@given(st.one_of(st.none(), finite))
def test_ratio_is_bounded(r):
    b = bounded_ratio(r)
    assert b is None if r is None else RATIO_MIN <= b <= RATIO_MAX


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["level", "flow", "cumulative", "yearly_rate", "standing_rule",
                             "per_unit"]),
       value=st.floats(min_value=0.01, max_value=1e6),
       direction=st.sampled_from(["higher", "lower"]),
       start=st.integers(2015, 2018), span=st.integers(0, 4),
       points=st.dictionaries(st.integers(2013, 2021), finite, max_size=8),
       as_of=st.integers(2015, 2021))
def test_every_evaluation_is_bounded_and_never_missed_for_a_gap(kind, value, direction, start,
                                                                span, points, as_of):
    end = start if kind == "flow" else start + span
    unit = "percent" if kind == "per_unit" else "u"
    t = {"target_id": "T", "indicator_id": "x", "geography": COUNTY, "target_kind": kind,
         "period_start": start, "period_end": end, "comparator": ">=" if direction == "higher"
         else "<=", "value": value, "unit": "u", "value_base": value, "unit_base": "u",
         "direction": direction, "per_unit": "household" if kind == "per_unit" else None}
    df = pd.DataFrame({"indicator_id": "x", "year": list(points), "geography": COUNTY,
                       "value": list(points.values()), "unit": unit, "source": "s"})
    s = actual_series(df).get(("x", COUNTY)) if points else None
    r = evaluate(t, s, as_of)
    assert r["status"] in STATUSES
    assert r["pct_achieved"] is None or 0 <= r["pct_achieved"] <= PCT_MAX
    assert r["progress_ratio"] is None or RATIO_MIN <= r["progress_ratio"] <= RATIO_MAX
    if r["years_missing"] and kind == "cumulative":
        assert r["status"] in ("incomplete", "achieved")
        assert r["status"] == "achieved" or r["pct_achieved"] is None


def test_the_plan_with_the_bundled_actuals():
    t = plan.targets()
    returns = generate_returns(t, 2015, measured=INDICATORS, townships=list(
        gazetteer().townships))  # the synthetic department returns of `make data`
    csv = as_actuals(returns)
    pt = progress_targets(t, combine_actuals(EMPTY_REGISTRY, csv), list(range(2015, 2021)))
    pct = pt["pct_achieved"].dropna()
    assert len(pct) and pct.between(0, 1000).all()
    assert pt["progress_ratio"].dropna().between(RATIO_MIN, RATIO_MAX).all()
    county = pt[pt["geography"] == COUNTY]
    # every ≥/= target with a number that is met or missed shows actual ÷ target
    kinds = t.set_index("target_id")["target_kind"]
    direction = t.set_index("target_id")["direction"]
    decided = county[county["status"].isin(["achieved", "missed"])
                     & county["target_id"].map(direction).eq("higher")
                     & ~county["target_id"].map(kinds).isin(["deadline", "baseline"])]
    assert len(decided)
    assert (decided["pct_achieved"] - 100 * decided["actual"] / decided["target"]).abs().max() \
        < 1e-9
    assert (county.loc[county["target_id"].map(kinds) == "baseline", "status"]
            == "baseline").all()
    assert county["actual_is_synthetic"].dropna().all()


# TEST FIXTURE: a rural disposable-income series shaped like the county's published figures
# (yuan per capita); not a sourced statistic.
INCOME_FIXTURE = """indicator_id,year,geography,value,unit,source
rural_income_per_capita,2014,华池县,5530,元,TEST FIXTURE
rural_income_per_capita,2015,华池县,6105,元,TEST FIXTURE
rural_income_per_capita,2016,华池县,6690,元,TEST FIXTURE
rural_income_per_capita,2017,华池县,7340,元,TEST FIXTURE
rural_income_per_capita,2018,华池县,8521,元,TEST FIXTURE
rural_income_per_capita,2019,华池县,9312,元,TEST FIXTURE
rural_income_per_capita,2020,华池县,10120,元,TEST FIXTURE
"""


def test_done_when_a_real_shaped_income_series_is_measured():
    t = plan.targets()
    income = t[t["indicator_id"] == "rural_income_per_capita"]
    a = combine_actuals(EMPTY_REGISTRY, pd.read_csv(io.StringIO(INCOME_FIXTURE)))
    pt = progress_targets(income, a, list(range(2015, 2021))).set_index(["target_id", "year"])
    # milestones met are achieved, with 完成度 = actual ÷ target (no −1,127 % or 774.8 %)
    for tid, year, actual, goal in (("T-04-03", 2015, 6105, 6049), ("T-04-07", 2016, 6690, 6654),
                                    ("T-04-11", 2017, 7340, 7300)):
        r = pt.loc[(tid, year)]
        assert r["status"] == "achieved"
        assert r["pct_achieved"] == pytest.approx(100 * actual / goal)
    # 2018, between the 2017 milestone and 2020: 8521 against the plan's 8533 → on track
    r = pt.loc[("T-04-13", 2018)]
    assert r["status"] == "on_track"
    assert r["progress_ratio"] == pytest.approx((8521 - 7300) / (11000 / 3 + 7300 * 2 / 3 - 7300))
    # the final target missed: 完成度 = 10120 ÷ 11000 = 92 %
    r = pt.loc[("T-04-13", 2020)]
    assert r["status"] == "missed" and r["pct_achieved"] == pytest.approx(92.0)
    assert r["actual_origin"] == "department" and r["actual_provenance"] == "TEST FIXTURE"
    # the trajectory has a status for every year with both numbers
    tr = progress_trajectory(income, a, 2020).set_index("year")
    assert tr.loc[2018, "planned"] == pytest.approx(8533.333, abs=0.01)
    assert tr.loc[2018, "status"] == "on_track"
    assert tr.loc[2015:2017, "status"].tolist() == ["achieved"] * 3
    assert tr.loc[2020, "status"] == "missed"
    assert tr["status"].ne("no_data").all()
