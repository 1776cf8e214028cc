"""Reading exports as they come, and a clear error for every file that cannot be read."""

from __future__ import annotations

import datetime
import zipfile

import pandas as pd
import pytest

from huachi_analysis.errors import InputFileError
from huachi_analysis.registry.ingest import ingest
from huachi_analysis.registry.read import read_export
from test_registry_helpers import (
    HEADERS,
    geography,
    person_row,
    write_csv_export,
    write_xlsx_export,
)

KEY = b"k" * 32
ROWS = [person_row("6210230001", 1, 2), person_row("6210230001", 2, 2, birth="19900303")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_detected(tmp_path, encoding):
    p = write_csv_export(tmp_path / "r_2017.csv", ROWS, encoding=encoding,
                         title="华池县建档立卡贫困人口信息表")
    (raw,) = read_export(p)
    assert raw.encoding == ("gb18030" if encoding in ("gb18030", "gbk") else encoding)
    assert raw.frame["township"].tolist() == ["五蛟镇", "五蛟镇"]
    assert raw.excel_rows.tolist() == [3, 4] and raw.year == 2017


def test_mixed_encodings_named(tmp_path):
    good = write_csv_export(tmp_path / "a.csv", ROWS).read_bytes()
    p = tmp_path / "mixed_2016.csv"
    p.write_bytes(good + "华池县,五蛟镇,杜右手村\n".encode("gbk"))
    with pytest.raises(InputFileError, match="mixes encodings") as exc:
        read_export(p)
    assert exc.value.row == 4


@pytest.mark.parametrize("content,match", [
    (b"", "empty"),
    ("标题\n甲,乙,丙\n1,2,3\n".encode(), "no registry header row"),
    (",".join(["乡(镇)", "行政村", "户编号", "户主姓名", "人数", "脱贫属性"]).encode() + b"\n",
     "household-level export"),
    (",".join(["乡(镇)", "行政村", "户编号", "姓名", "证件号码"]).encode() + b"\n",
     r"required column\(s\) missing: 脱贫属性"),
])
def test_unreadable_csv_gets_a_specific_error(tmp_path, content, match):
    p = tmp_path / "bad_2016.csv"
    p.write_bytes(content)
    with pytest.raises(InputFileError, match=match):
        read_export(p)


def test_corrupt_and_truncated_xlsx(tmp_path):
    good = write_xlsx_export(tmp_path / "good_2016.xlsx", ROWS).read_bytes()
    cut = tmp_path / "cut_2016.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    junk = tmp_path / "junk_2016.xlsx"
    junk.write_bytes(b"this is not a workbook")
    for p in (cut, junk):
        with pytest.raises(InputFileError, match="not a readable Excel workbook"):
            read_export(p)
    with zipfile.ZipFile(tmp_path / "zip_2016.xlsx", "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(InputFileError, match="not a readable Excel workbook"):
        read_export(tmp_path / "zip_2016.xlsx")
    with pytest.raises(InputFileError, match="unsupported file type"):
        read_export((tmp_path / "r.txt"), None) if (tmp_path / "r.txt").write_text("x") else None


def test_data_on_another_sheet_and_sheet_without_header(tmp_path):
    import xlsxwriter

    p = tmp_path / "two_sheets_2018.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("说明").write(0, 0, "本表说明")
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, HEADERS)
    ws.write_row(1, 0, list(ROWS[0].values()))
    wb.close()
    (raw,) = read_export(p)
    assert raw.source_file == "two_sheets_2018.xlsx" and raw.rows_read == 1
    q = tmp_path / "no_header_2018.xlsx"
    wb = xlsxwriter.Workbook(str(q))
    wb.add_worksheet("Sheet1").write(0, 0, "nothing here")
    wb.close()
    with pytest.raises(InputFileError, match="sheets: Sheet1"):
        read_export(q)


def test_year_sources(tmp_path):
    p = write_csv_export(tmp_path / "export.csv", ROWS, title="华池县贫困人口（2019年）")
    assert read_export(p)[0].year == 2019
    assert read_export(p, year=2020)[0].year == 2020  # --year overrides the title
    q = write_csv_export(tmp_path / "no_year.csv", ROWS)
    with pytest.raises(InputFileError, match="--year"):
        read_export(q)
    rows = [r | {"年度": y} for r, y in zip(ROWS, ["2015", "1999"], strict=True)]
    df = pd.DataFrame(rows)
    y = tmp_path / "with_year_column.csv"
    df.to_csv(y, index=False)
    res = ingest(read_export(y), KEY, geography())
    assert res.persons["year"].tolist() == [2015]
    assert res.summary()["quarantine_reasons"] == {"invalid_year": 1}


def test_blank_lines_short_notes_and_odd_cells_keep_row_numbers(tmp_path):
    """The tolerant reader path: blank lines, note rows with one cell, a 10,000-character cell,
    an extra unknown column."""
    df = pd.DataFrame(ROWS + [person_row("6210230002", 1, 1) | {"行政村": "长" * 10_000}])
    df["银行卡号"] = "6228480000000000000"
    text = df.to_csv(index=False, lineterminator="\n")
    head, rest = text.split("\n", 1)
    lines = rest.strip("\n").split("\n")
    p = tmp_path / "odd_2016.csv"
    p.write_text(head + "\n\n" + lines[0] + "\n,,,,\n" + "\n".join(lines[1:]) + "\n注：说明\n\n",
                 encoding="utf-8")
    (raw,) = read_export(p)
    assert raw.excel_rows.tolist() == [3, 5, 6]
    assert raw.skipped == {"numbering_row": 0, "blank_rows": 3, "note_rows": 1}
    assert raw.unknown_columns == ["银行卡号"]
    res = ingest([raw], KEY, geography())
    s = res.summary()
    assert s["rows_read"] == 3 == s["rows_accepted"] + s["rows_quarantined"]
    assert s["warnings"]["unknown_column"] == 1
    assert s["warnings"]["village_not_in_plan"] == 1
    f = res.findings[res.findings["rule"] == "village_not_in_plan"].iloc[0]
    assert int(f["source_row"]) == 6 and len(f["masked_value"]) < 80
    assert "6228480000000000000" not in res.findings.to_csv()


def test_row_longer_than_header_is_an_error(tmp_path):
    text = ",".join(HEADERS) + "\n" + ",".join(ROWS[0].values()) + ",extra,extra\n"
    p = tmp_path / "long_2016.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="more cells than the header") as exc:
        read_export(p)
    assert exc.value.row == 2


def test_xlsx_numbers_dates_and_formulas(tmp_path):
    import xlsxwriter

    p = tmp_path / "cells_2016.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate([person_row("6210230001", 1, 1), person_row("6210230002", 1, 1),
                             person_row("6210230003", 1, 1)], start=1):
        ws.write_row(r, 0, list(row.values()))
    inc = HEADERS.index("人均纯收入")
    ws.write_number(1, inc, 3200.0)
    ws.write_datetime(2, inc, datetime.datetime(2016, 1, 1), date_fmt)
    ws.write_formula(3, inc, "=1000+2200", None, 3200)
    ws.write_number(1, HEADERS.index("户编号"), 6210230001)
    wb.close()
    res = ingest(read_export(p), KEY, geography())
    s = res.summary()
    assert s["rows_accepted"] == 2 and s["quarantine_reasons"] == {"income_not_a_number": 1}
    assert sorted(res.households["income_per_capita"].tolist()) == [3200.0, 3200.0]


