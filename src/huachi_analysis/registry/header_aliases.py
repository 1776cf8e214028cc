"""Header spellings an analyst adds without touching code: ``data/raw/header_aliases.csv``.

The built-in spellings of every export column are one table,
:data:`huachi_analysis.registry.headers.HEADER_VARIANTS`. When an export names a column in a
way it does not know, the build says so (the column is reported missing, with the header found
closest) and the analyst adds one line to ``data/raw/header_aliases.csv``::

    header,field,note
    家庭年纯收入（元）,人均纯收入,2021年导出的写法

``header`` is the header exactly as the export writes it (brackets, spaces and case do not
matter); ``field`` is the column it means, either its standard Chinese header (``人均纯收入``)
or its field name (``income_per_capita``); ``note`` is free text. The file is UTF-8 (as Excel's
"CSV UTF-8" saves it) or GBK.

A line that names an unknown field, or maps a header the program already maps to another
column, is an error naming the file and the line: it never silently changes what a known
header means.
"""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

from huachi_analysis.errors import InputFileError
from huachi_analysis.messages import both

FILE_NAME = "header_aliases.csv"
COLUMNS = ("header", "field", "note")


def aliases_path(raw: Path | None = None) -> Path:
    """``<raw>/header_aliases.csv`` (``data/raw`` by default)."""
    from huachi_analysis import paths

    return (Path(raw) if raw is not None else paths.RAW) / FILE_NAME


def _decode(data: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputFileError(path, both("csv_not_utf8_save"))


def _field_names(variants: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every way the ``field`` column may name a field → the field."""
    from huachi_analysis.registry.headers import normalise_header

    out = {}
    for field, spellings in variants.items():
        out[normalise_header(field)] = field
        out[normalise_header(spellings[0])] = field  # the standard Chinese header
    return out


def parse_aliases(text: str, path: Path, variants: dict[str, tuple[str, ...]]
                  ) -> dict[str, str]:
    """Normalised header → field from the text of an aliases file (pure).

    Raises:
        InputFileError: wrong columns, an unknown field, or a header the built-in table maps
            to another field; names the line.
    """
    from huachi_analysis.registry.headers import normalise_header

    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return {}
    head = [c.strip().lower() for c in rows[0]]
    if head[:2] != ["header", "field"]:
        raise InputFileError(path, both("aliases_columns", want=",".join(COLUMNS)), row=1)
    names = _field_names(variants)
    builtin = {normalise_header(v): f for f, vs in variants.items() for v in vs}
    out: dict[str, str] = {}
    for line, r in enumerate(rows[1:], start=2):
        header = r[0].strip() if r else ""
        given = r[1].strip() if len(r) > 1 else ""
        if not header or header.startswith("#"):
            continue
        field = names.get(normalise_header(given))
        if field is None:
            close = difflib.get_close_matches(normalise_header(given), list(names), n=3)
            hint = ", ".join(f"{variants[names[c]][0]} ({names[c]})" for c in close) or "—"
            raise InputFileError(path, both("aliases_unknown_field", field=given, hint=hint),
                                 row=line, column="field")
        key = normalise_header(header)
        known = builtin.get(key) or out.get(key)
        if known is not None and known != field:
            raise InputFileError(path, both("aliases_conflict", header=header, known=known,
                                            standard=variants[known][0], field=field),
                                 row=line, column="header")
        out[key] = field
    return out


def load_aliases(raw: Path | None = None) -> dict[str, str]:
    """The analyst's aliases (normalised header → field); empty when there is no file."""
    from huachi_analysis.registry.headers import HEADER_VARIANTS

    path = aliases_path(raw)
    if not path.is_file():
        return {}
    return parse_aliases(_decode(path.read_bytes(), path), path, HEADER_VARIANTS)
