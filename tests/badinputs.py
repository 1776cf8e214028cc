"""The broken-input corpus of the reliability tests, built by code into a temporary folder.

Nothing here is a committed binary: every case is generated from a small valid person-level
export (:func:`valid_rows`) and then broken in one specific way. :func:`build_corpus` writes
every case and returns :class:`Case` objects that say what the ingest must do with them:

* ``expect="error"``: ``huachi ingest`` exits non-zero with a message that names the file and
  matches ``message`` (a regular expression) — and shows no traceback;
* ``expect="ok"``: the files are read (exit 0); ``rows_read`` is ``rows`` (when given), every
  row is accepted or quarantined, and every rule id in ``rules`` is reported (as quarantine
  reason or warning).

Personal data in this corpus is generated: names from rare characters, resident IDs with a
valid check digit under the region code ``990102`` (no real county has it) and phone numbers
``139…``. :class:`Markers` lists every one of them so privacy tests can scan outputs for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

#: The standard person-level export header (registry_export.md, in export order) + 脱贫年度.
COLUMNS = [
    "县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名", "证件号码", "人数",
    "与户主关系", "民族", "文化程度", "在校生状况", "健康状况", "劳动技能", "务工状况",
    "务工时间（月）", "参加大病医疗", "脱贫属性", "贫困户属性", "主要致贫原因", "危房户", "饮水安全",
    "饮水困难", "人均纯收入", "联系电话", "脱贫年度",
]
#: (township, village) pairs from the plan (poor villages and two non-poor ones).
PLACES = [
    ("白马乡", "王沟门村"), ("怀安乡", "坪庄村"), ("乔川乡", "铁角城村"), ("五蛟镇", "南湾村"),
    ("城壕镇", "杨寺岔村"), ("柔远镇", "刘沟村"), ("上里塬乡", "鸭口村"), ("悦乐镇", "乔崾岘村"),
    ("紫坊畔乡", "庙沟村"), ("王咀子乡", "银坪村"), ("山庄乡", "尚湾村"), ("怀安乡", "杨坪村"),
]
TITLE = "华池县建档立卡贫困人口信息表（{year}年）"
#: Region code of every generated resident ID: structurally valid, no real county has it.
REGION = "990102"
# Rare characters only, so a generated name cannot occur by chance in report text.
_SURNAMES = "佘鞠晁鄢禤蒯逄"
_GIVEN = "犇骉猋羴鱻赑淼焱垚嫑巭兲烎靐龘嘦"

_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_digit(first17: str) -> str:
    """GB 11643 check character of the first 17 digits of a resident ID."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _W, strict=True)) % 11]


def resident_id(birth: dt.date, seq: int, male: bool, region: str = REGION) -> str:
    """A structurally valid 18-character resident ID (valid check digit and birth date)."""
    order = (seq * 2 + (1 if male else 0)) % 1000
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


@dataclass
class Markers:
    """Every personal value written into generated exports (for leak scans)."""

    names: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    free_text: set[str] = field(default_factory=set)  # values of unknown columns (备注)

    def update(self, rows: list[dict[str, object]]) -> None:
        for r in rows:
            if r.get("姓名"):
                self.names.add(str(r["姓名"]))
            if r.get("证件号码"):
                self.ids.add(str(r["证件号码"]))
            if r.get("联系电话"):
                self.phones.add(str(r["联系电话"]))


