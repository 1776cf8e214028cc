"""Definitions in the open: the data dictionary in docs/ (zh and en) is generated from the
field registry and up to date; every field, table and registry indicator is documented in
both languages; the guides and the README link the dictionary."""

from __future__ import annotations

import re

import pytest

from huachi_analysis import metadata, paths
from huachi_analysis.metadata import dictionary
from huachi_analysis.metadata.descriptions_zh import FIELDS_ZH, TABLES_ZH
from huachi_analysis.progress.indicator_definitions import INDICATORS, definitions

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_docs_dictionaries_are_up_to_date():
    stale = dictionary.stale()
    assert not stale, f"{[str(p) for p in stale]} out of date: run `make docs`"


def test_every_field_and_table_has_a_chinese_description():
    missing = sorted(set(metadata.FIELDS) - set(FIELDS_ZH))
    assert not missing, f"add these fields to metadata/descriptions_zh.py: {missing}"
    assert not sorted(set(FIELDS_ZH) - set(metadata.FIELDS)), "stray entries"
    missing = sorted(set(metadata.TABLES) - set(TABLES_ZH))
    assert not missing, f"add these tables to metadata/descriptions_zh.py: {missing}"
    for name, text in {**FIELDS_ZH, **TABLES_ZH}.items():
        assert CJK.search(text), name


@pytest.mark.parametrize("iid", sorted(INDICATORS))
def test_every_registry_indicator_says_what_it_is_and_over_whom(iid):
    ind = INDICATORS[iid]
    for text in (ind.zh, ind.over_zh, ind.definition_zh):
        assert text and CJK.search(text), (iid, text)
    for text in (ind.en, ind.over_en, ind.description):
        assert text and re.search(r"[a-z]{3}", text), (iid, text)
    assert "\n" not in ind.definition_zh and "\n" not in ind.description  # one line each
    if ind.same_as:
        assert ind.same_as in INDICATORS and INDICATORS[ind.same_as].over_en == ind.over_en


def test_both_definitions_are_offered_under_plain_names():
    # income over everyone registered against over the still poor; returns by transition
    # against by status
    assert "including" in INDICATORS["registered_income_per_capita_median"].over_en
    assert "poor at year end" in INDICATORS["still_poor_income_per_capita_median"].over_en
    assert INDICATORS["poor_income_per_capita_median"].same_as == \
        "registered_income_per_capita_median"
    assert "Y−1" in INDICATORS["returns_to_poverty_households"].over_en
    assert "返贫" in INDICATORS["returned_status_households"].over_en
    labels = [i.zh for i in INDICATORS.values()]
    assert len(labels) - len(set(labels)) == 2  # only the two kept old ids share a label


def test_dictionary_has_every_table_indicator_and_header_in_both_languages():
    from huachi_analysis.registry.headers import HEADER_VARIANTS

    for lang in ("zh", "en"):
        text = dictionary.data_dictionary(lang)
        for t in metadata.TABLES:
            assert f"### `{t}`" in text, (lang, t)
        for iid in INDICATORS:
            assert f"| `{iid}` |" in text, (lang, iid)
        for field in HEADER_VARIANTS:
            assert f"| `{field}` |" in text, (lang, field)
    zh = dictionary.data_dictionary("zh")
    assert "年末贫困户（当年导出中脱贫属性为“未脱贫”或“返贫”）" in zh
    assert "status（进展状态" not in zh and "on_track（进度正常）" in zh  # codes with labels


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    assert dictionary.main(["--docs", str(tmp_path)]) == 0
    assert dictionary.main(["--docs", str(tmp_path), "--check"]) == 0
    (tmp_path / "data_dictionary.zh.md").write_text("old", encoding="utf-8")
    assert dictionary.main(["--docs", str(tmp_path), "--check"]) == 1
    assert "make docs" in capsys.readouterr().out


def test_guides_and_readme_link_the_dictionary():
    root = paths.ROOT
    assert "docs/data_dictionary.zh.md" in (root / "README.md").read_text(encoding="utf-8")
    assert "docs/data_dictionary.en.md" in (root / "README.md").read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        guide = (root / "docs" / f"analyst_guide.{lang}.md").read_text(encoding="utf-8")
        assert f"(data_dictionary.{lang}.md)" in guide, lang


def test_definitions_table_for_notebooks():
    d = definitions("en")
    assert list(d.columns) == ["indicator_id", "label", "unit", "over", "definition"]
    assert len(d) == len(INDICATORS) and d["over"].str.len().min() > 5
    assert str(d["label"].dtype) == "object"
