"""Registry indicators by year and geography, computed from ``registry_households``.

One row per (indicator, year, geography[, breakdown]) for the county (``华池县``), each township
and each poor village (``township/village``). Person counts are ``members_listed`` (member rows
of the household), so the person table is never scanned. Definitions (also in
``docs/progress_method.md``):

* poor = exit status 未脱贫 or 返贫 in that year's export (the year-end stock);
* exit in year Y = 已脱贫 in Y and (脱贫年度 = Y, or 脱贫年度 empty and poor in Y−1);
* return to poverty in Y = 已脱贫 in Y−1 and poor in Y (same household key);
* dangerous house renovated in Y = 危房户 in Y−1 and not in Y;
* incidence = poor persons ÷ rural population × 100 (``rural_population`` per township,
  ``village_population`` per village; the county is the sum of its townships);
* income = person-weighted mean and median of 人均纯收入 over every registered household of
  the year (the plan's 扶贫对象), and the share of those persons below the year's poverty line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis.progress.engine import execute_script, session

COUNTY = "华池县"
POOR_STATUSES = ("未脱贫", "返贫")
EXITED = "已脱贫"
MISSING_CAUSE = "（未填写）"


@dataclass(frozen=True)
class Indicator:
    unit: str
    kind: str  # "flow" (happens in a year; adds up) or "level" (a stock or rate at year end)
    additive: bool  # township values add up to the county value
    description: str


#: Every registry indicator. The ids reserved for plan targets are used as they are.
INDICATORS: dict[str, Indicator] = {
    "registered_poor_persons": Indicator("people", "level", True, "poor persons at year end"),
    "registered_poor_households": Indicator("households", "level", True,
                                            "poor households at year end"),
    "poverty_exits_persons": Indicator("people", "flow", True, "persons exiting in the year"),
    "poverty_exits_households": Indicator("households", "flow", True,
                                          "households exiting in the year"),
    "returns_to_poverty_persons": Indicator("people", "flow", True,
                                            "persons returning to poverty in the year"),
    "returns_to_poverty_households": Indicator("households", "flow", True,
                                               "households returning to poverty in the year"),
    "poverty_incidence": Indicator("percent", "level", False,
                                   "poor persons ÷ rural population × 100"),
    "poor_income_per_capita": Indicator("yuan", "level", False,
                                        "person-weighted mean per-capita income, registered"),
    "poor_income_per_capita_median": Indicator("yuan", "level", False,
                                               "person-weighted median per-capita income"),
    "share_below_poverty_line": Indicator("percent", "level", False,
                                          "registered persons below the year's poverty line"),
    "poor_households_by_cause": Indicator("households", "level", True,
                                          "poor households by main cause"),
    "poor_households_by_cause_share": Indicator("percent", "level", False,
                                                "share of poor households by main cause"),
    "dangerous_house_households": Indicator("households", "level", True,
                                            "registered households in a dangerous house"),
    "unsafe_water_households": Indicator("households", "level", True,
                                         "registered households without safe drinking water"),
    "dangerous_houses_renovated": Indicator("households", "flow", True,
                                            "dangerous in Y−1, not dangerous in Y"),
    "safe_water_poor_village_coverage": Indicator(
        "percent", "level", False, "registered persons in poor villages with safe water"),
    "poor_villages_exited": Indicator("villages", "flow", True,
                                      "poor villages whose incidence first fell below threshold"),
    "registered_poor_villages": Indicator("villages", "level", True,
                                          "poor villages not yet exited at year end"),
}

HOUSEHOLD_COLUMNS = (
    "year", "household_key", "township", "village", "village_is_poor", "members_listed",
    "household_size", "exit_status", "registry_exit_year", "income_per_capita", "main_cause",
    "dangerous_house", "safe_water", "is_synthetic",
)

# Household-year flags: computed once, then aggregated at the three levels.
_FLAGS_SQL = f"""
CREATE TEMP TABLE f AS
WITH h AS (
  SELECT CAST(year AS INTEGER) AS year, household_key, township, village,
         COALESCE(village_is_poor, FALSE) AS village_is_poor,
         CAST(COALESCE(members_listed, household_size) AS DOUBLE) AS w,
         exit_status, CAST(registry_exit_year AS INTEGER) AS exit_year,
         CAST(income_per_capita AS DOUBLE) AS inc, main_cause, dangerous_house, safe_water,
         is_synthetic
  FROM households),
p AS (SELECT year + 1 AS year, household_key, exit_status AS prev_status,
             dangerous_house AS prev_danger FROM h)
SELECT h.year, h.township, h.village, h.village_is_poor, h.w, h.inc, h.main_cause,
       h.dangerous_house, h.safe_water, h.is_synthetic,
       h.exit_status IN {POOR_STATUSES} AS is_poor,
       h.exit_status = '{EXITED}' AND (h.exit_year = h.year OR
         (h.exit_year IS NULL AND p.prev_status IN {POOR_STATUSES})) AS is_exit,
       p.prev_status = '{EXITED}' AND h.exit_status IN {POOR_STATUSES} AS is_return,
       p.prev_danger AND NOT h.dangerous_house AS renovated,
       l.poverty_line
FROM h LEFT JOIN p ON p.year = h.year AND p.household_key = h.household_key
LEFT JOIN lines AS l ON l.year = h.year;
CREATE TEMP VIEW lv AS
  SELECT 'county' AS level, '{COUNTY}' AS geography, * FROM f
  UNION ALL SELECT 'township', township, * FROM f
  UNION ALL SELECT 'village', township || '/' || village, * FROM f WHERE village_is_poor;
