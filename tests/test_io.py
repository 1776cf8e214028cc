"""The shared CSV writer (``huachi_analysis.io``): one contract for frames and DuckDB queries.

Expected bytes are written out by hand: BOM, header, ``'`` before text starting with
``= + - @ TAB CR``, NA as an empty cell, ``True``/``False``, quotes only around a comma, a double
quote or a line feed.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from huachi_analysis import io

BOM = "\ufeff".encode()


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "s": pd.Series(["=SUM(A1)", "-5", None, "柔远镇", 'say "hi"'], dtype="string"),
        "a": pd.Series(["+1", "@x", "a,b", None, "\tt"], dtype=pd.ArrowDtype(pa.string())),
        "o": pd.Series(["\rcr", None, "line\nfeed", np.nan, "ok"], dtype=object),
        "i": pd.array([-5, None, 0, 2**62, 7], dtype="Int64"),
        "f": pd.array([-5.0, 0.1, None, 1e16, 2.5], dtype="Float64"),
        "b": pd.array([True, False, None, True, False], dtype="boolean"),
    })


EXPECTED = (
    "s,a,o,i,f,b\n"
    "'=SUM(A1),'+1,'\rcr,-5,-5.0,True\n"
    "'-5,'@x,,,0.1,False\n"
    ',"a,b","line\nfeed",0,,\n'
    "柔远镇,,,4611686018427387904,1e+16,True\n"
    '"say ""hi""",\'\tt,ok,7,2.5,False\n'
)


def test_frame_written_by_hand_computed_bytes(tmp_path):
    p = io.write_csv(tmp_path / "t.csv", _frame())
    assert p.read_bytes() == BOM + EXPECTED.encode("utf-8")


def test_frame_goes_through_duckdb_and_matches_pandas_path(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(io, "_write_csv_pandas",
                        lambda target, df: calls.append(target))  # must not be used
    io.write_csv(tmp_path / "d.csv", _frame())
    assert calls == []
    monkeypatch.undo()
    io._write_csv_pandas(tmp_path / "p.csv", _frame())
    assert (tmp_path / "d.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()


def test_text_minus_five_is_neutralised_numeric_is_not(tmp_path):
    df = pd.DataFrame({"text": pd.Series(["-5"], dtype="str"), "num": np.array([-5]),
                       "flt": np.array([-5.5])})
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_text("utf-8-sig") == "text,num,flt\n'-5,-5,-5.5\n"


def test_numpy_columns_nan_and_special_floats(tmp_path):
    df = pd.DataFrame({"f": [np.nan, np.inf, -0.0, 1 / 3], "b": [True, False, True, False],
                       "u": np.array([0, 1, 2, 2**64 - 1], dtype=np.uint64)})
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_text("utf-8-sig") == (
        "f,b,u\n,True,0\ninf,False,1\n-0.0,True,2\n0.3333333333333333,False,18446744073709551615\n")


def test_empty_string_hash_and_lone_cr_as_pandas_writes_them(tmp_path):
    # DuckDB's own quoting would write "" , "#x" and "a\rb" in quotes; Python's csv does not
    df = pd.DataFrame({"x": pd.Series(["", "#x", "a\rb", None], dtype="string"), "y": 1})
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_bytes() == BOM + b"x,y\n,1\n#x,1\na\rb,1\n,1\n"


def test_mixed_object_column_keeps_every_value(tmp_path):
    df = pd.DataFrame({"m": pd.Series([1, "=a", 2.5, True, None, "-x"], dtype=object),
                       "k": range(6)})
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_text("utf-8-sig") == (
        "m,k\n1,0\n'=a,1\n2.5,2\nTrue,3\n,4\n'-x,5\n")


def test_header_quoting_and_case_only_different_names(tmp_path):
    df = pd.DataFrame({"a,b": [1], 'q"': [2], "A": ["x"], "a": ["=y"]})
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_text("utf-8-sig") == '"a,b","q""",A,a\n1,2,x,\'=y\n'


def test_repeated_column_names_are_all_neutralised(tmp_path):
    df = pd.DataFrame([["=1", "=2"]], columns=["c", "c"])
    assert io.neutralise_formulas(df).iloc[0].tolist() == ["'=1", "'=2"]
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_text("utf-8-sig") == "c,c\n'=1,'=2\n"


def test_single_column_lone_empty_field_is_quoted_like_pandas(tmp_path):
    df = pd.DataFrame({"x": pd.Series(["", None, "a"], dtype="string")})
    io.write_csv(tmp_path / "t.csv", df)
    assert (tmp_path / "t.csv").read_text("utf-8-sig") == 'x\n""\n""\na\n'


def test_empty_frames(tmp_path):
    io.write_csv(tmp_path / "rows.csv", pd.DataFrame({"a": pd.Series(dtype="string"),
                                                      "b": pd.Series(dtype="Int64")}))
    assert (tmp_path / "rows.csv").read_bytes() == BOM + b"a,b\n"
    io.write_csv(tmp_path / "none.csv", pd.DataFrame())
    assert (tmp_path / "none.csv").read_bytes() == BOM + b"\n"


def test_failed_duckdb_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_bytes(b"old")

    def boom(con, select, path):
        path.write_bytes(b"half")
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(io, "_copy_csv", boom)
    with pytest.raises(duckdb.IOException):
        io.write_csv(target, _frame())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_failed_pandas_write_leaves_the_old_file(tmp_path):
    class Unprintable:
        def __str__(self):
            raise RuntimeError("cannot print")

    target = tmp_path / "t.csv"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        io.write_csv(target, pd.DataFrame({"x": [Unprintable()], "y": [1]}))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_query_written_like_its_frame(tmp_path):
    con = duckdb.connect()
    sql = ("SELECT * FROM (VALUES ('=x', 1, 0.5, true), ('-5', NULL, 'nan'::DOUBLE, NULL), "
           "(NULL, -5, -5.0, false), ('华池,县', 2, NULL, true)) v(t, i, f, b)")
    io.write_csv_query(tmp_path / "q.csv", con, sql)
    assert (tmp_path / "q.csv").read_text("utf-8-sig") == (
        "t,i,f,b\n'=x,1,0.5,True\n'-5,,,\n,-5,-5.0,False\n\"华池,县\",2,,True\n")
    io.write_csv(tmp_path / "f.csv", con.sql(sql).df())
    assert (tmp_path / "q.csv").read_bytes() == (tmp_path / "f.csv").read_bytes()


def test_query_relation_with_other_types_falls_back_to_its_frame(tmp_path):
    con = duckdb.connect()
    rel = con.sql("SELECT DATE '2020-01-02' AS d, 1.50::DECIMAL(5, 2) AS m, '@a' AS t")
    io.write_csv_query(tmp_path / "q.csv", con, rel)
    assert (tmp_path / "q.csv").read_text("utf-8-sig") == "d,m,t\n2020-01-02,1.5,'@a\n"


def test_categorical_text_cells_are_neutralised_too(tmp_path):
    df = pd.DataFrame({"village": pd.Categorical(["=HYPERLINK(\"http://x\")", "刘坪村", None])})
    target = io.write_csv(tmp_path / "c.csv", df)
    back = pd.read_csv(target, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["village"].tolist() == ["'=HYPERLINK(\"http://x\")", "刘坪村", ""]
