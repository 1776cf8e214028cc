"""Edges of the progress step: read processed inputs from ``out``, compute, write tables.

Called by ``huachi build`` (``build_progress(raw, out)``) and ``huachi progress``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from huachi_analysis import io, metadata
from huachi_analysis.errors import InputFileError
from huachi_analysis.progress.compute import compute_progress
from huachi_analysis.progress.exit_audit import years_without_line
from huachi_analysis.progress.registry_indicators import HOUSEHOLD_COLUMNS
from huachi_analysis.progress.village_exits import DEFAULT_EXIT_THRESHOLD

OUTPUTS = ("progress_targets", "progress_trajectory", "progress_registry", "village_exits",
           "exit_audit")


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        raise InputFileError(path, f"{what} not found; run `huachi build` (plan and registry "
                                   "steps) first, or point --out at a folder that has it")
    return path


def read_households(out: Path):
    """``registry_households`` (hive-partitioned Parquet under ``out``) as a pyarrow Table with
    only the columns the progress engine uses."""
    path = _need(out / "registry_households", "registry_households (Parquet, by year)")
    dataset = ds.dataset(path, format="parquet", partitioning="hive")
    missing = [c for c in HOUSEHOLD_COLUMNS if c not in dataset.schema.names]
    if missing:
        raise InputFileError(path, f"columns missing: {missing}")
    return dataset.to_table(columns=list(HOUSEHOLD_COLUMNS))


def _read(out: Path, name: str, *, required: bool = True) -> pd.DataFrame | None:
    path = out / f"{name}.parquet"
    if not path.exists() and not required:
        return None
    return pd.read_parquet(_need(path, name))


def read_actuals_csv(path: Path) -> pd.DataFrame:
    """An indicator-actuals CSV given on the command line, conformed to ``indicator_actuals``."""
    df = io.read_csv_text(_need(Path(path), "actuals CSV"))
    cols = list(metadata.TABLES["indicator_actuals"].fields)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputFileError(path, f"columns missing: {missing}; expected {cols}")
    for i, v in enumerate(df["value"], start=2):
        try:
            float(v)
        except (TypeError, ValueError):
            raise InputFileError(path, f"value {v!r} is not a number", row=i,
                                 column="value") from None
    return metadata.conform(df[cols], "indicator_actuals")


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
    households = read_households(out)
    lines = _read(out, "poverty_lines")
    tables = compute_progress(
        households=households, poverty_lines=lines,
        rural_population=_read(out, "rural_population"),
        village_population=_read(out, "village_population"),
        targets=_read(out, "plan_targets"), villages=_read(out, "plan_villages"),
        derived=_read(out, "plan_derived", required=False),
        indicator_actuals=(read_actuals_csv(actuals) if actuals
                           else _read(out, "indicator_actuals", required=False)),
        year=year, threshold=threshold)
    for name in OUTPUTS:
        io.write_table(out / name, tables[name])
    t = tables["progress_targets"]
    counted = t[t["status"].notna()]
    by_status = counted["status"].value_counts().to_dict()
    years = sorted(tables["progress_registry"]["year"].unique())
    no_line = years_without_line([int(y) for y in years], lines)
    summary = (f"{len(counted)} target evaluations {by_status}; "
               f"{len(tables['progress_registry'])} registry indicator rows; "
               f"{len(tables['village_exits'])} village-exit rows; "
               f"{len(tables['exit_audit'])} audit findings")
    if no_line:
        summary += (f"; no poverty line for {', '.join(map(str, no_line))}: shares below the "
                    "line are no_data and income audit checks were skipped for those years")
    return summary
