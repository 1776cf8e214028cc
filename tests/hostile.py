"""Hostile cases of the bad-input corpus (issue 13's red-team pass, and more), and the scanner
that looks for the corpus's personal data in what the product writes and prints.

Every case is built by code, like the rest of ``badinputs``: personal data typed into coded and
numeric columns (names, phone numbers with separators, spaced and full-width IDs), sheets whose
cells reach XFD3 and A200000, CSVs with lone CR line endings, 200,000-character cells, UTF-32,
GBK bytes in the file name, IDs written four ways for the same persons, two-level headers, a
workbook named ``.csv``, file and sheet names that hold a name … :func:`hostile_cases` adds
them to the corpus; every personal value they use, in every spelling, goes into the markers.
"""

from __future__ import annotations

import codecs
import contextlib
import html
import json
import os
import re
import unicodedata
import zipfile
from pathlib import Path

from badinputs import (
    COLUMNS,
    TITLE,
    Case,
    Markers,
    csv_text,
    export_xlsx,
    table,
    valid_rows,
    write_csv,
    write_xlsx,
)

FULLWIDTH = str.maketrans("0123456789Xx+-", "０１２３４５６７８９ＸＸ＋－")


def phone_variants(p: str) -> list[str]:
    """A phone number as people type it."""
    return [f"{p[:3]}-{p[3:7]}-{p[7:]}", f"{p[:3]} {p[3:7]} {p[7:]}", f"+86 {p}",
            p.translate(FULLWIDTH), f"{p[:3]}.{p[3:7]}.{p[7:]}", f"(+86){p[:3]}-{p[3:]}"]


def id_variants(i: str) -> list[str]:
    """A resident ID as people type it."""
    return ["'" + i, f"{i[:6]} {i[6:14]} {i[14:]}", i.translate(FULLWIDTH), i.lower(),
            f" {i} "]


def _patch_sheet(path: Path, fn) -> Path:
    """Rewrite ``xl/worksheets/sheet1.xml`` of a workbook with ``fn(xml) -> xml``."""
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = fn(data)
            out.writestr(info.filename, data)
    tmp.replace(path)
    return path


def _in_row(row: int, cells: bytes):
    def fn(xml: bytes) -> bytes:
        m = re.search(rb'<row r="%d"[^>]*>.*?</row>' % row, xml, re.S)
        assert m, row
        return xml[:m.end() - 6] + cells + xml[m.end() - 6:]
    return fn


def _append_rows(rows: bytes):
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


