"""What a reviewer reading the default briefings as the county leader found (issue 12, round
2): each test asserts on the words and numbers a page shows, recomputed from the tables.

On the fixture tables always; on the default data (``data/processed``, built by ``make build``
or ``make reports``) where it is built, else those tests skip and say why. No notebook is run.
"""

from __future__ import annotations

import html as _html
import re

import pandas as pd
import pytest

from huachi_analysis import paths
from huachi_analysis.reports import tables as T
from huachi_analysis.reports.briefing import CountyBriefing, TownshipBriefing
from huachi_analysis.reports.data import load
from huachi_analysis.reports.labels import Labels
from test_reports_fixture import build_fixture


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load(build_fixture(tmp_path_factory.mktemp("review")))


@pytest.fixture(scope="module")
def default():
    d = paths.PROCESSED
    if not (d / "progress_targets.parquet").exists() and not (d / "progress_targets.csv").exists():
        pytest.skip("data/processed is not built here (run `make build` or `make reports`)")
    return load(d)


def text_of(section) -> str:
    raw = re.sub(r'src="data:[^"]+"', "", section._repr_html_())
    return re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def concerns(b) -> list[str]:
    return b.summary().sections[0].texts


# ---- 1. villages not exited / exited late -------------------------------------------------------
def _late_and_overdue(data):
    """The fixture with one village exited late (张岭子村: due 2015, exited 2016) beside the one
    due but not exited (乔崾岘村), and an exit threshold of 4.5 %."""
    ve = data["village_exits"].copy()
    z = ve["village"] == "张岭子村"
    ve.loc[z, "exit_year"] = 2015
    y16 = z & (ve["year"] == 2016)
    ve.loc[y16, "actual_exit_year"] = 2016
    ve.loc[y16, "exited"] = True
    ve.loc[y16, "schedule_status"] = "late"
    ve.loc[y16, "incidence"] = 1.0
    ve["exit_threshold"] = 4.5
    data.tables["village_exits"] = ve
    return ve[ve["year"] == 2016]


@pytest.fixture
def late_villages(data):
    before = data["village_exits"]
    yield _late_and_overdue(data)
    data.tables["village_exits"] = before


def test_page1_names_villages_not_exited_apart_from_those_exited_late(data, late_villages):
    v = late_villages
    zh, en = CountyBriefing(2016, "zh", data=data), CountyBriefing(2016, "en", data=data)
    messages = " ".join(zh.summary().blocks[1].items)
    lines = concerns(zh)
    overdue = v[~v["exited"].astype(bool) & (v["exit_year"] <= 2016)]
    late = v[v["exited"].astype(bool) & (v["actual_exit_year"] > v["exit_year"])]
    assert f"已退出{int(v['exited'].sum())}个" in messages
    assert f"{len(overdue)}个到期仍未退出" in messages and f"{len(late)}个延后退出" in messages
    line = next(x for x in lines if x.startswith("到期仍未退出"))
    assert "低于4.5%" in line  # the threshold the data were built with, with its unit
    for r in overdue.to_dict("records"):
        assert f"{r['township']}{r['village']}（{float(r['incidence']):.1f}%）" in line
    for r in late.to_dict("records"):
        assert r["village"] not in line  # it has exited: not listed as not exited
        late_line = next(x for x in lines if x.startswith("延后退出"))
        assert (f"{r['township']}{r['village']}（规划{int(r['exit_year'])}年，"
                f"{int(r['actual_exit_year'])}年退出）") in late_line
    kf = zh.summary().blocks[0].items[-1]
    assert kf[1] == f"{int(v['exited'].sum())}/{len(v)}个"
    assert kf[2] == f"{len(overdue)}个到期未退出、{len(late)}个延后退出"
    en_lines = " ".join(concerns(en))
    assert "due but not exited" in en_lines and "exited late" in en_lines
    # the village chart counts the same: exited ones (early, on schedule, late) and the rest
    c = T.schedule_counts(data["village_exits"], 2016)
    exited_cols = [s for s in ("early", "on_schedule", "late") if s in c]
    assert int(c[exited_cols].to_numpy().sum()) == int(v["exited"].sum())
    assert int(c["overdue"].sum()) == len(overdue)
    assert "低于4.5%" in text_of(zh.village_exits())


