"""Registry indicators by year and geography, computed from ``registry_households``.

One row per (indicator, year, geography[, breakdown]) for the county (``华池县``), each township
and each poor village (``township/village``). Person counts are ``members_listed`` (member rows
of the household), so the person table is never scanned. Definitions (also in
``docs/progress_method.md``):

* poor = exit status 未脱贫 or 返贫 in that year's export (the year-end stock);
* exit in year Y = 已脱贫 in Y and (脱贫年度 = Y, or 脱贫年度 empty and poor in Y−1);
* return to poverty in Y, by transition = 已脱贫 in Y−1 and poor in Y (same household key);
  by status = 脱贫属性 返贫 in Y's export (a year-end stock);
* dangerous house renovated in Y = 危房户 in Y−1 and not in Y;
* incidence = poor persons ÷ rural population × 100 (``rural_population`` per township,
  ``village_population`` per village; the county is the sum of its townships);
* income = person-weighted mean and median of 人均纯收入 over every registered household of
  the year (the plan's 扶贫对象), and the share of those persons below the year's poverty line;
  the same mean and median over the households still poor at year end.

Labels, the population each indicator is computed over and its one-line definition (zh and
en) are in :mod:`huachi_analysis.progress.indicator_definitions` (:data:`INDICATORS`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis.county import COUNTY
from huachi_analysis.progress.engine import session
from huachi_analysis.progress.household_years import (
    RETURNED,
    lines_frame,
    prepare,
)
from huachi_analysis.progress.indicator_definitions import (  # noqa: F401  (re-exported)
    INDICATORS,
    Indicator,
)

MISSING_CAUSE = "（未填写）"

HOUSEHOLD_COLUMNS = (
    "year", "household_key", "township", "village", "village_is_poor", "members_listed",
    "household_size", "exit_status", "registry_exit_year", "income_per_capita", "main_cause",
    "dangerous_house", "safe_water", "is_synthetic",
)

# Sums by year and village first (about 17 thousand villages × 7 years at province scale), then
# rolled up to townships and the county: every indicator except the median is a ratio of sums.
# The income sum is exact (DECIMAL): a parallel SUM of doubles depends on the order of additions,
# which would make reruns on identical data differ in the last digit.
_VILLAGE_SUMS_SQL = f"""
CREATE OR REPLACE TEMP TABLE vs AS
SELECT year, gid, village_is_poor,
  COALESCE(SUM(w) FILTER (WHERE is_poor), 0) AS poor_p,
  COUNT(*) FILTER (WHERE is_poor) AS poor_h,
  COALESCE(SUM(w) FILTER (WHERE is_exit), 0) AS exit_p,
  COUNT(*) FILTER (WHERE is_exit) AS exit_h,
  COALESCE(SUM(w) FILTER (WHERE is_return), 0) AS ret_p,
  COUNT(*) FILTER (WHERE is_return) AS ret_h,
  COALESCE(SUM(w) FILTER (WHERE is_poor AND prev_status IS NULL), 0) AS new_p,
  COUNT(*) FILTER (WHERE is_poor AND prev_status IS NULL) AS new_h,
  COALESCE(SUM(w) FILTER (WHERE exit_status = '{RETURNED}'), 0) AS ret_status_p,
  COUNT(*) FILTER (WHERE exit_status = '{RETURNED}') AS ret_status_h,
  SUM(CAST(w * inc AS DECIMAL(38, 6))) AS w_inc, SUM(w) FILTER (WHERE inc IS NOT NULL) AS w_with_inc,
  SUM(CAST(w * inc AS DECIMAL(38, 6))) FILTER (WHERE is_poor) AS w_inc_poor,
  SUM(w) FILTER (WHERE is_poor AND inc IS NOT NULL) AS w_with_inc_poor,
  COALESCE(SUM(w) FILTER (WHERE inc < poverty_line), 0) AS w_below,
  SUM(w) FILTER (WHERE inc IS NOT NULL AND poverty_line IS NOT NULL) AS w_with_line,
  COUNT(*) FILTER (WHERE dangerous_house) AS danger_h,
  COUNT(*) FILTER (WHERE NOT safe_water) AS unsafe_h,
  COUNT(*) FILTER (WHERE renovated) AS renovated_h,
  COALESCE(SUM(w) FILTER (WHERE village_is_poor AND safe_water), 0) AS w_pv_safe,
  SUM(w) FILTER (WHERE village_is_poor AND safe_water IS NOT NULL) AS w_pv_known,
  COUNT(*) FILTER (WHERE inc IS NULL) AS no_inc_h,
  COUNT(*) FILTER (WHERE inc IS NULL AND is_poor) AS no_inc_poor_h,
  BOOL_OR(is_synthetic) AS is_synthetic
