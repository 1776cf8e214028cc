"""The one registry of fields and tables; pandera schemas and the data dictionary derive from it.

A *field* is a column defined once for the whole project (name, dtype, unit, description,
allowed values). A *table* lists field names and a primary key. Modules in this package
(``fields_plan``, ``fields_registry``, ``fields_progress`` …) register their fields and tables
at import; :func:`schema` turns a table into a pandera ``DataFrameSchema`` and
:func:`data_dictionary_markdown` renders the dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
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
) -> Field:
    """Define a column once. Registering the same name twice is an error."""
    if name in FIELDS:
        raise ValueError(f"field {name!r} is already defined; define each column once")
    f = Field(name, dtype, description, unit, tuple(allowed) if allowed else None, nullable, checks)
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
) -> Table:
    if name in TABLES:
        raise ValueError(f"table {name!r} is already defined")
    missing = [f for f in (*fields, *not_null) if f not in FIELDS]
    if missing:
        raise ValueError(f"table {name!r} lists undefined fields: {missing}")
    stray = [f for f in not_null if f not in fields]
    if stray:
        raise ValueError(f"table {name!r}: not_null names fields it does not list: {stray}")
    t = Table(name, description, tuple(fields), tuple(primary_key), layer, tuple(extra_checks),
              tuple(not_null), personal_note)
    TABLES[name] = t
    return t


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a registered table (strict: no missing or extra columns)."""
    t = TABLES[table]
    columns = {}
    for name in t.fields:
        f = FIELDS[name]
        checks = list(f.checks)
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


#: Text spellings of booleans accepted in CSV inputs (anything else fails validation).
BOOL_TEXT = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _bool_from_text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s) or not (
        pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)
    ):
        return s
    lowered = s.astype("string").str.strip().str.lower()
    known = lowered.isin(list(BOOL_TEXT)).fillna(False).to_numpy(dtype=bool)
    # unknown spellings stay as they are so validation reports them; never guess
    values = s.astype(object).to_numpy(copy=True)
    values[known] = [BOOL_TEXT[v] for v in lowered[known]]
    return pd.Series(values, index=s.index, dtype=object)


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
    return schema(table).validate(out, lazy=True)


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    t = TABLES[table]
    return pd.DataFrame(
        {n: pd.Series(dtype=DTYPES[FIELDS[n].dtype]) for n in t.fields}
    )


def data_dictionary_markdown() -> str:
    """The data dictionary, generated from the registry."""
    lines = ["# Data dictionary", "",
             "Generated by `huachi build` from the field registry "
             "(`src/huachi_analysis/metadata/`). Do not edit by hand.", ""]
    personal = sorted(t.name for t in TABLES.values() if t.personal_data)
    lines += ["## Personal data: tables that must not leave the office", "",
              "These processed tables hold one row per registered person or household (keyed "
              "by pseudonyms) or per row of an export. They contain no name, ID or phone "
              "number, but they are still personal data: with the pseudonym key, or with "
              "other knowledge of a village, their rows can be traced to people. Keep them on "
              "the office's machines; share only the aggregate tables and the reports.", ""]
    lines += [f"- `{n}`" + (f": {TABLES[n].personal_note}" if TABLES[n].personal_note else "")
              for n in personal]
    lines.append("")
    for t in sorted(TABLES.values(), key=lambda t: (t.layer, t.name)):
        mark = " — **personal data, must not leave the office**" if t.personal_data else ""
        lines += [f"## `{t.name}` ({t.layer}){mark}", "", t.description, ""]
        if t.primary_key:
            lines += [f"Primary key: {', '.join(f'`{k}`' for k in t.primary_key)}", ""]
        lines += ["| column | type | unit | description | allowed values |",
                  "|---|---|---|---|---|"]
        for n in t.fields:
            f = FIELDS[n]
            allowed = ", ".join(str(a) for a in f.allowed) if f.allowed else ""
            lines.append(f"| `{n}` | {f.dtype} | {f.unit or ''} | {f.description} | {allowed} |")
        lines.append("")
    return "\n".join(lines)
