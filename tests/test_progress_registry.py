"""Registry indicators and the exit audit on a small hand-computed registry."""

import io

import pandas as pd
import pandas.testing as pdt
import pytest

from huachi_analysis.progress.exit_audit import exit_audit
from huachi_analysis.progress.registry_indicators import registry_indicators

HOUSEHOLDS = """year,household_key,township,village,village_is_poor,members_listed,household_size,exit_status,registry_exit_year,income_per_capita,main_cause,dangerous_house,safe_water,is_synthetic
2015,h1,白马乡,白马村,true,4,4,未脱贫,,2000,因病,true,false,true
2015,h2,白马乡,白马村,true,2,2,未脱贫,,2500,因学,false,true,true
2015,h3,乔河乡,虎洼村,true,3,3,已脱贫,2015,3000,因病,false,true,true
2015,h4,乔河乡,张湾村,false,1,1,未脱贫,,,缺水,true,true,true
2016,h1,白马乡,白马村,true,4,4,已脱贫,2016,3100,因病,false,true,true
2016,h2,白马乡,白马村,true,2,2,未脱贫,,2800,因学,false,true,true
2016,h3,乔河乡,虎洼村,true,3,3,返贫,2015,2600,因病,false,false,true
2016,h4,乔河乡,张湾村,false,1,1,已脱贫,,3500,缺水,true,true,true
"""
LINES = pd.DataFrame({"year": [2015], "poverty_line": [2855.0]})  # 2016 deliberately missing
RURAL = pd.read_csv(io.StringIO("year,township,rural_population\n2015,白马乡,100\n"
                                "2015,乔河乡,50\n2016,白马乡,100\n2016,乔河乡,50\n"))
VILLAGE = pd.read_csv(io.StringIO("year,township,village,rural_population\n"
                                  "2015,白马乡,白马村,60\n2016,白马乡,白马村,40\n"))


def households() -> pd.DataFrame:
    df = pd.read_csv(io.StringIO(HOUSEHOLDS), dtype={
        "registry_exit_year": "Int64", "members_listed": "Int64", "household_size": "Int64"})
    for c in ["village_is_poor", "dangerous_house", "safe_water", "is_synthetic"]:
        df[c] = df[c].astype("boolean")
    return df


def values(reg: pd.DataFrame, indicator: str, year: int) -> pd.Series:
    r = reg[(reg["indicator_id"] == indicator) & (reg["year"] == year) & reg["breakdown"].isna()]
    return r.set_index("geography")["value"].rename(None).rename_axis(None)


def expect(d: dict) -> pd.Series:
    return pd.Series(d, dtype="float64").sort_index()


REG = registry_indicators(households(), LINES, RURAL, VILLAGE)


def test_poor_stock_persons_and_households():
    # 2015 poor: h1 (4), h2 (2), h4 (1) → county 7 persons, 3 households;
    # 白马乡 6/2, 乔河乡 1/1 (h4 is not in a poor village, so no village row for 张湾村)
    got = values(REG, "registered_poor_persons", 2015).sort_index()
    pdt.assert_series_equal(got, expect({"华池县": 7, "白马乡": 6, "乔河乡": 1,
                                         "白马乡/白马村": 6, "乔河乡/虎洼村": 0}))
    got = values(REG, "registered_poor_households", 2016).sort_index()
    # 2016 poor: h2 (未脱贫), h3 (返贫)
    pdt.assert_series_equal(got, expect({"华池县": 2, "白马乡": 1, "乔河乡": 1,
                                         "白马乡/白马村": 1, "乔河乡/虎洼村": 1}))


def test_exits_use_exit_year_or_the_previous_status():
    # 2016: h1 exit year 2016 (4 persons); h4 exit year empty but poor in 2015 (1 person)
    got = values(REG, "poverty_exits_persons", 2016).sort_index()
    pdt.assert_series_equal(got, expect({"华池县": 5, "白马乡": 4, "乔河乡": 1,
                                         "白马乡/白马村": 4, "乔河乡/虎洼村": 0}))
    # first year: exit year only (h3, 3 persons), with a note saying so
    r = REG[(REG["indicator_id"] == "poverty_exits_persons") & (REG["year"] == 2015)
            & (REG["geography"] == "华池县")].iloc[0]
    assert r["value"] == 3 and "脱贫年度 only" in r["note"]


def test_returns_and_renovations_need_the_previous_year():
    got = values(REG, "returns_to_poverty_persons", 2016)  # h3: 已脱贫 2015 → 返贫 2016
    assert got["华池县"] == 3 and got["白马乡"] == 0
    assert values(REG, "returns_to_poverty_persons", 2015).isna().all()
    got = values(REG, "dangerous_houses_renovated", 2016)  # h1 dangerous 2015, not 2016
    assert got["华池县"] == 1 and got["乔河乡"] == 0


