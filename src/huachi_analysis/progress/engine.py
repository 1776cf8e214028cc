"""The one query engine of the progress package: DuckDB over the registry, whatever its size.

Every household-level computation (registry indicators, exit audit) runs as SQL inside one
DuckDB connection. The household table may be given as

* a ``pandas.DataFrame`` or a ``pyarrow.Table`` (notebooks, tests): DuckDB scans it in place;
* a path to the processed ``registry_households`` folder (``year=YYYY/*.parquet``, hive
  partitioned) or to one Parquet file: DuckDB reads the files itself, so no pandas frame of the
  whole registry is ever built (``huachi progress``, ``huachi build``).

The SQL is the same in every case; there is no separate "big data" copy. The connection is
capped (:data:`MEMORY_LIMIT`, :data:`THREADS`) and spills to a temporary folder rather than
failing when memory is short. Small tables (targets, trajectories) are handled in pandas after
aggregation.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from huachi_analysis.errors import InputFileError
from huachi_analysis.io import sql_literal
from huachi_analysis.messages import both

#: Cap on DuckDB's own memory (the issue-7 budget is 4 GB for the whole process).
MEMORY_LIMIT = "2500MB"
#: Worker threads (the target machine has 2 cores).
THREADS = 2


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the project's limits."""
    spill = Path(tempfile.gettempdir()) / "huachi_duckdb_spill"
    con = duckdb.connect(config={
        "memory_limit": MEMORY_LIMIT, "threads": THREADS,
        "preserve_insertion_order": False, "temp_directory": str(spill)})
    con.execute("SET enable_progress_bar = false")
    return con



def parquet_source(path: str | os.PathLike[str]) -> str:
    """The ``read_parquet(...)`` expression for a Parquet file or a hive-partitioned folder.

    Raises:
        InputFileError: the path does not exist or holds no Parquet file (e.g. a registry step
            that found no export files writes no ``year=`` partition folders).
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(path, both("processed_missing", what=path.name))
    if path.is_file():
        return f"read_parquet({sql_literal(str(path))})"
    parts = sorted(str(p) for p in path.glob("*/*.parquet"))
    flat = sorted(str(p) for p in path.glob("*.parquet"))
    if not parts and not flat:
        raise InputFileError(path, both("registry_no_parquet"))
    if parts:
        return (f"read_parquet({sql_literal(str(path / '*' / '*.parquet'))}, "
                "hive_partitioning = true)")
    return f"read_parquet({sql_literal(str(path / '*.parquet'))})"


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns (``year`` read back from ``year=`` folders) as their plain values."""
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return df
    out = df.copy()
    for c in cats:
        values = out[c].astype(out[c].cat.categories.dtype)
        out[c] = (pd.to_numeric(values).astype("Int64") if c == "year" else values)
    return out


def register(con: duckdb.DuckDBPyConnection, name: str, table: Any) -> None:
    """Make ``table`` visible as ``name``: a frame, a pyarrow table or a Parquet path."""
    if isinstance(table, (str, os.PathLike)):
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM "
                    f"{parquet_source(table)}")
        return
    if isinstance(table, pd.DataFrame):
        table = _plain_frame(table)
    con.register(name, table)


@contextmanager
def session(**tables: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection (:func:`connect`) with each keyword argument registered as a table.

    Args:
        **tables: name → ``pandas.DataFrame``, ``pyarrow.Table`` or Parquet path.
    """
    con = connect()
    try:
        for name, table in tables.items():
            register(con, name, table)
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
