"""Notebook-friendly tables: the readers return plain pandas dtypes, so a column and its
unique values print without Arrow or masked-array wrappers."""

from __future__ import annotations

import pandas as pd
import pytest

from huachi_analysis import frames, io
from huachi_analysis.errors import InputFileError


def _households() -> pd.DataFrame:
    return pd.DataFrame({
        "household_key": pd.Series(["a", "b", "c"], dtype="string"),
        "township": pd.Series(["柔远镇", "南梁镇", None], dtype="string"),
        "members_listed": pd.Series([3, 4, 2], dtype="Int64"),
        "registry_exit_year": pd.Series([2016, None, 2017], dtype="Int64"),
        "income_per_capita": pd.Series([3000.5, None, 2800.0], dtype="Float64"),
        "safe_water": pd.Series([True, False, None], dtype="boolean"),
        "is_synthetic": pd.Series([True, True, True], dtype="boolean"),
    })


def test_plain_dtypes():
    df = frames.plain(_households())
    assert dict(df.dtypes.astype(str)) == {
        "household_key": "object", "township": "object", "members_listed": "int64",
        "registry_exit_year": "float64", "income_per_capita": "float64",
        "safe_water": "object", "is_synthetic": "bool"}
    assert df["township"].tolist() == ["柔远镇", "南梁镇", None]
    assert df["safe_water"].tolist() == [True, False, None]
    for col in df.columns:  # printing a column or its values shows no extension-array wrapper
        for shown in (repr(df[col].unique()), repr(df[col].to_numpy()), str(df[col])):
            assert "<" not in shown, (col, shown)


def test_read_a_partitioned_table_and_a_plain_one(tmp_path):
    h = _households()
    for year in (2015, 2016):
        io.write_parquet(tmp_path / "registry_households" / f"year={year}" / "part-0.parquet", h)
    io.write_table(tmp_path / "plan_townships", pd.DataFrame({
        "township": ["柔远镇"], "township_type": ["镇"], "township_pinyin": ["Rouyuan Zhen"],
        "township_en": ["Rouyuan Town"], "aliases": ["柔远"]}))
    got = frames.read("registry_households", tmp_path)
    assert str(got["year"].dtype) == "int64" and sorted(got["year"].unique()) == [2015, 2016]
    assert str(got["township"].dtype) == "object"
    assert "Arrow" not in repr(got["township"].unique())
    assert set(frames.tables(tmp_path)) == {"registry_households", "plan_townships"}
    with pytest.raises(InputFileError, match="huachi build"):
        frames.read("progress_registry", tmp_path)