def test_default_2017_lists_every_village_still_not_exited(default):
    year = 2017
    if year not in default.years:
        pytest.skip("the processed data hold no 2017")
    b = CountyBriefing(year, "zh", data=default)
    v = default["village_exits"]
    v = v[v["year"] == year]
    overdue = v[~v["exited"].astype(bool) & (v["exit_year"] <= year)].sort_values(
        "incidence", ascending=False)
    lines = " ".join(concerns(b))
    names = [f"{t}{x}（{float(i):.1f}%）" for t, x, i in
             zip(overdue["township"], overdue["village"], overdue["incidence"], strict=True)]
    if len(names) <= 7:  # few: every one named, highest incidence first
        positions = [lines.find(n) for n in names]
        assert all(p >= 0 for p in positions) and positions == sorted(positions), names
    else:
        assert all(n in lines for n in names[:6]) and f"等{len(names)}个" in lines
    exited = v[v["exited"].astype(bool)]
    line = next((x for x in concerns(b) if x.startswith("到期仍未退出")), "")
    assert not any(f"{t}{x}" in line for t, x in zip(exited["township"], exited["village"],
                                                      strict=True))
    c = T.schedule_counts(default["village_exits"], year)
    assert int(c.get("overdue", pd.Series(dtype=int)).sum()) == len(overdue)
    assert Labels("zh").code("schedule", "overdue") in {Labels("zh").code("schedule", s)
                                                        for s in c.columns}


# ---- 2. every township above the county's incidence ---------------------------------------------
def _above(data, year):
    r = data["progress_registry"]
    r = r[(r["indicator_id"] == T.INCIDENCE) & (r["year"] == year) & r["breakdown"].isna()]
    s = r.set_index("geography")["value"].astype(float)
    county = s["华池县"]
    above = s[s.index.isin(data.townships) & (s > county)].sort_values(ascending=False)
    return county, above


@pytest.mark.parametrize("source", ["fixture", "default"])
def test_page1_counts_and_names_every_township_above_the_county(source, request):
    d = request.getfixturevalue("data" if source == "fixture" else "default")
    year = 2016 if source == "fixture" else 2017
    if year not in d.years:
        pytest.skip(f"no {year} in these data")
    county, above = _above(d, year)
    zh = " ".join(concerns(CountyBriefing(year, "zh", data=d)))
    line = zh[zh.find("贫困发生率高于全县"):]
    assert f"高于全县（{county:.2f}%）的{len(above)}个乡镇：" in line
    positions = [line.find(f"{t}（{v:.2f}%）") for t, v in above.items()]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    en = " ".join(concerns(CountyBriefing(year, "en", data=d)))
    assert (f"({len(above)}):" in en) or (f"{len(above)} townships have incidence above" in en)


# ---- 3. a year without a poverty line: incomes not checked against it ---------------------------
def test_a_year_without_a_poverty_line_says_incomes_were_not_checked(data):
    from huachi_analysis.reports.income_checks import INCOME_FINDINGS

    lines = data["poverty_lines"]
    data.tables["poverty_lines"] = lines[lines["year"] != 2016]
    try:
        for b in (CountyBriefing(2016, "zh", data=data), TownshipBriefing("柔远镇", 2016, "zh",
                                                                         data=data)):
            text = " ".join(concerns(b))
            assert "2016年没有贫困线" in text and "收入未与贫困线核对" in text
            for f in INCOME_FINDINGS:  # the two audit checks that need a line, by name
                assert Labels("zh").code("finding", f) in text
            assert not re.search(r"贫困线[^，。；]*\d{3,}元", text)  # no line figure made up
        en = " ".join(concerns(CountyBriefing(2016, "en", data=data)))
        assert "No poverty line for 2016" in en and "'exited but income below the line'" in en
        # a year with a line says nothing of the kind
        data.tables["poverty_lines"] = lines
        assert "没有贫困线" not in " ".join(concerns(CountyBriefing(2016, "zh", data=data)))
    finally:
        data.tables["poverty_lines"] = lines


