"""metadata.conform's vectorised path types and checks exactly as the pandera schema does, and
hands every frame that fails a check to pandera, which reports it."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pandera.errors
import pytest

from huachi_analysis import metadata
from huachi_analysis.metadata.registry import DTYPES, FIELDS, TABLES, _conform_fast, schema


def _values(name: str, n: int, rng: np.random.Generator, form: str) -> pd.Series:
    """``n`` valid values of field ``name`` (a few missing where allowed) in a given form:
    ``object`` (Python values), ``numpy`` (numpy dtypes, NaN for missing) or ``typed``."""
    f = FIELDS[name]
    if f.allowed is not None:
        vals = [f.allowed[i % len(f.allowed)] for i in range(n)]
    elif f.dtype == "string":
        vals = [f"{name}-{i}" for i in range(n)]
    elif f.dtype == "int":
        vals = [int(x) for x in rng.integers(0, 3000, n)]
    elif f.dtype == "float":
        vals = [float(x) for x in rng.uniform(0, 9000, n).round(2)]
    else:
        vals = [bool(x) for x in rng.integers(0, 2, n)]
    if f.nullable and n > 3:
        vals[1] = None
    if form == "object":
        return pd.Series(vals, dtype=object)
    if form == "typed":
        return pd.Series(vals, dtype=DTYPES[f.dtype])
    return pd.Series(vals)  # pandas' own inference: float64 with NaN for ints, object …


def _frame(table: str, n: int, form: str, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = TABLES[table]
    df = pd.DataFrame({c: _values(c, n, rng, form) for c in t.fields})
    for i, k in enumerate(t.primary_key):  # a unique key: the row number in the first column
        if FIELDS[k].dtype == "string":
            df[k] = pd.Series([f"k{j}" for j in range(n)], dtype=object) if i == 0 else df[k]
        elif FIELDS[k].dtype == "int" and i == 0:
            df[k] = pd.Series(range(n), dtype=object if form == "object" else "int64")
    return df


@pytest.mark.parametrize("form", ["object", "numpy", "typed"])
def test_the_fast_path_gives_what_pandera_gives(form):
    checked = 0
    for table, t in TABLES.items():
        if any(FIELDS[f].checks for f in t.fields) or t.extra_checks:
            continue
        df = _frame(table, 12, form)
        want = None
        # a frame of random values may break a table's key or allowed combination: skipped
        with contextlib.suppress(pandera.errors.SchemaErrors):
            want = schema(table).validate(df.reindex(columns=list(t.fields)), lazy=True)
        if want is None:
            continue
        got = metadata.conform(df, table)
        pd.testing.assert_frame_equal(got, want, obj=table)
        checked += 1
    assert checked > 20


def test_the_fast_path_is_taken_for_valid_frames():
    df = _frame("registry_households", 50, "numpy")
    out = df.reindex(columns=list(TABLES["registry_households"].fields))
    assert _conform_fast(out, TABLES["registry_households"]) is not None


@pytest.mark.parametrize("break_it", [
    lambda d: d.assign(exit_status=["不知道"] + list(d["exit_status"][1:])),  # not allowed
    lambda d: d.assign(income_per_capita=[-1.0] + list(d["income_per_capita"][1:])),  # < 0
    lambda d: d.assign(household_key=[None] + list(d["household_key"][1:])),  # not nullable
    lambda d: d.assign(members_listed=[1.5] + list(d["members_listed"][1:])),  # not an int
    lambda d: pd.concat([d, d.head(1)], ignore_index=True),  # primary key twice
    lambda d: d.assign(safe_water=["maybe"] + list(d["safe_water"][1:])),  # not a bool
])
def test_a_failing_frame_is_reported_by_pandera(break_it):
    df = break_it(_frame("registry_households", 8, "object"))
    t = TABLES["registry_households"]
    assert _conform_fast(df.reindex(columns=list(t.fields)), t) is None
    with pytest.raises(pandera.errors.SchemaErrors):
        metadata.conform(df, "registry_households")
