"""Property: for any table of plausible and implausible cells, ingest conserves rows
(read = accepted + quarantined), raises nothing but InputFileError, and leaks no full ID."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huachi_analysis.errors import InputFileError
from huachi_analysis.registry.ingest import ingest
from huachi_analysis.registry.read import read_export
from test_registry_helpers import HEADERS, geography, person_row, resident_id

JUNK = st.sampled_from(["", " ", "\u3000", "-1", "3,200", "abc", "=1+1", "0", "1", "3", "4",
                        "否", "是", "NaN", "None", "2016-01-01", "１２", "户主", "x" * 300])
CHOICES = {
    "乡(镇)": st.sampled_from(["五蛟镇", "五蛟乡", "柔远镇", "火星乡", "", " 柔远 "]),
    "行政村": st.sampled_from(["杜右手村", "杜右手", "南湾", "东山", "", "城关村"]),
    "户编号": st.sampled_from(["0001", "0002", "0003", "", "'0004"]),
    "证件号码": st.one_of(
        st.builds(lambda s: resident_id("621023", "19800101", s), st.integers(0, 5)),
        st.sampled_from(["", "123", "621023198013011234", "6210231980010100"])),
    "人编号": st.sampled_from(["1", "2", "3", ""]),
    "脱贫属性": st.sampled_from(["未脱贫", "已脱贫", "返贫", "0", "1", "3", "4", "2", ""]),
    "人均纯收入": st.sampled_from(["3200", "3,200", "-5", "9999999", "abc", "", "2016-01-01"]),
}


def _row(draw_values: dict[str, str], junk: dict[str, str]) -> dict[str, str]:
    base = person_row("0001", 1, 1)
    return base | junk | draw_values


rows_strategy = st.lists(
    st.builds(_row, st.fixed_dictionaries(CHOICES),
              st.dictionaries(st.sampled_from(HEADERS[8:24]), JUNK, max_size=4)),
    min_size=0, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, as_gb=st.booleans())
def test_rows_are_conserved(rows, as_gb):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "prop_2016.csv"
        pd.DataFrame(rows, columns=HEADERS).to_csv(
            p, index=False, encoding="gb18030" if as_gb else "utf-8-sig")
        try:
            files = read_export(p)
        except InputFileError:
            return  # a specific, clean error is an accepted outcome
        res = ingest(files, b"k" * 32, geography())
    s = res.summary()
    assert s["rows_read"] == s["rows_accepted"] + s["rows_quarantined"]
    assert s["rows_read"] == sum(f.rows_read for f in files)
    assert sum(s["quarantine_reasons"].values()) == s["rows_quarantined"]
    assert len(res.persons) == s["rows_accepted"]
    ids = {r["证件号码"] for r in rows if len(r["证件号码"]) >= 15}
    text = res.findings.to_csv() + res.persons.to_csv() + res.households.to_csv()
    assert not any(i in text for i in ids)