def test_default_years_without_a_line_say_so_on_page1(default):
    have = set(default["poverty_lines"]["year"].astype(int))
    missing = [y for y in default.years if y not in have and y > min(default.years)]
    if not missing:
        pytest.skip("every year of the processed data has a poverty line")
    for y in missing:
        assert f"{y}年没有贫困线" in " ".join(concerns(CountyBriefing(y, "zh", data=default)))


# ---- 4. last year's poor persons, the year's flows, this year's: they add up or say by how much --
def _reg(data, ind, year, geo="华池县"):
    r = data["progress_registry"]
    r = r[(r["indicator_id"] == ind) & (r["year"] == year) & (r["geography"] == geo)
          & r["breakdown"].isna()]
    return float(r["value"].iloc[0]) if len(r) and pd.notna(r["value"].iloc[0]) else None


@pytest.mark.parametrize("source", ["fixture", "default"])
def test_year_end_poor_persons_reconcile_with_the_years_flows(source, request):
    d = request.getfixturevalue("data" if source == "fixture" else "default")
    year = 2016 if source == "fixture" else 2017
    if year not in d.years or year - 1 not in d.years:
        pytest.skip(f"no {year - 1}–{year} in these data")
    prev, now = _reg(d, T.POOR_PERSONS, year - 1), _reg(d, T.POOR_PERSONS, year)
    exits, returns = _reg(d, T.EXITS_PERSONS, year), _reg(d, T.RETURNS_PERSONS, year)
    new = _reg(d, "new_poor_persons", year)
    expected = prev - exits + returns + (new or 0)
    text = " ".join(CountyBriefing(year, "zh", data=d).summary().blocks[1].items)
    assert f"{year - 1}年末{prev:,.0f}人 − {year}年脱贫{exits:,.0f}人 + 返贫{returns:,.0f}人" in text
    if new is not None:
        assert f"+ 新识别{new:,.0f}人" in text
    assert f"= {expected:,.0f}人" in text
    diff = expected - now
    if round(diff) == 0:
        assert "与年末数一致" in text
    else:  # what does not add up, as a number
        assert f"比年末实有{'多' if diff > 0 else '少'}{abs(diff):,.0f}人" in text


# ---- 5. status words true for a target due this very year; the path a status is graded on -------
def test_a_target_due_this_year_and_not_met_reads_due_not_overdue(data):
    L = Labels("zh")
    assert L.status("missed") == "到期未完成" and "逾期" not in L.status("missed")
    b = CountyBriefing(2016, "zh", data=data)
    pages = " ".join(text_of(s) for s in b.sections())
    assert "逾期" not in pages
    due_now = b._facts["due"]
    due_now = due_now[(due_now["status"] == "missed") & (due_now["period_end"] == 2016)]
    legend = text_of(b.header())
    if len(due_now):
        assert "到期未完成" in legend


def test_the_plan_audit_tension_is_not_read_as_a_miss(default):
    pa = default["plan_audit"]
    row = pa[pa["finding_id"].astype(str).str.startswith("A-stable_below_milestone")]
    if row.empty:
        pytest.skip("no 稳定在 finding in these plan data")
    zh, en = row["description_zh"].iloc[0], row["description"].iloc[0]
    assert "并未达到" not in zh and "不是目标未完成" in zh and "本身就不在" in zh
    assert "not a target missed" in en


def test_a_status_graded_against_a_path_shows_the_path_value(data):
    pt = data["progress_targets"]
    m = (pt["target_id"] == "T-9-01") & (pt["year"] == 2016)
    before = pt.loc[m, "note"].copy()
    pt.loc[m, "note"] = "straight path from 0 (the actual of 2015)"
    try:
        b = CountyBriefing(2016, "zh", data=data)
        row = b._progress_rows()
        row = row[row["target_id"] == "T-9-01"].iloc[0]
        # straight line from 0 in 2015 to 37 in 2017: 18.5 by 2016
        due = 0 + float(row["target"]) * (2016 - 2015) / (int(row["period_end"]) - 2015)
        cell = b.in_progress().frame["数据来源/说明"].tolist()
        assert any(f"按匀速进度2016年应达{due:.1f}个村" in c for c in cell), cell
    finally:
        pt.loc[m, "note"] = before


