"""The small tables the briefings read instead of household rows, computed in DuckDB.

A briefing shows the distribution of registered households' per-capita income (a histogram per
township, a box per township in the county briefing) and the exit audit counted by finding.
Reading ``registry_households`` or ``exit_audit`` for that would load millions of rows at
province scale, so the progress step writes these aggregates (one DuckDB session with the other
household-level work, :func:`huachi_analysis.progress.household_years.prepare` first):

* ``income_summary`` — per year × geography (the county, each township): households with an
  income, lowest and highest income, quartiles (exact: ``quantile_cont``, linear interpolation as
  ``numpy.percentile`` and ``pandas.Series.quantile``), the box-plot whisker ends as matplotlib
  draws them (the most extreme incomes within 1.5 × IQR of the box), the number of households
  outside them, households below the year's poverty line (``poverty_lines``; empty for a year
  without a line) and the line itself;
* ``income_outliers`` — the incomes beyond the whiskers (the dots of a box plot), each distinct
  income once with its number of households: a few percent of the households at most;
* ``income_distribution`` — per year × geography, the histogram: ``k = min(40, max(10, n // 15))``
  equal-width bins from the lowest to the highest income (the bins the briefing drew from the
  household rows), edges as ``numpy.histogram`` makes them, each bin ``[lower, upper)`` and the
  last one closed; every bin is listed, empty ones with 0 households;
* ``exit_audit_counts`` — households per year × township × finding of the exit audit.

Households are counted unweighted (each household's per-capita income once), as the charts did.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.county import COUNTY
from huachi_analysis.progress.engine import session
from huachi_analysis.progress.exit_audit import counts_sql
from huachi_analysis.progress.household_years import prepare

#: Box-plot whiskers reach this many interquartile ranges beyond the box (matplotlib's default).
WHIS = 1.5
#: Histogram bins: ``min(MAX_BINS, max(MIN_BINS, households // HOUSEHOLDS_PER_BIN))``.
MIN_BINS, MAX_BINS, HOUSEHOLDS_PER_BIN = 10, 40, 15

# Every household-year with an income, once per township (tid ≥ 1) and once for the county
# (tid 0): one grouping key serves both levels.
_INCOMES_SQL = """
CREATE OR REPLACE TEMP TABLE inc2 AS
  SELECT year, tid, inc, poverty_line, is_synthetic FROM hy WHERE inc IS NOT NULL
  UNION ALL
  SELECT year, 0 AS tid, inc, poverty_line, is_synthetic FROM hy WHERE inc IS NOT NULL
"""

# Quartiles, whisker ends (matplotlib's rule: the most extreme incomes within 1.5 × IQR of the
# box, the box edge if there is none) and the households beyond the fences — which are exactly
# those beyond the whisker ends.
_STATS_SQL = f"""
CREATE OR REPLACE TEMP TABLE istats AS
WITH s AS (
  SELECT year, tid, COUNT(*) AS n, MIN(inc) AS lo, MAX(inc) AS hi,
         quantile_cont(inc, [0.25, 0.5, 0.75]) AS q,
         COUNT(*) FILTER (WHERE inc < poverty_line) AS below,
         MAX(poverty_line) AS line, BOOL_OR(is_synthetic) AS is_synthetic
  FROM inc2 GROUP BY ALL),
b AS (SELECT *, q[1] AS p25, q[2] AS p50, q[3] AS p75,
             q[1] - {WHIS} * (q[3] - q[1]) AS lo_fence, q[3] + {WHIS} * (q[3] - q[1]) AS hi_fence
      FROM s),
w AS (
  SELECT b.year, b.tid,
         MIN(i.inc) FILTER (WHERE i.inc >= b.lo_fence) AS wlo,
         MAX(i.inc) FILTER (WHERE i.inc <= b.hi_fence) AS whi,
         COUNT(*) FILTER (WHERE i.inc < b.lo_fence OR i.inc > b.hi_fence) AS outliers
  FROM b JOIN inc2 i ON i.year = b.year AND i.tid = b.tid GROUP BY ALL)
SELECT b.*, w.outliers,
       CASE WHEN w.wlo IS NULL OR w.wlo > b.p25 THEN b.p25 ELSE w.wlo END AS whislo,
       CASE WHEN w.whi IS NULL OR w.whi < b.p75 THEN b.p75 ELSE w.whi END AS whishi,
       CASE WHEN b.tid = 0 THEN 'county' ELSE 'township' END AS level,
       CASE WHEN b.tid = 0 THEN '{COUNTY}' ELSE t.township END AS geography
FROM b JOIN w USING (year, tid)
LEFT JOIN (SELECT DISTINCT tid, township FROM geo) t ON t.tid = b.tid
"""

_SUMMARY_SQL = """
SELECT CAST(year AS BIGINT) AS year, level, geography, n AS households, lo AS income_min,
       whislo AS income_whisker_low, p25 AS income_p25, p50 AS income_median, p75 AS income_p75,
       whishi AS income_whisker_high, hi AS income_max, outliers AS outlier_households,
       CASE WHEN line IS NULL THEN NULL ELSE below END AS households_below_line,
       line AS poverty_line, is_synthetic
