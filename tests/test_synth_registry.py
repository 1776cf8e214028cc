"""The synthetic registry: determinism, calibration to the plan, synthetic IDs, labels.

Figures are measured here from the export frames themselves (the person rows an analyst would
receive), not from the generator's own summary.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from huachi_analysis import paths, plan
from huachi_analysis import synthetic as sy
from huachi_analysis.metadata.fields_registry import CAUSES, HOUSEHOLD_TYPES
from huachi_analysis.progress.village_exits import DEFAULT_EXIT_THRESHOLD

SEED = 2015


def plan_figure(indicator_id: str, *years: int) -> dict[int, float]:
    """The plan's figures (``value_base``) of one county indicator by year (``period_end``),
    read here straight from ``plan_targets`` (not through the generator's calibration)."""
    t = plan.targets()
    rows = t[(t["indicator_id"] == indicator_id) & (t["geography"] == "华池县")]
    out = {}
    for y in years:
        hit = rows.loc[rows["period_end"] == y, "value_base"]
        assert len(hit) == 1, (indicator_id, y, hit)
        out[y] = float(hit.iloc[0])
    return out


# the plan's figures the registry is calibrated to (clauses 1, 4, 7(3), 9(3))
PLAN_HOUSEHOLDS = plan_figure("registered_poor_households", 2014)[2014]
PLAN_PERSONS = plan_figure("registered_poor_persons", 2014)[2014]
PLAN_EXITS = plan_figure("poverty_exits_persons", 2015, 2016, 2017)
PLAN_INCIDENCE = {y: v / 100 for y, v in plan_figure("poverty_incidence", 2015, 2016,
                                                        2017).items()}  # percent → fraction
PLAN_INCOME = plan_figure("poor_income_per_capita", 2015, 2016, 2017, 2020)
PLAN_DANGEROUS_HOUSES = plan_figure("dangerous_houses_renovated", 2017)[2017]
PLAN_VILLAGES = plan_figure("village_stage_coverage", 2017)[2017]  # 全县111个行政村


def parse_clause5(text: str) -> pd.DataFrame:
    """An independent reading of clause 5 (脱贫时序): township, village, exit_year."""
    body = re.search(r"5\.确定脱贫时序。(.*?)\n", text).group(1)
    rows = []
    for year, count, inner in re.findall(r"(\d{4})年(\d+)个村（(.*?)）", body):
        found = 0
        for part in inner.split("，"):
            m = re.match(r"(林镇乡|[^乡镇]+[乡镇])(.+)", part)
            township = {"五蛟乡": "五蛟镇"}.get(m.group(1), m.group(1))
            for name in m.group(2).removesuffix("村").split("、"):
                rows.append((township, name + "村", int(year)))
                found += 1
        assert found == int(count)
    return pd.DataFrame(rows, columns=["township", "village", "exit_year"])


@pytest.fixture(scope="module")
def geography():
    return sy.load_geography()


@pytest.fixture(scope="module")
def reg(geography):
    villages, townships = geography
    return sy.generate_registry(SEED, villages, townships)


def _households(df: pd.DataFrame) -> pd.DataFrame:
    """One row per household of an export frame, persons counted from member rows."""
    g = df.groupby("户编号", sort=False)
    out = g.first()
    out["persons"] = g.size()
    return out


@pytest.fixture(scope="module")
def per_household(reg):
    return {y: _households(df) for y, df in reg.exports.items()}


# --- determinism -------------------------------------------------------------------------
def test_same_seed_gives_byte_identical_frames(reg, geography):
    again = sy.generate_registry(SEED, *geography)
    assert list(again.exports) == list(reg.exports) == list(range(2014, 2021))
    for y in reg.exports:
        pd.testing.assert_frame_equal(again.exports[y], reg.exports[y], check_exact=True)
        assert (pd.util.hash_pandas_object(again.exports[y]).to_numpy()
                == pd.util.hash_pandas_object(reg.exports[y]).to_numpy()).all()
    for name in ("households", "rural_population", "village_population", "villages"):
        a, b = getattr(again, name), getattr(reg, name)
        assert a.to_csv(index=False).encode() == b.to_csv(index=False).encode(), name
    assert again.metadata == reg.metadata


def test_other_seed_gives_other_data(reg, geography):
    other = sy.generate_registry(SEED + 1, *geography, years=[2014])
    assert not other.exports[2014]["证件号码"].equals(reg.exports[2014]["证件号码"])


# --- calibration -------------------------------------------------------------------------
def test_baseline_households_and_persons_near_clause_1(reg, per_household):
    base = reg.exports[2014]
    households = base["户编号"].nunique()
    assert abs(households - PLAN_HOUSEHOLDS) <= 0.02 * PLAN_HOUSEHOLDS
    assert abs(len(base) - PLAN_PERSONS) <= 0.02 * PLAN_PERSONS
    assert (base["脱贫属性"] == "未脱贫").all()
    assert base["乡(镇)"].nunique() == len(plan.townships())
    poor_villages = set(map(tuple, parse_clause5(paths.PLAN_TEXT.read_text("utf-8"))
                            [["township", "village"]].to_numpy()))
    in_poor = base[["乡(镇)", "行政村"]].apply(tuple, axis=1).isin(poor_villages)
    assert 0.6 < in_poor.mean() < 0.8  # most, not all, poor people live in poor villages
    assert base.loc[in_poor, ["乡(镇)", "行政村"]].drop_duplicates().shape[0] == len(poor_villages)


def test_poor_villages_are_the_56_of_clause_5(reg):
    expected = parse_clause5(paths.PLAN_TEXT.read_text("utf-8"))
    got = reg.villages[reg.villages["is_poor_village"]]
    merged = expected.merge(got, on=["township", "village"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["exit_year_x"] == merged["exit_year_y"].astype(int)).all()
    assert len(reg.villages) == PLAN_VILLAGES
    assert not reg.villages.duplicated(["township", "village"]).any()


def test_exits_per_year_close_to_clause_4_but_not_equal(reg, per_household):
    for y, planned in PLAN_EXITS.items():
        h = per_household[y]
        exits = int(h.loc[(h["脱贫属性"] == "已脱贫") & (h["脱贫年度"] == y), "persons"].sum())
        assert abs(exits - planned) <= 0.15 * planned, (y, exits)
        assert exits != planned
    # 2018-2020 exit the rest: only a handful of households are still poor at the end
    last = per_household[2020]
    assert 0 < (last["脱贫属性"] != "已脱贫").sum() <= 20


def test_incidence_tracks_the_plan_with_a_consistent_rural_population(reg, per_household):
    rural = reg.rural_population.groupby("year")["rural_population"].sum()
    implied = (PLAN_PERSONS - PLAN_EXITS[2015]) / PLAN_INCIDENCE[2015]  # ≈ 115,132
    assert abs(rural[2014] - implied) <= 0.01 * implied
    assert reg.rural_population.groupby("year").size().eq(15).all()
    villages = reg.village_population.groupby(["year", "township"])["rural_population"].sum()
    township = reg.rural_population.set_index(["year", "township"])["rural_population"]
    assert (villages.sort_index() == township.sort_index()).all()
    incidence = {}
    for y, h in per_household.items():
        incidence[y] = h.loc[h["脱贫属性"] != "已脱贫", "persons"].sum() / rural[y]
    assert 0.23 < incidence[2014] < 0.255
    for y, planned in PLAN_INCIDENCE.items():
        assert abs(incidence[y] - planned) < 0.015, (y, incidence[y])
    assert all(incidence[y] > incidence[y + 1] for y in range(2014, 2020))


def test_a_few_poor_villages_miss_their_year(reg, per_household):
    vpop = reg.village_population.set_index(["year", "township", "village"])["rural_population"]
    schedule = parse_clause5(paths.PLAN_TEXT.read_text("utf-8"))
    status = []
    for t, v, planned in schedule.itertuples(index=False):
        first = None
        for y in range(2014, 2021):
            h = per_household[y]
            poor = h.loc[(h["乡(镇)"] == t) & (h["行政村"] == v) & (h["脱贫属性"] != "已脱贫"),
                         "persons"].sum()
            if poor / vpop[(y, t, v)] < DEFAULT_EXIT_THRESHOLD / 100:  # percent → fraction
                first = y
                break
        status.append("late" if first is None or first > planned
                      else "early" if first < planned else "on")
    counts = pd.Series(status).value_counts()
    assert counts.get("late", 0) >= 1
    assert counts.get("on", 0) >= 45


def test_townships_differ_in_pace(per_household):
    h = per_household[2016]
    share_exited = (h.assign(ex=h["脱贫属性"] == "已脱贫")
                    .groupby("乡(镇)").apply(lambda g: (g["ex"] * g["persons"]).sum()
                                             / g["persons"].sum()))
    assert share_exited.max() - share_exited.min() > 0.15


def test_incomes_rise_near_the_plan_with_a_spread(per_household):
    mean = {}
    for y, h in per_household.items():
        mean[y] = (h["人均纯收入"] * h["persons"]).sum() / h["persons"].sum()
        assert (h["人均纯收入"] >= 0).all()
    for y, planned in PLAN_INCOME.items():
        assert abs(mean[y] - planned) <= 0.06 * planned, (y, mean[y])
        assert round(mean[y]) != planned
    assert all(mean[y] < mean[y + 1] for y in range(2014, 2020))
    h = per_household[2016]
    assert h["人均纯收入"].std() / h["人均纯收入"].mean() > 0.2
    # exited households: mostly above the generator's 2016 line, a few below it
    line = sy.generator_poverty_lines()[2016]
    exited = h[h["脱贫属性"] == "已脱贫"]
    below = (exited["人均纯收入"] < line).sum()
    assert 0 < below < 0.05 * len(exited)
    poor = h[h["脱贫属性"] == "未脱贫"]
    assert (poor["人均纯收入"] < line).mean() > 0.9


def test_causes_and_types_in_realistic_proportions(per_household):
    h = per_household[2014]
    share = h["主要致贫原因"].value_counts(normalize=True)
    assert set(share.index) <= set(CAUSES)
    assert 0.30 <= share["因病"] <= 0.40
    assert share.index[0] == "因病" and {"缺资金", "缺技术", "缺劳力", "因学", "因残"} <= set(
        share.index)
    assert set(h["贫困户属性"]) <= set(HOUSEHOLD_TYPES)


def test_illness_households_have_an_ill_member(reg):
    df = reg.exports[2014]
    ill = df[df["主要致贫原因"] == "因病"].groupby("户编号")["健康状况"].agg(
        lambda s: s.isin(["长期慢性病", "患有大病"]).any())
    assert ill.mean() > 0.95


def test_returns_to_poverty_and_new_households(per_household):
    returned = sum((h["脱贫属性"] == "返贫").sum() for h in per_household.values())
    assert returned > 0
    assert len(per_household[2018]) > len(per_household[2015])  # newly identified households
    new_2017 = set(per_household[2017].index) - set(per_household[2016].index)
    assert new_2017 and (per_household[2017].loc[list(new_2017), "脱贫属性"] == "未脱贫").all()


def test_house_and_water_flags_decline(per_household):
    dangerous = {y: (h["危房户"] == "是").sum() for y, h in per_household.items()}
    unsafe = {y: (h["饮水安全"] == "否").sum() for y, h in per_household.items()}
    # clause 7(3): the plan's dangerous houses to rebuild by 2017
    assert abs(dangerous[2014] - PLAN_DANGEROUS_HOUSES) <= 0.1 * PLAN_DANGEROUS_HOUSES
    assert all(dangerous[y] >= dangerous[y + 1] for y in range(2014, 2020))
    assert all(unsafe[y] >= unsafe[y + 1] for y in range(2014, 2020))
    assert dangerous[2018] < 0.02 * dangerous[2014] and unsafe[2018] < 0.02 * unsafe[2014]
    # exit needs safe housing: almost every exited household lives in a safe house
    h = per_household[2016]
    ex = h[h["脱贫属性"] == "已脱贫"]
    assert (ex["危房户"] == "是").mean() < 0.02


# --- identifiers and household consistency ------------------------------------------------
@pytest.mark.parametrize(("first17", "check"), [
    ("11010519491231002", "X"),  # the example ID of GB 11643-1999
    # 9·7 + 9·9 + 1·2 + 9·1 + 8·6 + 1·9 + 1·5 + 1·2 = 219; 219 mod 11 = 10 → "10X98765432"[10]
    ("99000019800101001", "2"),
])
def test_id_check_character(first17, check):
    assert sy.id_check_character(first17) == check
    assert sy.is_valid_resident_id(first17 + check)
    assert not sy.is_valid_resident_id(first17 + ("0" if check != "0" else "1"))
    assert not sy.is_valid_resident_id(first17[:-1] + check)


def test_resident_ids_are_valid_fake_and_consistent(reg):
    df = reg.exports[2016]
    ids = df["证件号码"]
    assert ids.is_unique
    assert ids.str.startswith(sy.FAKE_REGION_CODE).all()
    assert ids.map(sy.is_valid_resident_id).all()
    born = ids.str[6:10].astype(int)
    sex_odd = ids.str[16].astype(int) % 2 == 1
    rel = df["与户主关系"]
    assert sex_odd[rel.isin(["之子", "之父", "之孙子"])].all()
    assert (~sex_odd[rel.isin(["之女", "之母", "之儿媳", "之孙女"])]).all()
    head_born = df["户编号"].map(born[rel == "户主"].set_axis(df.loc[rel == "户主", "户编号"]))
    assert (born[rel.isin(["之子", "之女"])] >= head_born[rel.isin(["之子", "之女"])] + 15).all()
    assert (born[rel.isin(["之父", "之母"])] <= head_born[rel.isin(["之父", "之母"])] - 15).all()
    assert (born[rel.isin(["之孙子", "之孙女"])] >= head_born[rel.isin(["之孙子", "之孙女"])] + 35).all()
    assert (born <= 2014).all() and (born >= 1920).all()


def test_phones_names_and_household_ids_are_synthetic_text(reg):
    df = reg.exports[2015]
    assert df["联系电话"].str.fullmatch(r"100\d{8}").all()
    assert df["户编号"].str.fullmatch(r"0\d{11}").all()
    assert (df["人编号"].str[:12] == df["户编号"]).all()
    assert df["姓名"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()


def test_household_fields_agree_within_a_household(reg):
    df = reg.exports[2017]
    cols = ["乡(镇)", "行政村", "人数", "脱贫属性", "贫困户属性", "主要致贫原因", "危房户",
            "饮水安全", "饮水困难", "人均纯收入", "联系电话", "脱贫年度"]
    assert (df.groupby("户编号")[cols].nunique(dropna=False) == 1).all().all()
    sizes = df.groupby("户编号").agg(n=("人数", "first"), rows=("人数", "size"))
    assert (sizes["n"] == sizes["rows"]).all()
    assert (df.groupby("户编号")["与户主关系"].agg(lambda s: (s == "户主").sum()) == 1).all()


def test_export_columns_are_the_standard_export(reg):
    from huachi_analysis.registry.headers import canonical_field

    assert len(sy.EXPORT_COLUMNS) == 28
    assert sy.EXPORT_COLUMNS[-2:] == ("脱贫年度", "年度")
    fields = [canonical_field(c) for c in sy.EXPORT_COLUMNS]
    assert None not in fields and len(set(fields)) == 28
    for df in reg.exports.values():
        assert tuple(df.columns) == sy.EXPORT_COLUMNS


def test_generator_poverty_lines_interpolate_between_documented_years():
    lines = sy.generator_poverty_lines()
    documented = sy.DOCUMENTED_LINES
    assert all(lines[y] == v for y, v in documented.items())
    # 2018 lies half-way (geometrically) between the documented 2016 and 2020 lines
    assert lines[2018] == round(documented[2016] * (documented[2020] / documented[2016]) ** 0.5)
    assert np.all(np.diff([lines[y] for y in range(2014, 2021)]) > 0)


def test_a_few_status_histories_contradict_themselves(per_household):
    status = pd.DataFrame({y: h["脱贫属性"] for y, h in per_household.items()})
    flips = 0
    for y in range(2015, 2020):
        flips += int(((status[y] == "已脱贫") & (status[y + 1] == "未脱贫")).sum())
    assert 1 <= flips <= 15  # 已脱贫 → 未脱贫 without 返贫: for the exit audit to find
