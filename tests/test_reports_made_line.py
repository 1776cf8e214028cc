"""`huachi reports` says which briefings it made, not only how many: after a new year's export
the analyst hands out the new PDFs and needs their names (the analyst guide's yearly round)."""

from __future__ import annotations

import doctest

from huachi_analysis.commands import reports
from huachi_analysis.commands.reports import made_line


def test_the_made_line_names_the_new_briefings():
    ids = ["county_2021"] + [f"township_2021_{t}" for t in
                             ("baimaxiang", "chenghaozhen", "huaianxiang", "linzhenxiang",
                              "nanliangzhen", "yuelezhen")]
    line = made_line(ids)
    assert line.startswith("新生成 · made: county_2021, township_2021_baimaxiang")
    assert line.endswith(", … township_2021_yuelezhen（共 7 份 7 in all）")
    assert "nanliangzhen" not in line  # the middle is counted, not listed
    assert made_line(["township_2021_nanliangzhen", "county_2021"]) == (
        "新生成 · made: township_2021_nanliangzhen, county_2021")


def test_doctests():
    assert doctest.testmod(reports).failed == 0