FROM istats ORDER BY year, tid
"""

_OUTLIERS_SQL = """
SELECT CAST(i.year AS BIGINT) AS year, s.level, s.geography, i.inc AS income_per_capita,
       COUNT(*) AS households, BOOL_OR(i.is_synthetic) AS is_synthetic
FROM inc2 i JOIN istats s USING (year, tid)
WHERE i.inc < s.whislo OR i.inc > s.whishi
GROUP BY ALL ORDER BY year, ANY_VALUE(s.tid), income_per_capita
"""

# numpy.histogram's bins: edges linspace(lo, hi, k + 1) (a single value v: v ± 0.5), edge i =
# i * ((hi - lo) / k) + lo and the last edge hi exactly; an income x falls in the bin i with
# edge_i <= x < edge_{i+1} (the last bin closed). The first guess floor((x - lo) / (hi - lo) * k)
# is corrected by one against the edges, as numpy does.
_DISTRIBUTION_SQL = f"""
WITH r AS (
  SELECT year, tid, COUNT(*) AS n, MIN(inc) AS lo0, MAX(inc) AS hi0,
         BOOL_OR(is_synthetic) AS is_synthetic
  FROM inc2 GROUP BY ALL),
k AS (
  SELECT *, CAST(LEAST({MAX_BINS}, GREATEST({MIN_BINS}, n // {HOUSEHOLDS_PER_BIN})) AS BIGINT) AS k,
         CASE WHEN lo0 = hi0 THEN lo0 - 0.5 ELSE lo0 END AS lo,
         CASE WHEN lo0 = hi0 THEN hi0 + 0.5 ELSE hi0 END AS hi
  FROM r),
g AS (
  SELECT i.year, i.tid, i.inc, k.k, k.lo, k.hi,
         LEAST(k.k - 1, CAST(floor((i.inc - k.lo) / (k.hi - k.lo) * k.k) AS BIGINT)) AS g0
  FROM inc2 i JOIN k USING (year, tid)),
e AS (
  SELECT year, tid, inc, k,
         CASE WHEN inc < CAST(g0 AS DOUBLE) * ((hi - lo) / k) + lo THEN g0 - 1
              WHEN g0 < k - 1 AND inc >= CAST(g0 + 1 AS DOUBLE) * ((hi - lo) / k) + lo
                THEN g0 + 1
              ELSE g0 END AS bin
  FROM g),
c AS (SELECT year, tid, bin, COUNT(*) AS households FROM e GROUP BY ALL),
bins AS (SELECT year, tid, k, lo, hi, is_synthetic, unnest(range(k)) AS bin FROM k)
SELECT CAST(b.year AS BIGINT) AS year,
       CASE WHEN b.tid = 0 THEN 'county' ELSE 'township' END AS level,
       CASE WHEN b.tid = 0 THEN '{COUNTY}' ELSE t.township END AS geography,
       b.bin, CAST(b.bin AS DOUBLE) * ((b.hi - b.lo) / b.k) + b.lo AS income_lower,
       CASE WHEN b.bin = b.k - 1 THEN b.hi
            ELSE CAST(b.bin + 1 AS DOUBLE) * ((b.hi - b.lo) / b.k) + b.lo END AS income_upper,
       COALESCE(c.households, 0) AS households, b.is_synthetic
FROM bins b LEFT JOIN c USING (year, tid, bin)
LEFT JOIN (SELECT DISTINCT tid, township FROM geo) t ON t.tid = b.tid
ORDER BY year, b.tid, bin
"""


def income_tables_in(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """``income_summary``, ``income_outliers`` and ``income_distribution`` (conformed) from a
    prepared session."""
    con.execute(_INCOMES_SQL)
    con.execute(_STATS_SQL)
    out = {"income_summary": con.execute(_SUMMARY_SQL).df(),
           "income_outliers": con.execute(_OUTLIERS_SQL).df(),
           "income_distribution": con.execute(_DISTRIBUTION_SQL).df()}
    con.execute("DROP TABLE istats")
    con.execute("DROP TABLE inc2")
    return {name: metadata.conform(df, name) for name, df in out.items()}


def audit_counts_in(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``exit_audit_counts`` (conformed) from a prepared session: the exit audit's findings
    counted without building its rows (same conditions, :func:`exit_audit.counts_sql`)."""
    return metadata.conform(con.execute(counts_sql()).df(), "exit_audit_counts")


def briefing_tables(households: Any, poverty_lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``income_summary``, ``income_outliers``, ``income_distribution`` and
    ``exit_audit_counts`` from
    ``registry_households`` (pandas, pyarrow or the processed Parquet folder; every year)."""
    with session(households=households) as con:
        prepare(con, poverty_lines)
        return {**income_tables_in(con), "exit_audit_counts": audit_counts_in(con)}
