"""Poor-village exits: a poor village exits in the first year its poverty incidence falls below
a threshold (default 3 %), compared with the plan's schedule (clause 5).

Schedule status as of a report year R (``exit_year`` is the plan's scheduled year):

* exited by R: ``early`` (before the scheduled year), ``on_schedule`` (in it), ``late`` (after);
* not exited by R: ``late`` when the scheduled year is R or earlier (overdue), else ``not_yet``;
* ``no_data`` when no incidence can be computed for the village in any year up to R.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis.county import COUNTY
from huachi_analysis.errors import ParameterError
from huachi_analysis.messages import both
from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD
from huachi_analysis.progress.registry_indicators import sort_registry


def _check_threshold(threshold: float) -> float:
    if not 0 < float(threshold) < 100:
        raise ParameterError(both("exit_threshold_invalid", threshold=repr(threshold)))
    return float(threshold)


def schedule_status(exit_year: int | None, actual_exit_year: int | None, as_of: int,
                    has_data: bool) -> str:
    """on_schedule / early / late / not_yet / no_data for one village as of ``as_of``."""
    if exit_year is None:
        return "no_data"
    if actual_exit_year is not None and actual_exit_year <= as_of:  # exited by as_of
        if actual_exit_year < exit_year:
            return "early"
        return "on_schedule" if actual_exit_year == exit_year else "late"
    if not has_data:
        return "no_data"
    if exit_year <= as_of:
        return "late"
    return "not_yet"


def village_incidence(registry: pd.DataFrame) -> pd.DataFrame:
    """Village incidence series (township, village, year, incidence) from progress_registry."""
    v = registry[(registry["indicator_id"] == "poverty_incidence")
                 & (registry["level"] == "village")]
    parts = v["geography"].str.split("/", n=1, expand=True)
    return pd.DataFrame({"township": parts[0], "village": parts[1],
                         "year": v["year"].astype("int64"),
                         "incidence": v["value"].astype("float64")}).reset_index(drop=True)


def village_exits(registry: pd.DataFrame, villages: pd.DataFrame, years: list[int],
                  threshold: float = DEFAULT_EXIT_THRESHOLD, is_synthetic: bool = False
                  ) -> pd.DataFrame:
    """Exit of every poor village of the plan, as of each report year.

    Args:
        registry: ``progress_registry`` (its village ``poverty_incidence`` rows are used).
        villages: ``plan_villages`` (rows with ``is_poor_village`` true; ``exit_year``).
        years: report years (one block of rows per year).
        threshold: incidence (percent) below which a village counts as exited.
        is_synthetic: the registry is synthetic (copied to every row).

    Returns:
        Columns of ``village_exits``.
    """
    threshold = _check_threshold(threshold)
    key = ["township", "village"]
    poor = villages.loc[villages["is_poor_village"].astype(bool), key + ["exit_year"]]
    poor = poor.sort_values(["exit_year", "township", "village"]).reset_index(drop=True)
    inc = village_incidence(registry).dropna(subset=["incidence"])
    blocks = []
    for r in years:
        upto = inc[inc["year"] <= r]
        first = (upto[upto["incidence"] < threshold].groupby(key, as_index=False)["year"].min()
                 .rename(columns={"year": "actual_exit_year"}))
        later = upto.merge(first, on=key)
        later = later[later["year"] > later["actual_exit_year"]]
        relapse = (later.assign(up=later["incidence"] >= threshold)
                   .groupby(key, as_index=False)["up"].any().rename(columns={"up": "relapsed"}))
        latest = upto.groupby(key, as_index=False)["year"].max().rename(
            columns={"year": "latest"})
        at_r = upto.loc[upto["year"] == r, key + ["incidence"]]
        b = (poor.merge(first, on=key, how="left").merge(relapse, on=key, how="left")
             .merge(latest, on=key, how="left").merge(at_r, on=key, how="left"))
        b["year"] = r
        blocks.append(b)
    out = pd.concat(blocks, ignore_index=True) if blocks else poor.iloc[0:0].assign(
        actual_exit_year=None, relapsed=None, latest=None, incidence=None, year=None)
    out["exit_year"] = out["exit_year"].astype("Int64")
    out["actual_exit_year"] = out["actual_exit_year"].astype("Int64")
    has_data = out["latest"].notna()
    out["exited"] = out["actual_exit_year"].notna()
    out.loc[out["exited"], "relapsed"] = out.loc[out["exited"], "relapsed"].fillna(False)
    out["schedule_status"] = [
        schedule_status(None if pd.isna(s) else int(s), None if pd.isna(a) else int(a), int(r), h)
        for s, a, r, h in zip(out["exit_year"], out["actual_exit_year"], out["year"], has_data,
                              strict=True)]
    out["note"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out.loc[~has_data, "note"] = ("no incidence up to this year (no registered households or "
                                  "no village population)")
    gap = has_data & out["incidence"].isna()
    out.loc[gap, "note"] = ("no incidence for " + out.loc[gap, "year"].astype(str) + "; latest "
                            + out.loc[gap, "latest"].astype("Int64").astype(str))
    out["geography"] = out["township"] + "/" + out["village"]
    out["exit_threshold"] = threshold
    out["is_synthetic"] = is_synthetic
    out = out[["year", "township", "village", "geography", "exit_year", "actual_exit_year",
               "incidence", "exit_threshold", "exited", "relapsed", "schedule_status", "note",
               "is_synthetic"]]
    return out.astype({"year": "int64", "incidence": "Float64", "exited": "boolean",
                       "relapsed": "boolean"})


def village_counts(exits: pd.DataFrame, years: list[int], is_synthetic: bool = False
                   ) -> pd.DataFrame:
    """``poor_villages_exited`` (in the year) and ``registered_poor_villages`` (not yet exited at
    year end) for the county and each township, as progress_registry rows.

    Args:
        exits: :func:`village_exits` computed as of the last year (uses ``actual_exit_year``).
        years: data years to report.
    """
    last = exits[exits["year"] == exits["year"].max()] if len(exits) else exits
    ay = last["actual_exit_year"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    grid = pd.DataFrame({
        "year": np.repeat(np.asarray(years, dtype="int64"), len(last)),
        "township": np.tile(last["township"].to_numpy(dtype=object), len(years)),
        "ay": np.tile(ay, len(years))})
    grid["exited_in"] = (grid["ay"] == grid["year"]).astype("float64")
    grid["remaining"] = (np.isnan(grid["ay"]) | (grid["ay"] > grid["year"])).astype("float64")
    sums = ["exited_in", "remaining"]
    town = grid.groupby(["year", "township"], as_index=False)[sums].sum()
    town = town.rename(columns={"township": "geography"}).assign(level="township")
    county = grid.groupby("year", as_index=False)[sums].sum().assign(level="county",
                                                                       geography=COUNTY)
    # every year appears for the county even without villages (zero counts)
    county = (pd.DataFrame({"year": np.asarray(years, dtype="int64")})
              .merge(county, on="year", how="left")
              .fillna({"exited_in": 0.0, "remaining": 0.0, "level": "county",
                       "geography": COUNTY}))
    wide = pd.concat([county, town], ignore_index=True)
    out = pd.concat([
        wide.assign(indicator_id="poor_villages_exited", value=wide["exited_in"]),
        wide.assign(indicator_id="registered_poor_villages", value=wide["remaining"]),
    ], ignore_index=True)[["indicator_id", "year", "level", "geography", "value"]]
    out["breakdown"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["unit"] = "villages"
    out["note"] = "incidence below the exit threshold (village_exits)"
    out["is_synthetic"] = is_synthetic
    return sort_registry(out)
