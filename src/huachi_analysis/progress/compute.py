"""The whole progress computation as one pure function (tables in, tables out)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.errors import ParameterError
from huachi_analysis.progress.exit_audit import exit_audit
from huachi_analysis.progress.registry_indicators import registry_indicators, sort_registry
from huachi_analysis.progress.status import PLAN_START
from huachi_analysis.progress.targets import combine_actuals, progress_targets
from huachi_analysis.progress.trajectory import progress_trajectory
from huachi_analysis.progress.village_exits import (
    DEFAULT_EXIT_THRESHOLD,
    village_counts,
    village_exits,
)


def report_years(data_years: list[int], year: int | None = None) -> list[int]:
    """The report years: ``[year]`` if given (validated), else every data year from 2015.

    Raises:
        ParameterError: ``year`` is not a year of the registry; the message names the allowed.
    """
    allowed = sorted(int(y) for y in data_years)
    if year is not None:
        if int(year) not in allowed:
            raise ParameterError(f"year {year} is not in the registry; allowed years: "
                                 f"{', '.join(map(str, allowed)) or '(none: no registry data)'}")
        return [int(year)]
    return [y for y in allowed if y >= PLAN_START] or allowed


def compute_progress(*, households: Any, poverty_lines: pd.DataFrame,
                     rural_population: pd.DataFrame, village_population: pd.DataFrame,
                     targets: pd.DataFrame, villages: pd.DataFrame,
                     derived: pd.DataFrame | None = None,
                     indicator_actuals: pd.DataFrame | None = None, year: int | None = None,
                     threshold: float = DEFAULT_EXIT_THRESHOLD) -> dict[str, pd.DataFrame]:
    """Every progress table, conformed to its registered schema.

    Args:
        households: ``registry_households``, all years (pandas or pyarrow).
        poverty_lines, rural_population, village_population: input tables.
        targets, villages, derived: plan tables.
        indicator_actuals: departments' reported actuals (optional).
        year: one report year (default: every registry year from 2015).
        threshold: village exit threshold, percent.

    Returns:
        ``{"progress_registry", "village_exits", "progress_targets", "progress_trajectory",
        "exit_audit"}`` → frame.
    """
    reg = registry_indicators(households, poverty_lines, rural_population, village_population)
    data_years = sorted(int(y) for y in reg["year"].unique())
    years = report_years(data_years, year)
    synthetic = bool(reg["is_synthetic"].astype("boolean").fillna(False).any())
    exits_all = village_exits(reg, villages, data_years, threshold, synthetic)
    counts = village_counts(exits_all, data_years, synthetic)
    reg = sort_registry(pd.concat([reg, counts], ignore_index=True))
    actuals = combine_actuals(reg, indicator_actuals)
    tables = {
        "progress_registry": reg,
        "village_exits": exits_all[exits_all["year"].isin(years)],
        "progress_targets": progress_targets(targets, actuals, years),
        "progress_trajectory": progress_trajectory(targets, actuals, max(years), derived),
        "exit_audit": exit_audit(households, poverty_lines),
    }
    return {name: metadata.conform(df.reset_index(drop=True), name)
            for name, df in tables.items()}
