"""The one registry of fields and tables; pandera schemas and the data dictionary derive from it.

A *field* is a column defined once for the whole project (name, dtype, unit, description,
allowed values). A *table* lists field names and a primary key. Modules in this package
(``fields_plan``, ``fields_registry``, ``fields_progress`` …) register their fields and tables
at import; :func:`schema` turns a table into a pandera ``DataFrameSchema`` and
:func:`data_dictionary_markdown` renders the dictionary.

:func:`conform` types and checks a frame against its table. The checks the registry can express
(type, not empty, allowed values, a minimum, a unique primary key) run vectorised first; only if
one fails — or a table carries custom pandera checks — does pandera run, to report every failure.
So pandera, slow to import and to run on a million rows, is not on the path of valid data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from huachi_analysis.values import BOOL_WORDS

if TYPE_CHECKING:
    import pandera.pandas as pa

#: dtype names a field may use, mapped to the pandas dtype a validated frame carries.
DTYPES: dict[str, str] = {
    "string": "string",
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
}


@dataclass(frozen=True)
class Field:
    name: str
    dtype: str
    description: str
    unit: str | None = None
    allowed: tuple[Any, ...] | None = None
    nullable: bool = True
    checks: tuple[pa.Check, ...] = ()
    #: smallest allowed value of a numeric field (a check pandera and :func:`conform` share)
    minimum: float | None = None

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"field {self.name!r}: dtype {self.dtype!r} not in {sorted(DTYPES)}")


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    layer: str = "processed"
    extra_checks: tuple[pa.Check, ...] = field(default_factory=tuple)
    #: fields that may be empty elsewhere but must not be empty in this table
    not_null: tuple[str, ...] = ()
    #: says why a table that holds no pseudonymous key is personal data anyway
    personal_note: str | None = None
    #: column → (referenced table, its column): every non-empty value must be found there
    #: (checked when a build finishes, :func:`huachi_analysis.catalog.check_foreign_keys`)
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def personal_data(self) -> bool:
        """Personal data (must not leave the office): one row per person or household
        (a pseudonymous key), or a table flagged so."""
        return bool(self.personal_note) or bool(PERSONAL_KEYS & set(self.fields))


FIELDS: dict[str, Field] = {}
TABLES: dict[str, Table] = {}
#: Fields that make a table personal data: pseudonyms link its rows to one person or household.
PERSONAL_KEYS = frozenset({"person_key", "household_key"})


def register_field(
    name: str,
    dtype: str,
    description: str,
    *,
    unit: str | None = None,
    allowed: tuple[Any, ...] | list[Any] | None = None,
    nullable: bool = True,
    checks: tuple[pa.Check, ...] = (),
    minimum: float | None = None,
) -> Field:
    """Define a column once. Registering the same name twice is an error."""
    if name in FIELDS:
        raise ValueError(f"field {name!r} is already defined; define each column once")
    f = Field(name, dtype, description, unit, tuple(allowed) if allowed else None, nullable, checks,
              minimum)
    FIELDS[name] = f
    return f


def register_table(
    name: str,
    description: str,
    fields: tuple[str, ...] | list[str],
    *,
    primary_key: tuple[str, ...] | list[str] = (),
    layer: str = "processed",
    extra_checks: tuple[pa.Check, ...] = (),
    not_null: tuple[str, ...] | list[str] = (),
    personal_note: str | None = None,
    foreign_keys: dict[str, tuple[str, str]] | None = None,
) -> Table:
    if name in TABLES:
        raise ValueError(f"table {name!r} is already defined")
    missing = [f for f in (*fields, *not_null) if f not in FIELDS]
    if missing:
        raise ValueError(f"table {name!r} lists undefined fields: {missing}")
    stray = [f for f in not_null if f not in fields]
    if stray:
        raise ValueError(f"table {name!r}: not_null names fields it does not list: {stray}")
    stray = [c for c in (foreign_keys or {}) if c not in fields]
    if stray:
        raise ValueError(f"table {name!r}: foreign_keys name fields it does not list: {stray}")
    t = Table(name, description, tuple(fields), tuple(primary_key), layer, tuple(extra_checks),
              tuple(not_null), personal_note, dict(foreign_keys or {}))
    TABLES[name] = t
    return t


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a registered table (strict: no missing or extra columns)."""
    import pandera.pandas as pa

    t = TABLES[table]
    columns = {}
    for name in t.fields:
        f = FIELDS[name]
        checks = list(f.checks)
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.allowed is not None:
            checks.append(pa.Check.isin(list(f.allowed)))
        columns[name] = pa.Column(
            DTYPES[f.dtype], checks=checks, nullable=f.nullable and name not in t.not_null,
            coerce=True,
            description=f.description, title=f.unit,
        )
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=list(t.primary_key) or None,
        checks=list(t.extra_checks),
        name=table,
        coerce=True,
    )


