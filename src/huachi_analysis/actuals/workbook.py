"""Reading filled fill-in workbooks back: every sheet with the template's header row, every row
with something in it, cells as they are (checks are in :mod:`~huachi_analysis.actuals.validate`).

The result is a *cell frame*, the shape both readers produce: one row per spreadsheet or CSV row
with ``source_path`` (relative to the actuals folder, for messages), ``source_file`` (the file
name), ``source_sheet``, ``source_row`` (as Excel shows it), ``target_id``, ``indicator_id``,
``geography``, ``year``, ``unit``, ``value``, ``source``, ``note``, ``origin`` and
``file_synthetic``; values are the raw cell values (text, numbers, or None when empty).
"""

from __future__ import annotations

import io as _io
from pathlib import Path
from typing import Any

import pandas as pd

from huachi_analysis.actuals.template import HEADER, INSTRUCTIONS_SHEET, SYNTHETIC_LABEL
from huachi_analysis.plan.geography import normalise_name

#: Columns of a cell frame (see the module docstring).
CELL_COLUMNS = ("source_path", "source_file", "source_sheet", "source_row", "target_id",
                "indicator_id", "geography", "year", "unit", "value", "source", "note",
                "origin", "file_synthetic")
#: Workbook header → cell-frame column.
HEADER_MAP = {"target_id": "target_id", "indicator_id": "indicator_id", "地区": "geography",
              "年份": "year", "单位": "unit", "实际值": "value", "数据来源": "source",
              "备注": "note"}
HEADER_SEARCH_ROWS = 10
SYNTHETIC_MARKS = ("合成", "synthetic")


class UnreadableFile(Exception):
    """The file is not a workbook that can be opened."""


def is_synthetic_name(text: str) -> bool:
    """True if a file name or label says the data are synthetic (合成数据, SYNTHETIC)."""
    return any(m in str(text).lower() for m in SYNTHETIC_MARKS)


def _cell(v: object) -> object:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, float) and v != v:
        return None
    return v.strip() if isinstance(v, str) else v


def find_header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """``(row index, column index of each header name)`` of the template's header, or None."""
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {}
        for j, c in enumerate(cells):
            n = normalise_name(c) if isinstance(c, str) else ""
            if n and n not in names:
                names[n] = j
        if all(h in names for h in HEADER):
            return i, names
    return None


def empty_cells() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CELL_COLUMNS})


def sheets_of(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows (raw cell values) of an ``.xlsx`` given as bytes.

    Raises:
        UnreadableFile: not a workbook calamine can open.
    """
    from python_calamine import CalamineWorkbook

    if not data:
        raise UnreadableFile("the file is empty")
    try:
        wb = CalamineWorkbook.from_filelike(_io.BytesIO(data))
        return [(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
                for n in wb.sheet_names]
    except Exception as exc:  # calamine raises several error types for broken files
        raise UnreadableFile(f"not a readable Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:160]})") from None


def workbook_cells(sheets: list[tuple[str, list[list[object]]]], path: str,
                   name: str) -> tuple[pd.DataFrame, bool]:
    """The cell frame of a workbook's sheets (pure), and whether any sheet had the header.

    Args:
        sheets: :func:`sheets_of`.
        path: the file's path relative to the actuals folder (for messages).
        name: the file's name.
    """
    synthetic = is_synthetic_name(name)
    for sheet, rows in sheets:
        if sheet == INSTRUCTIONS_SHEET and rows and rows[0] and SYNTHETIC_LABEL in str(rows[0][0]):
            synthetic = True
    records = []
    found = False
    for sheet, rows in sheets:
        h = find_header(rows)
        if h is None:
            continue
        found = True
        at, names = h
        cols = {col: names[head] for head, col in HEADER_MAP.items()}
        for i in range(at + 1, len(rows)):
            cells = rows[i]
            rec = {col: _cell(cells[j]) if j < len(cells) else None for col, j in cols.items()}
            if all(rec[c] is None for c in ("target_id", "value", "source", "note",
                                             "geography", "year")):
                continue
            records.append({"source_path": path, "source_file": name, "source_sheet": sheet,
                            "source_row": i + 1, **rec, "origin": "department",
                            "file_synthetic": synthetic})
    if not records:
        return empty_cells(), found
    return pd.DataFrame(records, columns=list(CELL_COLUMNS)), found


def read_workbook(path: Path, rel: str) -> tuple[pd.DataFrame, bool]:
    """:func:`workbook_cells` of a file on disk."""
    return workbook_cells(sheets_of(Path(path).read_bytes()), rel, Path(path).name)
