"""Incremental batches: a change re-renders only the briefings that read it (slow: notebooks)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from huachi_analysis.io import write_csv
from huachi_analysis.reports.data import read_table
from huachi_analysis.reports.runner import run_batch
from huachi_analysis.reports.selection import catalog, plan_batch
from test_reports_fixture import build_fixture

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reports_incremental")]


def test_a_poverty_line_re_renders_only_the_briefings_of_its_year(tmp_path):
    data = build_fixture(tmp_path / "processed")
    out = tmp_path / "out"
    specs = plan_batch(catalog(data), townships="none", directory=data)  # county 2015, 2016

    def batch():
        return run_batch(specs, out, formats=("html",), jobs=1, progress=False)

    first = batch()
    assert sorted(e["id"] for e in first.ran) == ["county_2015", "county_2016"], first.summary()
    lines_path = data / "poverty_lines.csv"
    lines = read_table(lines_path, "poverty_lines")

    # a line for a year no briefing shows: the file changes, no briefing's slice does
    write_csv(lines_path, pd.concat([lines, lines.head(1).assign(year=2014, poverty_line=2800.0)],
                                    ignore_index=True))
    again = batch()
    assert again.ran == [] and sorted(again.skipped) == ["county_2015", "county_2016"]
    assert "0 report(s) made, 2 unchanged" in again.summary()

    # 2015's line changes: the 2015 briefing shows it, the 2016 one does not
    write_csv(lines_path, lines.assign(poverty_line=lines["poverty_line"].where(
        lines["year"] != 2015, 2800.0)))
    third = batch()
    assert [e["id"] for e in third.ran] == ["county_2015"] and third.skipped == ["county_2016"]
    entry = {e["id"]: e for e in json.loads((out / "manifest.json").read_text())["reports"]}
    assert entry["county_2015"]["input_read"]["poverty_lines"] != \
        entry["county_2016"]["input_read"]["poverty_lines"]
