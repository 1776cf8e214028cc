"""Property-based tests (hypothesis) of registry ingest: for generated person-level tables —
random header spellings, random valid and invalid values, random encodings — every row is
accounted for and nothing but a clear :class:`HuachiError` escapes.

The transform under test is :func:`huachi_analysis.registry.ingest.ingest` (pure: raw frames in,
tables out), fed by :func:`huachi_analysis.registry.read.read_export` so that header mapping is
exercised too.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badinputs import PLACES, resident_id
from huachi_analysis.errors import HuachiError
from huachi_analysis.plan.geography import gazetteer
from huachi_analysis.registry.headers import HEADER_VARIANTS, REQUIRED_FIELDS
from huachi_analysis.registry.ingest import ingest
from huachi_analysis.registry.read import read_export

KEY = bytes(range(32))
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

OPTIONAL = [f for f in HEADER_VARIANTS if f not in REQUIRED_FIELDS
            and f not in ("year", "household_id")]
_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ0123456789 ,.-=@+'\"\t\u3000华池县村镇乡户主因病是否元")),
                max_size=12)
_JUNK = st.one_of(_TEXT, st.just(""), st.just("   "), st.just("=SUM(A1:A3)"),
                  st.just('=HYPERLINK("http://x")'), st.just("2016-03-01"), st.just("NaN"),
                  st.just("inf"), st.just("-0"), st.just("1e400"), st.just("长" * 300),
                  st.integers(-10**6, 10**7).map(str), st.floats(allow_nan=True).map(str))

VALID: dict[str, st.SearchStrategy[str]] = {
    "county": st.sampled_from(["华池县", "华池", "环县"]),
    "township": st.sampled_from([t for t, _ in PLACES] + ["五蛟乡", " 柔远镇\u3000", "柔远"]),
    "village": st.sampled_from([v for _, v in PLACES] + ["王沟门", "新村"]),
    "household_id": st.integers(0, 40).map(lambda i: f"0621{i:06d}"),
    "person_id": st.integers(0, 400).map(lambda i: f"P{i:05d}"),
    "name": st.sampled_from(["佘犇骉", "鞠淼焱", "晁垚"]),
    "id_number": st.builds(lambda s, m: resident_id(__import__("datetime").date(1970, 1, 1)
                                                      .replace(year=1940 + s % 70), s, m),
                           st.integers(0, 400), st.booleans()),
    "household_size": st.integers(1, 8).map(str),
    "exit_status": st.sampled_from(["未脱贫", "已脱贫", "返贫", "0", "1", "3", "4"]),
    "household_type": st.sampled_from(["一般贫困户", "低保户", "五保户"]),
    "main_cause": st.sampled_from(["因病", "因残", "缺技术", "其他"]),
    "income_per_capita": st.integers(0, 20000).map(lambda i: f"{i:,}"),
    "dangerous_house": st.sampled_from(["是", "否"]),
    "registry_exit_year": st.integers(2014, 2020).map(str),
    "months_away": st.integers(0, 12).map(str),
    "relation": st.sampled_from(["户主", "配偶", "之子"]),
    "phone": st.integers(13000000000, 13999999999).map(str),
}


def _spelling(field: str, draw) -> str:
    h = draw(st.sampled_from(HEADER_VARIANTS[field]))
    if draw(st.booleans()):
        h = h.replace("(", "（").replace(")", "）")
    if draw(st.booleans()):
        h = " " + h + "\u3000"
    if h.isascii() and draw(st.booleans()):
        h = h.upper()
    return h


@st.composite
def export_tables(draw, ids_always: bool = True):
    """A person-level table: header + rows, with the number of rows generated."""
    fields = list(REQUIRED_FIELDS) + ["person_id"] + draw(
        st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=8))
    fields = list(dict.fromkeys(fields))
    header = [_spelling(f, draw) for f in fields]
    if draw(st.booleans()):
        header.append("备注")  # unknown column
        fields.append("_unknown")
    n = draw(st.integers(0, 15))
    rows = []
    for _ in range(n):
        row = []
        for f in fields:
            good = VALID.get(f, _TEXT)
            v = draw(st.one_of(good, _JUNK) if draw(st.integers(0, 4)) == 0 else good)
            if f == "household_id" and ids_always and not v.strip():
                v = "0621000001"
            row.append(v)
        rows.append(row)
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return header, rows, enc


def _ingest_table(header, rows, enc):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header] + rows)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "export_2016.csv"
        p.write_bytes(buf.getvalue().encode(enc))
        raws = read_export(p)
        return raws, ingest(raws, KEY, gazetteer())


@pytest.fixture(scope="module", autouse=True)
def _warm_gazetteer():
    gazetteer()


@SETTINGS
@given(export_tables(ids_always=True))
def test_every_row_with_a_household_id_is_read_and_accounted_for(table) -> None:
    header, rows, enc = table
    try:
        raws, res = _ingest_table(header, rows, enc)
    except HuachiError as exc:  # a clear message is allowed; a crash is not
        assert str(exc)
        return
    s = res.summary()
    numbering = sum(r.skipped.get("numbering_row", 0) for r in raws)
    assert s["rows_read"] + numbering == len(rows)
    assert s["rows_read"] == s["rows_accepted"] + s["rows_quarantined"]
    assert sum(s["quarantine_reasons"].values()) == s["rows_quarantined"]
    assert len(res.persons) == s["rows_accepted"]
    assert (res.findings["masked_value"].dropna().str.len() <= 80).all()


@SETTINGS
@given(export_tables(ids_always=False))
def test_no_row_vanishes_uncounted(table) -> None:
    header, rows, enc = table
    try:
        raws, res = _ingest_table(header, rows, enc)
    except HuachiError as exc:
        assert str(exc)
        return
    s = res.summary()
    skipped = sum(sum(r.skipped.values()) for r in raws)
    assert s["rows_read"] + skipped == len(rows)
    assert s["rows_read"] == s["rows_accepted"] + s["rows_quarantined"]
