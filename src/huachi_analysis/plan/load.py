"""Read the plan's raw files (``data/raw/plan``) into validated tables.

Every reader names the file, row and column of the first bad value it meets (rows are counted
as in a spreadsheet: the header is row 1), and schema failures are listed all at once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from huachi_analysis import metadata, paths, yaml_files
from huachi_analysis.county import COUNTY
from huachi_analysis.errors import InputFileError
from huachi_analysis.io import read_csv_text, sha256_file
from huachi_analysis.messages import both
from huachi_analysis.metadata.registry import FIELDS, TABLES
from huachi_analysis.plan.numerals import value_spellings
from huachi_analysis.plan.source_text import format_value
from huachi_analysis.values import bool_of

TEXT_NAME = "huachi_2015_opinion.txt"
META_NAME = "huachi_2015_opinion.meta.yml"
FILES = {
    "plan_targets": "targets.csv",
    "plan_townships": "townships.csv",
    "plan_villages": "villages.csv",
    "plan_number_ledger": "number_ledger.csv",
}


def plan_dir(raw: Path | None = None) -> Path:
    """``<raw>/plan`` (``data/raw/plan`` by default)."""
    return (Path(raw) if raw is not None else paths.RAW) / "plan"


def _coerce(value: str | float | None, dtype: str, path: Path, row: int, column: str):
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    v = str(value).strip()
    try:
        if dtype == "int":
            f = float(v)
            if not f.is_integer():
                raise ValueError
            return int(f)
        if dtype == "float":
            return float(v)
    except ValueError:
        whole = {"zh": "整", "en": "whole "} if dtype == "int" else ""
        raise InputFileError(path, both("value_not_number", value=repr(v), whole=whole),
                             row=row, column=column) from None
    if dtype == "bool":
        flag = bool_of(v)
        if flag is not None:
            return flag
        raise InputFileError(path, both("value_not_bool", value=repr(v)), row=row, column=column)
    return str(value)


def read_table(path: Path, table: str) -> pd.DataFrame:
    """Read a raw CSV as registered table ``table``: exact columns, typed values, validated.

    Raises:
        InputFileError: missing file, missing or unexpected columns, a value of the wrong type,
            or schema failures (all of them listed).
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, both("file_not_found"))
    try:
        raw = read_csv_text(path)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputFileError(path, both("csv_not_utf8", detail=exc)) from exc
    fields = TABLES[table].fields
    missing = [f for f in fields if f not in raw.columns]
    extra = [c for c in raw.columns if c not in fields]
    if missing or extra:
        raise InputFileError(path, both("csv_columns_wrong", fields=list(fields),
                                        missing=missing, extra=extra))
    data = {
        col: [_coerce(v, FIELDS[col].dtype, path, i + 2, col) for i, v in enumerate(raw[col])]
        for col in fields
    }
    df = pd.DataFrame(data, columns=list(fields))
    try:
        return metadata.conform(df, table)
    except Exception as exc:  # pandera is imported only when a table fails its checks
        import pandera.errors

        if not isinstance(exc, pandera.errors.SchemaErrors):
            raise
        fc = exc.failure_cases
        lines = [
            f"row {int(r['index']) + 2 if pd.notna(r['index']) else '?'}, column "
            f"{r['column']!r}: {r['check']} (value {r['failure_case']!r})"
            for _, r in fc.head(30).iterrows()
        ]
        more = f" … and {len(fc) - 30} more" if len(fc) > 30 else ""
        raise InputFileError(path, both("table_schema_failed", table=table) + "\n  "
                             + "\n  ".join(lines) + more) from exc


def text(raw: Path | None = None) -> str:
    """The plan text, verbatim (UTF-8)."""
    path = plan_dir(raw) / TEXT_NAME
    if not path.is_file():
        raise InputFileError(path, both("plan_text_missing"))
    return path.read_text(encoding="utf-8")


def provenance(raw: Path | None = None) -> dict:
    """The provenance sidecar of the plan text (title, document number, date, issuer, sha256)."""
    path = plan_dir(raw) / META_NAME
    if not path.is_file():
        raise InputFileError(path, both("plan_sidecar_missing"))
    meta = yaml_files.load(path)
    if not isinstance(meta, dict) or "sha256" not in meta:
        raise InputFileError(path, both("plan_sidecar_invalid"))
    return meta


