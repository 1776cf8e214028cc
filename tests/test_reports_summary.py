"""Page 1 of the briefings (issue 12): sentences whose numbers are recomputed here from the
tables, targets in progress by concern, the kind of each figure, reasons for gaps, township
briefings about the township, and the SYNTHETIC banner whenever any figure shown is generated.
Built on the fixture tables, no notebook is run (fast)."""

from __future__ import annotations

import html as _html
import re

import pandas as pd
import pytest

from huachi_analysis.reports import origins as O
from huachi_analysis.reports import summary as S
from huachi_analysis.reports import target_rows as R
from huachi_analysis.reports.briefing import CountyBriefing, TownshipBriefing
from huachi_analysis.reports.data import load
from huachi_analysis.reports.labels import LANGS, Labels, catalogue
from test_reports_fixture import COUNTY, build_fixture

NEGATIVE_PCT = re.compile(r"[-−–]\s?\d[\d,.]*\s?%")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
CJK = re.compile(r"[\u4e00-\u9fff]")
DIGITS = re.compile(r"\d")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load(build_fixture(tmp_path_factory.mktemp("summary")))


def _value(df: pd.DataFrame, **where) -> float:
    for k, v in where.items():
        df = df[df[k] == v]
    df = df[df["breakdown"].isna()] if "breakdown" in df else df
    assert len(df) == 1, where
    return float(df["value"].iloc[0])


def _text(section) -> str:
    raw = re.sub(r'src="data:[^"]+"', "", section._repr_html_())
    return _html.unescape(re.sub(r"<[^>]+>", " ", raw))


# ---- the numbers page 1 quotes ---------------------------------------------------------------
def test_county_summary_quotes_the_tables_numbers(data):
    b = CountyBriefing(2016, "zh", data=data)
    L = Labels("zh")
    reg = data["progress_registry"]
    persons = _value(reg, indicator_id="registered_poor_persons", year=2016, geography=COUNTY)
    base = _value(reg, indicator_id="registered_poor_persons", year=2015, geography=COUNTY)
    exits = _value(reg, indicator_id="poverty_exits_persons", year=2016, geography=COUNTY)
    households = _value(reg, indicator_id="registered_poor_households", year=2016,
                        geography=COUNTY)
    s = b.summary()
    messages = s.blocks[1].items  # the key messages, after the key figures
    text = " ".join(messages)
    assert f"{exits:,.0f}人" in messages[0] and "2016年" in messages[0]
    assert f"{persons:,.0f}人" in text and f"{households:,.0f}户" in text
    assert f"减少{(1 - persons / base) * 100:.1f}%" in text
    # poor income: actual ÷ target of the row the headline table shows
    pt = data["progress_targets"]
    inc = pt[(pt["target_id"] == "T-4-02") & (pt["year"] == 2016)].iloc[0]
    assert f"{float(inc['actual']):,.0f}元" in text and f"{float(inc['pct_achieved']):.1f}%" in text
    # villages as of 2016, from village_exits
    v = data["village_exits"][data["village_exits"]["year"] == 2016]
    assert (f"全县{len(v)}个贫困村中已退出{int(v['exited'].sum())}个"
            f"（规划应退出{int((v['exit_year'] <= 2016).sum())}个）") in text
    # targets by status: due by 2016 and not yet due, counted from the tables
    county_pt = pt[(pt["year"] == 2016) & (pt["geography"] == COUNTY)]
    t = data["plan_targets"].merge(county_pt[["target_id", "status"]], on="target_id")
    due = t[t["period_end"] <= 2016]
    assert f"到期的{len(due)}项目标中" in text
    assert f"{int((due['status'] == 'missed').sum())}项{L.status('missed')}" in text
    # at least three sentences quoting figures; the key figures row
    assert sum(bool(DIGITS.search(m)) for m in messages) >= 3 and 4 <= len(messages) <= 6
    kf = s.blocks[0].items
    assert (f"{persons:,.0f}人" == kf[0][1]) and (f"{exits:,.0f}人" == kf[1][1])


