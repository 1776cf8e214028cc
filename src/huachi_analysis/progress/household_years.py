"""Household-years with their flags: the one table every household-level query starts from.

:func:`prepare` turns the ``households`` table of a DuckDB session (``registry_households``, any
size) into two temporary tables, computed once per session:

* ``geo`` — one row per (township, village) with integer ids ``gid`` (village) and ``tid``
  (township): grouping and sorting on integers is much cheaper than on strings at province
  scale;
* ``hy`` — one row per household and year with the previous year's status joined on the same
  household key, the year's poverty line (NULL for a year without one) and the flags:
  ``is_poor`` (未脱贫/返贫), ``is_exit``, ``is_return``, ``renovated`` (definitions in
  :mod:`huachi_analysis.progress.registry_indicators`).
"""

from __future__ import annotations

import duckdb
import pandas as pd

POOR_STATUSES = ("未脱贫", "返贫")
EXITED = "已脱贫"
RETURNED = "返贫"

_PREPARE_SQL = f"""
CREATE OR REPLACE TEMP VIEW h AS
  SELECT CAST(year AS INTEGER) AS year, household_key, township, village,
         COALESCE(village_is_poor, FALSE) AS village_is_poor,
         CAST(COALESCE(members_listed, household_size) AS DOUBLE) AS w,
         exit_status, CAST(registry_exit_year AS INTEGER) AS exit_year,
         CAST(income_per_capita AS DOUBLE) AS inc, main_cause,
         CAST(dangerous_house AS BOOLEAN) AS dangerous_house,
         CAST(safe_water AS BOOLEAN) AS safe_water,
         COALESCE(CAST(is_synthetic AS BOOLEAN), FALSE) AS is_synthetic
  FROM households;
CREATE OR REPLACE TEMP TABLE geo AS
  SELECT CAST(row_number() OVER (ORDER BY township, village) AS INTEGER) AS gid,
         CAST(dense_rank() OVER (ORDER BY township) AS INTEGER) AS tid, township, village
  FROM (SELECT DISTINCT township, village FROM h);
CREATE OR REPLACE TEMP TABLE hy AS
  SELECT h.year, h.household_key, g.gid, g.tid, h.village_is_poor, h.w, h.exit_status, h.exit_year,
         h.inc, h.main_cause, h.dangerous_house, h.safe_water, h.is_synthetic,
         p.exit_status AS prev_status, p.exit_year AS prev_exit_year, l.poverty_line,
         h.exit_status IN {POOR_STATUSES} AS is_poor,
         COALESCE(h.exit_status = '{EXITED}' AND (h.exit_year = h.year OR
           (h.exit_year IS NULL AND p.exit_status IN {POOR_STATUSES})), FALSE) AS is_exit,
         COALESCE(p.exit_status = '{EXITED}' AND h.exit_status IN {POOR_STATUSES}, FALSE)
           AS is_return,
         COALESCE(p.dangerous_house AND NOT h.dangerous_house, FALSE) AS renovated
  FROM h JOIN geo g ON g.township IS NOT DISTINCT FROM h.township
                   AND g.village IS NOT DISTINCT FROM h.village
  LEFT JOIN (SELECT year + 1 AS year, household_key, exit_status, exit_year, dangerous_house
             FROM h) p ON p.year = h.year AND p.household_key = h.household_key
  LEFT JOIN lines l ON l.year = h.year;
"""


def lines_frame(poverty_lines: pd.DataFrame) -> pd.DataFrame:
    """(year int64, poverty_line float64) from a ``poverty_lines`` table."""
    return pd.DataFrame({
        "year": pd.to_numeric(poverty_lines["year"]).astype("int64"),
        "poverty_line": pd.to_numeric(poverty_lines["poverty_line"]).astype("float64"),
    })


def prepare(con: duckdb.DuckDBPyConnection, poverty_lines: pd.DataFrame) -> None:
    """Create ``geo`` and ``hy`` in ``con`` from its ``households`` table (once per session)."""
    from huachi_analysis.progress.engine import execute_script

    con.register("lines", lines_frame(poverty_lines))
    execute_script(con, _PREPARE_SQL)
