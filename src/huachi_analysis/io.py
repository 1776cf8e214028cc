"""Reading and writing at the edges: atomic writes, hashes, spreadsheet-safe CSV.

Every file the project writes goes through this module, so that

* a write is atomic: the bytes go to a temporary file in the same folder, which is then renamed
  over the target (a killed run leaves the old file or the new one, never half of one);
* a CSV opens correctly in Excel (UTF-8 with BOM) and no text cell can run as a formula
  (cells starting with ``= + - @`` or a tab/CR are prefixed with ``'``).

The CSV contract (:func:`write_csv`, :func:`write_csv_query`) is the one pandas ``to_csv``
gives for ``neutralise_formulas(df)`` with ``index=False, encoding="utf-8-sig"``: NA as an empty
cell, booleans as ``True``/``False``, floats in Python's shortest ``repr``, fields quoted
(``"…"``, inner quotes doubled) only when they hold a comma, a double quote or a line feed;
line feeds end the lines. DuckDB writes it (several times faster than pandas at a million
rows) through one SELECT that neutralises and quotes text itself (DuckDB's own quoting is
switched off: it differs from Python's csv module on empty strings, ``#`` and a lone CR).
Frames with a column DuckDB would not render byte-for-byte like pandas (float32, dates,
categoricals, object columns holding anything but text …), repeated column names or a single
column are written by pandas instead.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from huachi_analysis.hashing import sha256_bytes, sha256_file  # noqa: F401  (re-exported)
from huachi_analysis.locks import TEMP_PREFIX, TEMP_SUFFIX

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX,
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get normal modes
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_group(items: list[tuple[Path, bytes]]) -> list[Path]:
    """Write several files as one: each to a temporary file beside its target first; the
    targets are replaced only once every one was written, so a failure (a full disk) leaves
    all of them as they were."""
    done: list[tuple[Path, Path]] = []
    try:
        for target, data in items:
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.",
                                            suffix=TEMP_SUFFIX, dir=target.parent)
            done.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp_name, 0o666 & ~_umask())
    except BaseException:
        for tmp, _ in done:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in done:
        os.replace(tmp, target)
    return [t for _, t in done]


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_json(target: str | os.PathLike[str], obj: Any) -> Path:
    return write_text(target, json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def write_with(target: str | os.PathLike[str], writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(tmp_path)`` and atomically move the result to ``target``."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy in which no text cell can be executed as a spreadsheet formula."""
    out = df.copy()
    for i in range(out.shape[1]):  # by position: column names may repeat
        s = out.iloc[:, i]
        if isinstance(s.dtype, pd.CategoricalDtype):  # categories are text too
            s = s.astype(object)
        if s.dtype == object:  # mixed column: only real strings can be formulas
            mask = s.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            mask = mask.astype(bool)
        elif pd.api.types.is_string_dtype(s):
            mask = s.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        else:
            continue
        if mask.any():
            safe = s.astype(object)
            safe[mask] = "'" + s[mask].astype(str)
            out.isetitem(i, safe)
    return out


#: DuckDB column types written as they are (DuckDB prints them exactly as pandas does).
_SQL_INTS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT",
                       "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"})


def sql_literal(text: str | os.PathLike[str]) -> str:
    """A text (or a path) as a DuckDB string literal: in single quotes, inner quotes doubled.

    >>> sql_literal("it's")
    "'it''s'"
    """
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _csv_field(text: str) -> str:
    """A field as Python's csv module writes it in a row of several fields (QUOTE_MINIMAL,
    LF line terminator): quoted, with inner quotes doubled, iff it holds a comma, a double
    quote or a LF (a lone CR is not quoted)."""
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _text_sql(col: str) -> str:
    """SQL giving text column ``col`` as a CSV field: formula-neutralised, then quoted as
    :func:`_csv_field` does; NULL stays NULL (an empty field)."""
    starts = " OR ".join(f"prefix({col}, {sql_literal(p)})" for p in FORMULA_PREFIXES)
    safe = f"(CASE WHEN {starts} THEN chr(39) || {col} ELSE {col} END)"
    needs_quotes = f"(contains({col}, ',') OR contains({col}, '\"') OR contains({col}, chr(10)))"
    return (f"CASE WHEN {needs_quotes} THEN '\"' || replace({safe}, '\"', '\"\"') || '\"' "
            f"ELSE {safe} END")