"""

_MAIN_SQL = """
SELECT year, level, geography,
  COALESCE(SUM(w) FILTER (WHERE is_poor), 0) AS registered_poor_persons,
  COUNT(*) FILTER (WHERE is_poor) AS registered_poor_households,
  COALESCE(SUM(w) FILTER (WHERE is_exit), 0) AS poverty_exits_persons,
  COUNT(*) FILTER (WHERE is_exit) AS poverty_exits_households,
  COALESCE(SUM(w) FILTER (WHERE is_return), 0) AS returns_to_poverty_persons,
  COUNT(*) FILTER (WHERE is_return) AS returns_to_poverty_households,
  SUM(w * inc) / SUM(w) FILTER (WHERE inc IS NOT NULL) AS poor_income_per_capita,
  100.0 * COALESCE(SUM(w) FILTER (WHERE inc < poverty_line), 0)
        / SUM(w) FILTER (WHERE inc IS NOT NULL AND poverty_line IS NOT NULL)
        AS share_below_poverty_line,
  COUNT(*) FILTER (WHERE dangerous_house) AS dangerous_house_households,
  COUNT(*) FILTER (WHERE NOT safe_water) AS unsafe_water_households,
  COUNT(*) FILTER (WHERE renovated) AS dangerous_houses_renovated,
  100.0 * COALESCE(SUM(w) FILTER (WHERE village_is_poor AND safe_water), 0)
        / SUM(w) FILTER (WHERE village_is_poor AND safe_water IS NOT NULL)
        AS safe_water_poor_village_coverage,
  COUNT(*) FILTER (WHERE inc IS NULL) AS households_without_income,
  BOOL_OR(is_synthetic) AS is_synthetic
FROM lv GROUP BY ALL
"""

# Exact person-weighted median: the median of the person-level list in which each household's
# income appears members_listed times (mean of the two middle persons when the count is even).
# Households with the same income are merged first (exact; fewer rows to sort).
_MEDIAN_SQL = """
WITH d AS (
  SELECT year, level, geography, inc, SUM(w) AS w
  FROM lv WHERE inc IS NOT NULL AND w > 0 GROUP BY ALL),
c AS (
  SELECT year, level, geography, inc, w,
    SUM(w) OVER (PARTITION BY year, level, geography ORDER BY inc
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
    SUM(w) OVER (PARTITION BY year, level, geography) AS n
  FROM d)
SELECT year, level, geography, AVG(inc) AS poor_income_per_capita_median FROM c
WHERE (cum - w < FLOOR((n + 1) / 2) AND FLOOR((n + 1) / 2) <= cum)
   OR (cum - w < FLOOR(n / 2) + 1 AND FLOOR(n / 2) + 1 <= cum)
GROUP BY ALL
"""

_CAUSE_SQL = f"""
SELECT year, level, geography, COALESCE(main_cause, '{MISSING_CAUSE}') AS breakdown,
       COUNT(*) AS households
FROM lv WHERE is_poor GROUP BY ALL
"""


def _lines_frame(poverty_lines: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "year": pd.to_numeric(poverty_lines["year"]).astype("int64"),
        "poverty_line": pd.to_numeric(poverty_lines["poverty_line"]).astype("float64"),
    })


def registry_aggregates(households: Any, poverty_lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Household aggregates by year × level × geography, before incidence and notes.

    Args:
        households: ``registry_households`` rows (``pandas.DataFrame`` or ``pyarrow.Table``)
            with at least :data:`HOUSEHOLD_COLUMNS`.
        poverty_lines: ``poverty_lines`` (year, poverty_line).

    Returns:
        ``{"main": …, "median": …, "cause": …}`` wide frames keyed by year, level, geography.
    """
    with session(households=households, lines=_lines_frame(poverty_lines)) as con:
        execute_script(con, _FLAGS_SQL)
        return {
            "main": con.execute(_MAIN_SQL).df(),
            "median": con.execute(_MEDIAN_SQL).df(),
            "cause": con.execute(_CAUSE_SQL).df(),
        }


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
        households: ``registry_households`` (pandas or pyarrow; every year at once).
        poverty_lines: ``poverty_lines`` input table.
        rural_population: ``rural_population`` input table (township × year).
        village_population: ``village_population`` input table (village × year).

    Returns:
        Columns of ``progress_registry``: indicator_id, year, level, geography, breakdown,
        value, unit, note, is_synthetic. Missing values carry a note saying why.
    """
    agg = registry_aggregates(households, poverty_lines)
    main = agg["main"].merge(agg["median"], on=["year", "level", "geography"], how="left")
    main["year"] = main["year"].astype("int64")
    years = sorted(main["year"].unique())
    pop = _population(rural_population, village_population)
    main = main.merge(pop, on=["year", "geography"], how="left")
    main["poverty_incidence"] = 100.0 * main["registered_poor_persons"] / main["population"]
    lined = set(_lines_frame(poverty_lines)["year"])

    ids = [i for i in INDICATORS if i in main.columns]
    long = main.melt(id_vars=["year", "level", "geography", "is_synthetic", "population",
                              "households_without_income"],
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
               "share_below_poverty_line"]
    partial = ind.isin(inc_ids) & (long["households_without_income"] > 0) & long["note"].isna()
    note(partial, long["households_without_income"].astype(str)
         + " households without income left out", blank=False)
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
    out["unit"] = out["indicator_id"].map(lambda i: INDICATORS[i].unit)
    return sort_registry(out)


def sort_registry(df: pd.DataFrame) -> pd.DataFrame:
    """Stable order: indicator, year, level (county, township, village), geography, breakdown."""
    order = {"county": 0, "township": 1, "village": 2}
    df = df.assign(_lv=df["level"].map(order))
    df = df.sort_values(["indicator_id", "year", "_lv", "geography", "breakdown"],
                        na_position="first", kind="stable")
    return df.drop(columns="_lv").reset_index(drop=True)
