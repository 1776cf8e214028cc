"""Per-year CSV copies of the pseudonymised registry tables, written on request.

The registry tables are stored as Parquet partitions (``registry_persons/year=YYYY/…``); the
build and ``huachi ingest`` no longer write a CSV copy of every year (at a million rows the
copies cost more than reading and checking the export). ``huachi export`` writes them when an
analyst wants them in Excel: ``registry_persons_YYYY.csv`` and ``registry_households_YYYY.csv``
with the columns and the CSV contract of every other table (:func:`huachi_analysis.io.
write_csv`: UTF-8 with BOM, formula-safe text), straight from the Parquet files through DuckDB.
A build removes the copies it finds (they would describe the previous build).
"""

from __future__ import annotations

import re
from pathlib import Path

from huachi_analysis import catalog

#: The tables stored by year (hive partitions, :mod:`huachi_analysis.catalog`) that have CSV
#: copies on request.
PARTITIONED = tuple(name for name, e in catalog.CATALOG.items() if e.partitioned_by == "year")


def copy_name(table: str, year: int) -> str:
    return f"{table}_{year}.csv"


def remove_copies(folder: Path) -> list[Path]:
    """Delete the per-year CSV copies in ``folder``; return what was deleted."""
    gone = []
    for table in PARTITIONED:
        for f in Path(folder).glob(f"{table}_*.csv"):
            if re.fullmatch(rf"{table}_\d{{4}}", f.stem):
                f.unlink()
                gone.append(f)
    return gone


def years_of(data: Path, table: str) -> list[int]:
    """Years with a Parquet partition of ``table`` in ``data``."""
    parts = catalog.entry(table).partitions(data)
    return sorted(int(y) for y, d in parts.items() if y.isdigit() and any(d.glob("*.parquet")))


def write_copies(data: Path, out: Path, tables: list[str], years: list[int] | None = None
                 ) -> list[Path]:
    """Write ``<table>_<year>.csv`` into ``out`` for each table and year (default: every year
    the table has), from the Parquet partitions in ``data``.

    Raises:
        ParameterError: an unknown table, or a year the table does not have.
    """
    import duckdb

    from huachi_analysis import io, metadata
    from huachi_analysis.errors import ParameterError, display_path
    from huachi_analysis.messages import both

    bad = [t for t in tables if t not in PARTITIONED]
    if bad:
        raise ParameterError(both("export_unknown_table", bad=", ".join(bad),
                                  choices=", ".join(PARTITIONED)))
    written = []
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET preserve_insertion_order = true")  # the Parquet's row order
        for table in tables:
            have = years_of(data, table)
            want = have if years is None else list(years)
            missing = [y for y in want if y not in have]
            if missing:
                raise ParameterError(both(
                    "export_missing_years", table=table, data=display_path(Path(data)),
                    missing=", ".join(map(str, missing)),
                    have=", ".join(map(str, have)) or {"zh": "无（请运行 huachi build）",
                                                       "en": "none (run `huachi build`)"}))
            for y in want:
                part = catalog.entry(table).partition(data, y).with_name("*.parquet")
                names = {r[0] for r in con.execute(
                    f"DESCRIBE SELECT * FROM read_parquet({io.sql_literal(part)})").fetchall()}
                cols = [f"CAST({y} AS BIGINT) AS year" if f == "year" and f not in names
                        else f'"{f}"' for f in metadata.TABLES[table].fields
                        if f in names or f == "year"]
                select = f"SELECT {', '.join(cols)} FROM read_parquet({io.sql_literal(part)})"
                written.append(io.write_csv_query(Path(out) / copy_name(table, y), con, select))
    return written