def test_facts_are_recomputed_from_the_tables(data):
    b = CountyBriefing(2016, "zh", data=data)
    f = b._facts
    pt = data["progress_targets"]
    county = pt[(pt["year"] == 2016) & (pt["geography"] == COUNTY)]
    assert f["origins"]["measured"] == int(county["actual"].notna().sum())
    assert f["origins"]["by_origin"] == county["actual_origin"].dropna().value_counts().to_dict()
    assert f["origins"]["synthetic"] == int(county["actual_is_synthetic"].fillna(False).sum())
    # the 2015 kindergartens row has no baseline: counted with its reason
    f15 = CountyBriefing(2015, "zh", data=data)._facts
    assert f15["gaps"]["no_baseline"]["targets"] == ["T-9-01"]


def test_concerns_name_what_is_late_and_where(data):
    b = CountyBriefing(2016, "zh", data=data)
    concerns = b.summary().sections[0].texts
    text = " ".join(concerns)
    assert "到期未完成（1项）：建制村通畅工程（250公里，目标≥270公里）" in text
    assert "未到期但进度落后（1项）：贫困村幼儿园" in text
    late = data["village_exits"]
    late = late[(late["year"] == 2016) & (late["schedule_status"] == "late")]
    for t, v in zip(late["township"], late["village"], strict=True):
        assert f"{t}{v}" in text
    assert "悦乐镇（10.50%）" in text  # incidence above the county's


# ---- wording rules -----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_no_negative_percentage_and_no_code_on_any_page(data, lang):
    places = set(data["plan_villages"]["village"].astype(str)) | set(data.townships)
    for b in (CountyBriefing(2016, lang, data=data), TownshipBriefing("柔远镇", 2016, lang, data=data),
              CountyBriefing(2015, lang, data=data)):
        for s in b.sections():
            text = _text(s)
            assert not NEGATIVE_PCT.search(text), (s.key, NEGATIVE_PCT.search(text))
            if s.key in ("summary", "in_progress", "plan_items", "township_figures"):
                assert not SNAKE.findall(text), (s.key, SNAKE.findall(text))
                if lang == "en":
                    words = {w for w in CJK.findall(text)}
                    assert not words or "".join(re.findall(r"[\u4e00-\u9fff]+", text)) in \
                        "".join(places) * 3, (s.key, text)


def test_a_change_is_written_in_words_never_as_a_negative_percentage():
    zh = Labels("zh")
    assert S.change_text(zh, -12.34) == "减少12.3%" and S.change_text(zh, 4.5) == "增加4.5%"
    assert S.change_text(zh, 0.01) == "持平" and S.change_text(zh, None) == "—"
    assert S.pct_text(-3.25) == "3.2" or S.pct_text(-3.25) == "3.3"


def test_every_reason_and_origin_has_both_languages():
    codes = {code for _, code, _ in O._REASONS} | {"years_missing", "not_reported", "other"}
    for code in codes:
        for lang in LANGS:
            assert f"reason_{code}" in catalogue() and catalogue()[f"reason_{code}"][lang]
    for o in O.ORIGINS:
        assert f"origin_{o}" in catalogue()


def test_the_replaced_marks_are_the_engines_own():
    from huachi_analysis.actuals.precedence import SUPERSEDES_SYNTHETIC
    from huachi_analysis.progress.targets import REAL_OVER_SYNTHETIC_REGISTRY

    for text in (SUPERSEDES_SYNTHETIC, REAL_OVER_SYNTHETIC_REGISTRY):
        assert text.strip(" ()") in O.REPLACED_MARKS


@pytest.mark.parametrize(("row", "zh"), [
    ({"actual_origin": "published", "actual_is_synthetic": False,
      "actual_provenance": "统计公报 (real figure; a synthetic one for the same year set aside)"},
     "公开统计（真实数据，替换合成数据）"),
    ({"actual_origin": "department", "actual_is_synthetic": True, "actual_provenance": "x"},
     "部门填报（合成）"),
    ({"actual_origin": "registry", "actual_is_synthetic": False, "actual_provenance": None},
     "建档立卡"),
    ({"actual_origin": None, "status": "incomplete", "years_missing": "2016|2018"},
     "2016、2018年未报送，累计数未知"),
    ({"actual_origin": None, "status": "no_data",
      "note": "no_data: no poverty line for 2018"}, "2018年没有贫困线数据"),
    ({"actual_origin": None, "status": "no_data",
      "note": "not reported (是/否) by 2017; actual unit % not comparable with yes_no"},
     "报送单位与目标单位不一致，无法对照"),
])
def test_each_figure_says_its_kind_or_why_there_is_none(data, row, zh):
    b = CountyBriefing(2016, "zh", data=data)
    assert b.figure_note(row) == zh
    en = CountyBriefing(2016, "en", data=data).figure_note(row)
    assert en and not CJK.search(en)