def verify_text(raw: Path | None = None) -> str:
    """Check the plan text against the sha256 of its sidecar; return the hash.

    Raises:
        InputFileError: the text was changed (the raw layer is immutable).
    """
    path = plan_dir(raw) / TEXT_NAME
    digest = sha256_file(path)
    expected = str(provenance(raw)["sha256"])
    if digest != expected:
        raise InputFileError(path, both("plan_text_changed", digest=digest, expected=expected,
                                        meta=META_NAME))
    return digest


def townships(raw: Path | None = None) -> pd.DataFrame:
    """``plan_townships`` from ``townships.csv``."""
    return read_table(plan_dir(raw) / FILES["plan_townships"], "plan_townships")


def villages(raw: Path | None = None) -> pd.DataFrame:
    """``plan_villages`` from ``villages.csv``."""
    return read_table(plan_dir(raw) / FILES["plan_villages"], "plan_villages")


def number_ledger(raw: Path | None = None, plan_text: str | None = None) -> pd.DataFrame:
    """``plan_number_ledger`` from ``number_ledger.csv``; each context must be in the text and
    hold its number."""
    path = plan_dir(raw) / FILES["plan_number_ledger"]
    df = read_table(path, "plan_number_ledger")
    t = plan_text if plan_text is not None else text(raw)
    for i, r in df.iterrows():
        if r["context"] not in t:
            raise InputFileError(path, both("ledger_context_not_verbatim", context=r["context"]),
                                 row=int(i) + 2, column="context")
        if r["number"] not in r["context"]:
            raise InputFileError(path, both("ledger_context_lacks_number", context=r["context"],
                                            number=r["number"]), row=int(i) + 2, column="number")
    return df


def check_quotes(df: pd.DataFrame, plan_text: str) -> list[tuple[int, str, str]]:
    """Rows whose quote is not verbatim in the plan or does not hold the value as written
    (in digits, or in Chinese numerals: 一年建设 holds 1, 两年 holds 2).

    Returns:
        ``(row index, column, problem)`` for every failure.
    """
    problems = []
    for i, r in df.iterrows():
        q = r["quote"]
        if not isinstance(q, str) or q not in plan_text:
            problems.append((i, "quote", f"quote {q!r} is not verbatim in the plan"))
            continue
        if pd.notna(r["value"]) and not any(v in q for v in value_spellings(float(r["value"]))):
            problems.append((i, "value", f"value {format_value(float(r['value']))} "
                                         f"is not in quote {q!r}"))
    return problems


def targets(raw: Path | None = None, plan_text: str | None = None) -> pd.DataFrame:
    """``plan_targets`` from ``targets.csv``; every quote verbatim in the plan with its value.

    Raises:
        InputFileError: bad file, bad value, or a quote that is not verbatim (all listed).
    """
    path = plan_dir(raw) / FILES["plan_targets"]
    df = read_table(path, "plan_targets")
    t = plan_text if plan_text is not None else text(raw)
    problems = check_quotes(df, t)
    if problems:
        raise InputFileError(path, both("plan_quotes_invalid") + "\n  " + "\n  ".join(
            f"row {i + 2} ({df.at[i, 'target_id']}), column {c!r}: {p}" for i, c, p in problems))
    return df


def check_geography(targets: pd.DataFrame, townships: pd.DataFrame, villages: pd.DataFrame,
                    path: Path | str = FILES["plan_targets"]) -> None:
    """Every target's geography is 华池县, a canonical township, or a plan village
    ``township/village``.

    Raises:
        InputFileError: naming every row whose geography is none of these.
    """
    allowed = {COUNTY, *townships["township"],
               *(f"{t}/{v}" for t, v in zip(villages["township"], villages["village"],
                                             strict=True))}
    bad = [(i, g) for i, g in targets["geography"].items() if g not in allowed]
    if bad:
        raise InputFileError(path, both("plan_geography_invalid") + "\n  " + "\n  ".join(
                                       f"row {i + 2}: {g!r}" for i, g in bad))
