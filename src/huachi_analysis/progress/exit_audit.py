"""Exit audit: registered households whose status contradicts their income, housing, water or
their own history across years. Rows carry pseudonymous household keys only.

Findings (one row per household, year and finding):

* ``exited_below_line`` — 已脱贫 with per-capita income below that year's poverty line;
* ``exited_dangerous_house`` — 已脱贫 and still 危房户;
* ``exited_unsafe_water`` — 已脱贫 and 饮水安全 = 否;
* ``above_line_not_exited`` — 未脱贫/返贫 with income above the line;
* ``exited_then_poor_without_return`` — 已脱贫 in Y−1, 未脱贫 (not 返贫) in Y;
* ``return_without_prior_exit`` — 返贫 in Y after 未脱贫 in Y−1, never 已脱贫 before Y;
* ``exit_year_in_future`` — 脱贫年度 later than the export year;
* ``exit_year_changed`` — 已脱贫 in Y−1 and Y with different 脱贫年度.

Rows are ordered by year, finding, township, village, household key (``gid`` numbers the
villages in (township, village) order, so the sort runs on integers).

A year without a poverty line skips the two income findings for that year (see
:func:`years_without_line`); the other findings of that year are listed with an empty
``poverty_line``. Nothing else is skipped.

The audit can hold millions of rows at province scale, so :func:`audit_relation` gives it as a
DuckDB relation (written to files by the build step without a pandas copy); :func:`exit_audit`
is the same query as a pandas frame, for notebooks and tests.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.progress.engine import session
from huachi_analysis.progress.household_years import (
    EXITED,
    POOR_STATUSES,
    lines_frame,
    prepare,
)

#: (finding, condition on a household-year of ``x``, description) — the audit's rules. A
#: condition may use the household's first year as 已脱贫 (``first_exit``).
FINDINGS: tuple[tuple[str, str, str], ...] = (
    ("exited_below_line", f"exit_status = '{EXITED}' AND inc < poverty_line",
     "printf('已脱贫 but income %.2f < poverty line %.2f', inc, poverty_line)"),
    ("exited_dangerous_house", f"exit_status = '{EXITED}' AND dangerous_house",
     "'已脱贫 but 危房户 = 是'"),
    ("exited_unsafe_water", f"exit_status = '{EXITED}' AND NOT safe_water",
     "'已脱贫 but 饮水安全 = 否'"),
    ("above_line_not_exited", f"exit_status IN {POOR_STATUSES} AND inc > poverty_line",
     "printf('%s with income %.2f > poverty line %.2f', exit_status, inc, poverty_line)"),
    ("exited_then_poor_without_return", f"prev_status = '{EXITED}' AND exit_status = '未脱贫'",
     "printf('已脱贫 in %d, 未脱贫 (not 返贫) in %d', year - 1, year)"),
    ("return_without_prior_exit", "exit_status = '返贫' AND prev_status = '未脱贫' "
     "AND (first_exit IS NULL OR first_exit > year)",
     "printf('返贫 in %d after 未脱贫 in %d, never 已脱贫 before', year, year - 1)"),
    ("exit_year_in_future", "exit_year > year",
     "printf('脱贫年度 %d is after the export year %d', exit_year, year)"),
    ("exit_year_changed", f"prev_status = '{EXITED}' AND exit_status = '{EXITED}' "
     "AND exit_year <> prev_exit_year",
     "printf('脱贫年度 %d in %d, %d in %d', prev_exit_year, year - 1, exit_year, year)"),
)

_EVER = (f"ever AS (SELECT household_key, MIN(year) AS first_exit FROM hy "
         f"WHERE exit_status = '{EXITED}' GROUP BY ALL)")

_AUDIT_SQL = f"""
WITH {_EVER},
x AS (SELECT hy.*, e.first_exit FROM hy LEFT JOIN ever e USING (household_key)),
f AS (
""" + "\n  UNION ALL ".join(f"SELECT *, '{name}' AS finding, {desc} AS description FROM x "
                         f"WHERE {cond}" for name, cond, desc in FINDINGS) + """)
SELECT CAST(f.year AS BIGINT) AS year, f.household_key, g.township, g.village, f.finding,
       f.exit_status, f.inc AS income_per_capita, f.poverty_line, f.description,
       f.is_synthetic
FROM f JOIN geo g USING (gid)
ORDER BY f.year, f.finding, f.gid, f.household_key
"""


def counts_sql() -> str:
    """Households per year × township × finding (the columns of ``exit_audit_counts``): the
    conditions of :data:`FINDINGS` counted without building the audit's rows; only the rule
    that needs a household's first exit joins it."""
    branches = "\n  UNION ALL ".join(
        f"SELECT year, gid, '{name}' AS finding, is_synthetic FROM "
        f"{'x' if 'first_exit' in cond else 'hy'} WHERE {cond}" for name, cond, _ in FINDINGS)
    return f"""
WITH {_EVER},
x AS (SELECT hy.*, e.first_exit FROM hy LEFT JOIN ever e USING (household_key)),
f AS ({branches})
SELECT CAST(f.year AS BIGINT) AS year, g.township, f.finding, COUNT(*) AS households,
       BOOL_OR(f.is_synthetic) AS is_synthetic
FROM f JOIN geo g USING (gid)
GROUP BY ALL ORDER BY year, g.township, f.finding
"""


def audit_relation(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The exit audit (columns of ``exit_audit``, ordered) as a relation of a session in which
    :func:`huachi_analysis.progress.household_years.prepare` has run."""
    return con.sql(_AUDIT_SQL)


def conform_audit(df: pd.DataFrame) -> pd.DataFrame:
    """Order, type and validate exit-audit rows (lazy; every failure listed)."""
    return metadata.conform(df, "exit_audit")


def exit_audit(households: Any, poverty_lines: pd.DataFrame) -> pd.DataFrame:
    """Every contradiction listed in the module docstring, as a pandas frame.

    Args:
        households: ``registry_households`` (pandas, pyarrow or Parquet path), all years.
        poverty_lines: ``poverty_lines`` (year, poverty_line).

    Returns:
        Columns of ``exit_audit``, validated.
    """
    with session(households=households) as con:
        prepare(con, poverty_lines)
        return conform_audit(audit_relation(con).df())


def years_without_line(years: list[int], poverty_lines: pd.DataFrame) -> list[int]:
    """Registry years that have no poverty line (income findings skipped for them)."""
    have = set(lines_frame(poverty_lines)["year"])
    return [y for y in years if y not in have]
