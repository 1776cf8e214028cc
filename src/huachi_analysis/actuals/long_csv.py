"""Reading long-form actuals CSVs: a department's ``indicator_id, year, geography, value, unit,
source`` file, or the published-statistics file of contract C5 (the same columns plus
``source_title, publisher, published_date, url, quote, note``). UTF-8 (with or without BOM) and
GB18030/GBK (what Excel on a Chinese Windows writes) are both read.
"""

from __future__ import annotations

import io as _io
from pathlib import Path

import pandas as pd

from huachi_analysis.actuals.workbook import CELL_COLUMNS, empty_cells, is_synthetic_name
from huachi_analysis.errors import InputFileError
from huachi_analysis.messages import both

LONG_COLUMNS = ("indicator_id", "year", "geography", "value", "unit", "source")
PUBLISHED_EXTRA = ("source_title", "publisher", "published_date", "url", "quote", "note")


class WrongColumns(Exception):
    """The CSV's columns are neither the long form nor the published-statistics form."""


def decode(data: bytes, path: Path) -> str:
    """The text of a CSV in UTF-8 or GB18030/GBK (the registry reader's detection)."""
    from huachi_analysis.registry.read import decode_csv_bytes

    return decode_csv_bytes(data, path)[1]


def csv_cells(text: str, path: str, name: str) -> pd.DataFrame:
    """The cell frame of a long CSV's text (pure).

    Raises:
        WrongColumns: a column is missing, or one is neither of the long nor of the
            published-statistics form.
        pandas.errors.ParserError: not a CSV.
    """
    df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    missing = [c for c in LONG_COLUMNS if c not in df.columns]
    extra = [c for c in df.columns if c not in LONG_COLUMNS + PUBLISHED_EXTRA]
    if missing or extra:
        raise WrongColumns(
            f"columns must be {', '.join(LONG_COLUMNS)} (a department's long form) or those "
            f"and {', '.join(PUBLISHED_EXTRA)} (published statistics)"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unexpected: {', '.join(extra)}" if extra else ""))
    if df.empty:
        return empty_cells()
    published = all(c in df.columns for c in PUBLISHED_EXTRA)
    out = pd.DataFrame({
        "source_path": path, "source_file": name, "source_sheet": None,
        "source_row": range(2, len(df) + 2),  # the header is line 1
        "target_id": None,
        **{c: df[c].astype(object).where(df[c].notna(), None) for c in
           ("indicator_id", "geography", "year", "unit", "value", "source")},
        "note": (df["note"].astype(object).where(df["note"].notna(), None)
                 if "note" in df.columns else None),
        "origin": "published" if published else "department",
        "file_synthetic": is_synthetic_name(name),
    })
    for c in ("indicator_id", "geography", "year", "unit", "value", "source"):
        out[c] = out[c].map(lambda v: v.strip() or None if isinstance(v, str) else v)
    return out[list(CELL_COLUMNS)]


def read_long_csv(path: Path, rel: str) -> pd.DataFrame:
    """:func:`csv_cells` of a file on disk.

    Raises:
        InputFileError: the encoding cannot be told.
        WrongColumns, pandas.errors.ParserError: see :func:`csv_cells`.
    """
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError(path, both("file_empty"))
    return csv_cells(decode(data, path), rel, path.name)
