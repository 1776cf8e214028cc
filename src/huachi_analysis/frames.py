"""The processed tables for notebooks and ad-hoc analysis, with plain pandas dtypes.

pandas 3 reads text as Arrow-backed strings, and the pipeline types its tables with nullable
dtypes (``string``, ``Int64``, ``Float64``, ``boolean``); printing such a column's values or
its ``.unique()`` shows ``<ArrowStringArray>`` / ``<IntegerArray>`` wrappers. The readers here
return what a pandas user expects:

========================  =====================================================
registered type           dtype returned
========================  =====================================================
text (``string``)         ``object``, missing values ``None``
whole number (``int``)    ``int64``; ``float64`` (``NaN``) if a value is missing
decimal (``float``)       ``float64`` (``NaN``)
yes/no (``bool``)         ``bool``; ``object`` (True/False/None) if one is missing
hive partition ``year``   ``int64`` (not categorical)
========================  =====================================================

>>> import pandas as pd
>>> df = plain(pd.DataFrame({"t": pd.Series(["柔远镇", None], dtype="string"),
...                          "n": pd.Series([2014, 2015], dtype="Int64"),
...                          "b": pd.Series([True, None], dtype="boolean")}))
>>> [str(d) for d in df.dtypes]
['object', 'int64', 'object']
>>> df["t"].unique()
array(['柔远镇', None], dtype=object)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from huachi_analysis.messages import both

__all__ = ["plain", "read", "tables"]


def _plain_column(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        s = s.astype(cats.dtype if not pd.api.types.is_string_dtype(cats.dtype) else object)
    dtype = s.dtype
    missing = s.isna().to_numpy()
    if pd.api.types.is_bool_dtype(dtype):
        if missing.any():
            return pd.Series(s.to_numpy(dtype=object, na_value=None), index=s.index,
                             name=s.name, dtype=object)
        return s.astype(bool)
    if pd.api.types.is_integer_dtype(dtype):
        if missing.any():
            return s.astype("float64")
        return s.astype("int64")
    if pd.api.types.is_float_dtype(dtype):
        return pd.Series(s.to_numpy(dtype="float64", na_value=np.nan), index=s.index,
                         name=s.name)
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        values = np.where(missing, None, s.to_numpy(dtype=object))
        return pd.Series(values, index=s.index, name=s.name, dtype=object)
    return s


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with plain numpy-backed dtypes (see the module's table); column names as str."""
    out = pd.DataFrame({str(c): _plain_column(df[c]) for c in df.columns}, index=df.index)
    out.columns = pd.Index([str(c) for c in df.columns], dtype=object)
    return out


def read(stem: str, directory: str | Path | None = None) -> pd.DataFrame:
    """Processed table ``stem`` (``registry_households``, ``progress_registry`` …) from
    ``directory`` (default ``data/processed``), typed as registered, then :func:`plain`.

    Raises:
        InputFileError: the table is not there (run ``huachi build``) or cannot be read.
    """
    from huachi_analysis import catalog
    from huachi_analysis.errors import InputFileError
    from huachi_analysis.reports.data import data_dir, read_table

    d = data_dir(directory)
    path = catalog.find(stem, d) if stem in catalog.CATALOG else None
    if path is None or path.suffix == ".json":
        raise InputFileError(d / stem, both("processed_table_missing"))
    df = read_table(path, stem)
    if not isinstance(df, pd.DataFrame):  # only registry_summary (JSON) is not a table
        raise InputFileError(path, both("processed_table_missing"))
    if "year" in df.columns:  # a partitioned folder reads year as a category
        df["year"] = pd.to_numeric(df["year"].astype("string")).astype("Int64")
    return plain(df)


def tables(directory: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every registered processed table present in ``directory``, by name, as :func:`read`."""
    from huachi_analysis import catalog, metadata
    from huachi_analysis.reports.data import data_dir

    d = data_dir(directory)
    out = {}
    for name in sorted(set(metadata.TABLES) & set(catalog.CATALOG)):
        p = catalog.find(name, d)
        if p is not None and p.suffix != ".json":
            out[name] = read(name, d)
    return out
