"""The fast paths of registry ingest give exactly what the tolerant ones give, and the findings
contract: a nullable finding_year (never 0 for "unknown"), is_synthetic, and primary flags that
reproduce the summary's quarantine_reasons."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

from huachi_analysis.registry import read
from huachi_analysis.registry.build import write_registry
from huachi_analysis.registry.ingest import ingest
from huachi_analysis.registry.read import read_export
from huachi_analysis.registry.validate import broadcast, map_unique
from test_registry_helpers import HEADERS, geography, person_row, write_csv_export

KEY = bytes(range(32))


def _tolerant(path) -> read.RawFile:
    """The same file through the decoding path (pandas' reader, then per-cell trimming)."""
    data = path.read_bytes()
    encoding, text = read.decode_csv_bytes(data, path)
    buf = text.lstrip("\ufeff").encode("utf-8")
    head = read.csv_head(buf, 0, path, encoding)
    body = read._csv_body_pandas(buf[head.body_offset:].decode("utf-8"),
                                 len(head.rows[head.header]), path, head.first_line)
    return read._csv_rawfile(path, head, body, None, "", encoding, False)


def _odd_rows() -> list[dict]:
    rows = [person_row(f"62102300{i:02d}", 1, 1) for i in range(40)]
    rows[1]["乡(镇)"] = "\u3000五蛟乡 "          # full-width and ASCII spaces
    rows[2]["行政村"] = "\xa0杜右手村\t"          # no-break space, tab
    rows[3]["人均纯收入"] = "3,200"               # quoted by the CSV writer
    rows[4]["户编号"] = "'0062102300"            # Excel's text marker, leading zeros
    rows[5]["姓名"] = "   "                       # spaces only: an empty cell
    rows[6]["联系电话"] = ""
    rows[7]["证件号码"] = rows[7]["证件号码"][:-1] + "x"
    rows[8]["主要致贫原因"] = ' "因病" '          # quotes inside a cell
    return rows


@pytest.mark.parametrize("bom,crlf", [(False, False), (True, True)])
def test_arrow_path_equals_tolerant_path(tmp_path, monkeypatch, bom, crlf):
    p = write_csv_export(tmp_path / "export_2016.csv", _odd_rows(), title="华池县（2016年）")
    data = p.read_bytes()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    if bom:
        data = codecs.BOM_UTF8 + data
    p.write_bytes(data)
    tolerant_reader = read._csv_body_pandas

    def not_here(*args, **kwargs):
        raise AssertionError("the Arrow path should have read this file")

    monkeypatch.setattr(read, "_csv_body_pandas", not_here)
    fast = read_export(p)[0]
    monkeypatch.setattr(read, "_csv_body_pandas", tolerant_reader)
    assert fast.encoding == ("utf-8-sig" if bom else "utf-8")
    slow = _tolerant(p)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.excel_rows.tolist() == slow.excel_rows.tolist() == list(range(3, 43))
    assert fast.frame.loc[1, "township"] == "五蛟乡"
    assert fast.frame.loc[2, "village"] == "杜右手村"
    assert pd.isna(fast.frame.loc[5, "name"]) and pd.isna(fast.frame.loc[6, "phone"])
    assert fast.frame.loc[3, "income_per_capita"] == "3,200"


def test_utf8_rows_after_the_header_window_that_are_not_utf8_are_named(tmp_path):
    rows = [person_row(f"62102300{i:02d}", 1, 1) for i in range(60)]
    p = write_csv_export(tmp_path / "export_2016.csv", rows)
    data = p.read_bytes()
    cut = data.rfind(b"\n", 0, len(data) - 1) + 1
    p.write_bytes(data[:cut] + "五蛟镇".encode("gbk") + data[cut + 9:])
    with pytest.raises(read.InputFileError, match="mixes encodings") as exc:
        read_export(p)
    assert "row 61" in str(exc.value)  # header line + 60 rows: the last line is not UTF-8


def test_a_blank_line_falls_back_and_keeps_row_numbers(tmp_path):
    rows = [person_row(f"62102300{i:02d}", 1, 1) for i in range(40)]
    p = write_csv_export(tmp_path / "export_2016.csv", rows)
    text = p.read_text(encoding="utf-8").split("\n")
    text.insert(5, "")  # after data row 4 (file line 6 is blank)
    p.write_text("\n".join(text), encoding="utf-8")
    raw = read_export(p)[0]
    assert raw.skipped["blank_rows"] == 1
    assert raw.excel_rows[:6].tolist() == [2, 3, 4, 5, 7, 8]


def test_broadcast_types_and_nulls():
    codes = np.array([0, -1, 1, 0, 2])
    idx = pd.RangeIndex(5)
    s = broadcast(codes, ["a", None, "c"], "str", idx)
    assert s.dtype == "str" and s.tolist()[0] == "a" and s.isna().tolist() == [
        False, True, True, False, False]
    b = broadcast(codes, [True, False, None], "boolean", idx)
    assert b.tolist() == [True, pd.NA, False, True, pd.NA]
    f = broadcast(codes, [1.5, None, float("nan")], "Float64", idx)
    assert f.isna().tolist() == [False, True, True, False, True] and f.iloc[0] == 1.5
    i = broadcast(codes, [7, 8, None], "Int64", idx)
    assert i.tolist() == [7, pd.NA, 8, 7, pd.NA]
    unchanged = pd.Series(["x", None, "y"], dtype="str")
    assert map_unique(unchanged, str, "str").tolist()[::2] == ["x", "y"]
    assert map_unique(unchanged, lambda v: v + "!", "str").tolist()[2] == "y!"


def test_finding_year_is_empty_when_unknown_and_primary_reproduces_reasons(tmp_path):
    rows = [person_row("6210230001", 1, 1) | {"年度": "2016"},
            person_row("6210230002", 1, 1) | {"年度": "去年"},               # invalid_year
            person_row("6210230003", 1, 1, income="-5") | {"年度": "2017"},  # negative_income
            person_row("6210230004", 1, 1, town="火星乡", income="-5") | {"年度": "2017"}]
    df = pd.DataFrame(rows, columns=HEADERS + ["年度"])
    p = tmp_path / "export.csv"  # no year in the name or a title: 年度 column only
    df.to_csv(p, index=False)
    res = ingest(read_export(p), KEY, geography())
    f = res.findings
    assert f["finding_year"].dtype == "Int64" and (f["finding_year"] != 0).all()
    bad_year = f[f["rule"] == "invalid_year"]
    assert len(bad_year) == 1 and pd.isna(bad_year["finding_year"].iloc[0])
    assert sorted(f.loc[f["rule"] == "negative_income", "finding_year"].tolist()) == [2017, 2017]
    assert not f["is_synthetic"].any()
    # the last row has two errors; only its first (unknown_township) is primary
    last = f[f["source_row"] == 5]
    assert dict(zip(last["rule"], last["primary"], strict=True)) == {
        "unknown_township": True, "negative_income": False}
    out = tmp_path / "out"
    summary = write_registry(res, out, KEY)
    written = pd.read_csv(out / "registry_findings.csv", dtype=str, encoding="utf-8-sig")
    counted = written[written["primary"] == "True"]["rule"].value_counts().to_dict()
    assert counted == summary["quarantine_reasons"] == {
        "invalid_year": 1, "negative_income": 1, "unknown_township": 1}
    assert written.loc[written["rule"] == "invalid_year", "finding_year"].isna().all()


def test_findings_of_synthetic_files_are_labelled(tmp_path):
    rows = [person_row("6210230001", 1, 1), person_row("6210230002", 1, 1, income="-1")]
    p = write_csv_export(tmp_path / "synthetic_registry_2016.csv", rows)
    res = ingest(read_export(p), KEY, geography())
    assert len(res.findings) and res.findings["is_synthetic"].all()
    assert res.findings["finding_year"].tolist() == [2016]
