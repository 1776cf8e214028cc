"""Normalisers of registry ingest: vectorised helpers that turn exported text into canonical
values once per distinct value (numbers, categories, flags, resident IDs, codes, villages) and
the maps of exported spellings. The rules that use them are :mod:`.validate`; the per-file
context that applies them once each is :mod:`.file_check`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.arrays import ArrowStringArray

from huachi_analysis.metadata.fields_registry import AGE_BANDS, CAUSES, HOUSEHOLD_TYPES
from huachi_analysis.values import BOOL_WORDS

#: Per-capita income above this (yuan/year) is taken as a typing error, not a registered
#: poor household (the county's rural per-capita income was about 6,000-9,000 yuan in 2014-2020).
ABSURD_INCOME = 100_000
#: Years a registry exit year (脱贫年度) may be; others are left empty.
EXIT_YEAR_RANGE = (2013, 2030)
#: Birth years a resident ID may give.
BIRTH_YEAR_RANGE = (1900, 2030)
#: A stated household size above this is not a household size (a phone number, an ID …).
MAX_HOUSEHOLD_SIZE = 50

_STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str"


def factorize(s: pd.Series) -> tuple[np.ndarray, list]:
    """``(codes, distinct values)`` of a column; code ``-1`` marks a null."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), uniques.tolist()