def valid_rows(households: int = 12, *, seed: int = 0, hh_offset: int = 0,
               year: int = 2016) -> list[dict[str, object]]:
    """Person-level export rows (one dict per member, keys = :data:`COLUMNS`) that pass every
    ingest rule: known townships and villages, valid IDs, agreeing household fields."""
    rng = random.Random(seed * 7919 + hh_offset)
    rows: list[dict[str, object]] = []
    for h in range(households):
        hh_no = hh_offset + h
        town, village = PLACES[hh_no % len(PLACES)]
        size = rng.randint(1, 4)
        status = rng.choice(["未脱贫", "已脱贫", "已脱贫", "返贫"])
        hh = {
            "县(市、区、旗)": "华池县", "乡(镇)": town, "行政村": village,
            "自然村": f"{rng.choice('东西南北')}组", "户编号": f"62102301{hh_no:08d}",
            "人数": size, "脱贫属性": status,
            "贫困户属性": rng.choice(["一般贫困户", "低保贫困户"]),
            "主要致贫原因": rng.choice(["因病", "缺技术", "缺资金", "因学"]),
            "危房户": rng.choice("是否"), "饮水安全": "是", "饮水困难": "否",
            "人均纯收入": rng.randint(1500, 9000),
            "联系电话": f"139{hh_no % 100:02d}{rng.randint(0, 999_999):06d}",
            "脱贫年度": year if status == "已脱贫" else "",
        }
        for m in range(size):
            pno = hh_no * 10 + m
            male = rng.random() < 0.5
            birth = dt.date(rng.randint(1940, 2012), rng.randint(1, 12), rng.randint(1, 28))
            name = (_SURNAMES[pno % len(_SURNAMES)] + _GIVEN[(pno // 7) % len(_GIVEN)]
                    + _GIVEN[pno % len(_GIVEN)] + _GIVEN[(pno // 3) % len(_GIVEN)])
            rows.append(hh | {
                "人编号": f"P{pno:09d}", "姓名": name,
                "证件号码": resident_id(birth, pno, male),
                "与户主关系": "户主" if m == 0 else rng.choice(["配偶", "之子", "之女"]),
                "民族": "汉族", "文化程度": rng.choice(["小学", "初中", "高中"]),
                "在校生状况": "非在校生", "健康状况": rng.choice(["健康", "长期慢性病"]),
                "劳动技能": "普通劳动力", "务工状况": "省外务工", "务工时间（月）": rng.randint(0, 12),
                "参加大病医疗": "是",
            })
    return rows


# --- writers --------------------------------------------------------------------------------

def table(rows: list[dict[str, object]], columns: list[str] | None = None) -> list[list[object]]:
    columns = columns or COLUMNS
    return [list(columns)] + [[r.get(c, "") for c in columns] for r in rows]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], *,
               formulas: bool = True) -> Path:
    """Write a workbook (sheet name → rows) with openpyxl. With ``formulas``, strings starting
    with ``=`` become formulas (no cached value, as a file saved by a script has none);
    without, they stay text cells."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if not formulas:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def export_xlsx(path: Path, rows: list[dict[str, object]], *, year: int | None = 2016,
                columns: list[str] | None = None, formulas: bool = True) -> Path:
    """A realistic export: title row, header, data."""
    title = [[TITLE.format(year=year)]] if year else [["华池县建档立卡贫困人口信息表"]]
    return write_xlsx(path, {"Sheet1": title + table(rows, columns)}, formulas=formulas)


def csv_text(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig",
              errors: str = "strict") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(rows).encode(encoding, errors=errors))
    return path


# --- the corpus -------------------------------------------------------------------------------

@dataclass
class Case:
    """One broken input and what ingest must do with it."""

    name: str
    files: list[Path]
    expect: str  # "error", "ok" or "error_or_ok" (a clean error, or rows/accepted as given)
    message: str = ""  # regex the error message must match ("error")
    rows: int | None = None  # rows_read the summary must show ("ok")
    accepted: int | None = None  # rows_accepted the summary must show ("ok")
    rules: tuple[str, ...] = ()  # rule ids that must be reported ("ok")
    reasons: dict[str, int] = field(default_factory=dict)  # exact quarantine_reasons counts
    year: int | None = None  # --year to pass
    note: str = ""


def _rules_rows() -> tuple[list[dict[str, object]], dict[str, int]]:
    """Valid rows plus one household broken per row-level rule. Returns rows and the number of
    rows each error rule must quarantine."""
    base = valid_rows(10, seed=3, hh_offset=500)
    extra: list[dict[str, object]] = []
    quarantined: dict[str, int] = {}

    def one(h: int, **changes: object) -> dict[str, object]:
        r = valid_rows(1, seed=4, hh_offset=600 + h)[0]
        r["人数"] = 1
        r["与户主关系"] = "户主"
        r.update(changes)
        extra.append(r)
        return r

    # errors (row quarantined)
    for i, (rule, change) in enumerate([
        ("wrong_county", {"县(市、区、旗)": "环县"}),
        ("unknown_township", {"乡(镇)": "不存在乡"}),
        ("missing_village", {"行政村": ""}),
        ("missing_household_id", {"户编号": ""}),
        ("invalid_year", {"年度": "20x6"}),
        ("person_unidentifiable", {"证件号码": "", "人编号": ""}),
        ("unknown_exit_status", {"脱贫属性": "脱了一半"}),
        ("income_not_a_number", {"人均纯收入": "三千元"}),
        ("negative_income", {"人均纯收入": -120}),
        ("absurd_income", {"人均纯收入": 5_000_000}),
    ]):
        one(i, **change)
        quarantined[rule] = 1
    dup = one(20)
    extra.append(dict(dup))  # the same person twice: second row quarantined
    dup["人数"] = 2
    extra[-1]["人数"] = 2
    quarantined["duplicate_person"] = 1
    # warnings (row kept)
    bad_id = one(30)["证件号码"]
    extra[-1]["证件号码"] = bad_id[:17] + ("0" if bad_id[17] != "0" else "1")
    one(31, 证件号码="")
    one(32, 行政村="新建不在规划村")
    one(33, 贫困户属性="富裕户")
    one(34, 主要致贫原因="因懒")
    one(35, 危房户="可能")
    one(36, 人数="两人")
    one(37, 脱贫年度=1999)
    one(38, **{"务工时间（月）": 13})
    one(39, 人均纯收入="")
    one(40, 人数=5)  # household_size_mismatch
    a = one(41)
    b = dict(a)
    b.update(人编号=str(a["人编号"]) + "b", 证件号码=resident_id(dt.date(1990, 1, 2), 9041, True),
             与户主关系="配偶", 主要致贫原因="缺资金" if a["主要致贫原因"] != "缺资金" else "因病")
    a["人数"] = b["人数"] = 2
    extra.append(b)  # household_fields_disagree
    for r in base + extra:
        r.setdefault("年度", 2016)
        r["备注"] = "无"
    return base + extra, quarantined


WARNING_RULES = ("invalid_id_number", "missing_id_number", "village_not_in_plan",
                 "unknown_household_type", "unknown_main_cause", "unknown_flag",
                 "invalid_household_size", "invalid_exit_year", "invalid_months_away",
                 "missing_income", "household_size_mismatch", "household_fields_disagree",
                 "unknown_column")


def build_corpus(root: Path) -> tuple[list[Case], Markers]:
    """Write every broken-input case under ``root`` and return the cases and the personal
    values they contain."""
    root.mkdir(parents=True, exist_ok=True)
    markers = Markers()
    cases: list[Case] = []
    good = valid_rows(12, seed=1)
    n = len(good)
    markers.update(good)
    good_xlsx = export_xlsx(root / "_good" / "export_2016.xlsx", good)
    data = good_xlsx.read_bytes()

    def path(name: str) -> Path:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    # --- files that cannot be read ------------------------------------------------------
    for frac in (0.5, 0.9):
        p = path(f"truncated_{int(frac * 100)}_2016.xlsx")
        p.write_bytes(data[: int(len(data) * frac)])
        cases.append(Case(f"truncated xlsx ({int(frac * 100)}%)", [p], "error",
                          r"(?i)excel|workbook|xlsx"))
    p = path("random_bytes_2016.xlsx")
    p.write_bytes(random.Random(5).randbytes(4096))
    cases.append(Case("random bytes named .xlsx", [p], "error", r"(?i)excel|workbook|xlsx"))
    p = path("zip_not_xlsx_2016.xlsx")
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "这不是 Excel 文件")
    cases.append(Case("zip that is not an xlsx", [p], "error", r"(?i)excel|workbook|xlsx"))
    p = path("empty_2016.xlsx")
    p.write_bytes(b"")
    cases.append(Case("empty .xlsx (0 bytes)", [p], "error", r"(?i)empty"))
    p = path("empty_2016.csv")
    p.write_bytes(b"")
    cases.append(Case("empty .csv (0 bytes)", [p], "error", r"(?i)empty"))
    p = path("blank_lines_2016.csv")
    p.write_bytes(b"\r\n\r\n  \r\n")
    cases.append(Case("csv of blank lines", [p], "error", r"(?i)empty|header"))
    p = write_xlsx(path("no_header_2016.xlsx"),
                   {"Sheet1": [[TITLE.format(year=2016)]] + table(good)[1:]})
    cases.append(Case("xlsx with no header row", [p], "error", r"header"))
    p = write_xlsx(path("cover_only_2016.xlsx"),
                   {"封面": [["华池县扶贫办"], ["2016年度"], ["说明：本表为封面"]]})
    cases.append(Case("workbook with only a cover page", [p], "error", r"header"))
    p = path("export_2016.docx")
    p.write_bytes(b"PK\x03\x04 not really a docx")
    cases.append(Case("unsupported file type", [p], "error", r"(?i)\.docx|file type"))
    cases.append(Case("file that does not exist", [root / "missing_2016.xlsx"], "error",
                      r"(?i)no such file|not found|does not exist"))
    p = path("empty_year_folder/2017")
    p.mkdir(parents=True, exist_ok=True)
    cases.append(Case("year folder with no files (given as input)", [p], "error",
                      r"(?i)no such file|folder|director|no .*files|not a file"))
    hh_level = [[TITLE.format(year=2016)],
                ["县(市、区、旗)", "乡(镇)", "行政村", "户编号", "户主姓名", "人数", "脱贫属性",
                 "人均纯收入"]]
    hh_level += [[r["县(市、区、旗)"], r["乡(镇)"], r["行政村"], r["户编号"], r["姓名"], r["人数"],
                  r["脱贫属性"], r["人均纯收入"]] for r in good if r["与户主关系"] == "户主"]
    p = write_xlsx(path("household_level_2016.xlsx"), {"Sheet1": hh_level})
    cases.append(Case("household-level export instead of person-level", [p], "error",
                      r"household-level|person-level"))
    for missing in ("户编号", "乡(镇)", "脱贫属性"):
        cols = [c for c in COLUMNS if c != missing]
        p = export_xlsx(path(f"missing_{missing}_2016.xlsx"), good, columns=cols)
        cases.append(Case(f"required column {missing} missing", [p], "error",
                          r"(?i)missing.*" + missing.replace("(", r"\(").replace(")", r"\)")))
    p = write_csv(path("no_year_anywhere.csv"), table(good))
    cases.append(Case("no data year anywhere (name, title, 年度)", [p], "error", r"year"))
    # encodings
    p = write_csv(path("big5_2016.csv"), [[TITLE.format(year=2016)]] + table(good), "big5",
                  errors="replace")
    cases.append(Case("CSV in Big5", [p], "error", r"(?i)header|encoding"))
    p = write_csv(path("utf16_nobom_2016.csv"), table(good), "utf-16-le")
    cases.append(Case("CSV in UTF-16 without BOM", [p], "error_or_ok", r"(?i)header|encoding",
                      rows=n, accepted=n, note="an error, or every row decoded correctly"))
    head, body = table(good)[:1], table(good)[1:]
    half = len(body) // 2
    p = path("mixed_utf8_then_gbk_2016.csv")
    p.write_bytes(csv_text(head + body[:half]).encode("utf-8")
                  + csv_text(body[half:]).encode("gb18030"))
    cases.append(Case("mixed encodings (UTF-8, then GB18030)", [p], "error",
                      r"(?i)encoding"))
    p = path("mixed_gbk_then_utf8_2016.csv")
    p.write_bytes(csv_text(head + body[:half]).encode("gb18030")
                  + csv_text(body[half:]).encode("utf-8"))
    cases.append(Case("mixed encodings (GB18030, then UTF-8)", [p], "error_or_ok",
                      r"(?i)encoding", rows=len(body), accepted=half,
                      note="an error, or the UTF-8 rows quarantined (never accepted as mojibake)"))
    p = path("ragged_2016.csv")
    rag = table(good)
    rag[3] = rag[3] + ["x", "y", "z"]
    p.write_bytes(csv_text(rag).encode("utf-8"))
    cases.append(Case("CSV row with more cells than the header", [p], "error",
                      r"(?i)cells|column"))

    # --- files that can be read (rows accepted or quarantined with a reason) -----------
    p = write_xlsx(path("wrong_sheet_2016.xlsx"),
                   {"封面": [["华池县扶贫办"], ["2016年度建档立卡数据"], ["说明：数据在第二页"]],
                    "数据": [[TITLE.format(year=2016)]] + table(good)})
    cases.append(Case("data on sheet 2, sheet 1 a cover page", [p], "ok", rows=n, accepted=n))
    p = export_xlsx(path("header_only_2016.xlsx"), [])
    cases.append(Case("header-only xlsx", [p], "ok", rows=0, accepted=0))
    p = write_csv(path("header_only_2016.csv"), table([]))
    cases.append(Case("header-only csv", [p], "ok", rows=0, accepted=0))
    for enc in ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"):
        p = write_csv(path(f"enc_{enc}_2016.csv"), [[TITLE.format(year=2016)]] + table(good), enc)
        cases.append(Case(f"CSV in {enc}", [p], "ok", rows=n, accepted=n))
    g16 = export_xlsx(path("dup/export_2016.xlsx"), good)
    g16b = path("dup/export_2016_copy.xlsx")
    g16b.write_bytes(g16.read_bytes())
    cases.append(Case("duplicate files of the same year", [g16, g16b], "ok", rows=2 * n,
                      accepted=n, rules=("duplicate_file", "duplicate_person")))
    other = valid_rows(12, seed=2, hh_offset=100)
    markers.update(other)
    e1 = export_xlsx(path("twofiles/export_a_2016.xlsx"), good)
    e2 = export_xlsx(path("twofiles/export_b_2016.xlsx"), other + good[:3])
    cases.append(Case("two files of one year, overlapping by three persons", [e1, e2], "ok",
                      rows=n + len(other) + 3, accepted=n + len(other),
                      rules=("duplicate_person",)))
    extra_cols = COLUMNS + ["备注", "扶贫责任人", ""]
    xrows = [r | {"备注": f"备注{r['户编号']}", "扶贫责任人": "鞠犇骉干部"} for r in good]
    markers.free_text.update({"鞠犇骉干部"} | {f"备注{r['户编号']}" for r in good})
    p = export_xlsx(path("extra_columns_2016.xlsx"), xrows, columns=extra_cols)
    cases.append(Case("extra unknown columns", [p], "ok", rows=n, accepted=n,
                      rules=("unknown_column",)))
    # formulas in cells (openpyxl: no cached value) and as text in a CSV
    frows = [dict(r) for r in good]
    frows[0]["人均纯收入"] = "=SUM(1000,2000)"
    frows[1]["自然村"] = '=HYPERLINK("http://x.example/","点我")'
    frows[2]["人数"] = "=1+1"
    p = export_xlsx(path("formulas_2016.xlsx"), frows)
    cases.append(Case("formulas in xlsx cells", [p], "ok", rows=n))
    crows = [dict(r) for r in good]
    crows[0]["人均纯收入"] = "=SUM(A1:A9)"
    crows[1]["行政村"] = '=HYPERLINK("http://x.example/","刘沟村")'
    crows[2]["民族"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    p = write_csv(path("formulas_text_2016.csv"), table(crows))
    cases.append(Case("formula text in CSV cells", [p], "ok", rows=n,
                      rules=("income_not_a_number",)))
    drows = [dict(r) for r in good]
    drows[0]["人均纯收入"] = dt.datetime(2016, 3, 1)
    drows[1]["人数"] = dt.date(2016, 1, 2)
    drows[2]["务工时间（月）"] = dt.datetime(2016, 6, 1, 8, 30)
    p = export_xlsx(path("dates_as_numbers_2016.xlsx"), drows)
    cases.append(Case("dates where numbers belong", [p], "ok", rows=n,
                      rules=("income_not_a_number",)))
    long = "长" * 10_000
    lrows = [dict(r) for r in good]
    lrows[0]["行政村"] = long
    lrows[1]["自然村"] = "x" * 10_000
    lrows[2]["姓名"] = "佘" * 10_000
    lrows[3]["主要致贫原因"] = "因" * 10_000
    lrows[4]["户编号"] = "9" * 10_000
    p = export_xlsx(path("long_strings_2016.xlsx"), lrows)
    cases.append(Case("10,000-character strings", [p], "ok", rows=n,
                      rules=("village_not_in_plan", "unknown_main_cause")))
    p = write_csv(path("long_strings_2016.csv"), table(lrows))
    cases.append(Case("10,000-character strings (CSV)", [p], "ok", rows=n,
                      rules=("village_not_in_plan", "unknown_main_cause")))
    rrows, quarantined = _rules_rows()
    markers.update(rrows)
    p = export_xlsx(path("rules/row_errors.xlsx"), rrows, year=None,
                    columns=COLUMNS + ["年度", "备注"])
    total_q = sum(quarantined.values())
    cases.append(Case("row-level errors and warnings of every rule", [p], "ok",
                      rows=len(rrows), accepted=len(rrows) - total_q,
                      rules=tuple(quarantined) + WARNING_RULES, reasons=quarantined))
    # messy but valid: numbering row, trailing notes, spaces, number text, alias
    mrows = [dict(r) for r in good]
    for r in mrows:
        r["乡(镇)"] = "\u3000" + str(r["乡(镇)"]).replace("五蛟镇", "五蛟乡") + " "
        r["人均纯收入"] = f"{int(r['人均纯收入']):,}"
    mtab = ([[TITLE.format(year=2016)], ["单位：元"]] + table(mrows)[:1]
            + [list(range(1, len(COLUMNS) + 1))] + table(mrows)[1:]
            + [["注：本表数据截至2016年12月31日"], ["制表人：扶贫办"]])
    p = write_xlsx(path("messy_valid_2016.xlsx"), {"Sheet1": mtab})
    cases.append(Case("messy but valid export (titles, numbering row, notes, aliases)", [p],
                      "ok", rows=n, accepted=n))
    p = write_csv(path("messy_valid_gb18030_2016.csv"), mtab, "gb18030")
    cases.append(Case("messy but valid export as GB18030 CSV", [p], "ok", rows=n, accepted=n))
    from hostile import hostile_cases

    cases += hostile_cases(root, markers)
    return cases, markers


__all__ = ["COLUMNS", "Case", "Markers", "build_corpus", "check_digit", "export_xlsx",
           "resident_id", "table", "valid_rows", "write_csv", "write_xlsx"]


# --- running the command line as a user does -------------------------------------------------

@dataclass
class CliRun:
    """Outcome of one ``huachi`` invocation."""

    exit_code: int
    output: str  # stdout and stderr (what the user sees)
    crashed: BaseException | None  # an exception main() would show as a traceback


def run_cli(args: list[str]) -> CliRun:
    """Run ``huachi ARGS`` in-process exactly as :func:`huachi_analysis.cli.main` does: a
    :class:`~huachi_analysis.errors.HuachiError` becomes a message and exit 2; any other
    exception is a crash (the user would see a traceback)."""
    from typer.testing import CliRunner

    from huachi_analysis.cli import app
    from huachi_analysis.errors import HuachiError, user_message

    res = CliRunner().invoke(app, [a if isinstance(a, str) else str(a) for a in args])
    exc = res.exception
    out = res.output
    if exc is None or isinstance(exc, SystemExit):
        return CliRun(res.exit_code, out, None)
    if isinstance(exc, HuachiError):
        message, code = user_message(exc)
        return CliRun(code, out + f"错误 / error: {message}\n", None)
    import traceback

    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return CliRun(1, out + tb, exc)


def huachi_exe() -> Path:
    """The project's ``huachi`` console script (``.venv/bin/huachi``)."""
    import sys

    exe = Path(sys.executable).with_name("huachi")
    return exe if exe.exists() else Path(__file__).resolve().parents[1] / ".venv/bin/huachi"
