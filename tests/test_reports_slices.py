"""A briefing reads only its slice of each table (reports/slices.py), and its skip key hashes
exactly those slices (reports/keys.py): built from the slices, every section equals the one
built from the full tables; rows of other years and townships do not move the hashes."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from huachi_analysis.io import write_csv
from huachi_analysis.reports import data as data_mod
from huachi_analysis.reports import keys
from huachi_analysis.reports.briefing import CountyBriefing, TownshipBriefing
from huachi_analysis.reports.data import INPUTS, load
from huachi_analysis.reports.section import Section, Table
from huachi_analysis.reports.selection import catalog, plan_batch
from huachi_analysis.reports.slices import Scope
from test_reports_fixture import build_fixture

TOWNSHIPS = ["柔远镇", "悦乐镇"]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("slices") / "processed")


def _content(b) -> list:
    """What a reader gets: every section's tables and texts (provenance and images aside)."""
    out = []

    def walk(s):
        if s.key == "provenance":
            return
        blocks = [("figure" if hasattr(b, "figure") else repr(b)) for b in s.blocks
                  if not isinstance(b, (Section, Table))]  # texts, lists, HTML fragments
        out.append((s.key, [f.reset_index(drop=True) for f in s.frames], blocks))
        for sub in s.sections:
            walk(sub)

    for s in b.sections():
        walk(s)
    return out


def _briefings(directory, data=None):
    for y in (2015, 2016):
        for lang in ("zh", "en"):
            yield ("county", y, lang), CountyBriefing(y, lang, directory, data=data)
        for t in TOWNSHIPS:
            yield ("township", y, t), TownshipBriefing(t, y, "zh", directory, data=data)


def _same(a: list, b: list, what) -> None:
    assert [x[0] for x in a] == [x[0] for x in b], what
    for (key, fa, ha), (_, fb, hb) in zip(a, b, strict=True):
        assert len(fa) == len(fb), (what, key)
        for x, y in zip(fa, fb, strict=True):
            pd.testing.assert_frame_equal(x, y, obj=f"{what} {key}")
        assert ha == hb, (what, key)


def test_every_section_from_the_slices_equals_the_one_from_the_full_tables(fixture):
    full = load(fixture)
    for what, b in _briefings(fixture):
        assert b.data.scope is not None and b.data.scope.year == what[1]
        whole = type(b).__new__(type(b))
        whole.__dict__.update(b.__dict__)
        whole.data = full  # the same briefing reading every row of every table
        for cached in ("_headline", "_due"):
            whole.__dict__.pop(cached, None)
        _same(_content(whole), _content(b), what)


def test_large_tables_read_through_a_row_filter_give_the_same_slices(fixture, monkeypatch):
    by_memory = {w: b.data.sha256 for w, b in _briefings(fixture)}
    monkeypatch.setattr(data_mod, "SMALL_ROWS", 0)  # every Parquet table read with its filter
    data_mod._WHOLE.clear()
    for what, b in _briefings(fixture):
        assert b.data.sha256 == by_memory[what], what


def test_the_key_hashes_are_the_briefings_own(fixture, tmp_path):
    specs = plan_batch(catalog(fixture), townships="all", directory=fixture)
    files = {specs[0].data_dir: {k: data_mod.sha256_input(p)
                                 for k, p in data_mod.input_files(fixture).items()}}
    reads = keys.input_hashes(specs, files, tmp_path, "code")
    for s in specs:
        b = (CountyBriefing(s.year, "zh", str(fixture)) if s.kind == "county"
             else TownshipBriefing(s.township, s.year, "zh", str(fixture)))
        assert {k: v for k, v in reads[s.id].items() if k in b.data.files} == b.data.sha256
        assert set(reads[s.id]) == set(INPUTS)


def test_a_rerun_reads_no_table(fixture, tmp_path, monkeypatch):
    specs = plan_batch(catalog(fixture), directory=fixture)
    files = {specs[0].data_dir: {k: data_mod.sha256_input(p)
                                 for k, p in data_mod.input_files(fixture).items()}}
    first = keys.input_hashes(specs, files, tmp_path, "code")
    assert (tmp_path / keys.CACHE_NAME).is_file()

    def no_read(*a, **k):
        raise AssertionError("a table was read although no file changed")

    monkeypatch.setattr(keys, "read_table", no_read)
    assert keys.input_hashes(specs, files, tmp_path, "code") == first


def _hashes(directory, scope: Scope) -> dict[str, str]:
    data_mod._WHOLE.clear()
    return load(directory, scope=scope).sha256


