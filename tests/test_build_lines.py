"""What ``huachi build`` prints for the progress step: a Chinese line with the briefings' status
words, then the English line; no Python dict, no status code in the Chinese line."""

from __future__ import annotations

import re

from huachi_analysis.progress.build import summary_text


def test_progress_line_is_chinese_then_english_with_status_words():
    s = summary_text({"achieved": 785, "on_track": 263, "no_data": 95}, 1143, 16684, 392, 405,
                     [2017, 2018], [2021])
    zh, en = s.split("\n")
    assert zh.startswith("测算目标 1143 项次（已实现 785，进度正常 263，无数据 95）")
    assert "2017、2018 年没有贫困线" in zh and "2021 年没有农村人口" in zh
    assert not re.search(r"achieved|on_track|no_data|\{|'", zh)
    assert en == ("  1143 target evaluations (achieved 785, on track 263, no data 95); 16684 "
                  "registry indicator rows; 392 village-exit rows; 405 audit findings; no poverty "
                  "line for 2017, 2018: shares below the line are no_data and income audit checks "
                  "were skipped for those years; no rural population for 2021: poverty incidence "
                  "is no_data for those years (add rows to a rural_population*.csv in "
                  "data/raw/inputs)")


def test_progress_line_without_missing_inputs_has_no_such_clause():
    zh, en = summary_text({"achieved": 1}, 1, 2, 3, 4, [], []).split("\n")
    assert "贫困线" not in zh and "农村人口" not in zh and "poverty line" not in en