def test_incidence_with_rural_population():
    got = values(REG, "poverty_incidence", 2015)
    assert got["华池县"] == 100 * 7 / 150     # county denominator = sum of townships
    assert got["白马乡"] == 6.0 and got["乔河乡"] == 2.0
    assert got["白马乡/白马村"] == 10.0        # 6 / 60
    assert pd.isna(got["乔河乡/虎洼村"])      # no village population
    assert values(REG, "poverty_incidence", 2016)["白马乡/白马村"] == 5.0  # 2 / 40


def test_income_mean_median_and_share_below_line():
    # 2015 persons: 2000×4, 2500×2, 3000×3 (h4 has no income) → mean 22000/9, median = 5th
    got = values(REG, "poor_income_per_capita", 2015)
    assert got["华池县"] == 22000 / 9
    assert values(REG, "poor_income_per_capita_median", 2015)["华池县"] == 2500
    # 2016: 2600×3, 2800×2, 3100×4, 3500×1 → 10 persons, median = (2800 + 3100) / 2
    assert values(REG, "poor_income_per_capita_median", 2016)["华池县"] == 2950
    # below 2855 in 2015: h1 (4) + h2 (2) of 9 persons with income
    assert values(REG, "share_below_poverty_line", 2015)["华池县"] == 100 * 6 / 9


def test_year_without_poverty_line_is_no_data_with_a_note():
    r = REG[(REG["indicator_id"] == "share_below_poverty_line") & (REG["year"] == 2016)]
    assert r["value"].isna().all()
    assert r["note"].str.contains("no_data: no poverty line for 2016").all()


def test_cause_mix_and_housing_water():
    mix = REG[(REG["indicator_id"] == "poor_households_by_cause_share") & (REG["year"] == 2015)
              & (REG["geography"] == "华池县")].set_index("breakdown")["value"]
    assert mix.to_dict() == {"因病": 100 / 3, "因学": 100 / 3, "缺水": 100 / 3}
    assert values(REG, "dangerous_house_households", 2015)["华池县"] == 2  # h1, h4
    assert values(REG, "unsafe_water_households", 2016)["华池县"] == 1     # h3
    # poor-village persons with safe water, 2016: h1 (4) + h2 (2) of 9 → 66.7 %; 虎洼村 0 %
    cov = values(REG, "safe_water_poor_village_coverage", 2016)
    assert cov["华池县"] == 100 * 6 / 9 and cov["乔河乡/虎洼村"] == 0.0


AUDIT = """year,household_key,township,village,village_is_poor,members_listed,household_size,exit_status,registry_exit_year,income_per_capita,main_cause,dangerous_house,safe_water,is_synthetic
2015,a,白马乡,白马村,true,2,2,已脱贫,2015,2000,因病,false,true,false
2015,b,白马乡,白马村,true,2,2,未脱贫,,5000,因病,false,true,false
2015,c,白马乡,白马村,true,2,2,已脱贫,2015,4000,因病,true,false,false
2015,d,白马乡,白马村,true,2,2,未脱贫,,1000,因病,false,true,false
2016,c,白马乡,白马村,true,2,2,未脱贫,,4000,因病,false,true,false
2016,d,白马乡,白马村,true,2,2,返贫,2017,1000,因病,false,true,false
"""


def test_exit_audit_findings():
    df = pd.read_csv(io.StringIO(AUDIT), dtype={"registry_exit_year": "Int64"})
    for c in ["village_is_poor", "dangerous_house", "safe_water", "is_synthetic"]:
        df[c] = df[c].astype("boolean")
    got = exit_audit(df, pd.DataFrame({"year": [2015, 2016], "poverty_line": [2855., 2952.]}))
    found = sorted(zip(got["year"], got["household_key"], got["finding"], strict=True))
    assert found == sorted([
        (2015, "a", "exited_below_line"),        # 2000 < 2855
        (2015, "b", "above_line_not_exited"),    # 5000 > 2855
        (2015, "c", "exited_dangerous_house"),
        (2015, "c", "exited_unsafe_water"),
        (2016, "c", "above_line_not_exited"),    # 4000 > 2952
        (2016, "c", "exited_then_poor_without_return"),
        (2016, "d", "return_without_prior_exit"),
        (2016, "d", "exit_year_in_future"),      # 2017 > 2016
    ])
    assert set(got.columns) >= {"household_key", "description"}
    assert "name" not in " ".join(got.columns)


