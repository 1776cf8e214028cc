"""A new year's registry export for the incremental benchmark (SYNTHETIC data).

``huachi synth`` writes 2014–2020 only. To measure "a new export arrives → briefings refreshed",
this writes the last year's export again as the next year, the way a county would receive it a
year later: the same persons and households, 年度 set to the new year, per-capita incomes up
by :data:`INCOME_GROWTH`, and every household still poor (未脱贫 or 返贫) exiting that year
(脱贫属性 已脱贫, 脱贫年度 the new year). The file is a CSV (UTF-8 with BOM, header in the first
row) named ``huachi_registry_<year>_SYNTHETIC.csv``, so the build marks it synthetic.

Usage::

    python benchmarks/new_year.py RAW_REGISTRY_DIR [--year 2021]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

INCOME_GROWTH = 1.08
HEADER_ROW = 1  # the export's title is row 1, its header row 2 (0-based 1)


def previous_export(folder: Path, year: int) -> Path:
    """The export of ``year − 1`` in ``folder`` (any depth; .xlsx or .csv)."""
    for p in sorted(Path(folder).rglob(f"*{year - 1}*")):
        if p.suffix.lower() in (".xlsx", ".csv"):
            return p
    raise FileNotFoundError(f"no export of {year - 1} under {folder}")


def next_year_export(folder: Path, year: int = 2021) -> Path:
    """Write the ``year`` export next to the ``year − 1`` one; return its path."""
    src = previous_export(folder, year)
    if src.suffix.lower() == ".xlsx":
        df = pd.read_excel(src, header=HEADER_ROW, dtype=str, engine="openpyxl")
    else:
        df = pd.read_csv(src, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    df["年度"] = str(year)
    income = pd.to_numeric(df["人均纯收入"], errors="coerce") * INCOME_GROWTH
    df["人均纯收入"] = income.round(2).map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    poor = df["脱贫属性"].isin(["未脱贫", "返贫"])
    df.loc[poor, "脱贫属性"] = "已脱贫"
    df.loc[poor, "脱贫年度"] = str(year)
    out = src.parent / f"huachi_registry_{year}_SYNTHETIC.csv"
    df.to_csv(out, index=False, encoding="utf-8-sig")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--year", type=int, default=2021)
    args = ap.parse_args(argv)
    print(next_year_export(args.folder, args.year))
    return 0


if __name__ == "__main__":
    sys.exit(main())
