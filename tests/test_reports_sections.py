"""Briefing sections as objects (table ``.frame``, chart ``.figure``, rich display), the
notebook templates that show them, and the words they print: Chinese throughout the zh
briefing, English throughout the en one. Built on the fixture tables, no notebook is run."""

from __future__ import annotations

import html as _html
import re

import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure

from huachi_analysis import charts, paths
from huachi_analysis.reports.briefing import CountyBriefing, TownshipBriefing
from huachi_analysis.reports.data import load
from huachi_analysis.reports.section import Section
from test_reports_fixture import build_fixture

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # a code: natural_villages, village_not_in_plan
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load(build_fixture(tmp_path_factory.mktemp("sections")))


@pytest.fixture(scope="module")
def built(data):
    out = {}
    for lang in ("zh", "en"):
        out[("county", lang)] = CountyBriefing(2016, lang, data=data).sections()
        out[("township", lang)] = TownshipBriefing("柔远镇", 2016, lang, data=data).sections()
    for sections in out.values():  # the rich display of each, rendered once
        HTML.update({id(s): s._repr_html_() for s in sections})
    return out


HTML: dict[int, str] = {}


def _shown(s: Section) -> str:
    return HTML.get(id(s)) or s._repr_html_()


def _text(sections: list[Section]) -> str:
    """What a reader sees: the sections' HTML without tags (and without embedded images)."""
    raw = "".join(_shown(s) for s in sections)
    raw = re.sub(r'src="data:[^"]+"', "", raw)
    raw = re.sub(r"<style.*?</style>", "", raw, flags=re.S)
    raw = re.sub(r'<span class="nowrap">(.*?)</span>', r"\1", raw)  # a document number
    return _html.unescape(re.sub(r"<[^>]+>", " ", raw))


def test_every_section_is_an_object_with_its_table_and_figure(built):
    for (kind, _lang), sections in built.items():
        cls = CountyBriefing if kind == "county" else TownshipBriefing
        assert [s.key for s in sections] == list(cls.SECTIONS)
        for s in sections:
            assert isinstance(s, Section)
            html = _shown(s)
            assert f'data-section="{s.key}"' in html and "<script" not in html
            if s.frame is not None:
                assert isinstance(s.frame, pd.DataFrame) and len(s.frame.columns)
                # readable columns: the reader's words, never a code
                assert not [c for c in s.frame.columns if SNAKE.fullmatch(str(c))], (s.key, list(s.frame.columns))
            if s.figure is not None:
                assert isinstance(s.figure, Figure)
                assert html.count("data:image/png;base64,") >= 1
            # never an empty section: a table, a chart or a sentence saying why not
            assert s.frame is not None or s.figure is not None or s.texts or s.key == "header", s.key
    county = {s.key: s for s in built[("county", "zh")]}
    assert county["headline"].frame.shape == (2, 7)  # … status, and the kind of each figure
    assert county["headline"].frame["目标"].tolist() == ["≤12,000人", "≥3,500元"]
    assert county["causes"].figure is not None and county["trajectories"].figure is not None
    assert county["income_by_township"].frame["乡镇"].tolist() == ["悦乐镇", "柔远镇"]
    q = county["quality"]
    assert [x.key for x in q.sections] == ["quality_ingest", "quality_exit_audit",
                                           "quality_plan_audit"]


def test_zh_briefing_prints_no_english_code(built):
    for kind in ("county", "township"):
        text = _text(built[(kind, "zh")])
        # file names (plan_audit.csv) and the Latin mark SYNTHETIC are allowed
        codes = {c for c in SNAKE.findall(text)
                 if not re.search(re.escape(c) + r"\.(csv|json|parquet)", text)}
        assert not codes, (kind, sorted(codes))
        for word in ("achieved", "missed", "no_data", "percent", "households", "count_mismatch",
                     "person_unidentifiable", "negative_income", "error", "warning", "roads", "km"):
            assert not re.search(rf"\b{word}\b", text), (kind, word)
        assert "《关于华池县扎实推进精准扶贫精准脱贫工作的意见》（县委发〔2015〕44号）" in text