def _column_sql(col: str, kind: str) -> str:
    if kind == "text":
        return _text_sql(col)
    if kind == "bool":
        return f"CASE WHEN {col} THEN 'True' WHEN NOT {col} THEN 'False' END"
    if kind == "float":  # pandas writes NaN as an empty cell
        return f"CASE WHEN isnan({col}) THEN NULL ELSE {col} END"
    return col


def _header_aliases(names: list[str]) -> list[str] | None:
    """Column aliases that make DuckDB's header line the one pandas writes (BOM first), or
    ``None`` when DuckDB cannot carry them (names equal but for case: DuckDB renames one)."""
    aliases = [_csv_field(n) for n in names]
    if not aliases or any(a == "" for a in aliases):
        return None
    if len({a.lower() for a in aliases}) != len(aliases) or \
            len({a.casefold() for a in aliases}) != len(aliases):
        return None
    aliases[0] = "\ufeff" + aliases[0]
    return aliases


def _csv_select(src: str, columns: list[tuple[str, str]], names: list[str]) -> str | None:
    """``SELECT`` over ``src`` giving each ``(column, kind)`` as a CSV field under the header
    ``names``; ``None`` when the layout needs pandas (fewer than two columns: Python's csv
    module quotes a lone empty field, DuckDB does not)."""
    aliases = _header_aliases(names)
    if aliases is None or len(columns) < 2:
        return None
    cols = [f"{_column_sql(_ident(c), k)} AS {_ident(a)}"
            for (c, k), a in zip(columns, aliases, strict=True)]
    return f"SELECT {', '.join(cols)} FROM {src}"


#: ``COPY … TO`` options every DuckDB write uses: ``path`` is already atomic_path's temporary
#: file, so DuckDB's own ``tmp_<name>`` intermediate (left behind if the process is killed)
#: is switched off.
COPY_OPTIONS = "USE_TMP_FILE false"


