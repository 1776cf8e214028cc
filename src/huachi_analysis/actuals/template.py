"""The departments' fill-in workbook (``huachi template``): which rows it has, and writing it.

:func:`template_rows` (pure) lists one row per target the registry cannot measure × year of
its period × the geography the plan sets it for. Targets of one series (same indicator,
geography and kind of value, e.g. 森林覆盖率 ≥30 % by 2017 and ≥35.1 % by 2020) share their
yearly rows, so a department never types the same figure twice: the row carries the target
whose deadline comes first and the 目标说明 column names every target the figure serves.

:func:`write_workbook` writes the 说明 sheet, one sheet per department
(:mod:`~huachi_analysis.actuals.departments`) and the optional 乡镇分报 sheet; filled values
(synthetic returns, tests) may be passed in. Only 实际值, 数据来源 and 备注 are unlocked;
实际值 carries Excel data validation (a number in the row's unit, or 是/否).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from huachi_analysis import io
from huachi_analysis.actuals import kinds
from huachi_analysis.actuals.departments import COLLECTING_OFFICE, DEPARTMENTS, department_of
from huachi_analysis.actuals.rules import allowed_range
from huachi_analysis.values import blank

#: The header every department sheet carries (more columns may follow, see :data:`EXTRA`).
HEADER = ("target_id", "indicator_id", "指标", "地区", "年份", "目标值", "单位", "实际值",
          "数据来源", "备注")
EXTRA = ("填报口径", "目标说明", "条款")
#: Columns a department fills in (unlocked); every other cell is locked.
INPUT_COLUMNS = ("实际值", "数据来源", "备注")
INSTRUCTIONS_SHEET = "说明"
BREAKDOWN_SHEET = "乡镇分报（选填）"
#: Empty rows of the 乡镇分报 sheet in a blank template.
BREAKDOWN_BLANK_ROWS = 300
SYNTHETIC_LABEL = "合成数据"
DEFAULT_YEARS = (2015, 2020)
#: Fixed workbook timestamp: the same inputs write byte-identical files.
_FIXED_CREATED = _dt.datetime(2021, 1, 1)
_CMP = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "", None: ""}
_WIDTHS = {"target_id": 11, "indicator_id": 30, "指标": 34, "地区": 16, "年份": 6, "目标值": 10,
           "单位": 9, "实际值": 11, "数据来源": 24, "备注": 24, "填报口径": 30, "目标说明": 44,
           "条款": 7}

BASIS_AMOUNT = "当年完成量（只填该年新增的数，程序按年累计）"
BASIS_YEARLY = "当年完成量（该年内完成的数，每年单独评价）"
BASIS_LEVEL = "当年数值（该年年底的水平，如覆盖率、面积、标准）"
BASIS_SHARE = "达到要求的单位所占比例（%，100 表示全部达到）"
BASIS_YES_NO = "截至该年年底是否已完成：是/否"
#: 每户, 每村 … as the plan writes a per-unit minimum.
PER_UNIT_ZH = {"household": "户", "village": "村", "township": "乡镇", "person": "人",
               "student": "名学生", "village_doctor": "名村医", "cadre": "名干部",
               "project": "个项目"}


def _plain(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def target_note(t: Mapping[str, Any]) -> str:
    """One target in words, e.g. ``T-07.8-10：到2017年 ≥30%``."""
    start, end = kinds.period(t)
    if kinds.value_type(t) == kinds.YES_NO:
        return (f"{t['target_id']}：{start}年起每年做到" if kinds.kind(t) == "standing_rule"
                else f"{t['target_id']}：{end}年底前完成")
    value: Any = t.get("value")
    amount = "" if blank(value) else _plain(float(value))
    unit = kinds.expected_unit(t)
    if kinds.is_share(t):
        each = PER_UNIT_ZH.get(str(t.get("per_unit")), "个单位")
        rule = f"每{each} {_CMP.get(t.get('comparator'), '')}{amount}{t.get('unit') or ''}" \
            if amount else f"每{each}都达到"
        return f"{t['target_id']}：{rule}（填达到要求的{each.lstrip('名个')}所占比例，%）"
    if kinds.kind(t) == "yearly_rate":
        return f"{t['target_id']}：{start}—{end}年每年 {_CMP.get(t.get('comparator'), '')}" \
            f"{amount}{unit}"
    if kinds.yearly_amount(t):
        span = f"{start}年" if start == end else f"{start}—{end}年合计"
        return f"{t['target_id']}：{span} {_CMP.get(t.get('comparator'), '')}{amount}{unit}"
    when = f"{end}年" if start == end else f"到{end}年"
    return f"{t['target_id']}：{when} {_CMP.get(t.get('comparator'), '')}{amount}{unit}"


def template_rows(targets: pd.DataFrame, years: tuple[int, int] = DEFAULT_YEARS,
                  measured: Iterable[str] = ()) -> pd.DataFrame:
    """The rows of the fill-in workbook (pure).

    Args:
        targets: ``plan_targets``.
        years: first and last year to include.
        measured: indicator ids the registry measures (no department row for them).

    Returns:
        One row per (indicator, geography, kind of value, year) with the sheet, the target
        whose deadline comes first (``target_id``), every target served (``target_ids``), the
        target value and unit, the reporting basis and a note.
    """
    measured = set(measured)
    cover: dict[tuple[str, str, str, int], list[dict]] = {}
    order: dict[str, int] = {}
    for i, t in enumerate(targets.to_dict("records")):
        order[t["target_id"]] = i
        if t["indicator_id"] in measured:
            continue
        for y in kinds.reporting_years(t):
            if years[0] <= y <= years[1]:
                key = (t["indicator_id"], t["geography"], kinds.value_type(t), y)
                cover.setdefault(key, []).append(t)
    rows = []
    for (ind, geo, vtype, year), ts in cover.items():
        ts = sorted(ts, key=lambda t: (kinds.period(t)[1], order[t["target_id"]]))
        p = ts[0]
        summed = any(kinds.kind(t) == "cumulative" for t in ts)
        amount = any(kinds.yearly_amount(t) for t in ts)
        rows.append({
            "sheet": department_of(p["domain"]).sheet,
            "target_id": p["target_id"], "target_ids": "|".join(t["target_id"] for t in ts),
            "indicator_id": ind, "indicator_zh": p["indicator_zh"], "geography": geo,
            "year": year,
            "target_value": kinds.target_value(p),
            "unit": kinds.expected_unit(p), "unit_base": kinds.base_unit(p),
            "value_type": vtype,
            "basis": (BASIS_YES_NO if vtype == kinds.YES_NO
                      else BASIS_SHARE if kinds.is_share(p)
                      else BASIS_AMOUNT if summed else BASIS_YEARLY if amount
                      else BASIS_LEVEL),
            "target_note": "；".join(target_note(t) for t in ts),
            "clause": str(p["clause"]), "order": order[p["target_id"]],
        })
    cols = ["sheet", "target_id", "target_ids", "indicator_id", "indicator_zh", "geography",
            "year", "target_value", "unit", "unit_base", "value_type", "basis", "target_note", "clause",
            "order"]
    df = pd.DataFrame(rows, columns=cols)
    sheet_rank = {d.sheet: i for i, d in enumerate(DEPARTMENTS)}
    df["_s"] = df["sheet"].map(sheet_rank)
    df = df.sort_values(["_s", "order", "geography", "value_type", "year"], kind="stable")
    return df.drop(columns="_s").reset_index(drop=True)


@dataclass
class Filled:
    """Values to write into a workbook (synthetic returns, tests): keyed by
    ``(target_id, geography, year)``; each value is a number, ``"是"``/``"否"`` or None."""

    values: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    sources: dict[tuple[str, str, int], str] = field(default_factory=dict)
    notes: dict[tuple[str, str, int], str] = field(default_factory=dict)
    #: Rows of the 乡镇分报 sheet: dicts with target_id, indicator_id, indicator_zh, geography,
    #: year, unit, value, source.
    breakdown: list[dict] = field(default_factory=list)


def instructions(sheets: list[tuple[str, str, int]], years: tuple[int, int], *,
                 synthetic: str | None = None) -> list[str]:
    """The lines of the 说明 sheet."""
    lines = []
    if synthetic:
        lines += [f"【{SYNTHETIC_LABEL}】{synthetic}", ""]
    lines += [
        f"华池县精准扶贫精准脱贫目标完成情况部门填报表（{years[0]}—{years[1]}年）",
        "依据：中共华池县委 华池县人民政府《关于华池县扎实推进精准扶贫精准脱贫工作的意见》"
        "（县委发〔2015〕44号）。本表由 huachi template 生成，列出建档立卡数据不能测算、需由部门"
        "报送的全部目标。",
        "",
        "一、怎么填",
        "1. 每个部门只填本部门工作表中的“实际值”“数据来源”“备注”三列（白底单元格）。灰底单元格"
        "已锁定，请勿修改，也不要增删行、改表头或改工作表名。",
        "2. 实际值按“单位”列的单位填写数字：单位是“万亩”的，1.2万亩填 1.2（不要填 12000）；"
        "单位是“%”的，填 0—100 之间的数（85.5 表示 85.5%）。不要在数字后加单位、文字或“约”。",
        "3. 先看“填报口径”列：“当年完成量”只填该年完成的数（如当年新修公里数），不要填累计数，"
        "需要累计的由程序累计；“当年数值”填该年年底的水平（如覆盖率、面积、补助标准）；"
        "“每户”“每村”一类要求，填达到要求的户（村）所占比例（%，100 表示全部达到）。",
        "4. 单位为“是/否”的目标，从下拉列表选“是”（截至该年年底已完成）或“否”（尚未完成）。",
        "5. 空白表示“未上报”，程序不会按 0 处理；确实为 0 的，请填 0。",
        "6. 数据来源：填统计报表、文件文号或工作台账的名称，便于核对。备注：口径不同、数据为估计"
        "等情况请写明。",
        "7. “目标说明”列写明该行数字用于哪些目标（一个数字可能同时用于几个目标，只填一次）。",
        f"8. 规划按全县设定的目标，如有分乡镇数据，可在“{BREAKDOWN_SHEET}”工作表逐行填写"
        "target_id、地区（乡镇）、年份、实际值和数据来源（选填）。",
        "",
        "二、报送",
        f"填好后请于每年1月底前将本工作簿报送{COLLECTING_OFFICE}。汇总人员把收到的工作簿放入项目的 "
        "data/raw/actuals/ 文件夹（可按年份建子文件夹），运行 huachi build 即读入；有问题的单元格会"
        "逐一列出（工作簿、工作表、行号和原因），其余数据照常使用。",
        "",
        "三、各部门工作表",
    ]
    lines += [f"“{s}”工作表：{name}，{n} 行" for s, name, n in sheets]
    lines += ["", "四、单位说明",
              "万亩 = 10 000 亩；万人 = 10 000 人；万人次 = 10 000 人次；亿元 = 100 000 000 元；"
              "% = 百分比（0—100）；个百分点 = 两个百分比之差；是/否 = 截至该年年底是否完成。"]
    return lines


def _formats(wb) -> dict[str, Any]:
    base = {"border": 1, "border_color": "#BFBFBF", "valign": "top", "text_wrap": True}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "synthetic": wb.add_format({"bold": True, "font_color": "#C00000", "font_size": 12}),
        "text": wb.add_format({"text_wrap": True, "valign": "top"}),
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7"}),
        "locked": wb.add_format({**base, "bg_color": "#F2F2F2"}),
        "locked_num": wb.add_format({**base, "bg_color": "#F2F2F2", "num_format": "General"}),
        "input": wb.add_format({**base, "locked": False, "bg_color": "#FFFFFF"}),
    }


def _validation(row: Mapping[str, Any]) -> dict:
    unit = row["unit"]
    if row["value_type"] == kinds.YES_NO:
        return {"validate": "list", "source": ["是", "否"], "input_title": "是/否",
                "input_message": "截至该年年底是否已完成：从下拉列表选“是”或“否”；空白表示未上报。",
                "error_title": "请选是或否", "error_message": "只能填“是”或“否”（或留空）。"}
    lo, hi = allowed_range(row["indicator_id"], row.get("unit_base"))
    msg = f"填数字，单位：{unit}。不要填文字或单位；空白表示未上报。"
    if lo is not None and hi is not None:
        msg += f"范围 {_plain(lo)}—{_plain(hi)}。"
    elif lo is not None:
        msg += "不能为负数。"
    return {"validate": "decimal", "criteria": "between",
            "minimum": -1e15 if lo is None else lo, "maximum": 1e15 if hi is None else hi,
            "input_title": f"实际值（{unit}）"[:32], "input_message": msg[:255],
            "error_title": "不是有效的数字", "error_message": f"请填{unit}为单位的数字。"[:255]}


def _write_cells(ws, r: int, cells: list[Any], fmt: dict, input_cols: set[int]) -> None:
    for j, v in enumerate(cells):
        f = fmt["input"] if j in input_cols else fmt["locked"]
        if v is None or (isinstance(v, float) and v != v):
            ws.write_blank(r, j, None, f)
        elif isinstance(v, bool):
            ws.write_string(r, j, str(v), f)
        elif isinstance(v, int | float):
            ws.write_number(r, j, v, f)
        else:
            ws.write_string(r, j, str(v), f)


def _department_sheet(wb, fmt, sheet: str, rows: pd.DataFrame, filled: Filled | None,
                      title: str) -> None:
    ws = wb.add_worksheet(sheet)
    cols = [*HEADER, *EXTRA]
    inputs = {cols.index(c) for c in INPUT_COLUMNS}
    for j, c in enumerate(cols):
        ws.set_column(j, j, _WIDTHS.get(c, 10))
    ws.write_string(0, 0, title, fmt["title"])
    for j, c in enumerate(cols):
        ws.write_string(1, j, c, fmt["head"])
    value_col = cols.index("实际值")
    groups: list[tuple[int, int, dict]] = []
    for i, row in enumerate(rows.to_dict("records")):
        r = i + 2
        key = (row["target_id"], row["geography"], int(row["year"]))
        value = source = note = None
        if filled is not None:
            value = filled.values.get(key)
            source, note = filled.sources.get(key), filled.notes.get(key)
        shown = "是" if row["value_type"] == kinds.YES_NO else row["target_value"]
        _write_cells(ws, r, [row["target_id"], row["indicator_id"], row["indicator_zh"],
                             row["geography"], int(row["year"]), shown, row["unit"], value,
                             source, note, row["basis"], row["target_note"], row["clause"]],
                     fmt, inputs)
        v = _validation(row)
        if groups and groups[-1][2] == v and groups[-1][1] == r - 1:
            groups[-1] = (groups[-1][0], r, v)
        else:
            groups.append((r, r, v))
    for first, last, v in groups:
        ws.data_validation(first, value_col, last, value_col, dict(v))
    ws.freeze_panes(2, 3)
    ws.autofilter(1, 0, 1 + len(rows), len(cols) - 1)
    ws.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})


def _breakdown_sheet(wb, fmt, filled: Filled | None, townships: list[str],
                     years: tuple[int, int], title: str) -> None:
    ws = wb.add_worksheet(BREAKDOWN_SHEET)
    cols = list(HEADER)
    for j, c in enumerate(cols):
        ws.set_column(j, j, _WIDTHS.get(c, 10))
    ws.write_string(0, 0, title, fmt["title"])
    for j, c in enumerate(cols):
        ws.write_string(1, j, c, fmt["head"])
    filled_rows = filled.breakdown if filled is not None else []
    every = set(range(len(cols)))
    for i, b in enumerate(filled_rows):
        _write_cells(ws, i + 2, [b["target_id"], b["indicator_id"], b["indicator_zh"],
                                 b["geography"], int(b["year"]), None, b["unit"], b["value"],
                                 b["source"], b.get("note")], fmt, every)
    first_blank = 2 + len(filled_rows)
    last = first_blank + BREAKDOWN_BLANK_ROWS - 1
    for r in range(first_blank, last + 1):
        _write_cells(ws, r, [None] * len(cols), fmt, every)
    ws.data_validation(2, cols.index("地区"), last, cols.index("地区"), {
        "validate": "list", "source": townships, "error_title": "不是本县的乡镇",
        "error_message": "请从下拉列表选择乡镇。"})
    ws.data_validation(2, cols.index("年份"), last, cols.index("年份"), {
        "validate": "integer", "criteria": "between", "minimum": years[0], "maximum": years[1],
        "error_message": f"年份应在 {years[0]}—{years[1]} 之间。"})
    ws.data_validation(2, cols.index("实际值"), last, cols.index("实际值"), {
        "validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15,
        "error_message": "请填数字（单位与该目标在部门工作表中的单位相同）。"})
    ws.freeze_panes(2, 1)
    ws.protect("", {"format_columns": True, "format_rows": True})


def write_workbook(path: str | Path, rows: pd.DataFrame, *, years: tuple[int, int],
                   townships: list[str], sheets: list[str] | None = None,
                   filled: Filled | None = None, synthetic: str | None = None) -> Path:
    """Write the fill-in workbook (atomically).

    Args:
        path: the ``.xlsx`` to write.
        rows: :func:`template_rows`.
        years: the years the rows cover (for the 说明 sheet and validation).
        townships: the county's townships (drop-down list of the 乡镇分报 sheet).
        sheets: department sheets to include (default: every department with rows).
        filled: values to write (a filled return); None for a blank template.
        synthetic: a label saying the values are synthetic (written on every sheet).
    """
    import xlsxwriter

    present = list(dict.fromkeys(rows["sheet"]))
    sheets = [s for s in present if sheets is None or s in sheets]
    names = {d.sheet: d.name for d in DEPARTMENTS}

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
        label = f"【{SYNTHETIC_LABEL}】" if synthetic else ""
        wb.set_properties({
            "title": f"华池县精准扶贫部门数据填报表 {years[0]}-{years[1]}{label}",
            "subject": "县委发〔2015〕44号 targets to be reported by departments",
            "author": "huachi-analysis", "created": _FIXED_CREATED,
            "keywords": "合成数据, SYNTHETIC, not real data" if synthetic else "",
            "comments": synthetic or ""})
        if synthetic:
            wb.set_custom_property("synthetic", True)
        fmt = _formats(wb)
        ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
        ws.set_column(0, 0, 110)
        counts = rows.groupby("sheet").size()
        lines = instructions([(s, names[s], int(counts[s])) for s in sheets], years,
                             synthetic=synthetic)
        for i, line in enumerate(lines):
            style = fmt["synthetic"] if synthetic and i == 0 else (
                fmt["title"] if i == (2 if synthetic else 0) else fmt["text"])
            ws.write_string(i, 0, line, style)
        for s in sheets:
            title = f"{names[s]} 填报表（{years[0]}—{years[1]}年）{label}"
            _department_sheet(wb, fmt, s, rows[rows["sheet"] == s], filled, title)
        _breakdown_sheet(wb, fmt, filled, townships, years,
                         f"乡镇分报（选填）：规划按全县设定的目标，如有分乡镇数据在此逐行填写{label}")
        wb.close()

    return io.write_with(path, write)