# ---- in progress ---------------------------------------------------------------------------------
def test_targets_in_progress_are_listed_with_status_by_concern(data):
    b = CountyBriefing(2016, "zh", data=data)
    s = b.in_progress()
    frame = s.frame
    assert frame["指标"].tolist() == ["贫困村幼儿园", "贫困户人均纯收入"]  # off track before at risk
    assert frame["状态"].tolist() == ["进度落后", "有风险"]
    assert frame["数据来源/说明"].tolist() == ["部门填报（合成）", "建档立卡（合成）"]
    assert "in_progress" in b.SECTIONS and b.SECTIONS.index("in_progress") < b.SECTIONS.index(
        "trajectories")
    # the legend shows the statuses of these rows too, and only the statuses shown
    legend = set(re.findall(r'data-status="(\w+)"', b.header()._repr_html_()))
    assert {"off_track", "at_risk"} <= legend and "not_due" not in legend


def test_by_concern_orders_status_then_ratio():
    rows = pd.DataFrame({"status": ["on_track", "at_risk", "off_track", "at_risk", "missed"],
                         "progress_ratio": [1.1, 0.9, 0.2, 0.6, None],
                         "pct_achieved": [50, 70, 10, 40, 90], "id": list("abcde")})
    assert R.by_concern(rows)["id"].tolist() == ["e", "c", "d", "b", "a"]


def test_sector_table_lists_only_what_is_not_achieved(data):
    s = CountyBriefing(2016, "zh", data=data).sectors()
    assert s.frame["状态"].tolist() == ["到期未完成"]
    assert len(s.frames[-1]) >= len(s.frame)  # every due target kept for exploring


# ---- township briefings about the township -----------------------------------------------------
def test_township_targets_one_row_each_never_another_townships():
    targets = pd.DataFrame({
        "target_id": ["T-1", "T-2", "T-3", "T-4", "T-5"],
        "geography": ["南梁镇", "山庄乡", "林镇乡", COUNTY, "南梁镇/荔园堡村"],
        "clause": ["9(3)"] * 3 + ["7(5)", "7(2)"],
        "quote": ["南梁、山庄、林镇乡镇综合文化剧院"] * 3 + ["完成南梁等5个乡镇", "荔园堡村集中供水"],
        "indicator_zh": ["剧院"] * 3 + ["覆盖", "供水"], "target_kind": ["deadline"] * 5,
        "period_end": [2017] * 5})
    villages = pd.DataFrame({"township": ["南梁镇"], "village": ["荔园堡村"]})
    progress = pd.DataFrame({"target_id": ["T-1", "T-4", "T-2"], "year": [2017] * 3,
                             "geography": ["南梁镇", COUNTY, "山庄乡"],
                             "status": ["achieved", "missed", "missed"]})
    got = R.township_targets(targets, villages, progress, "南梁镇", ["南梁镇", "南梁"], 2017)
    # own targets (by clause: 7(2) before 9(3)), then the county's naming it; never 山庄乡's
    assert got["target_id"].tolist() == ["T-5", "T-1", "T-4"]
    assert got["status"].tolist() == ["no_data", "achieved", "missed"]
    assert R.clause_key("11") > R.clause_key("9(3)") > R.clause_key("7(2)")
    assert got["scope_row"].tolist() == ["own", "own", "county"]


def test_township_briefing_shows_its_own_figures_quality_and_reasons(data):
    b = TownshipBriefing("柔远镇", 2016, "zh", data=data)
    figures = b.township_figures()
    assert figures.frame["柔远镇"].tolist() == ["150公里"]
    assert figures.frame["占全县（%）"].tolist() == [60.0]
    assert "部门填报（合成）" in " ".join(figures.texts)
    items = b.plan_items()
    assert items.frame["数据来源/说明"].tolist() == ["部门未报送任何年份的数据"]
    q = b.quality()
    # the fixture's ingest findings name no township: said plainly, not shown as the township's
    assert any("没有记录乡镇" in t for t in q.texts)
    assert q.sections[0].frame is None