def _append_year(directory, year: int) -> None:
    """Copy the 2016 rows of every table with a year column as ``year`` (a new export)."""
    for stem in INPUTS:
        p = data_mod.find_input(directory, stem)
        if p is None or p.suffix == ".json":
            continue
        df = data_mod.read_table(p, stem)
        col = "finding_year" if "finding_year" in df else "year" if "year" in df else None
        if col is None:
            continue
        if stem == "progress_trajectory":  # the plan's years are there: the year gets actuals
            out = df.copy()
            out.loc[out["year"] == year, ["actual", "status"]] = (1.0, "achieved")
        else:
            new = df[df[col] == 2016].assign(**{col: year})
            out = pd.concat([df, new], ignore_index=True)
        if p.suffix == ".parquet":
            out.to_parquet(p, index=False)
        else:
            write_csv(p, out)


def test_a_new_year_moves_only_the_new_years_slices(fixture, tmp_path):
    d = tmp_path / "processed"
    shutil.copytree(fixture, d)
    scopes = [Scope("county", y) for y in (2015, 2016)] + [
        Scope("township", y, t) for y in (2015, 2016) for t in TOWNSHIPS]
    before = {s: _hashes(d, s) for s in scopes}
    _append_year(d, 2017)
    assert load(d).years == [2015, 2016, 2017]
    for s in scopes:
        assert _hashes(d, s) == before[s], s
    assert _hashes(d, Scope("county", 2017)) != before[Scope("county", 2016)]


def test_another_townships_rows_do_not_move_a_townships_slice(fixture, tmp_path):
    d = tmp_path / "processed"
    shutil.copytree(fixture, d)
    p = d / "income_summary.csv"
    own, other, county = (Scope("township", 2016, "柔远镇"), Scope("township", 2016, "悦乐镇"),
                          Scope("county", 2016))
    before = {s: _hashes(d, s) for s in (own, other, county)}
    df = data_mod.read_table(p, "income_summary")
    df.loc[(df["geography"] == "悦乐镇") & (df["year"] == 2016), "income_median"] += 1
    write_csv(p, df)
    assert _hashes(d, own) == before[own]
    for s in (other, county):
        h = _hashes(d, s)
        assert h["income_summary"] != before[s]["income_summary"]
        assert {k: v for k, v in h.items() if k != "income_summary"} == {
            k: v for k, v in before[s].items() if k != "income_summary"}


def test_scoped_data_refuse_another_scope(fixture):
    d = load(fixture, scope=Scope("county", 2016))
    assert d.scoped(Scope("county", 2016)) is d
    with pytest.raises(ValueError, match="county:2016"):
        d.scoped(Scope("county", 2015))
    with pytest.raises(Exception, match="2019"):
        CountyBriefing(2019, "zh", str(fixture))


def test_the_summary_slice_keeps_the_years_missing_columns():
    """A column the indicators need, missing from one year's export, reaches that year's
    briefings (the data section names it) and only theirs: a 2021 export without 人均纯收入
    neither appears in nor re-renders the 2016 briefings."""
    from huachi_analysis.reports.slices import slice_summary

    gone = {"file": "e_2021.xlsx", "years": [2021], "field": "income_per_capita",
            "header": "人均纯收入", "indicators": ["still_poor_income_per_capita"]}
    summary = {"is_synthetic": False, "rows_read": 9, "missing_columns": [gone]}
    assert slice_summary(summary, Scope("county", 2021)) == {
        "is_synthetic": False, "missing_columns": [gone]}
    assert slice_summary(summary, Scope("township", 2016, "柔远镇")) == {"is_synthetic": False}
    assert slice_summary(summary)["missing_columns"] == [gone]


def test_the_skip_key_hashes_the_summary_slice_the_briefing_reads(fixture, tmp_path):
    """With a missing column in one year's export, each briefing's skip key hashes the summary
    slice that briefing reads: the 2016 key moves, the 2015 one does not."""
    import json

    copy = tmp_path / "processed"
    shutil.copytree(fixture, copy)
    path = copy / "registry_summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    specs = plan_batch(catalog(copy), townships="none", directory=copy)

    def reads():
        data_mod._CACHE.clear()
        data_mod._WHOLE.clear()
        files = {specs[0].data_dir: {k: data_mod.sha256_input(p)
                                     for k, p in data_mod.input_files(copy).items()}}
        return {s.id: keys.input_hashes(specs, files, tmp_path, "code")[s.id]["registry_summary"]
                for s in specs}

    before = reads()
    summary["missing_columns"] = [{"file": "x_2016.csv", "years": [2016],
                                   "field": "income_per_capita", "header": "人均纯收入",
                                   "indicators": ["still_poor_income_per_capita"]}]
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    after = reads()
    assert after["county_2015"] == before["county_2015"]
    assert after["county_2016"] != before["county_2016"]
    b = CountyBriefing(2016, "zh", str(copy))
    assert b.data.sha256["registry_summary"] == after["county_2016"]
