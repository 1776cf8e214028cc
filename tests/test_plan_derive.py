"""Derived facts checked against hand computation."""

from __future__ import annotations

import pandas as pd
import pytest

from huachi_analysis import metadata, plan
from huachi_analysis.plan.derive import baseline_2014, income_growth, interpolate_milestones


def _t(rows):
    """A tiny plan_targets frame from (id, indicator, start, end, value_base, cumulative)."""
    base = {"clause": "4", "domain": "income", "indicator_zh": "收入", "indicator_en": "income",
            "scope": "county", "geography": "华池县", "comparator": ">=", "unit": "元",
            "unit_base": "yuan", "direction": "higher", "year_is_inferred": False,
            "is_approximate": False, "quote": "q", "ambiguity": None}
    df = pd.DataFrame([{**base, "target_id": i, "indicator_id": ind, "period_start": s,
                        "period_end": e, "value": v, "value_base": v,
                        "target_kind": "cumulative" if c else "level"}
                       for i, ind, s, e, v, c in rows])
    return metadata.conform(df, "plan_targets")


def test_implied_rural_population_by_hand():
    d = plan.derived().set_index("derived_id")["derived_value"]
    assert d["D-2014-rural-population-via-2015"] == pytest.approx((27800 - 9897) / 0.1555)
    assert d["D-2014-rural-population-via-2015"] == pytest.approx(115131.8, abs=0.1)
    assert d["D-2014-rural-population-via-2016"] == pytest.approx((27800 - 9897 - 7400) / 0.0912)
    assert d["D-2014-rural-population-via-2017"] == pytest.approx(6303 / 0.0547)
    assert d["D-2014-poor-persons"] == 27800
    assert d["D-2014-poverty-incidence-via-2015"] == pytest.approx(100 * 27800 / 115131.83, rel=1e-6)
    assert d["D-2017-poor-remaining"] == 6303
    assert d["D-rural-population-via-2015-2016"] == pytest.approx(7400 / 0.0643)
    assert d["D-2014-poor-household-size"] == pytest.approx(27800 / 7283)
    # the three implied populations differ (the audit reports it)
    via = [d[f"D-2014-rural-population-via-{y}"] for y in (2015, 2016, 2017)]
    assert len({round(v) for v in via}) == 3


def test_income_growth_by_hand():
    d = plan.derived().set_index("derived_id")["derived_value"]
    assert d["D-growth-rural_income_per_capita-2015-2016"] == pytest.approx((6654 / 6049 - 1) * 100)
    assert d["D-growth-rural_income_per_capita-2017-2020"] == pytest.approx(
        ((11000 / 7300) ** (1 / 3) - 1) * 100)
    assert d["D-growth-poor_income_per_capita-2017-2020"] == pytest.approx(21.32, abs=0.01)


def test_interpolated_2018_2019_for_clause_4():
    d = plan.derived()
    d = d[d["derived_id"].str.startswith("D-interp-")].set_index(["indicator_id", "year"])
    v = d["derived_value"]
    assert v[("rural_income_per_capita", 2018)] == pytest.approx(7300 + 3700 / 3)
    assert v[("rural_income_per_capita", 2019)] == pytest.approx(7300 + 2 * 3700 / 3)
    assert v[("poor_income_per_capita", 2018)] == pytest.approx(5300)
    assert v[("poverty_incidence", 2019)] == pytest.approx(5.47 - 2 * 0.47 / 3)
    assert d["is_derived"].all()
    assert d["method"].str.contains("linear interpolation").all()


def test_interpolation_rule_inline():
    t = _t([("A1", "x", 2015, 2015, 100.0, False), ("A2", "x", 2015, 2017, 300.0, False),
            ("A3", "x", 2015, 2020, 600.0, False),
            # cumulative totals from different starts are not milestones of one series
            ("B1", "y", 2015, 2017, 10.0, True), ("B2", "y", 2018, 2020, 50.0, True),
            # two values for one year: skipped
            ("C1", "z", 2015, 2015, 1.0, False), ("C2", "z", 2015, 2015, 2.0, False),
            ("C3", "z", 2015, 2017, 3.0, False), ("Y1", "x", 2015, 2019, 900.0, False)])
    t.loc[t["target_id"] == "Y1", "target_kind"] = "yearly_rate"  # not a milestone of x
    out = interpolate_milestones(t)
    got = {(r.indicator_id, r.year): r.derived_value for r in out.itertuples()}
    assert got == {("x", 2016): 200.0, ("x", 2018): 400.0, ("x", 2019): 500.0}
    assert out.set_index("year").loc[2018, "inputs"] == "A2|A3"
    only = interpolate_milestones(t, years=[2019])
    assert only["year"].tolist() == [2019]
    metadata.conform(out, "plan_derived")


def test_income_growth_inline():
    t = _t([("R1", "rural_income_per_capita", 2015, 2015, 100.0, False),
            ("R2", "rural_income_per_capita", 2015, 2017, 121.0, False)])
    g = income_growth(t, series=["rural_income_per_capita"])
    assert g["derived_value"].tolist() == pytest.approx([10.0])
    assert g["derived_unit"].tolist() == ["percent_per_year"]


def test_baseline_needs_its_targets():
    from huachi_analysis.errors import HuachiError

    with pytest.raises(HuachiError, match="registered_poor_persons"):
        baseline_2014(_t([("R1", "rural_income_per_capita", 2015, 2015, 1.0, False)]))


def test_derived_table_schema_and_inputs_exist():
    d = plan.derived()
    ids = set(plan.targets()["target_id"])
    metadata.schema("plan_derived").validate(d)
    for r in d.itertuples():
        assert set(r.inputs.split("|")) <= ids, r.derived_id