def test_default_2017_general_practitioners_path_value(default):
    if 2017 not in default.years:
        pytest.skip("no 2017")
    b = CountyBriefing(2017, "zh", data=default)
    rows = b._progress_rows()
    rows = rows[rows["status"].isin(["off_track", "at_risk", "on_track"])
                & rows["note"].astype("string").str.contains("required by 2017", na=False)]
    if rows.empty:
        pytest.skip("no target graded against the plan's path in 2017")
    frame = b.in_progress().frames[-1]
    for r in rows.to_dict("records"):
        value = float(re.search(r"required by 2017: ([\d.]+)", r["note"]).group(1))
        shown = frame.loc[frame["指标"] == b.indicator_name(r), "数据来源/说明"]
        assert any("按规划路径2017年应达" in t and b.actual_text(r, value) in t for t in shown)


# ---- 6. the legend lists exactly the statuses the briefing shows ---------------------------------
def _legend_matches_page(b) -> None:
    from huachi_analysis.reports import legend as LG

    secs = b.sections()
    head, body = secs[0]._repr_html_(), "".join(s._repr_html_() for s in secs[1:])
    legend_s, legend_v = LG.badge_codes(head)
    badges_s, badges_v = LG.badge_codes(body)
    assert badges_s <= legend_s, (b.kind, b.year, badges_s - legend_s)
    assert badges_v <= legend_v, (b.kind, b.year, badges_v - legend_v)
    words = " ".join(text_of(s) for s in secs[1:])
    if b.lang == "en":
        words = words.lower()
    for s in legend_s - badges_s:  # not a badge: named in words (page-1 counts)
        label = b.L.status(s)
        assert (label.lower() if b.lang == "en" else label) in words, (b.year, s)
    assert legend_v == badges_v
    # the statuses page 1 counts targets by (55项进度正常、4项无数据) are in the legend too
    assert set(LG.page1_statuses(b)) <= legend_s


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_lists_exactly_the_statuses_shown_fixture(data, lang):
    for b in (CountyBriefing(2016, lang, data=data), CountyBriefing(2015, lang, data=data),
              TownshipBriefing("柔远镇", 2016, lang, data=data),
              TownshipBriefing("悦乐镇", 2016, lang, data=data)):
        _legend_matches_page(b)


def test_legend_lists_exactly_the_statuses_shown_default(default):
    v = default["village_exits"]
    township = str(v.loc[v["schedule_status"] == "late", "township"].iloc[0]) if (
        v["schedule_status"] == "late").any() else default.townships[0]
    year = max(default.years)
    for b in [CountyBriefing(y, "zh", data=default) for y in (2017, year) if y in default.years] \
            + [TownshipBriefing(township, year, "zh", data=default)]:
        _legend_matches_page(b)


# ---- 7. no codes or jargon on a Chinese page; the provenance appendix last and compact ------------
TARGET_ID = re.compile(r"\bT-\d+(?:\.\d+)?-\d+\b")


def body_text(b) -> str:
    return " ".join(text_of(s) for s in b.sections() if s.key != "provenance")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_target_ids_quartile_codes_or_ingest_jargon(default, lang):
    year = 2017 if 2017 in default.years else max(default.years)
    b = CountyBriefing(year, lang, data=default)
    text = body_text(b)
    assert not TARGET_ID.findall(text), TARGET_ID.findall(text)
    pa = default["plan_audit"]
    ids = set(TARGET_ID.findall(" ".join(pa["description_zh"].dropna().astype(str))))
    clauses = default["plan_targets"].set_index("target_id")["clause"].astype(str)
    word = "第{}条" if lang == "zh" else "clause {}"
    for tid in ids & set(clauses.index):  # each id the audit names is there as its clause
        assert word.format(clauses[tid]) in text, tid
    if lang == "zh":
        assert "隔离行" not in text and "导入检查：" not in text
    tw = TownshipBriefing(default.townships[0], max(default.years), lang, data=default)
    income = text_of(tw.income())
    assert "P25" not in income and "P75" not in income
    assert Labels(lang)("col_p25") in income and Labels(lang)("col_p75") in income


