"""Fast tests of the report pieces: labels, selection, tables, HTML, manifest/index, fonts."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from huachi_analysis.errors import ParameterError
from huachi_analysis.metadata.fields_progress import SCHEDULE_STATUSES, STATUSES
from huachi_analysis.reports import display as D
from huachi_analysis.reports import manifest as M
from huachi_analysis.reports import tables as T
from huachi_analysis.reports.labels import LANGS, catalogue, check_lang, label
from huachi_analysis.reports.selection import catalog, parse_years, plan_batch
from test_reports_fixture import build_fixture, frames


# ---- labels --------------------------------------------------------------------------------
def test_every_status_and_schedule_status_has_a_label_in_both_languages():
    for lang in LANGS:
        for s in STATUSES:
            assert label(f"status_{s}", lang) != f"status_{s}"
        for s in SCHEDULE_STATUSES:
            assert label(f"schedule_{s}", lang) != f"schedule_{s}"
    assert all(set(v) >= set(LANGS) for v in catalogue().values())


def test_unknown_language_names_the_allowed_ones():
    with pytest.raises(ParameterError, match=r"'fr'.*zh, en"):
        check_lang("fr")


# ---- selection -----------------------------------------------------------------------------
@pytest.mark.parametrize(("spec", "want"), [
    ("all", [2014, 2015, 2016]), ("2016", [2016]), ("2014-2015", [2014, 2015]),
    ("2016,2014", [2014, 2016]), ("2015 - 2016", [2015, 2016])])
def test_parse_years(spec, want):
    assert parse_years(spec, [2014, 2015, 2016]) == want


@pytest.mark.parametrize(("spec", "must"), [
    ("1999", r"1999.*2014, 2015, 2016"), ("2016-2014", r"2016-2014"),
    ("twenty", r"twenty.*2014, 2015, 2016")])
def test_parse_years_rejects_with_allowed_values(spec, must):
    with pytest.raises(ParameterError, match=must):
        parse_years(spec, [2014, 2015, 2016])


def test_default_batch_is_county_per_year_and_townships_for_latest_year(tmp_path):
    d = build_fixture(tmp_path)
    specs = plan_batch(catalog(d), directory=d)
    assert [(s.kind, s.year, s.township) for s in specs] == [
        ("county", 2015, None), ("county", 2016, None),
        ("township", 2016, "柔远镇"), ("township", 2016, "悦乐镇")]
    assert specs[2].stem == "township_2016_rouyuanzhen"
    assert specs[2].parameters == {"township": "柔远镇", "year": 2016, "lang": "zh",
                                   "data_dir": str(d.resolve())}


def test_township_names_resolve_aliases_pinyin_and_english(tmp_path):
    cat = catalog(build_fixture(tmp_path))
    assert cat.resolve_township("柔远") == "柔远镇"
    assert cat.resolve_township("rouyuan zhen") == "柔远镇"
    assert cat.resolve_township("Yuele Town") == "悦乐镇"
    with pytest.raises(ParameterError, match=r"不存在镇[^\n]*柔远镇（Rouyuan Zhen）、悦乐镇"):
        cat.resolve_township("不存在镇")


def test_townships_all_none_and_names(tmp_path):
    d = build_fixture(tmp_path)
    cat = catalog(d)
    assert len(plan_batch(cat, townships="all", directory=d)) == 2 + 4
    assert [s.kind for s in plan_batch(cat, townships="none", directory=d)] == ["county"] * 2
    named = plan_batch(cat, years="2015", townships="悦乐", lang="en", directory=d)
    assert [(s.kind, s.township, s.stem) for s in named] == [
        ("township", "悦乐镇", "township_2015_yuelezhen.en")]  # names: townships only
    named = plan_batch(cat, years="2015", townships="悦乐", lang="en", directory=d, county=True)
    assert [(s.kind, s.township, s.stem) for s in named] == [
        ("county", None, "county_2015.en"), ("township", "悦乐镇", "township_2015_yuelezhen.en")]


# ---- tables (hand-computed from the fixture) ------------------------------------------------
@pytest.fixture(scope="module")
def fx():
    return frames()


def test_headline_picks_the_milestone_due_that_year_or_next(fx):
    h = T.headline(fx["plan_targets"], fx["progress_targets"], 2016)
    assert h["target_id"].tolist() == ["T-4-01", "T-4-02"]
    assert h["status"].tolist() == ["achieved", "at_risk"]
    assert h.loc[0, "actual"] == 11234.0


def test_due_targets_are_those_ending_by_the_year_outside_headline_domains(fx):
    d = T.due_targets(fx["plan_targets"], fx["progress_targets"], 2016)
    assert d["target_id"].tolist() == ["T-7-01"]  # T-9-01 ends 2017; T-7-02 is a township's
    assert d.loc[0, "status"] == "missed"
    assert T.status_counts(d, "domain").loc["roads", "missed"] == 1


def test_league_table_ranks_by_incidence_with_reduction_since_baseline(fx):
    lt = T.league_table(fx["progress_registry"], 2016, ["柔远镇", "悦乐镇"])
    assert lt["township"].tolist() == ["柔远镇", "悦乐镇"]  # 9.5 % < 10.5 %
    assert lt["rank"].tolist() == [1, 2]
    # 柔远镇 poor persons: round(14321 × 0.6) = 8593 in 2015, round(11234 × 0.6) = 6740 in 2016
    assert lt.loc[0, "reduction_pct"] == pytest.approx((1 - 6740 / 8593) * 100)


def test_causes_share_and_order(fx):
    c = T.causes(fx["progress_registry"], 2016, "柔远镇")
    assert c["cause"].tolist() == ["因病", "缺资金", "缺技术"]
    assert c["households"].tolist() == [540, 360, 180]
    assert c["share"].round(1).tolist() == [50.0, 33.3, 16.7]


def test_schedule_counts_and_plan_items(fx):
    c = T.schedule_counts(fx["village_exits"], 2016)
    # 乔崾岘村 is due (2016) and not exited: 到期未退出 (overdue), not 延后退出 (late)
    assert c.loc["柔远镇"].to_dict() == {"on_schedule": 1, "overdue": 0, "not_yet": 1}
    assert c.loc["悦乐镇", "overdue"] == 1
    items = T.plan_items(fx["plan_targets"], fx["plan_villages"], "柔远镇", ["柔远镇", "柔远"])
    assert items["target_id"].tolist() == ["T-7-02"]


def test_quarantine_counts_rows_once_under_their_primary_error(fx):
    q = T.quarantine_counts(fx["registry_findings"], 2016)
    assert dict(zip(q["rule"], q["rows"], strict=True)) == {"person_unidentifiable": 2,
                                                            "negative_income": 1}
    assert T.quarantine_counts(fx["registry_findings"], 2015).empty


def test_compare_township_with_county(fx):
    c = T.compare(fx["progress_registry"], 2016, "悦乐镇")
    assert c.loc[T.INCIDENCE].tolist() == [10.5, 9.5]
    assert c.loc[T.INCOME_MEAN].tolist() == [3250.0, 3250.0]


# ---- HTML ------------------------------------------------------------------------------------
def test_table_html_escapes_data_and_formats_numbers():
    html = D.table_html(pd.DataFrame({"name": ["<script>x</script>"], "n": [12000.0],
                                      "year": [2016]}), numeric={"n": 0})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert ">12,000<" in html and ">2016<" in html


def test_page_is_self_contained_and_marks_synthetic():
    from huachi_analysis.reports import render

    body = D.title_block("华池县 2016", "sub", "合成数据 SYNTHETIC") + "<p>x</p>"
    page = render.page(body)
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert 'content: "合成数据 SYNTHETIC"' in page  # repeated in every PDF page's margin
    assert "counter(pages)" in page and "size: A4" in page
    assert "<title>华池县 2016</title>" in page


# ---- manifest and index ----------------------------------------------------------------------
def test_index_links_every_report_and_escapes(tmp_path):
    entries = {"county_2016": {"id": "county_2016", "kind": "county", "year": 2016,
                               "township": None, "lang": "zh", "status": "ok", "seconds": 1.5,
                               "outputs": {"html": "county_2016.html", "pdf": "county_2016.pdf"}},
               "township_2016_x": {"id": "township_2016_x", "kind": "township", "year": 2016,
                                   "township": "<b>镇</b>", "lang": "zh", "status": "failed",
                                   "error": "Boom <x>", "seconds": 0.5,
                                   "outputs": {"ipynb": "notebooks/township_2016_x.ipynb"}}}
    M.write_index(tmp_path, entries)
    M.write_manifest(tmp_path, entries)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert links == ["county_2016.html", "county_2016.pdf", "notebooks/township_2016_x.ipynb"]
    assert "&lt;b&gt;镇" in html and "Boom &lt;x&gt;" in html
    assert M.load_manifest(tmp_path).keys() == entries.keys()


def test_report_key_changes_with_parameters_inputs_and_formats(tmp_path):
    from huachi_analysis.reports.runner import report_key

    d = build_fixture(tmp_path)
    a, b = plan_batch(catalog(d), townships="none", directory=d)
    k = report_key(a, {"x": "1"}, "t", ("html",), "c")
    assert k == report_key(a, {"x": "1"}, "t", ("html",), "c")
    assert len({k, report_key(b, {"x": "1"}, "t", ("html",), "c"),
                report_key(a, {"x": "2"}, "t", ("html",), "c"),
                report_key(a, {"x": "1"}, "t2", ("html",), "c"),
                report_key(a, {"x": "1"}, "t", ("html", "pdf"), "c"),
                report_key(a, {"x": "1"}, "t", ("html",), "c2")}) == 6


# ---- fonts -----------------------------------------------------------------------------------
def test_chart_with_rare_village_names_has_no_missing_glyph():
    from huachi_analysis import charts

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.bars(pd.Series({"乔崾岘村": 3.0, "李崾岘村": 5.0}), title="贫困户（户）")
        charts.png(fig)
    assert not [w for w in caught if "missing" in str(w.message)], [str(w.message) for w in caught]


def test_pdf_font_subset_covers_the_page_and_stays_small(tmp_path):
    from fontTools.ttLib import TTFont

    from huachi_analysis.fonts import PdfFontSubsetter

    sub = PdfFontSubsetter(tmp_path)
    path = sub.font_for("李崾岘村 12,000 人")
    cmap = TTFont(str(path)).getBestCmap()
    assert all(ord(c) in cmap for c in "李崾岘村12,000人")
    assert path.stat().st_size < 200_000
    assert sub.font_for("李崾岘村 12,000 人") == path  # cached by character set


def test_a_briefing_shows_no_actuals_after_its_year():
    traj = pd.DataFrame({
        "indicator_id": ["poverty_incidence"] * 3, "geography": ["华池县"] * 3,
        "year": [2015, 2016, 2017], "planned": [15.55, 9.12, 5.47],
        "planned_is_derived": [False, False, False], "actual": [15.1, 8.7, 5.1],
        "status": ["achieved"] * 3})
    t = T.trajectory(traj, "poverty_incidence", as_of=2016)
    assert t["planned"].tolist() == [15.55, 9.12, 5.47]  # the plan runs to its end
    assert t["actual"].iloc[:2].tolist() == [15.1, 8.7]
    assert pd.isna(t["actual"].iloc[2]) and pd.isna(t["status"].iloc[2])
    reg = pd.DataFrame({"indicator_id": ["registered_poor_persons"] * 3, "year": [2015, 2016, 2017],
                        "level": ["county"] * 3, "geography": ["华池县"] * 3,
                        "breakdown": [pd.NA] * 3, "value": [17320.0, 9942.0, 5829.0]})
    s = T.series(reg, "华池县", ["registered_poor_persons"], as_of=2016)
    assert s.index.tolist() == [2015, 2016]