def hostile_cases(root: Path, markers: Markers) -> list[Case]:
    cases: list[Case] = []
    good = valid_rows(12, seed=1)
    n = len(good)

    def path(name: str) -> Path:
        p = root / "hostile" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    # --- personal data typed into coded and numeric columns --------------------------
    rows = [dict(r) for r in valid_rows(14, seed=41, hh_offset=300)]
    markers.update(rows)
    people = [(str(r["姓名"]), str(r["联系电话"]), str(r["证件号码"])) for r in rows]
    typed = []
    for name, phone, rid in people:
        typed += [name, *phone_variants(phone)[:2], id_variants(rid)[1]]
        markers.phones.update(phone_variants(phone))
    member_cols = ["健康状况", "与户主关系", "文化程度", "民族", "在校生状况", "劳动技能", "务工状况"]
    other_cols = ["主要致贫原因", "贫困户属性", "危房户", "务工时间（月）", "自然村", "人数"]
    for i, r in enumerate(rows):
        col = (member_cols + other_cols)[i % (len(member_cols) + len(other_cols))]
        r[col] = typed[i % len(typed)]
    rows[0]["健康状况"] = people[1][0]  # another person's name
    rows[1]["与户主关系"] = phone_variants(people[2][1])[2]  # +86 …
    rows[2]["文化程度"] = phone_variants(people[3][1])[3]  # full-width digits
    rows[3]["民族"] = id_variants(people[4][2])[1]  # spaced ID
    rows[4]["人数"] = "13911112222"
    markers.phones.add("13911112222")
    rows[5]["人均纯收入"] = phone_variants(people[6][1])[0]  # 139-…: not a number (error)
    rows[6]["人均纯收入"] = people[7][1]  # a phone as a number: absurd income (error)
    rows[7]["脱贫属性"] = people[8][0]  # a name as exit status (error)
    rows[8]["务工时间（月）"] = people[9][1]
    p = export_xlsx(path("personal_in_coded_columns_2016.xlsx"), rows)
    cases.append(Case("personal data typed into coded and numeric columns (xlsx)", [p], "ok",
                      rows=len(rows), rules=("unknown_code", "invalid_household_size",
                                             "income_not_a_number", "absurd_income",
                                             "unknown_exit_status", "invalid_months_away")))
    p = write_csv(path("personal_in_coded_columns_2016.csv"), table(rows), "utf-8")
    cases.append(Case("personal data typed into coded and numeric columns (CSV)", [p], "ok",
                      rows=len(rows), rules=("unknown_code", "invalid_household_size")))
    vrows = [dict(r) for r in good]
    vrows[0]["行政村"] = str(good[5]["姓名"])  # a person's name as the village
    vrows[1]["行政村"] = phone_variants(str(good[6]["联系电话"]))[0] + "村"
    vrows[2]["乡(镇)"] = str(good[7]["姓名"])  # and as the township
    hidden = str(good[8]["姓名"])
    vrows[3]["行政村"] = hidden[:1] + "\u200b" + hidden[1:]  # a zero-width space inside
    vrows[4]["健康状况"] = hidden[:2] + "\u2060" + hidden[2:]
    p = export_xlsx(path("personal_as_village_2016.xlsx"), vrows)
    cases.append(Case("a person's name or phone as village or township", [p], "ok", rows=n,
                      accepted=n - 4, reasons={"invalid_village": 3, "unknown_township": 1},
                      rules=("unknown_code",)))

    # --- names in file, sheet and column names -----------------------------------------
    who, phone = str(good[0]["姓名"]), str(good[0]["联系电话"])
    p = export_xlsx(path(f"{who}_{phone}_2016.xlsx"), good, columns=COLUMNS + [f"{who}的电话"])
    cases.append(Case("a person's name and phone in the file name and a header", [p], "ok",
                      rows=n, accepted=n, rules=("unknown_column",)))
    half = len(good) // 2
    p = write_xlsx(path("two_sheets_2016.xlsx"),
                   {"Sheet1": [[TITLE.format(year=2016)]] + table(good[:half]),
                    who: [[TITLE.format(year=2016)]] + table(good[half:])})
    cases.append(Case("a sheet named after a person", [p], "ok", rows=n, accepted=n))

    # --- sheets larger than an export can be -----------------------------------------
    empty_str = b'<c r="%s" t="inlineStr"><is><t></t></is></c>'
    p = export_xlsx(path("far_empty_strings_2016.xlsx"), good)
    _patch_sheet(p, _in_row(3, empty_str % b"XFD3"))
    _patch_sheet(p, _append_rows(b'<row r="200000">' + empty_str % b"A200000" + b"</row>"))
    cases.append(Case("10 KB xlsx with empty strings at XFD3 and A200000", [p], "ok", rows=n,
                      accepted=n))
    p = export_xlsx(path("far_blank_cells_2016.xlsx"), good)
    _patch_sheet(p, _in_row(3, b'<c r="XFD3" s="0"/>'))
    _patch_sheet(p, _append_rows(b'<row r="1048576"><c r="A1048576" s="0"/></row>'))
    cases.append(Case("xlsx with blank styled cells at XFD3 and A1048576", [p], "ok", rows=n,
                      accepted=n))
    p = export_xlsx(path("far_values_2016.xlsx"), good)
    _patch_sheet(p, _in_row(3, b'<c r="XFD3" t="inlineStr"><is><t>x</t></is></c>'))
    _patch_sheet(p, _append_rows(b'<row r="200000"><c r="A200000"><v>1</v></c></row>'))
    cases.append(Case("xlsx with values at XFD3 and A200000", [p], "error",
                      r"(?i)as far as cell XFD"))
    p = export_xlsx(path("wide_row_no_refs_2016.xlsx"), good)
    _patch_sheet(p, _append_rows(b'<row r="900">' + b"<c><v>1</v></c>" * 20_000 + b"</row>"))
    cases.append(Case("xlsx with a 20,000-cell row without cell references", [p], "error",
                      r"(?i)as far as cell"))
    p = export_xlsx(path("cell_below_its_row_2016.xlsx"), good)
    _patch_sheet(p, _in_row(3, b'<c r="B1000000"><v>7</v></c>'))
    cases.append(Case("xlsx with a cell far below the row that holds it", [p], "error",
                      r"(?i)sheet|cells"))

    # --- CSV line endings, cell sizes, encodings, file names ----------------------------
    text = csv_text([[TITLE.format(year=2016)]] + table(good))
    p = path("lone_cr_2016.csv")
    p.write_bytes(text.replace("\r\n", "\r").encode("utf-8"))
    cases.append(Case("CSV with lone CR line endings", [p], "ok", rows=n, accepted=n))
    p = path("lone_cr_gbk_2016.csv")
    p.write_bytes(text.replace("\r\n", "\r").encode("gb18030"))
    cases.append(Case("CSV with lone CR line endings in GB18030", [p], "ok", rows=n, accepted=n))
    big = [["说明" + "长" * 200_000]] + [[TITLE.format(year=2016)]] + table(good)
    p = write_csv(path("huge_cell_in_title_2016.csv"), big, "utf-8")
    cases.append(Case("CSV with a 200,000-character cell above the header", [p], "ok", rows=n,
                      accepted=n))
    brows = [dict(r) for r in good]
    brows[0]["自然村"] = "组" * 200_000
    p = write_csv(path("huge_cell_in_data_2016.csv"), table(brows), "utf-8")
    cases.append(Case("CSV with a 200,000-character data cell", [p], "ok", rows=n, accepted=n))
    for enc, bom in (("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE)):
        p = path(f"{enc}_bom_2016.csv")
        p.write_bytes(bom + csv_text(table(good)).encode(enc))
        cases.append(Case(f"CSV in {enc.upper()} with BOM", [p], "ok", rows=n, accepted=n))
    for enc in ("utf-32-le", "utf-16-be"):
        p = path(f"{enc}_nobom_2016.csv")
        p.write_bytes(csv_text(table(good)).encode(enc))
        cases.append(Case(f"CSV in {enc.upper()} without BOM", [p], "error_or_ok",
                          r"(?i)encoding|NUL", rows=n, accepted=n))
    p = path("nul_bytes_2016.csv")
    p.write_bytes(csv_text(table(good)).encode("utf-8").replace(b",", b",\x00", 5))
    cases.append(Case("CSV with NUL bytes", [p], "error", r"(?i)NUL"))
    p = path("workbook_named_csv_2016.csv")
    p.write_bytes(export_xlsx(path("wb_src_2016.xlsx"), good).read_bytes())
    path("wb_src_2016.xlsx").unlink()
    cases.append(Case("an xlsx workbook named .csv", [p], "error", r"(?i)workbook"))
    gbk = os.path.join(os.fsencode(root / "hostile"), "华池县建档立卡_2016.csv".encode("gbk"))
    with open(gbk, "wb") as fh:
        fh.write(csv_text([[TITLE.format(year=2016)]] + table(good)).encode("gb18030"))
    cases.append(Case("file name in GBK bytes", [Path(os.fsdecode(gbk))], "ok", rows=n,
                      accepted=n))

    p = write_csv(path("header_100000_columns_2016.csv"),
                  [COLUMNS + [f"列{i}" for i in range(100_000)]] + table(good)[1:], "utf-8")
    cases.append(Case("CSV header naming 100,000 columns", [p], "error", r"(?i)columns"))
    p = write_csv(path("header_100000_empty_cells_2016.csv"),
                  [COLUMNS + [""] * 100_000] + table(good)[1:], "utf-8")
    cases.append(Case("CSV header followed by 100,000 empty cells", [p], "ok", rows=n,
                      accepted=n))

    # --- header oddities -----------------------------------------------------------------
    qcols = [c.replace("证件号码", "证件\n号码").replace("人均纯收入", "人均\r\n纯收入") for c in COLUMNS]
    p = write_csv(path("line_break_in_header_2016.csv"), [qcols] + table(good)[1:], "utf-8")
    cases.append(Case("quoted line breaks in header cells (CSV)", [p], "ok", rows=n, accepted=n))
    hh_cols = ["县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号"]
    top = [c if c in hh_cols else ("家庭成员情况" if c == "人编号" else "") for c in COLUMNS]
    second = ["" if c in hh_cols else c for c in COLUMNS]
    p = write_xlsx(path("two_level_header_2016.xlsx"),
                   {"Sheet1": [[TITLE.format(year=2016)], top, second] + table(good)[1:]})
    cases.append(Case("two-level (merged) header", [p], "ok", rows=n, accepted=n))

    # --- the same persons, IDs written differently ---------------------------------------
    irows = [dict(r) for r in good]
    for k, r in enumerate(irows):
        r["证件号码"] = id_variants(str(r["证件号码"]))[k % 5]
        markers.ids.add(str(r["证件号码"]).strip().lstrip("'"))
    a = export_xlsx(path("ids/export_a_2016.xlsx"), good)
    b = write_csv(path("ids/export_b_2016.csv"), table(irows), "utf-8")
    cases.append(Case("the same persons with IDs as ', spaced, full-width, lower-case x",
                      [a, b], "ok", rows=2 * n, accepted=n,
                      reasons={"duplicate_person": n}))
    return cases


# --- the leak scanner -------------------------------------------------------------------

ID_WINDOW = 14
_INVISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_DIGITS_APART = re.compile(r"(?<=[0-9Xx])[\s\-.·()'+_/]{1,3}(?=[0-9Xx])")


def file_texts(path: Path) -> list[str]:
    """Every textual view of a file: its bytes as UTF-8 (and GB18030), and the decoded content
    of Parquet, PDF, notebooks/JSON (non-ASCII unescaped), HTML (entities unescaped), xlsx."""
    data = path.read_bytes()
    texts = [data.decode("utf-8", errors="ignore")]
    with contextlib.suppress(UnicodeDecodeError):
        texts.append(data.decode("gb18030"))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        texts.append(pq.read_table(path).to_pandas().to_csv(index=False))
    elif suffix == ".pdf":
        from pypdf import PdfReader

        texts.append("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))
    elif suffix in (".ipynb", ".json"):
        with contextlib.suppress(ValueError):
            texts.append(json.dumps(json.loads(data.decode("utf-8")), ensure_ascii=False))
    if suffix in (".html", ".htm", ".ipynb", ".svg", ".xml"):
        texts.append(html.unescape(texts[0]))
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        texts += [repr(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names]
    return texts


def text_leaks(text: str, markers: Markers) -> list[str]:
    """What personal values ``text`` contains (described, never the value itself): names (also
    with spaces removed), phones and IDs (also once full-width digits are folded and
    separators between digits removed), values of unknown columns."""
    found = []
    folded = unicodedata.normalize("NFKC", text)
    squeezed = _DIGITS_APART.sub("", folded)
    compact = _INVISIBLE.sub("", folded)
    windows = {i[k:k + ID_WINDOW].upper() for i in markers.ids
               for k in range(len(i) - ID_WINDOW + 1)}
    digits_of = {re.sub(r"\D", "", unicodedata.normalize("NFKC", p))[-11:] for p in markers.phones}
    for name in markers.names:
        if name in text or name in compact:
            found.append(f"a name ({name[:1]}*)")
            break
    for phone in markers.phones:
        if phone in text:
            found.append(f"a phone ({phone[:3]}…)")
            break
    else:
        for d in digits_of:
            if len(d) >= 11 and d in squeezed:
                found.append(f"a phone ({d[:3]}…, written with separators or full-width)")
                break
    for free in markers.free_text:
        if free in text:
            found.append("a value of an unknown column")
            break
    for t in (text, squeezed):
        for run in re.findall(rf"[0-9Xx]{{{ID_WINDOW},}}", t):
            run = run.upper()
            if any(run[k:k + ID_WINDOW] in windows for k in range(len(run) - ID_WINDOW + 1)):
                found.append("an ID number (≥14 consecutive characters)")
                break
    return sorted(set(found))


def leaks(path: Path, markers: Markers) -> list[str]:
    """What personal values the file ``path`` contains, in any of its textual views."""
    out: set[str] = set()
    for text in file_texts(path):
        out.update(text_leaks(text, markers))
    return sorted(out)