def test_ingest_findings_are_placed_in_the_township_they_name():
    f = pd.DataFrame({"message": ["行政村 … (柔远镇; 228 row(s) in this file)",
                                  "行政村 … (悦乐镇; 3 row(s))", "checksum", None]})
    got = S.finding_townships(f, ["柔远镇", "悦乐镇"]).tolist()
    assert got[:2] == ["柔远镇", "悦乐镇"] and pd.isna(got[2]) and pd.isna(got[3])


# ---- SYNTHETIC on every page when any figure shown is generated ---------------------------------
def test_synthetic_department_returns_beside_a_real_registry_carry_the_banner(tmp_path):
    data = load(build_fixture(tmp_path, synthetic=False))
    assert not data.is_synthetic  # the registry is real
    b = CountyBriefing(2016, "zh", data=data)
    assert b.is_synthetic  # … but department returns shown are synthetic
    assert 'data-synthetic="true"' in b.header()._repr_html_()
    assert "SYNTHETIC" in b.synthetic_text()
    pt = data["progress_targets"].copy()
    pt["actual_is_synthetic"] = pt["actual_is_synthetic"].astype("boolean") & False
    data.tables["progress_targets"] = pt
    real = CountyBriefing(2016, "zh", data=data)
    assert not real.is_synthetic and 'data-synthetic' not in real.header()._repr_html_()



def test_a_year_without_incidence_never_shows_an_earlier_years_figure():
    """No rural population for the year (no incidence row in the registry table): page 1 says
    so in words and the key figure reads 无数据, instead of the incidence target's last figure
    (on the default data, whose plan has the incidence targets)."""
    import dataclasses

    from huachi_analysis import paths

    d = paths.PROCESSED
    if not (d / "progress_targets.parquet").exists():
        pytest.skip("data/processed is not built here (run `make build`)")
    data = load(d)
    year = max(data.years)
    reg = data["progress_registry"]
    gone = ((reg["indicator_id"] == "poverty_incidence") & (reg["year"] == year)).fillna(False)
    assert gone.any(), "the default data have the year's incidence to remove"
    without = dataclasses.replace(
        data, tables=dict(data.tables, progress_registry=reg[~gone.to_numpy(dtype=bool)]))
    for lang, said, nodata in (("zh", f"{year}年缺少农村人口数据", "无数据"),
                               ("en", f"No rural population for {year}", "No data")):
        s = CountyBriefing(year, lang, data=without).summary()
        assert said in " ".join(s.blocks[1].items)
        kf = {label: value for label, value, _ in s.blocks[0].items}
        assert kf[Labels(lang)("kf_incidence")] == nodata
    # with the row, the year's own figure is shown and nothing is said missing
    s = CountyBriefing(year, "zh", data=data).summary()
    assert "缺少农村人口数据" not in " ".join(s.blocks[1].items)
    kf = {label: value for label, value, _ in s.blocks[0].items}
    assert kf["贫困发生率"] != "无数据"


def test_a_township_year_without_incidence_says_so_on_page_1():
    """The same for a township: no incidence row for the township's year (no rural population)
    → page 1 says so in words and the key figure reads 无数据, never silence."""
    import dataclasses

    from huachi_analysis import paths

    d = paths.PROCESSED
    if not (d / "progress_targets.parquet").exists():
        pytest.skip("data/processed is not built here (run `make build`)")
    data = load(d)
    year, town = max(data.years), "南梁镇"
    reg = data["progress_registry"]
    gone = ((reg["indicator_id"] == "poverty_incidence") & (reg["year"] == year)
            & (reg["geography"] == town)).fillna(False)
    assert gone.any(), "the default data have the township's incidence to remove"
    without = dataclasses.replace(
        data, tables=dict(data.tables, progress_registry=reg[~gone.to_numpy(dtype=bool)]))
    for lang, said, nodata in (("zh", f"{year}年缺少农村人口数据", "无数据"),
                               ("en", f"No rural population for {year}", "No data")):
        s = TownshipBriefing(town, year, lang, data=without).summary()
        assert said in " ".join(s.blocks[1].items)
        kf = {label: value for label, value, _ in s.blocks[0].items}
        assert kf[Labels(lang)("kf_incidence")] == nodata
    s = TownshipBriefing(town, year, "zh", data=data).summary()
    assert "缺少农村人口数据" not in " ".join(s.blocks[1].items)
    kf = {label: value for label, value, _ in s.blocks[0].items}
    assert kf["贫困发生率"] != "无数据"