def test_provenance_is_last_and_does_not_lead_with_paths(data):
    b = CountyBriefing(2016, "zh", data=data)
    assert b.SECTIONS[-1] == "provenance"
    p = b.provenance()
    html = p._repr_html_()
    first_row = re.search(r"<tr><th>([^<]+)</th><td>([^<]+)</td>", html)
    assert first_row and "/" not in first_row.group(2) and ".parquet" not in first_row.group(2)
    assert str(data.directory) not in html[:html.find('class="hashes"')]
    texts = p.texts
    assert str(data.directory) in texts[-1]  # the folder in small print, at the very end


# ---- 8. numbers: thousands separators in the audit text --------------------------------------------
BARE = re.compile(r"(?<![\d,.\-])(\d{4,})(?![\d,.])")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_bare_large_integer_in_the_plan_audit(default, lang):
    year = 2017 if 2017 in default.years else max(default.years)
    sub = CountyBriefing(year, lang, data=default).quality().sections[-1]
    text = " ".join(" ".join(map(str, f.to_numpy().ravel())) for f in sub.frames)
    bare = [n for n in BARE.findall(text) if not (len(n) == 4 and 1949 <= int(n) <= 2050)]
    assert not bare, bare
    if lang == "zh":
        assert "21,497人" in text or "21497" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_numbers_have_separators_and_100_percent_no_sign(default, lang):
    for year in (2017, max(default.years)):
        if year not in default.years:
            continue
        text = body_text(CountyBriefing(year, lang, data=default))
        text = re.sub(r"\d{4}[—–-]\d{4}", "", text)  # year spans
        bare = [n for n in BARE.findall(text) if not (len(n) == 4 and 1949 <= int(n) <= 2050)]
        assert not bare, (year, bare[:10])
        assert not re.search(r"≥\s?100(\.0+)?%", text), year


def test_areas_in_the_plans_unit_and_yuan_whole(default):
    year = 2017 if 2017 in default.years else max(default.years)
    b = CountyBriefing(year, "zh", data=default)
    t = default["plan_targets"]
    wan_mu = set(t.loc[(t["unit"] == "万亩") & (t["geography"] == "华池县"), "indicator_zh"])
    frame = b.in_progress().frames[-1]
    rows = frame[frame["指标"].isin(wan_mu) & (frame["实际"] != "—")]
    assert len(rows)
    pt = b._progress_rows()
    big = set(pt.loc[pd.to_numeric(pt["actual"], errors="coerce") >= 10_000, "indicator_zh"])
    for name, cell, target in zip(rows["指标"], rows["实际"], rows["目标"], strict=True):
        assert "万亩" in target, target  # the plan's figure as the plan wrote it
        if name in big:  # a measured area of one 万亩 or more: in 万亩 too
            assert cell.endswith("万亩"), (name, cell)
    r = pt[pt["indicator_zh"] == "瓜菜总种植面积"]
    if len(r) and pd.notna(r["actual"].iloc[0]):
        v = float(r["actual"].iloc[0]) / 10_000
        assert f"{v:.2f}".rstrip("0").rstrip(".") + "万亩" in rows["实际"].tolist()
    tw = TownshipBriefing(default.townships[0], max(default.years), "zh", data=default)
    c = tw.compare().frame
    income = c.loc[c["指标"] == Labels("zh").code("m", T.INCOME_MEAN)].iloc[0, 1:]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*|—", str(x)) for x in income), income.tolist()


