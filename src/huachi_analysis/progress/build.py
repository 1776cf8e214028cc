"""Edges of the progress step: read processed inputs from ``out``, compute, write tables.

Called by ``huachi build`` (``build_progress(raw, out)``) and ``huachi progress``. The registry
is read by DuckDB straight from the processed Parquet folder; the exit audit (millions of rows
at province scale) is written by DuckDB too, then checked whole in SQL and on a sample with the
pandera schema. Every other table is small and fully validated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from huachi_analysis import catalog, io, metadata
from huachi_analysis.errors import GuaranteeError, HuachiError, InputFileError
from huachi_analysis.io import sql_literal
from huachi_analysis.messages import both
from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD
from huachi_analysis.progress.compute import compute_progress
from huachi_analysis.progress.engine import parquet_source
from huachi_analysis.progress.exit_audit import conform_audit, years_without_line
from huachi_analysis.progress.registry_indicators import HOUSEHOLD_COLUMNS

OUTPUTS = ("progress_targets", "progress_trajectory", "progress_registry", "village_exits",
           "exit_audit", "income_summary", "income_outliers", "income_distribution",
           "exit_audit_counts")
#: Rows of the written exit audit validated with pandera (the whole table is checked in SQL).
AUDIT_SAMPLE = 20_000


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        raise InputFileError(path, both("processed_missing", what=what))
    return path


def households_path(out: Path) -> Path:
    """The processed ``registry_households`` folder (read by DuckDB in place).

    Raises:
        InputFileError: the folder is missing, holds no Parquet files, or lacks a column the
            progress engine needs.
    """
    path = _need(catalog.path("registry_households", out),
                 "registry_households (Parquet, by year)")
    source = parquet_source(path)  # a clear error when there is nothing to read
    with duckdb.connect() as con:
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    missing = [c for c in HOUSEHOLD_COLUMNS if c not in names]
    if missing:
        raise InputFileError(path, both("processed_columns_missing", missing=missing))
    return path


def _read(out: Path, name: str, *, required: bool = True) -> pd.DataFrame | None:
    """A processed table as the build wrote it (Parquet); None if absent and not required."""
    df = catalog.read(name, out, fmt="parquet", required=required)
    return df if isinstance(df, pd.DataFrame) else None


def read_actuals_csv(path: Path, targets: pd.DataFrame, raw: Path | None = None) -> pd.DataFrame:
    """An actuals file (long CSV or filled workbook) given on the command line, checked against
    the plan exactly as ``huachi build`` checks ``data/raw/actuals/**``."""
    from huachi_analysis.actuals.build import read_actuals_file

    return read_actuals_file(_need(Path(path), "actuals file"), targets, raw)



def _fields_sql(table: str, src: str) -> str:
    """``SELECT`` of a registered table's fields, in their registered order, from ``src``."""
    cols = ", ".join(f'"{n}"' for n in metadata.TABLES[table].fields)
    return f"SELECT {cols} FROM {src}"


def check_audit(con: duckdb.DuckDBPyConnection, src: str) -> dict:
    """Whole-table checks of the written audit in SQL (what pandera checks on the sample):
    no NULL in a non-nullable column, only known findings. Returns ``{"rows": n}``.

    Raises:
        HuachiError: a check fails (a bug in the audit query, not an input problem).
    """
    table = metadata.TABLES["exit_audit"]
    strict = [n for n in table.fields
              if not metadata.FIELDS[n].nullable and n != "poverty_line"]
    allowed = ", ".join(sql_literal(f) for f in metadata.FIELDS["finding"].allowed or ())
    nulls = ", ".join(f'COUNT(*) FILTER (WHERE "{n}" IS NULL)' for n in strict)
    row = con.execute(f"SELECT COUNT(*), COUNT(*) FILTER (WHERE finding NOT IN ({allowed})), "
                      f"{nulls} FROM {src}").fetchone()
    if row is None:  # an aggregate without GROUP BY always gives one row
        raise GuaranteeError("the exit audit's check query gave no row")
    bad = {n: v for n, v in zip(strict, row[2:], strict=True) if v}
    if row[1] or bad:
        raise HuachiError(both("exit_audit_failed", unknown=row[1], bad=bad))
    return {"rows": int(row[0])}


def audit_writer(out: Path, summary: dict) -> Any:
    """An ``audit_sink`` for :func:`compute_progress`: writes ``exit_audit.parquet`` and
    ``exit_audit.csv`` (atomically, through :mod:`huachi_analysis.io`) with DuckDB,
    checks the whole table in SQL and a sample with pandera; puts the row count in ``summary``
    and returns the validated sample."""

    def sink(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation) -> pd.DataFrame:
        con.execute("SET preserve_insertion_order = true")  # keep the audit's sort order
        parquet = catalog.path("exit_audit", out, "parquet")
        io.write_with(parquet, lambda tmp: con.execute(
            f"COPY ({rel.sql_query()}) TO {sql_literal(tmp)} "
            f"(FORMAT parquet, COMPRESSION zstd, {io.COPY_OPTIONS})"))
        src = f"read_parquet({sql_literal(parquet)})"
        io.write_csv_query(catalog.path("exit_audit", out, "csv"), con,
                           _fields_sql("exit_audit", src))
        summary.update(check_audit(con, src))
        return conform_audit(con.execute(
            f"SELECT * FROM {src} USING SAMPLE reservoir({AUDIT_SAMPLE} ROWS) REPEATABLE (1)"
        ).df())

    return sink


def write_tables(out: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write each table in its catalogue formats (:func:`huachi_analysis.catalog.write`:
    Parquet, and CSV of its registered fields in order; atomic)."""
    for name, df in tables.items():
        catalog.write(name, df, out)


def build_progress(raw: Path, out: Path, *, year: int | None = None,
                   actuals: Path | None = None,
                   threshold: float = DEFAULT_EXIT_THRESHOLD) -> str:
    """Compute and write every progress table to ``out`` (CSV + Parquet); return a summary.

    Args:
        raw: the raw-data folder (unused: every input is read from ``out``).
        out: the processed folder to read inputs from and write tables to.
        year: one report year (default: every registry year from 2015).
        actuals: an indicator-actuals CSV to use instead of ``out/indicator_actuals.parquet``.
        threshold: village exit threshold, percent.
    """
    out = Path(out)
    households = households_path(out)
    lines = _read(out, "poverty_lines")
    targets = _read(out, "plan_targets")
    rural = _read(out, "rural_population")
    audit: dict = {}
    tables = compute_progress(
        households=households, poverty_lines=lines,
        rural_population=rural,
        village_population=_read(out, "village_population"),
        targets=targets, villages=_read(out, "plan_villages"),
        indicator_actuals=(read_actuals_csv(actuals, targets, raw) if actuals
                           else _read(out, "indicator_actuals", required=False)),
        year=year, threshold=threshold, audit_sink=audit_writer(out, audit))
    write_tables(out, {n: tables[n] for n in OUTPUTS if n != "exit_audit"})  # audit: sink
    t = tables["progress_targets"]
    counted = t[t["status"].notna()]
    years = sorted(int(y) for y in tables["progress_registry"]["year"].unique())
    return summary_text(counted["status"].value_counts().to_dict(), len(counted),
                        len(tables["progress_registry"]), len(tables["village_exits"]),
                        audit["rows"], years_without_line(years, lines),
                        years_without_population(years, rural))


def summary_text(by_status: dict[str, int], n: int, registry_rows: int, exit_rows: int,
                 audit_rows: int, no_line: list[int], no_population: list[int]) -> str:
    """What ``huachi build``/``huachi progress`` print for this step: a Chinese line (status
    words as the briefings say them), then the English one, indented."""
    from huachi_analysis.messages import LANGS, join, step_lines, text
    from huachi_analysis.reports.labels import status_label

    out = []
    for lang in LANGS:
        statuses = join((f"{_word(status_label(k, lang), lang)} {v}"
                         for k, v in by_status.items()), lang, "list")
        parts = [text("progress_summary", lang, n=n, statuses=statuses, registry=registry_rows,
                      exits=exit_rows, audit=audit_rows)]
        if no_line:
            parts.append(text("progress_no_line", lang, years=join(no_line, lang, "enum")))
        if no_population:
            parts.append(text("progress_no_population", lang,
                              years=join(no_population, lang, "enum")))
        out.append(join(parts, lang))
    return step_lines(*out)


def years_without_population(years: list[int], rural_population: pd.DataFrame) -> list[int]:
    """Registry years with no row of ``rural_population`` (the denominator of incidence)."""
    have = {int(y) for y in rural_population["year"].dropna()} if len(rural_population) else set()
    return [y for y in years if y not in have]


def _word(label: str, lang: str) -> str:
    """A status label inside an English sentence in lower case (``on track 263``)."""
    return label.lower() if lang == "en" else label