def test_synthetic_label(tmp_path):
    p = write_csv_export(tmp_path / "r_2016.csv", ROWS, title="华池县贫困人口（合成数据 SYNTHETIC）")
    assert read_export(p)[0].is_synthetic
    q = write_csv_export(tmp_path / "Synthetic_registry_2016.csv", ROWS)
    assert read_export(q)[0].is_synthetic
    assert not read_export(write_csv_export(tmp_path / "real_2016.csv", ROWS))[0].is_synthetic
    res = ingest(read_export(q), KEY, geography())
    assert res.persons["is_synthetic"].all() and res.households["is_synthetic"].all()
    assert res.summary()["is_synthetic"] is True


def test_same_file_name_in_two_folders_and_crlf(tmp_path):
    (tmp_path / "2015").mkdir()
    (tmp_path / "2016").mkdir()
    a = write_csv_export(tmp_path / "2015" / "export.csv", ROWS, title="华池县（2015年）")
    b = tmp_path / "2016" / "export.csv"
    text = pd.DataFrame([person_row("6210230002", 1, 1)]).to_csv(index=False,
                                                                 lineterminator="\r\n")
    b.write_bytes(("华池县（2016年）\r\n" + text + "\r\n注：无\r\n").encode("utf-8-sig"))
    files = read_export(a) + read_export(b)
    assert files[1].excel_rows.tolist() == [3] and files[1].skipped["note_rows"] == 1
    res = ingest(files + read_export(a), KEY, geography())
    s = res.summary()
    assert [i["file"] for i in s["inputs"]] == ["2015/export.csv", "2016/export.csv",
                                                "2015/export.csv (2)"]
    assert s["rows_read"] == 5 and s["quarantine_reasons"] == {"duplicate_person": 2}