def test_income_over_the_still_poor_and_over_everyone_registered():
    # 2015 still poor: h1 (4 × 2000), h2 (2 × 2500), h4 (no income) → mean 13000/6, median
    # of [2000×4, 2500×2] = 2000; all registered adds h3 (3 × 3000): median 2500 (test above)
    assert values(REG, "still_poor_income_per_capita", 2015)["华池县"] == \
        pytest.approx(13000 / 6)
    assert values(REG, "still_poor_income_per_capita_median", 2015)["华池县"] == 2000
    # 2016 still poor: h2 (2 × 2800), h3 (3 × 2600, 返贫) → mean 2680, median 2600
    assert values(REG, "still_poor_income_per_capita", 2016)["华池县"] == pytest.approx(2680)
    assert values(REG, "still_poor_income_per_capita_median", 2016)["华池县"] == 2600
    # the plainly named copies of the all-registered figures
    for y in (2015, 2016):
        pdt.assert_series_equal(values(REG, "registered_income_per_capita_median", y),
                                values(REG, "poor_income_per_capita_median", y))
        pdt.assert_series_equal(values(REG, "registered_income_per_capita", y),
                                values(REG, "poor_income_per_capita", y))
    # 乔河乡 has no poor household in 2015 (h3 exited, h4 has no income): empty, said why
    r = REG[(REG["indicator_id"] == "still_poor_income_per_capita") & (REG["year"] == 2015)
            & (REG["geography"] == "乔河乡")]
    assert r["value"].isna().all() and r["note"].notna().all()
    note = REG[(REG["indicator_id"] == "still_poor_income_per_capita") & (REG["year"] == 2015)
               & (REG["geography"] == "华池县")]["note"].iloc[0]
    assert note == "1 poor households without income left out"


def test_returns_by_status_differ_from_returns_by_transition():
    # h5: 返贫 in 2015 and still 返贫 in 2016 → counted by status in both years, never as a
    # transition; h3 (已脱贫 2015 → 返贫 2016) is both
    extra = pd.DataFrame([
        dict(year=y, household_key="h5", township="白马乡", village="白马村", village_is_poor=True,
             members_listed=2, household_size=2, exit_status="返贫", registry_exit_year=pd.NA,
             income_per_capita=1500.0, main_cause="因病", dangerous_house=False,
             safe_water=True, is_synthetic=True) for y in (2015, 2016)])
    h = pd.concat([households(), extra], ignore_index=True)
    for c in ["village_is_poor", "dangerous_house", "safe_water", "is_synthetic"]:
        h[c] = h[c].astype("boolean")
    reg = registry_indicators(h, LINES, RURAL, VILLAGE)
    assert values(reg, "returned_status_households", 2015)["华池县"] == 1
    assert values(reg, "returned_status_households", 2016)["华池县"] == 2
    assert values(reg, "returned_status_persons", 2016)["华池县"] == 5
    assert values(reg, "returns_to_poverty_households", 2016)["华池县"] == 1
    assert values(reg, "returns_to_poverty_persons", 2016)["华池县"] == 3


def test_every_defined_indicator_is_computed():
    from huachi_analysis.progress.indicator_definitions import INDICATORS

    village_counts = {"poor_villages_exited", "registered_poor_villages"}  # village_exits
    assert set(REG["indicator_id"]) == set(INDICATORS) - village_counts


def test_newly_registered_poor_are_poor_households_absent_the_year_before():
    h = households()
    poor = h["exit_status"].isin(["未脱贫", "返贫"])
    before = set(h.loc[h["year"] == 2015, "household_key"])
    new = h[(h["year"] == 2016) & poor & ~h["household_key"].isin(before)]
    w = new["members_listed"].fillna(new["household_size"])
    assert values(REG, "new_poor_households", 2016)["华池县"] == len(new)
    assert values(REG, "new_poor_persons", 2016)["华池县"] == float(w.sum())
    # the first registry year has nothing to compare with: empty, said why
    first = REG[(REG["indicator_id"] == "new_poor_persons") & (REG["year"] == 2015)]
    assert first["value"].isna().all() and first["note"].str.contains("previous year").all()
    # a household poor in 2016 only is new; the same one in 2015 too is not
    extra = pd.DataFrame([dict(year=2016, household_key="h9", township="白马乡", village="白马村",
                               village_is_poor=True, members_listed=4, household_size=4,
                               exit_status="未脱贫", registry_exit_year=pd.NA,
                               income_per_capita=1500.0, main_cause="因病",
                               dangerous_house=False, safe_water=True, is_synthetic=True)])
    h2 = pd.concat([h, extra], ignore_index=True)
    for c in ["village_is_poor", "dangerous_house", "safe_water", "is_synthetic"]:
        h2[c] = h2[c].astype("boolean")
    reg = registry_indicators(h2, LINES, RURAL, VILLAGE)
    assert values(reg, "new_poor_persons", 2016)["华池县"] == float(w.sum()) + 4
