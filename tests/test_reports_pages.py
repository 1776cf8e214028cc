"""The rendered briefings (PDF, text extracted with pypdf) as a county leader receives them:
the plan's exact title, a first page of sentences quoting figures, no English code in a
Chinese briefing, English throughout an English one (apart from place names and the plan's
title), no negative percentage, targets in progress with their status, SYNTHETIC on every page.

Slow: notebooks run through the batch runner. On the fixture tables always; on the default
data (county 2017 and 2020, a township 2020) when ``data/processed`` has been built
(``make reports`` or ``make build``), else those tests are skipped and say why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from huachi_analysis import paths
from huachi_analysis.reports.data import load
from huachi_analysis.reports.runner import run_batch
from huachi_analysis.reports.selection import catalog, plan_batch
from test_reports_fixture import build_fixture

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reports_pages")]

PLAN_TITLE = "《关于华池县扎实推进精准扶贫精准脱贫工作的意见》（县委发〔2015〕44号）"
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
NEGATIVE_PCT = re.compile(r"[-−–]\s?\d[\d,.]*\s?%")
CJK = re.compile(r"[\u4e00-\u9fff]+")
APPENDIX = {"zh": "附录：数据来源与可重复性", "en": "Appendix: provenance"}


def pages(path: Path) -> list[str]:
    reader = PdfReader(path)
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages
             for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("Noto-Sans-CJK-SC" in f for f in fonts), fonts  # no fallback font
    return [p.extract_text() or "" for p in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body(texts: list[str], lang: str) -> str:
    """Every page's text up to the provenance appendix (which names input files)."""
    text = "\n".join(texts)
    cut = flat(text).find(flat(APPENDIX[lang]))
    return flat(text)[:cut] if cut > 0 else flat(text)


def sentences_with_figures(page: str) -> list[str]:
    return [s for s in re.split(r"[。]", flat(page)) if re.search(r"\d[\d,.]*(%|人|户|个|元)", s)]


def place_names(data) -> set[str]:
    """Villages, townships and the spellings the plan uses for them (a naming finding quotes
    the variant)."""
    tw = data["plan_townships"]
    aliases = {a for x in tw["aliases"].dropna().astype(str) for a in x.split("|") if a}
    return (set(data["plan_villages"]["village"].astype(str)) | set(data.townships) | aliases
            | {"华池县"})


def check_zh(texts: list[str], in_progress: bool) -> None:
    first = flat(texts[0])
    assert flat(PLAN_TITLE) in first
    assert len(sentences_with_figures(texts[0])) >= 3, texts[0]
    assert "摘要" in first and "需要关注" in first and "数据依据" in first
    text = body(texts, "zh")
    assert not SNAKE.findall(text), sorted(set(SNAKE.findall(text)))
    assert not NEGATIVE_PCT.search("\n".join(texts)), NEGATIVE_PCT.search("\n".join(texts))
    assert all("SYNTHETIC" in t for t in texts)  # the data are synthetic: every page says so
    if in_progress:
        after = text[text.find("进行中的目标"):]
        assert text.find("进行中的目标") > 0 and re.search("进度落后|有风险|进度正常", after)


def check_en(texts: list[str], places: set[str]) -> None:
    first = texts[0]
    assert len([s for s in re.split(r"\.\s", first) if re.search(r"\d", s)]) >= 3, first
    text = "\n".join(texts).replace(PLAN_TITLE, "")
    text = re.sub(r"\S+\.(csv|json|parquet)", "", text)
    text = text[:text.find("Appendix: provenance")] if "Appendix: provenance" in text else text
    leftover = {w for w in CJK.findall(flat(text).replace(flat(PLAN_TITLE), ""))
                if not any(w in p or p in w for p in places)}
    assert not leftover, sorted(leftover)[:20]
    assert not SNAKE.findall(text), sorted(set(SNAKE.findall(text)))
    assert not NEGATIVE_PCT.search(text)


# ---- the fixture tables -----------------------------------------------------------------------
# One test per batch (xdist may put the tests of a module on two workers: a batch shared
# through a module fixture would then be made twice).
def test_fixture_briefings_as_rendered(tmp_path):
    data = build_fixture(tmp_path / "processed")
    specs = plan_batch(catalog(data), years="2016", townships="柔远镇", directory=data,
                        county=True)
    specs += plan_batch(catalog(data), years="2016", townships="none", lang="en",
                        directory=data)
    out = tmp_path / "out"
    result = run_batch(specs, out, formats=("pdf",), jobs=2, progress=False)
    assert result.failed == [], result.summary()
    # the county briefing reads as a summary first, quoting the exits of 2016
    texts = pages(out / "county_2016.pdf")
    check_zh(texts, in_progress=True)
    assert "3,000人" in flat(texts[0])
    # the township briefing is about the township: its department figure, its data quality
    texts = pages(out / "township_2016_rouyuanzhen.pdf")
    check_zh(texts, in_progress=False)
    text = body(texts, "zh")
    assert "部门分乡镇数据" in text and "150公里" in text
    assert "没有记录乡镇" in text  # the county-wide findings said to be county-wide
    # the English one is English apart from place names and the plan's title
    check_en(pages(out / "county_2016.en.pdf"), place_names(load(data)))


# ---- the default data (built by make reports / make build) -----------------------------------
DEFAULT = paths.PROCESSED


def test_default_briefings_as_rendered(tmp_path):
    """County 2017 and 2020 and a township 2020 (zh), county 2017 (en), on data/processed."""
    if not (DEFAULT / "progress_targets.parquet").exists() \
            and not (DEFAULT / "progress_targets.csv").exists():
        pytest.skip("data/processed is not built here (run `make build` or `make reports`)")
    data = load(DEFAULT)
    years = [y for y in (2017, 2020) if y in data.years]
    if not years:
        pytest.skip("the processed data hold neither 2017 nor 2020")
    township = data.townships[0]
    specs = plan_batch(catalog(DEFAULT), years=",".join(map(str, years)), townships="none",
                       directory=DEFAULT)
    specs += [s for s in plan_batch(catalog(DEFAULT), years=str(max(years)), townships=township,
                                    directory=DEFAULT) if s.kind == "township"]
    specs += plan_batch(catalog(DEFAULT), years=str(min(years)), townships="none", lang="en",
                        directory=DEFAULT)
    result = run_batch(specs, tmp_path, formats=("pdf",), jobs=2, progress=False)
    assert result.failed == [], result.summary()
    for e in result.ran:
        texts = pages(tmp_path / e["outputs"]["pdf"])
        if e["id"].endswith(".en"):
            check_en(texts, place_names(data))
        else:
            check_zh(texts, in_progress=e["id"] == "county_2017")
