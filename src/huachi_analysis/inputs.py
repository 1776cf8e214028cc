"""The input tables of ``data/raw/inputs`` (not registry data, read by the registry step beside
the exports), validated line by line:

* ``poverty_lines.csv`` (national rural poverty line by year);
* ``rural_population*.csv`` (by township) and ``village_population*.csv`` (by village).

(Department figures — indicator actuals — are read by :mod:`huachi_analysis.actuals`.)

Every function here is pure (frames in, frame out) apart from :func:`read_table_csv`; each
problem raises :class:`~huachi_analysis.errors.InputFileError` naming the file, the line (as a
text editor shows it: the header is line 1), the column and the allowed values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.errors import InputFileError
from huachi_analysis.io import read_csv_text
from huachi_analysis.messages import both
from huachi_analysis.policy import YEAR_RANGE
from huachi_analysis.registry.normalise import nfkc, normalise_village

MAX_LISTED = 20


def read_table_csv(path: Path, table: str) -> pd.DataFrame:
    """Read an input CSV (UTF-8, BOM tolerated) as text, checking its columns against the
    table contract (extra columns are an error: they would be silently ignored)."""
    path = Path(path)
    try:
        df = read_csv_text(path)
    except UnicodeDecodeError:
        raise InputFileError(path, both("csv_not_utf8_save")) from None
    except pd.errors.EmptyDataError:
        raise InputFileError(path, both("file_empty")) from None
    except pd.errors.ParserError as exc:
        raise InputFileError(path, both("csv_unreadable", detail=str(exc)[:200])) from None
    df.columns = [str(c).strip() for c in df.columns]
    want = list(metadata.TABLES[table].fields)
    missing = [c for c in want if c not in df.columns]
    extra = [c for c in df.columns if c not in want]
    if missing or extra:
        raise InputFileError(path, both(
            "input_columns_wrong", want=", ".join(want),
            missing_part={"zh": f"；缺少：{'、'.join(missing)}", "en": f"; missing: {', '.join(missing)}"}
            if missing else "",
            extra_part={"zh": f"；多出：{'、'.join(extra)}", "en": f"; unexpected: {', '.join(extra)}"}
            if extra else ""))
    return df


def _listed(values, limit: int | None = MAX_LISTED) -> str:
    values = list(values)
    shown = values if limit is None else values[:limit]
    more = f" … ({len(values)} in all)" if len(shown) < len(values) else ""
    return ", ".join(str(v) for v in shown) + more


def _line(i: int) -> int:
    return int(i) + 2  # header is line 1


def _numbers(df: pd.DataFrame, col: str, path: Path, *, integer: bool = False,
             minimum: float | None = None, between: tuple[int, int] | None = None) -> pd.Series:
    text = df[col].map(lambda v: nfkc(v).replace(",", "") if isinstance(v, str) else v)
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() | (integer & (num % 1 != 0))
    if minimum is not None:
        bad |= num < minimum
    if between is not None:
        bad |= ~num.between(*between)
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        want = {"zh": "整数" if integer else "数字", "en": "a whole number" if integer else "a number"}
        if minimum is not None:
            want = {"zh": want["zh"] + f"（≥ {minimum:g}）", "en": want["en"] + f" ≥ {minimum:g}"}
        if between is not None:
            want = {"zh": want["zh"] + f"（{between[0]} 至 {between[1]}）",
                    "en": want["en"] + f" from {between[0]} to {between[1]}"}
        raise InputFileError(path, both("input_not_a_number", column=col, want=want,
                                        value=repr(df[col].iloc[i])),
                             row=_line(i), column=col)
    return num


def _required_text(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    s = df[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    empty = s.isna() | (s == "")
    if empty.any():
        i = empty.to_numpy().nonzero()[0][0]
        raise InputFileError(path, both("input_empty_value", column=col), row=_line(i), column=col)
    return s


def _unique(df: pd.DataFrame, key: list[str], path: Path) -> None:
    dup = df.duplicated(key, keep="first")
    if dup.any():
        i = dup.to_numpy().nonzero()[0][0]
        raise InputFileError(path, both("input_duplicate_key", key=", ".join(key),
                                        values=", ".join(str(df[k].iloc[i]) for k in key)),
                             row=_line(i))


def _township(df: pd.DataFrame, path: Path, geo) -> pd.Series:
    names = _required_text(df, "township", path)
    town = names.map(geo.resolve_township)
    if town.isna().any():
        i = town.isna().to_numpy().nonzero()[0][0]
        raise InputFileError(path, both("input_unknown_township", name=names.iloc[i],
                                        allowed=_listed(geo.townships)),
                             row=_line(i), column="township")
    return town


def validate_poverty_lines(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``year, poverty_line, source``: one line per year, a positive amount in yuan."""
    out = pd.DataFrame({
        "year": _numbers(df, "year", path, integer=True, between=YEAR_RANGE),
        "poverty_line": _numbers(df, "poverty_line", path, minimum=1),
        "source": _required_text(df, "source", path)})
    _unique(out, ["year"], path)
    return metadata.conform(out.sort_values("year"), "poverty_lines")


def validate_rural_population(df: pd.DataFrame, path: Path, geo) -> pd.DataFrame:
    """``year, township, rural_population, source`` with known townships."""
    out = pd.DataFrame({
        "year": _numbers(df, "year", path, integer=True, between=YEAR_RANGE),
        "township": _township(df, path, geo),
        "rural_population": _numbers(df, "rural_population", path, minimum=0),
        "source": _required_text(df, "source", path)})
    _unique(out, ["year", "township"], path)
    return metadata.conform(out, "rural_population")


def validate_village_population(df: pd.DataFrame, path: Path, geo) -> pd.DataFrame:
    """``year, township, village, rural_population, source``; villages the plan does not name
    are kept with the name normalised (as in the registry)."""
    town = _township(df, path, geo)
    vil = _required_text(df, "village", path)
    canon = [geo.resolve_village(t, v) or normalise_village(v) for t, v in zip(town, vil,
                                                                                strict=True)]
    out = pd.DataFrame({
        "year": _numbers(df, "year", path, integer=True, between=YEAR_RANGE),
        "township": town, "village": canon,
        "rural_population": _numbers(df, "rural_population", path, minimum=0),
        "source": _required_text(df, "source", path)})
    _unique(out, ["year", "township", "village"], path)
    return metadata.conform(out, "village_population")