def test_a_ranking_says_when_it_cannot_rank(default):
    first = min(default.years)
    s = CountyBriefing(first, "zh", data=default).league()
    assert f"{first}年为基期" in " ".join(s.texts)
    for y in default.years:
        lt = T.league_table(default["progress_registry"], y, default.townships)
        inc = lt["poverty_incidence"].round(2)
        for v in inc[inc.duplicated(keep=False)].unique():  # equal incidence: one rank
            assert lt.loc[inc == v, "rank"].nunique() == 1
        if inc.duplicated().any() and y != first:
            assert "名次并列" in " ".join(CountyBriefing(y, "zh", data=default).league().texts)


# ---- 9. the banner does not call real published figures generated -------------------------------
def test_banner_names_the_real_published_figures_it_marks(data):
    b = CountyBriefing(2016, "zh", data=data)
    assert b.synthetic_text() == Labels("zh")("synthetic_banner")  # every figure generated
    pt = data["progress_targets"]
    m = (pt["target_id"] == "T-7-01") & (pt["year"] == 2016) & (pt["geography"] == "华池县")
    before = pt.loc[m, ["actual_origin", "actual_is_synthetic"]].copy()
    pt.loc[m, "actual_origin"] = "published"
    pt.loc[m, "actual_is_synthetic"] = False
    try:
        b = CountyBriefing(2016, "zh", data=data)
        real = b._facts["origins"]["real"]
        assert real == 1
        head = text_of(b.header())
        assert f"除标注为公开统计的{real}项外" in head and "本报告由生成的模拟数据制作" not in head
        assert "SYNTHETIC" in head  # still marked synthetic on every page
        en = CountyBriefing(2016, "en", data=data).synthetic_text()
        assert f"except {real} marked as published statistics" in en
    finally:
        pt.loc[m, ["actual_origin", "actual_is_synthetic"]] = before.to_numpy()


def test_default_banner_counts_the_real_figures(default):
    year = 2017 if 2017 in default.years else max(default.years)
    b = CountyBriefing(year, "zh", data=default)
    real = b._facts["origins"]["real"]
    text = b.synthetic_text()
    if real:
        assert f"除标注为公开统计的{real}项外" in text or f"除标注为真实数据的{real}项外" in text
    else:
        assert text == Labels("zh")("synthetic_banner")


# ---- 10. charts: counts from zero, titled by what they plot, actuals through the year -----------
def test_trajectory_panels_start_at_zero_and_run_to_the_report_year(default):
    year = max(default.years)
    b = CountyBriefing(year, "zh", data=default)
    s = b.trajectories()
    for ax in s.figure.axes:
        if ax.get_visible() and ax.lines:
            assert ax.get_ylim()[0] == 0, ax.get_title()
    long = s.frames[-1]
    reg = default["progress_registry"]
    for ind in (T.EXITS_PERSONS, "poor_villages_exited"):
        rows = b._headline_rows()
        rows = rows[rows["indicator_id"] == ind]
        if rows.empty:
            continue
        name = b.indicator_name(rows.iloc[0])
        got = long[long["指标"] == name].set_index("年份")["实际"]
        r = reg[(reg["indicator_id"] == ind) & (reg["geography"] == "华池县")
                & reg["breakdown"].isna() & (reg["year"] <= year)]
        assert int(got.dropna().index.max()) == year  # not stopped at the plan's last milestone
        for y, v in zip(r["year"], r["value"], strict=True):
            if int(y) > 2017:
                assert got[int(y)] == pytest.approx(float(v))
    titles = [ax.get_title() for ax in s.figure.axes]
    inc = b._headline_rows()
    inc = inc[(inc["indicator_id"] == T.INCOME_MEAN)
              & inc["income_concept"].isin(["disposable", "gross"])]
    if len(inc):
        assert Labels("zh")("panel_poor_net_income") in titles
        assert b.indicator_name(inc.iloc[0]) + "（元）" not in titles


def test_township_line_charts_start_at_zero(data):
    s = TownshipBriefing("柔远镇", 2016, "zh", data=data).over_time()
    assert all(ax.get_ylim()[0] == 0 for ax in s.figure.axes if ax.lines)