FROM hy GROUP BY ALL
"""

# The three levels of every output: county, township, poor village (poor-village rows only).
_LEVELS_SQL = """
WITH x AS (SELECT s.*, g.township, g.village FROM {table} s JOIN geo g USING (gid))
SELECT {keys}, 'county' AS level, '{county}' AS geography, {aggs} FROM x GROUP BY ALL
UNION ALL
SELECT {keys}, 'township', township, {aggs} FROM x GROUP BY ALL
UNION ALL
SELECT {keys}, 'village', township || '/' || village, {aggs} FROM x WHERE village_is_poor
GROUP BY ALL
"""

_MAIN_AGGS = """
  SUM(poor_p) AS registered_poor_persons, SUM(poor_h) AS registered_poor_households,
  SUM(exit_p) AS poverty_exits_persons, SUM(exit_h) AS poverty_exits_households,
  SUM(ret_p) AS returns_to_poverty_persons, SUM(ret_h) AS returns_to_poverty_households,
  SUM(new_p) AS new_poor_persons, SUM(new_h) AS new_poor_households,
  SUM(w_inc) / SUM(w_with_inc) AS poor_income_per_capita,
  SUM(w_inc) / SUM(w_with_inc) AS registered_income_per_capita,
  SUM(w_inc_poor) / SUM(w_with_inc_poor) AS still_poor_income_per_capita,
  SUM(ret_status_p) AS returned_status_persons, SUM(ret_status_h) AS returned_status_households,
  100.0 * SUM(w_below) / SUM(w_with_line) AS share_below_poverty_line,
  SUM(danger_h) AS dangerous_house_households, SUM(unsafe_h) AS unsafe_water_households,
  SUM(renovated_h) AS dangerous_houses_renovated,
  100.0 * SUM(w_pv_safe) / SUM(w_pv_known) AS safe_water_poor_village_coverage,
  SUM(no_inc_h) AS households_without_income,
  SUM(no_inc_poor_h) AS poor_households_without_income, BOOL_OR(is_synthetic) AS is_synthetic"""

# Exact person-weighted median: the median of the person-level list in which each household's
# income appears w (members_listed) times; the mean of the two middle persons when the count is
# even. A running sum of w in income order finds the middle person(s) of each group; rows with
# equal incomes may come in any order (the middle persons' incomes are the same either way).
_MEDIAN_SQL = """
WITH c AS (
  SELECT year, {part}, inc, w,
    SUM(w) OVER (PARTITION BY year, {part} ORDER BY inc
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
    SUM(w) OVER (PARTITION BY year, {part}) AS n
  FROM {source} WHERE inc IS NOT NULL AND w > 0)
SELECT year, {part}, AVG(inc) AS {name} FROM c
WHERE (cum - w < FLOOR((n + 1) / 2) AND FLOOR((n + 1) / 2) <= cum)
   OR (cum - w < FLOOR(n / 2) + 1 AND FLOOR(n / 2) + 1 <= cum)
GROUP BY ALL
"""

_CAUSE_SUMS_SQL = f"""
CREATE OR REPLACE TEMP TABLE cs AS
SELECT year, gid, village_is_poor, COALESCE(main_cause, '{MISSING_CAUSE}') AS breakdown,
       COUNT(*) AS n
FROM hy WHERE is_poor GROUP BY ALL
"""


def _medians(con, name: str = "poor_income_per_capita_median", where: str = "TRUE"
             ) -> pd.DataFrame:
    """Person-weighted median income by year × level × geography (see :data:`_MEDIAN_SQL`)
    over the household-years matching ``where`` (SQL over ``hy``), in column ``name``.

    Townships and villages are partitioned on their integer ids; the county (one partition a
    year) first merges persons with the same income, which leaves few rows to sort."""
    sql = _MEDIAN_SQL.replace("{name}", name)
    county = con.execute(sql.format(
        part="one", source=f"(SELECT year, 0 AS one, inc, SUM(w) AS w FROM hy WHERE {where} "
        "GROUP BY ALL)")).df()
    county = county.assign(level="county", geography=COUNTY).drop(columns="one")
    town = con.execute(sql.format(part="tid", source=f"(SELECT * FROM hy WHERE {where})")).df()
    tnames = con.execute("SELECT DISTINCT tid, township AS geography FROM geo").df()
    town = town.merge(tnames, on="tid").assign(level="township")
    vil = con.execute(sql.format(
        part="gid", source=f"(SELECT * FROM hy WHERE village_is_poor AND {where})")).df()
    names = con.execute("SELECT gid, township || '/' || village AS geography FROM geo").df()
    vil = vil.merge(names, on="gid").assign(level="village")
    cols = ["year", "level", "geography", name]
    return pd.concat([county[cols], town[cols], vil[cols]], ignore_index=True)


def aggregates_in(con) -> dict[str, pd.DataFrame]:
    """Household aggregates by year × level × geography from a prepared session.

    Args:
        con: a DuckDB connection in which :func:`household_years.prepare` has run.

    Returns:
        ``{"main": …, "median": …, "cause": …}`` frames keyed by year, level, geography.
    """
    con.execute(_VILLAGE_SUMS_SQL)
    con.execute(_CAUSE_SUMS_SQL)
    main = con.execute(_LEVELS_SQL.format(table="vs", keys="year", county=COUNTY,
                                          aggs=_MAIN_AGGS)).df()
    cause = con.execute(_LEVELS_SQL.format(table="cs", keys="year, breakdown", county=COUNTY,
                                           aggs="SUM(n) AS households")).df()
    keys = ["year", "level", "geography"]
    median = _medians(con).merge(
        _medians(con, "still_poor_income_per_capita_median", "is_poor"), on=keys, how="left")
    return {"main": main, "median": median, "cause": cause}


def registry_aggregates(households: Any, poverty_lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Household aggregates by year × level × geography, before incidence and notes.

    Args:
        households: ``registry_households`` rows (``pandas.DataFrame``, ``pyarrow.Table`` or
            the path of the processed Parquet folder) with at least :data:`HOUSEHOLD_COLUMNS`.
        poverty_lines: ``poverty_lines`` (year, poverty_line).

    Returns:
        ``{"main": …, "median": …, "cause": …}`` wide frames keyed by year, level, geography.
    """
    with session(households=households) as con:
        prepare(con, poverty_lines)
        return aggregates_in(con)


def _population(rural_population: pd.DataFrame, village_population: pd.DataFrame
                ) -> pd.DataFrame:
    """Denominators keyed by (year, geography): townships, their county sum, villages."""
    town = pd.DataFrame({
        "year": pd.to_numeric(rural_population["year"]).astype("int64"),
        "geography": rural_population["township"].astype(str),
        "population": pd.to_numeric(rural_population["rural_population"]).astype("float64"),
    })
    county = town.groupby("year", as_index=False)["population"].sum()
    county["geography"] = COUNTY
    vil = pd.DataFrame({
        "year": pd.to_numeric(village_population["year"]).astype("int64"),
        "geography": village_population["township"].astype(str) + "/"
        + village_population["village"].astype(str),
        "population": pd.to_numeric(village_population["rural_population"]).astype("float64"),
    })
    return pd.concat([town, county[["year", "geography", "population"]], vil],
                     ignore_index=True)


def registry_indicators(households: Any, poverty_lines: pd.DataFrame,
                        rural_population: pd.DataFrame, village_population: pd.DataFrame
                        ) -> pd.DataFrame:
    """All registry indicators except the village-exit counts, long form.

    Args:
        households: ``registry_households`` (pandas, pyarrow or the processed Parquet folder;
            every year at once).
        poverty_lines: ``poverty_lines`` input table.
        rural_population: ``rural_population`` input table (township × year).
        village_population: ``village_population`` input table (village × year).

    Returns:
        Columns of ``progress_registry``: indicator_id, year, level, geography, breakdown,
        value, unit, note, is_synthetic. Missing values carry a note saying why.
    """
    return sort_registry(indicators_from_aggregates(
        registry_aggregates(households, poverty_lines), poverty_lines, rural_population,
        village_population))


def indicators_from_aggregates(agg: dict[str, pd.DataFrame], poverty_lines: pd.DataFrame,
                               rural_population: pd.DataFrame,
                               village_population: pd.DataFrame) -> pd.DataFrame:
    """:func:`registry_indicators` from :func:`registry_aggregates` output (same arguments),
    not yet sorted (:func:`sort_registry`)."""
    main = agg["main"].merge(agg["median"], on=["year", "level", "geography"], how="left")
    main["registered_income_per_capita_median"] = main["poor_income_per_capita_median"]
    main["year"] = main["year"].astype("int64")
    years = sorted(main["year"].unique())
    pop = _population(rural_population, village_population)
    main = main.merge(pop, on=["year", "geography"], how="left")
    main["poverty_incidence"] = 100.0 * main["registered_poor_persons"] / main["population"]
    lined = set(lines_frame(poverty_lines)["year"])

    ids = [i for i in INDICATORS if i in main.columns]
    long = main.melt(id_vars=["year", "level", "geography", "is_synthetic", "population",
                              "households_without_income", "poor_households_without_income"],
                     value_vars=ids, var_name="indicator_id", value_name="value")
    long["value"] = long["value"].astype("float64")
    long["note"] = pd.Series(pd.NA, index=long.index, dtype="string")

    def note(mask: pd.Series, text: pd.Series | str, *, blank: bool) -> None:
        long.loc[mask, "note"] = text if isinstance(text, str) else text[mask]
        if blank:
            long.loc[mask, "value"] = np.nan

    ind = long["indicator_id"]
    no_prev = ~long["year"].sub(1).isin(years)
    note(ind.isin(["returns_to_poverty_persons", "returns_to_poverty_households",
                   "new_poor_persons", "new_poor_households",
                   "dangerous_houses_renovated"]) & no_prev,
         "no registry for the previous year: a change cannot be measured", blank=True)
    note(ind.isin(["poverty_exits_persons", "poverty_exits_households"]) & no_prev,
         "no registry for the previous year: exits counted from 脱贫年度 only", blank=False)
    note((ind == "poverty_incidence") & long["population"].isna(),
         "no_data: no rural population for " + long["geography"] + " in "
         + long["year"].astype(str), blank=True)
    note((ind == "share_below_poverty_line") & ~long["year"].isin(lined),
         "no_data: no poverty line for " + long["year"].astype(str)
         + " in poverty_lines (add the year's line to the input table)", blank=True)
    inc_ids = ["poor_income_per_capita", "poor_income_per_capita_median",
               "registered_income_per_capita", "registered_income_per_capita_median",
               "share_below_poverty_line"]
    partial = ind.isin(inc_ids) & (long["households_without_income"] > 0) & long["note"].isna()
    note(partial, long["households_without_income"].round().astype("Int64").astype(str)
         + " households without income left out", blank=False)
    poor_ids = ["still_poor_income_per_capita", "still_poor_income_per_capita_median"]
    partial = (ind.isin(poor_ids) & (long["poor_households_without_income"] > 0)
               & long["note"].isna())
    note(partial, long["poor_households_without_income"].round().astype("Int64").astype(str)
         + " poor households without income left out", blank=False)
    note(ind.isin(poor_ids) & long["value"].isna() & long["note"].isna(),
         "no household poor at year end here", blank=False)
    note((ind == "safe_water_poor_village_coverage") & long["value"].isna() & long["note"].isna(),
         "no registered households in poor villages here", blank=False)
    long["breakdown"] = pd.Series(pd.NA, index=long.index, dtype="string")

    cause = agg["cause"]
    cause["year"] = cause["year"].astype("int64")
    total = cause.groupby(["year", "level", "geography"])["households"].transform("sum")
    synth = main[["year", "geography", "is_synthetic"]]
    counts = cause.assign(indicator_id="poor_households_by_cause",
                          value=cause["households"].astype("float64"))
    shares = cause.assign(indicator_id="poor_households_by_cause_share",
                          value=100.0 * cause["households"] / total)
    mix = pd.concat([counts, shares], ignore_index=True).merge(synth, on=["year", "geography"])
    mix["note"] = pd.Series(pd.NA, index=mix.index, dtype="string")

    cols = ["indicator_id", "year", "level", "geography", "breakdown", "value", "note",
            "is_synthetic"]
    out = pd.concat([long[cols], mix[cols]], ignore_index=True)
    units = pd.Series({i: ind.unit for i, ind in INDICATORS.items()}, dtype="string")
    out["unit"] = units.reindex(out["indicator_id"].to_numpy()).to_numpy()
    return out


def sort_registry(df: pd.DataFrame) -> pd.DataFrame:
    """Stable order: indicator, year, level (county, township, village), geography, breakdown."""
    levels = pd.Categorical(df["level"], categories=["county", "township", "village"])
    df = df.assign(_lv=levels.codes)  # (vectorised: a dict map runs per row)
    df = df.sort_values(["indicator_id", "year", "_lv", "geography", "breakdown"],
                        na_position="first", kind="stable")
    return df.drop(columns="_lv").reset_index(drop=True)
