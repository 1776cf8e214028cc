"""The whole progress computation as one pure function (tables in, tables out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.errors import ParameterError
from huachi_analysis.messages import both
from huachi_analysis.plan.kinds import PLAN_START
from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD
from huachi_analysis.progress.briefing_tables import audit_counts_in, income_tables_in
from huachi_analysis.progress.engine import session
from huachi_analysis.progress.exit_audit import audit_relation, conform_audit
from huachi_analysis.progress.household_years import prepare
from huachi_analysis.progress.registry_indicators import (
    aggregates_in,
    indicators_from_aggregates,
    sort_registry,
)
from huachi_analysis.progress.series import actual_series
from huachi_analysis.progress.targets import combine_actuals, progress_targets
from huachi_analysis.progress.trajectory import progress_trajectory
from huachi_analysis.progress.village_exits import village_counts, village_exits


def report_years(data_years: list[int], year: int | None = None) -> list[int]:
    """The report years: ``[year]`` if given (validated), else every data year from 2015.

    Raises:
        ParameterError: ``year`` is not a year of the registry; the message names the allowed.
    """
    allowed = sorted(int(y) for y in data_years)
    if year is not None:
        if int(year) not in allowed:
            raise ParameterError(both("year_not_in_registry", year=year, allowed=", ".join(
                map(str, allowed)) or "(none: no registry data)"))
        return [int(year)]
    return [y for y in allowed if y >= PLAN_START] or allowed


def compute_progress(*, households: Any, poverty_lines: pd.DataFrame,
                     rural_population: pd.DataFrame, village_population: pd.DataFrame,
                     targets: pd.DataFrame, villages: pd.DataFrame,
                     indicator_actuals: pd.DataFrame | None = None, year: int | None = None,
                     threshold: float = DEFAULT_EXIT_THRESHOLD,
                     audit_sink: Callable[[duckdb.DuckDBPyConnection, duckdb.DuckDBPyRelation], Any]
                     | None = None
                     ) -> dict[str, Any]:
    """Every progress table, conformed to its registered schema.

    The household-level work (registry indicators, exit audit) runs in one DuckDB session over
    ``households``, whatever its size; everything after aggregation is small and runs in pandas.

    Args:
        households: ``registry_households``, all years: a pandas frame, a pyarrow table or the
            path of the processed Parquet folder (read by DuckDB without a pandas copy).
        poverty_lines, rural_population, village_population: input tables.
        targets, villages: plan tables (``plan_targets``, ``plan_villages``).
        indicator_actuals: departments' reported actuals (optional).
        year: one report year (default: every registry year from 2015).
        threshold: village exit threshold, percent.
        audit_sink: called with the session and the exit audit as a DuckDB relation while the
            session is open
            (the build step writes it to files with it); its return value is put under
            ``"exit_audit"``. Without it, ``"exit_audit"`` is a validated pandas frame.

    Returns:
        ``{"progress_registry", "village_exits", "progress_targets", "progress_trajectory",
        "exit_audit", "income_summary", "income_outliers", "income_distribution",
        "exit_audit_counts"}`` → frame
        (``exit_audit``: the sink's return value when one is given). The last three are the
        small tables the briefings read (:mod:`~huachi_analysis.progress.briefing_tables`),
        for every registry year.
    """
    with session(households=households) as con:
        prepare(con, poverty_lines)
        agg = aggregates_in(con)
        briefing = {**income_tables_in(con), "exit_audit_counts": audit_counts_in(con)}
        audit = (audit_sink(con, audit_relation(con)) if audit_sink is not None
                 else conform_audit(audit_relation(con).df()))
    reg = indicators_from_aggregates(agg, poverty_lines, rural_population, village_population)
    data_years = sorted(int(y) for y in reg["year"].unique())
    years = report_years(data_years, year)
    synthetic = bool(reg["is_synthetic"].astype("boolean").fillna(False).any())
    exits_all = village_exits(reg, villages, data_years, threshold, synthetic)
    counts = village_counts(exits_all, data_years, synthetic)
    reg = sort_registry(pd.concat([reg, counts], ignore_index=True))
    actuals = combine_actuals(reg, indicator_actuals)
    series = actual_series(actuals, targets)  # grouped once for both target tables
    tables = {
        "progress_registry": reg,
        "village_exits": exits_all[exits_all["year"].isin(years)],
        "progress_targets": progress_targets(targets, actuals, years, series),
        "progress_trajectory": progress_trajectory(targets, actuals, max(years), series),
    }
    out: dict[str, Any] = {name: metadata.conform(df.reset_index(drop=True), name)
                           for name, df in tables.items()}
    out["exit_audit"] = audit
    out.update(briefing)
    return out