def _bool_from_text(s: pd.Series) -> pd.Series:
    """Text spellings of booleans (the project's one vocabulary,
    :data:`huachi_analysis.values.BOOL_WORDS`) as bools; anything else fails validation."""
    if pd.api.types.is_bool_dtype(s) or not (
        pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)
    ):
        return s
    lowered = s.astype("string").str.normalize("NFKC").str.strip().str.lower()
    known = lowered.isin(list(BOOL_WORDS)).fillna(False).to_numpy(dtype=bool)
    # unknown spellings stay as they are so validation reports them; never guess
    values = s.astype(object).to_numpy(copy=True)
    values[known] = [BOOL_WORDS[v] for v in lowered[known]]
    return pd.Series(values, index=s.index, dtype=object)


#: What pandera's coercion gives for each registered dtype (its "string" is pandas' ``str``:
#: Arrow-backed text with NaN for missing values).
COERCED: dict[str, str] = {"string": "str", "int": "Int64", "float": "Float64", "bool": "boolean"}


def _coerced(s: pd.Series, dtype: str) -> pd.Series | None:
    """``s`` as pandera coerces it to the registered ``dtype``, when the conversion cannot
    change a value (the same type, an exact widening, text to text, a column of missing
    values); else None."""
    target = COERCED[dtype]
    if str(s.dtype) == target:
        return s
    if s.isna().all():
        return s.astype(target)
    kind = s.dtype.kind if isinstance(s.dtype, np.dtype) else ""
    if kind == "O":
        inferred = pd.api.types.infer_dtype(s, skipna=True)
        ok = {"string": ("string",), "int": ("integer",), "float": ("integer", "floating",
              "mixed-integer-float"), "bool": ("boolean",)}[dtype]
        return s.astype(target) if inferred in ok else None
    numeric = pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)
    if dtype == "string" and isinstance(s.dtype, pd.StringDtype):
        return s.astype(target)
    if dtype == "int" and numeric:
        if pd.api.types.is_integer_dtype(s.dtype):
            return s.astype(target)
        v = s.dropna().to_numpy(dtype=float)  # floats holding whole numbers only (exactly)
        if np.isfinite(v).all() and (np.abs(v) < 2**53).all() and (v == np.floor(v)).all():
            return s.astype(target)
        return None
    if dtype == "float" and numeric:
        return s.astype(target)
    if dtype == "bool" and pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(target)
    return None


def _conform_fast(out: pd.DataFrame, t: Table) -> pd.DataFrame | None:
    """The frame typed as ``t`` says if every check passes, else None (then pandera runs and
    reports the failures). Same checks as :func:`schema`: type, not null, allowed values,
    minimum, unique primary key; tables or fields with custom pandera checks return None."""
    if t.extra_checks:
        return None
    cols = {}
    for name in t.fields:
        f = FIELDS[name]
        if f.checks:
            return None
        s = _coerced(out[name], f.dtype)
        if s is None:
            return None
        na = s.isna()
        if (not f.nullable or name in t.not_null) and na.any():
            return None
        if f.allowed is not None or f.minimum is not None:
            v = s[~na.to_numpy(dtype=bool)]
            if f.allowed is not None and not v.isin(list(f.allowed)).all():
                return None
            if f.minimum is not None and not (v >= f.minimum).all():
                return None
        cols[name] = s
    typed = pd.DataFrame(cols, index=out.index)
    if t.primary_key and len(typed) and typed.duplicated(list(t.primary_key)).any():
        return None
    return typed


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Order and type ``df``'s columns as the table defines them and validate lazily.

    Boolean columns read from text (``true``/``false``, ``1``/``0``) are converted first.
    Raises ``pandera.errors.SchemaErrors`` listing every failure.
    """
    t = TABLES[table]
    out = df.reindex(columns=list(t.fields))
    for name in t.fields:
        if FIELDS[name].dtype == "bool":
            out[name] = _bool_from_text(out[name])
    fast = _conform_fast(out, t)
    if fast is not None:
        return fast
    return schema(table).validate(out, lazy=True)


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    t = TABLES[table]
    return pd.DataFrame(
        {n: pd.Series(dtype=DTYPES[FIELDS[n].dtype]) for n in t.fields}
    )


def data_dictionary_markdown(lang: str = "en") -> str:
    """The data dictionary (``zh`` or ``en``), generated from the registry; see
    :mod:`huachi_analysis.metadata.dictionary` (``make docs`` writes it into ``docs/``)."""
    from huachi_analysis.metadata.dictionary import data_dictionary

    return data_dictionary(lang)