def test_en_briefing_is_english_apart_from_place_names_and_the_plan_title(built, data):
    places = set(data["plan_villages"]["village"].astype(str)) | set(data.townships)
    for kind in ("county", "township"):
        sections = built[(kind, "en")]
        text = _text(sections)
        text = text.replace("《关于华池县扎实推进精准扶贫精准脱贫工作的意见》（县委发〔2015〕44号）", "")
        assert not SNAKE.findall(re.sub(r"\S+\.(csv|json|parquet)", "", text)), kind
        for s in sections:  # headings, column headers and sentences are English
            assert not CJK.search(s.title or ""), s.title
            for f in ([s.frame] if s.frame is not None else []):
                assert not [c for c in f.columns if CJK.search(str(c)) and str(c) not in
                            {data.township_label(t, "en") for t in data.townships}], list(f.columns)
        words = " ".join(w for w in re.findall(r"[\u4e00-\u9fff]+", text) if w not in places)
        # the fixture's own plan-audit text quotes the plan (Chinese); nothing else may be
        assert not words or set(words.split()) <= {"个贫困村"}, words


def test_the_legend_lists_only_the_statuses_shown(built):
    header = _shown(built[("county", "zh")][0])
    shown = set(re.findall(r'data-status="(\w+)"', header))
    tables = "".join(_shown(s) for s in built[("county", "zh")][1:])
    assert shown == set(re.findall(r'data-status="(\w+)"', tables))
    assert "not_due" not in shown


def test_heading_is_kept_with_what_follows(built):
    county = {s.key: s for s in built[("county", "zh")]}
    html = _shown(county["village_exits"])
    keep = re.search(r'<div class="keep(?: whole)?">(.*?)</div>', html, re.S).group(1)
    assert "<h2>" in keep and "data:image/png" in keep  # heading, note and chart together


def test_trajectory_legend_has_every_entry_even_if_the_first_panel_lacks_one():
    first = pd.DataFrame({"year": [2015, 2016], "planned": [10.0, 8.0],
                          "planned_is_derived": [False, False], "actual": [9.0, 7.0]})
    second = pd.DataFrame({"year": [2015, 2016, 2017], "planned": [5.0, 4.0, 3.0],
                           "planned_is_derived": [False, True, False], "actual": [5.0, 4.5, None]})
    fig = charts.trajectories([{"title": "a", "data": first}, {"title": "b", "data": second}],
                              2016, "规划", "实际", "规划（推算）")
    texts = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert texts == ["规划", "规划（推算）", "实际"]
    assert all(ax.get_legend() is None for ax in fig.axes)


def test_notebook_templates_show_each_section_in_a_short_cell_under_a_heading():
    for name, cls in (("county_year.ipynb", CountyBriefing), ("township.ipynb", TownshipBriefing)):
        nb = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
        assert nb.cells[1].metadata.get("tags") == ["parameters"]
        code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"][1:]
        calls = []
        for i, c in code:
            lines = [x for x in c.source.splitlines() if x.strip()]
            assert 1 <= len(lines) <= 4, (name, c.source)
            prev = nb.cells[i - 1]
            assert prev.cell_type == "markdown" and prev.source.startswith("## "), (name, i)
            calls += re.findall(r"\bb\.(\w+)\(\)", c.source)
        assert calls == list(cls.SECTIONS), (name, calls)


def test_section_api_for_new_sections():
    """What a new section (the page-1 summary, targets in progress) is built from."""
    fig = charts.bars(pd.Series({"柔远镇": 3.0, "南梁镇": 5.0}), title="示例")
    sub = Section("子节", key="sub", level=3).add_text("子节说明")
    s = (Section("摘要 <总结>", key="summary")
         .add_list(["2017年全县减贫4,437人。", "贫困发生率降至5.11%。"])
         .add_key_figures([("贫困发生率", "5.11%", "规划 ≤5.47%"), ("减贫人数", "4,437人")])
         .add_figure(fig)
         .add_table(pd.DataFrame({"乡镇": ["柔远镇"], "户数": [1234.0]}), decimals={"户数": 0})
         .add_table(pd.DataFrame({"x": [1]}), shown=False)
         .add_section(sub))
    html = s._repr_html_()
    assert "摘要 &lt;总结&gt;" in html and "<li>2017年全县减贫4,437人。</li>" in html
    assert 'class="kf-value">5.11%<' in html and ">1,234<" in html
    assert s.frame.columns.tolist() == ["乡镇", "户数"] and len(s.frames) == 2
    assert s.figure is fig and s.sections == [sub] and "子节说明" in s.texts
    assert html.count("<table") == 1  # the table kept for exploring is not printed
    keep = re.search(r'<div class="keep">(.*?)</div></section>|<div class="keep">', html)
    assert keep and html.index('class="keep"') < html.index("<h2>")
    assert html.index("data:image/png") < html.index("<table")
    assert "section 'sub'" in repr(s) or "'子节'" in repr(s)