def broadcast(codes: np.ndarray, mapped: list, dtype: str, index: pd.Index) -> pd.Series:
    """``mapped[code]`` for every row, typed without going through a Python object per row.

    ``None`` in ``mapped`` and code ``-1`` give a null. ``dtype`` is ``"str"``, ``"string"``,
    ``"boolean"``, ``"Float64"``, ``"Int64"`` or ``"object"``.
    """
    codes = np.asarray(codes, dtype=np.intp)
    null_code = codes < 0
    if dtype in ("str", "string"):
        try:  # text and nulls (None, NaN, NA): no Python step per value
            values = pa.array(mapped, pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            values = pa.array([None if v is None or v is pd.NA or
                               (isinstance(v, float) and v != v) else str(v) for v in mapped],
                              pa.large_string())  # what pandas' str columns hold
        taken = values.take(pa.array(codes, mask=null_code)) if len(codes) else \
            pa.array([], pa.large_string())
        arr = ArrowStringArray(taken, dtype=_STR_DTYPE if dtype == "str" else None)
        return pd.Series(arr, index=index, copy=False)
    obj = np.empty(len(mapped), dtype=object)
    obj[:] = mapped
    isnull = np.append(pd.isna(obj), True)
    safe = np.where(null_code, len(mapped), codes)
    mask = isnull[safe]
    if dtype == "object":
        out = np.array(list(mapped) + [None], dtype=object)[safe]
        return pd.Series(out, index=index, dtype=object)
    fill = {"boolean": False, "Float64": 0.0, "Int64": 0}[dtype]
    np_dtype = {"boolean": bool, "Float64": np.float64, "Int64": np.int64}[dtype]
    vals = np.array([fill if n else v for v, n in zip(mapped, isnull[:-1], strict=True)] + [fill],
                    dtype=np_dtype)[safe]
    cls = {"boolean": pd.arrays.BooleanArray, "Float64": pd.arrays.FloatingArray,
           "Int64": pd.arrays.IntegerArray}[dtype]
    return pd.Series(cls(vals, mask), index=index, copy=False)


def map_unique(s: pd.Series, func: Callable[[str], object], dtype: str = "object") -> pd.Series:
    """Apply ``func`` once per distinct non-null value and broadcast the result."""
    codes, uniques = factorize(s)
    mapped = [func(u) for u in uniques]
    if dtype == "str" and s.dtype == "str" and mapped == uniques:
        return s.copy(deep=False)  # nothing changed (the usual case for text already clean)
    return broadcast(codes, mapped, dtype, s.index)


def nfkc(text: str) -> str:
    """NFKC (full-width to half-width) without any whitespace or invisible character."""
    from huachi_analysis.masking import compact

    return compact(str(text))


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers written as text ("3,200", "３２００", "3200元") → ``(Float64 values, bad mask)``."""
    def one(v: str) -> float | None:
        if v.isascii():  # the usual case: no NFKC needed (float() ignores outer spaces)
            try:
                x = float(v.replace(",", ""))
            except ValueError:
                pass
            else:
                return x if np.isfinite(x) else None
        t = nfkc(v).replace(",", "").removesuffix("元")
        try:
            x = float(t)
        except ValueError:
            return None
        return x if np.isfinite(x) else None
    codes, uniques = factorize(s)
    mapped = _plain_numbers(uniques)
    for i, u in enumerate(uniques):
        if mapped[i] is _UNPARSED:
            mapped[i] = one(u)
    num = broadcast(codes, mapped, "Float64", s.index)
    bad_u = np.array([m is None for m in mapped] + [False], dtype=bool)
    return num, bad_u[np.where(codes < 0, len(mapped), codes)]


_UNPARSED = object()
#: A plain decimal number (thousands commas removed first): what both Arrow's cast and
#: Python's ``float`` read, to the same (correctly rounded) double.
_PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _plain_numbers(uniques: list) -> list:
    """Each distinct value as a float (None if not finite) where it is a plain number, in one
    vectorised Arrow pass; :data:`_UNPARSED` where :func:`parse_number`'s per-value rules
    (full-width digits, 元, spaces …) must decide."""
    import pyarrow.compute as pc

    out: list = [_UNPARSED] * len(uniques)
    if not uniques:
        return out
    try:
        arr = pc.replace_substring(pa.array(uniques, pa.large_string()), ",", "")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return out
    plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
    idx = np.flatnonzero(plain.to_numpy(zero_copy_only=False))
    if len(idx):
        vals = pc.cast(arr.take(pa.array(idx)), pa.float64()).to_numpy(zero_copy_only=False)
        finite = np.isfinite(vals)
        for i, v, ok in zip(idx.tolist(), vals.tolist(), finite.tolist(), strict=True):
            out[i] = v if ok else None
    return out


EXIT_STATUS_MAP = {
    "未脱贫": "未脱贫", "0": "未脱贫", "贫困": "未脱贫",
    "已脱贫": "已脱贫", "1": "已脱贫", "4": "已脱贫", "脱贫": "已脱贫",
    "已脱贫(享受政策)": "已脱贫", "已脱贫(不再享受政策)": "已脱贫", "稳定脱贫": "已脱贫",
    "返贫": "返贫", "3": "返贫",
}
HOUSEHOLD_TYPE_MAP = {t: t for t in HOUSEHOLD_TYPES} | {
    "低保户": "低保贫困户", "五保户": "特困供养贫困户", "五保贫困户": "特困供养贫困户",
}
CAUSE_MAP = {c: c for c in CAUSES} | {"其他": "其它", "因病致贫": "因病", "因残致贫": "因残",
                                      "因学致贫": "因学", "因灾致贫": "因灾"}
#: Yes/no columns of an export: the project's one true/false vocabulary.
FLAG_MAP: dict[str, bool] = dict(BOOL_WORDS)


def map_category(s: pd.Series, mapping: Mapping[str, object], dtype: str
                 ) -> tuple[pd.Series, np.ndarray]:
    """Map exported category text to canonical values → ``(values, unknown mask)``."""
    def one(v: str) -> object:
        t = nfkc(v)
        return mapping.get(t, mapping.get(t.lower()))
    codes, uniques = factorize(s)
    mapped = [one(u) for u in uniques]
    bad_u = np.array([m is None for m in mapped] + [False], dtype=bool)
    return (broadcast(codes, mapped, dtype, s.index),
            bad_u[np.where(codes < 0, len(mapped), codes)])


_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def check_resident_ids(s: pd.Series) -> pd.DataFrame:
    """Validate 证件号码 (GB 11643: 18 characters, check digit, birth date) vectorised, once
    per distinct value.

    A 20-character disability-certificate number (残疾人证号: the holder's 18-character ID,
    then category 1-7 and grade 1-4) counts as valid and yields that ID.

    Returns:
        Frame with ``id18`` (the valid resident ID or NA), ``sex`` (男/女), ``birth_year``.
    """
    codes, uniques = factorize(s)
    d = resident_id_table(uniques)
    return pd.DataFrame({"id18": broadcast(codes, d["id18"].tolist(), "str", s.index),
                         "sex": broadcast(codes, d["sex"].tolist(), "str", s.index),
                         "birth_year": broadcast(codes, d["birth_year"].tolist(), "Int64",
                                                 s.index)})


#: What an identifier needs no normalisation for (digits, upper-case ASCII letters).
_PLAIN_ID = r"^[0-9A-Z]*$"


def needs_normalising(s: pd.Series) -> np.ndarray:
    """Where :func:`normalise_ids` would change a value (vectorised, RE2 over Arrow text)."""
    import pyarrow.compute as pc

    t = s if s.dtype == "str" else s.astype("str")
    arr = getattr(t.array, "_pa_array", None)
    if arr is None:
        return ~t.str.match(_PLAIN_ID).fillna(True).to_numpy(dtype=bool)
    plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_ID), True)
    return ~plain.to_numpy(zero_copy_only=False)


def normalise_ids(s: pd.Series) -> pd.Series:
    """Identifiers as typed → one spelling: full-width characters folded (NFKC), Excel's text
    marker ``'``, spaces, hyphens and dots removed, upper case (``x`` → ``X``). Vectorised;
    only values that are not already plain digits and capitals are touched."""
    t = s.astype("str")
    odd = needs_normalising(t)
    if not odd.any():
        return t.mask(t == "")
    t = t.copy()
    v = t[odd]
    wide = ~v.str.isascii().fillna(True).to_numpy(dtype=bool)
    if wide.any():
        v = v.copy()
        v[wide] = v[wide].str.normalize("NFKC")
    t[odd] = v.str.replace(r"[\s'’‘`.\-－—_]", "", regex=True).str.upper()
    return t.mask(t == "")


def normalise_codes(s: pd.Series) -> pd.Series:
    """:func:`normalise_ids` of a column, once per distinct value of those that need it (the
    column as it is when none does, the usual case)."""
    odd = needs_normalising(s)
    if not odd.any():
        return s if s.dtype == "str" else s.astype("str")
    out = s.astype("str").copy()
    codes, uniques = factorize(s[odd])
    norm = normalise_ids(pd.Series(uniques, dtype="str")).tolist()
    out[odd] = broadcast(codes, [None if v is None or v != v else v for v in norm], "str",
                         out.index[odd])
    return out


def age_band(year: pd.Series, birth_year: pd.Series) -> pd.Series:
    """The age band (:data:`AGE_BANDS`) of a person in the data year: the processed tables keep
    this, not the birth year (which, with village, sex and relation, singles persons out)."""
    age = (year.astype("Float64") - birth_year.astype("Float64")).to_numpy(dtype=float,
                                                                           na_value=np.nan)
    labels = np.array([label for _, _, label in AGE_BANDS] + [None], dtype=object)
    which = np.full(len(age), len(AGE_BANDS), dtype=np.intp)
    for i, (lo, hi, _) in reversed(list(enumerate(AGE_BANDS))):
        which[(age >= lo) & (age <= hi)] = i
    return broadcast(which, labels[:-1].tolist() + [None], "str", year.index)


def resident_id_table(values: list[str]) -> pd.DataFrame:
    """:func:`check_resident_ids` of distinct values (one output row per value, in order).

    IDs are normalised first (:func:`normalise_ids`): ``'990102…``, ``９９０１０２…``,
    ``990102 1980 0101 001x`` are one ID."""
    s = pd.Series(values, dtype="str")
    t = normalise_ids(s)
    lens = t.str.len().fillna(0).to_numpy(dtype=np.int64)
    cand = ((lens == 18) | (lens == 20)) & t.str.isascii().fillna(False).to_numpy(dtype=bool)
    out = pd.DataFrame({"id18": pd.Series(pd.NA, index=s.index, dtype="str"),
                        "sex": pd.Series(pd.NA, index=s.index, dtype="str"),
                        "birth_year": pd.Series(pd.NA, index=s.index, dtype="Int64")})
    if not cand.any():
        return out
    ids = t[cand].str.slice(0, 18)
    arr = np.frombuffer("".join(ids.tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = arr[:, :17].astype(np.int64) - 48
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    ok &= _ID_CHECK[(np.clip(digits, 0, 9) * _ID_WEIGHTS).sum(axis=1) % 11] == arr[:, 17]
    year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    mdays = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    mdays = mdays + ((month == 2) & leap)
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= mdays)
    ok &= (year >= BIRTH_YEAR_RANGE[0]) & (year <= BIRTH_YEAR_RANGE[1])
    long = (lens[cand] == 20)
    if long.any():  # disability certificate: category 1-7, grade 1-4 after the ID
        tail = t[cand][long].str.slice(18)
        ok[long] &= tail.str.fullmatch(r"[1-7][1-4]").fillna(False).to_numpy(dtype=bool)
    idx = np.flatnonzero(cand)[ok]
    out.iloc[idx, 0] = ids[ok].to_numpy()
    out.iloc[idx, 1] = np.where(digits[ok, 16] % 2 == 1, "男", "女")
    out.iloc[idx, 2] = year[ok]
    return out


def normalise_village(name: str) -> str:
    """A village name as the plan writes them: NFKC, no spaces, 村 suffix."""
    v = nfkc(name)
    for suffix in ("村民委员会", "村委会"):
        if v.endswith(suffix):
            v = v[: -len(suffix)] + "村"
    if not v.endswith(("村", "社区", "居委会")):
        v += "村"
    return v