def _copy_csv(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> None:
    con.execute(f"COPY ({select}) TO {sql_literal(str(path))} (FORMAT csv, HEADER true, "
                f"QUOTE '', ESCAPE '', COMPRESSION 'none', {COPY_OPTIONS})")


def _frame_kind(s: pd.Series) -> tuple[str, pd.Series] | None:
    """How DuckDB writes column ``s`` like pandas: ``(kind, series to register)``, or ``None``
    when it cannot (pandas then writes the frame)."""
    dtype = s.dtype
    if isinstance(dtype, pd.StringDtype):
        return "text", s
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        arrow = dtype.pyarrow_dtype
        if pa.types.is_string(arrow) or pa.types.is_large_string(arrow):
            return "text", s.astype(pd.StringDtype("pyarrow"))
        return None
    if isinstance(dtype, pd.BooleanDtype):
        return "bool", s
    if isinstance(dtype, (pd.Int8Dtype, pd.Int16Dtype, pd.Int32Dtype, pd.Int64Dtype,
                          pd.UInt8Dtype, pd.UInt16Dtype, pd.UInt32Dtype, pd.UInt64Dtype)):
        return "int", s
    if isinstance(dtype, pd.Float64Dtype):
        return "float", s
    if not isinstance(dtype, np.dtype):
        return None  # categoricals, dates with time zones, periods, intervals, sparse …
    if dtype.kind == "O":
        # only text (and missing values) is certain to print as pandas prints it
        if pd.api.types.infer_dtype(s, skipna=True) not in ("string", "empty"):
            return None
        return "text", s.astype(pd.StringDtype("pyarrow"))
    if dtype.kind == "b":
        return "bool", s
    if dtype.kind in "iu":
        return "int", s
    if dtype == np.float64:
        return "float", s
    return None  # float32/16, datetimes, durations, complex, bytes …


def _write_csv_pandas(target: str | os.PathLike[str], df: pd.DataFrame) -> Path:
    safe = neutralise_formulas(df)
    return write_with(target, lambda p: safe.to_csv(p, index=False, encoding="utf-8-sig"))


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def write_csv(target: str | os.PathLike[str], df: pd.DataFrame) -> Path:
    """Atomic, Excel-friendly (UTF-8 with BOM), formula-safe CSV without the index.

    Byte-for-byte what ``neutralise_formulas(df).to_csv(target, index=False,
    encoding="utf-8-sig")`` writes; DuckDB writes it when every column has a type it renders
    the same way (see the module docstring), pandas otherwise.
    """
    if isinstance(df.columns, pd.MultiIndex) or df.columns.has_duplicates:
        return _write_csv_pandas(target, df)
    kinds = [_frame_kind(df.iloc[:, i]) for i in range(df.shape[1])]
    plan = [k for k in kinds if k is not None]
    if len(plan) < len(kinds):
        return _write_csv_pandas(target, df)
    names = [str(c) for c in df.columns]
    cols = [f"c{i}" for i in range(len(plan))]
    select = _csv_select("frame", list(zip(cols, [k for k, _ in plan], strict=True)), names)
    if select is None:
        return _write_csv_pandas(target, df)
    import pyarrow as pa  # DuckDB scans Arrow faster than pandas columns

    frame = pa.Table.from_pandas(
        pd.DataFrame({c: s.reset_index(drop=True) for c, (_, s) in zip(cols, plan, strict=True)}),
        preserve_index=False)
    with _connect() as con:
        con.register("frame", frame)
        return write_with(target, lambda p: _copy_csv(con, select, p))


def write_csv_query(target: str | os.PathLike[str], con: duckdb.DuckDBPyConnection,
                    query: str | duckdb.DuckDBPyRelation) -> Path:
    """Write the result of a DuckDB query (SQL text or a relation of ``con``) as
    :func:`write_csv` would write ``con.sql(query).df()``, atomically, without building the
    frame (unless a column has a type DuckDB does not print as pandas would).

    Rows come in the order DuckDB yields them: give the query an ``ORDER BY``, or keep
    ``preserve_insertion_order`` on, when the order matters.
    """
    rel = con.sql(query) if isinstance(query, str) else query
    view = "__huachi_csv_source"
    kinds: list[str] = []
    for t in rel.types:
        name = str(t)
        kind = ("text" if name == "VARCHAR" else "bool" if name == "BOOLEAN"
                else "float" if name == "DOUBLE" else "int" if name in _SQL_INTS else None)
        if kind is None:  # a type DuckDB does not print as pandas would
            break
        kinds.append(kind)
    select = None
    if len(kinds) == len(rel.types):
        select = _csv_select(view, list(zip(rel.columns, kinds, strict=True)), list(rel.columns))
    if select is None:
        return write_csv(target, rel.df())
    rel.create_view(view, replace=True)
    try:
        return write_with(target, lambda p: _copy_csv(con, select, p))
    finally:
        con.execute(f"DROP VIEW IF EXISTS {view}")


def write_parquet(target: str | os.PathLike[str], df: pd.DataFrame) -> Path:
    return write_with(target, lambda p: df.to_parquet(p, index=False))


def write_table(stem: str | os.PathLike[str], df: pd.DataFrame) -> list[Path]:
    """Write ``stem.csv`` and ``stem.parquet``."""
    stem = Path(stem)
    return [
        write_csv(stem.with_suffix(".csv"), df),
        write_parquet(stem.with_suffix(".parquet"), df),
    ]


def read_csv_text(path: str | os.PathLike[str], **kwargs: Any) -> pd.DataFrame:
    """Read a project CSV (UTF-8, BOM tolerated) with every column as text unless told."""
    kwargs.setdefault("dtype", str)
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("na_values", [""])
    return pd.read_csv(path, encoding="utf-8-sig", **kwargs)
