"""The one query engine of the progress package: DuckDB over in-memory tables.

Every household-level computation (registry indicators, exit audit) runs as SQL over the
frames it is given, whatever their size; there is no separate "big data" path. DuckDB scans a
``pandas.DataFrame`` or a ``pyarrow.Table`` in place (no copy into a database file), runs
multi-threaded and spills to disk rather than failing when memory is short. Small tables
(targets, trajectories) are handled in pandas after aggregation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd

#: Cap on DuckDB's own memory (the issue-7 budget is 4 GB for the whole process).
MEMORY_LIMIT = "2GB"


@contextmanager
def session(**tables: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection with each keyword argument registered as a table.

    Args:
        **tables: name → ``pandas.DataFrame`` or ``pyarrow.Table``.
    """
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    try:
        for name, table in tables.items():
            con.register(name, table)
        yield con
    finally:
        con.close()


def execute_script(con: duckdb.DuckDBPyConnection, script: str) -> None:
    """Run statements separated by ``;`` at the end of a line."""
    for stmt in script.split(";\n"):
        if stmt.strip():
            con.execute(stmt)


def run(sql: str, **tables: Any) -> pd.DataFrame:
    """Run one query with each keyword argument visible as a table; return a pandas frame."""
    with session(**tables) as con:
        return con.execute(sql).df()