# ---- 11. English: number agreement, no stray capitals, no split words, the title unbroken -------
def test_english_singular_after_one():
    en = Labels("en")
    assert en.quantity(1, "natural_villages") == "1 natural village"
    assert en.quantity(1, "people") == "1 person" and en.quantity(2, "people") == "2 persons"
    assert en.target(">=", 1, "people") == "≥ 1 person"
    assert Labels("zh").quantity(1, "natural_villages") == "1个自然村"


def test_english_names_inside_sentences_start_lower_case(default):
    year = 2017 if 2017 in default.years else max(default.years)
    b = CountyBriefing(year, "en", data=default)
    text = " ".join(b.summary().blocks[1].items + concerns(b))
    names = set(b._facts["rows"]["indicator_en"].dropna().astype(str))
    for name in names:
        low = Labels("en").inline(name)
        if low == name:
            continue  # a proper name or acronym keeps its capital
        for lead in (", ", ": ", "; "):
            assert lead + name not in text, name
    assert "asks Poverty incidence" not in " ".join(
        " ".join(map(str, f.to_numpy().ravel())) for f in b.quality().sections[-1].frames)


def test_english_cells_wrap_at_spaces_and_the_document_number_stays_whole(data):
    from huachi_analysis.reports.render import _css

    css = _css()
    assert re.search(r"html:lang\(en\) td, html:lang\(en\) th \{ overflow-wrap: normal;", css)
    head = CountyBriefing(2016, "en", data=data).header()._repr_html_()
    assert '<span class="nowrap">（县委发〔2015〕44号）</span>' in head


# ---- 12. layout: a table never starts with one row at a page foot; no needless empty page --------
def _rows_per_page(html: str) -> list[int]:
    import weasyprint

    doc = weasyprint.HTML(string=html).render()

    def count(box, in_body: bool = False) -> int:
        name = box.__class__.__name__
        if name == "TableRowGroupBox":
            in_body = getattr(getattr(box, "element", None), "tag", "") == "tbody"
        n = int(name == "TableRowBox" and in_body)
        return n + sum(count(c, in_body) for c in getattr(box, "children", []) or [])

    return [count(p._page_box) for p in doc.pages]


@pytest.mark.parametrize("filler_mm", [200, 215, 225, 235])
def test_a_long_table_never_starts_or_ends_with_one_or_two_rows_on_a_page(filler_mm):
    from huachi_analysis.reports import display as D
    from huachi_analysis.reports.render import page

    frame = pd.DataFrame({"乡镇": [f"第{i}行" for i in range(40)], "户数": list(range(40))})
    body = (f'<div style="height:{filler_mm}mm"></div>'
            + D.frame_html(frame, decimals={"户数": 0}))
    rows = [n for n in _rows_per_page(page(body)) if n]
    assert sum(rows) == 40
    assert rows[0] >= 3 and rows[-1] >= 3, rows


def test_a_section_whose_table_is_only_for_exploring_does_not_hold_the_next_one():
    from huachi_analysis.reports.section import Section

    s = Section("图", key="x").add_text("说明").add_table(pd.DataFrame({"a": [1]}), shown=False)
    assert 'class="keep whole"' in s.html()
    shown = Section("表", key="y").add_text("说明").add_table(pd.DataFrame({"a": [1]}))
    assert 'class="keep"' in shown.html()


# ---- department figures by township: only where they can apply ----------------------------------
def test_township_figures_only_for_indicators_that_apply(default):
    pv = default["plan_villages"]
    poor = set(pv.loc[pv["is_poor_village"].astype("boolean").fillna(False), "township"])
    year = max(default.years)
    t = default["plan_targets"]
    t = t[t["geography"] == "华池县"]
    about_poor = set(t.loc[t["scope"] == "poor_villages", "indicator_zh"])
    county_only = set(t.loc[t["unit_base"].isin(["percent", "townships", "percentage_points"])
                            | (t["scope"] == "townships"), "indicator_zh"])
    for town in default.townships:
        f = TownshipBriefing(town, year, "zh", data=default).township_figures().frame
        if f is None:
            continue
        names = set(f["指标"])
        assert not names & county_only, (town, names & county_only)
        if town not in poor:
            assert not names & about_poor, (town, names & about_poor)
