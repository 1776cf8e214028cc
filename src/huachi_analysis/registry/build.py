"""The registry step of ``huachi build`` and the writer shared with ``huachi ingest``.

Discovers ``<raw>/registry/**`` exports (``.xlsx``, ``.xls``, ``.csv``; files named
``rural_population*.csv`` / ``village_population*.csv`` are input tables, not exports),
and the input tables in ``<raw>/inputs/`` (department figures: the ``actuals`` step); writes

* ``registry_persons/year=YYYY/part-0.parquet`` and ``registry_households/year=YYYY/…``
  (hive-partitioned: ``pd.read_parquet(out / "registry_households")`` reads every year, with
  ``year`` as a categorical column); per-year CSV copies (``registry_persons_YYYY.csv`` …) only
  on request, with ``huachi export`` (:mod:`.csv_copies`);
* ``registry_findings.{csv,parquet}`` and ``registry_summary.json``;
* ``poverty_lines``, ``rural_population``, ``village_population``
  (``.csv`` and ``.parquet``; empty with their columns when the input is absent);
* ``pseudonym_key_fingerprint.txt`` (see :mod:`.pseudonym`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from huachi_analysis import catalog, io, metadata
from huachi_analysis.errors import HuachiError, InputFileError
from huachi_analysis.inputs import (
    read_table_csv,
    validate_poverty_lines,
    validate_rural_population,
    validate_village_population,
)
from huachi_analysis.masking import mask_text, safe_text
from huachi_analysis.messages import both, text
from huachi_analysis.registry.csv_copies import remove_copies
from huachi_analysis.registry.header_aliases import load_aliases
from huachi_analysis.registry.headers import use_aliases
from huachi_analysis.registry.ingest import IngestResult, ingest
from huachi_analysis.registry.pseudonym import FINGERPRINT_FILE, fingerprint, load_key
from huachi_analysis.registry.read import (
    CSV_SUFFIXES,
    SPREADSHEET_SUFFIXES,
    RawFile,
    read_export,
)

INPUT_TABLE_PREFIXES = ("rural_population", "village_population")


def _is_input_table(p: Path) -> bool:
    return p.suffix.lower() == ".csv" and p.name.lower().startswith(INPUT_TABLE_PREFIXES)


def discover_exports(registry_dir: Path) -> list[Path]:
    """Registry exports under ``registry_dir`` (recursive), sorted; no Excel lock files
    (``~$…``), hidden files or input tables."""
    if not registry_dir.is_dir():
        return []
    return sorted(
        p for p in registry_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES + CSV_SUFFIXES
        and not p.name.startswith(("~$", ".")) and not _is_input_table(p))


def discover_input_table(raw: Path, prefix: str) -> list[Path]:
    """``<prefix>*.csv`` in ``<raw>/inputs`` and anywhere under ``<raw>/registry``."""
    found = []
    for folder, pattern in ((raw / "inputs", f"{prefix}*.csv"), (raw / "registry", f"**/{prefix}*.csv")):
        if folder.is_dir():
            found += [p for p in folder.glob(pattern) if p.is_file()]
    return sorted(set(found))


def read_exports(paths: list[Path], year: int | None = None, progress: bool = True) -> list[RawFile]:
    """Read every export (with a progress bar on stderr when there are several)."""
    from huachi_analysis.console import progress_bar

    files: list[RawFile] = []
    with progress_bar("reading registry", disable=not progress or len(paths) < 2,
                      transient=True) as bar:
        for p in bar.track(paths):  # (no file name on the bar: it may hold a person's name)
            files += read_export(p, year)
    return files


def check_not_mixed(files: list[RawFile]) -> bool:
    """``True`` if every file is synthetic, ``False`` if none is; mixing them is an error."""
    synth = sorted({mask_text(safe_text(f.path.name)) for f in files if f.is_synthetic})
    real = sorted({mask_text(safe_text(f.path.name)) for f in files if not f.is_synthetic})
    if synth and real:
        raise HuachiError(both("mixed_synthetic_real", synth=", ".join(synth[:5]),
                               real=", ".join(real[:5])))
    return bool(synth)


def write_registry(result: IngestResult, out: Path, key: bytes,
                   extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the registry tables and ``registry_summary.json`` (last); return the summary."""
    out = Path(out)
    summary = result.summary() | (extra or {})
    # a partition per year of the input (empty where a table has no row of it); partitions of
    # years no longer in the input are removed
    catalog.write("registry_persons", result.persons, out, partitions=summary["years"])
    catalog.write("registry_households", result.households, out, partitions=summary["years"])
    # per-year CSV copies are written on request (`huachi export`); older ones are stale now
    remove_copies(out)
    catalog.write("registry_findings", result.findings, out)
    io.write_text(out / FINGERPRINT_FILE, fingerprint(key) + "\n")
    catalog.write("registry_summary", summary, out)
    return summary


def load_input_tables(raw: Path, out: Path, geo) -> dict[str, pd.DataFrame]:
    """Validate poverty lines and rural/village populations (empty when absent)."""
    tables: dict[str, pd.DataFrame] = {}
    lines = raw / "inputs" / "poverty_lines.csv"
    tables["poverty_lines"] = (validate_poverty_lines(read_table_csv(lines, "poverty_lines"), lines)
                               if lines.is_file() else metadata.empty("poverty_lines"))
    for table, validate in (("rural_population", validate_rural_population),
                            ("village_population", validate_village_population)):
        parts = [validate(read_table_csv(p, table), p, geo)
                 for p in discover_input_table(raw, table)]
        df = pd.concat(parts, ignore_index=True) if parts else metadata.empty(table)
        key = list(metadata.TABLES[table].primary_key)
        if parts and df.duplicated(key).any():
            raise InputFileError(raw, both("input_table_twice", table=table, key=", ".join(key)))
        tables[table] = metadata.conform(df, table)
    return tables


def build_registry(raw: Path, out: Path) -> str:
    """``huachi build`` step: ingest every export under ``<raw>/registry`` and the input
    tables; return a one-line summary."""
    from huachi_analysis.plan.geography import gazetteer

    raw, out = Path(raw), Path(out)
    geo = gazetteer(raw)
    key = load_key(out)
    paths = discover_exports(raw / "registry")
    with use_aliases(load_aliases(raw)):  # the analyst's header spellings, if any
        files = read_exports(paths)
    is_synthetic = check_not_mixed(files)
    result = ingest(files, key, geo)
    tables = load_input_tables(raw, out, geo)
    for name, df in tables.items():
        catalog.write(name, df, out)
    counts = {name: len(df) for name, df in tables.items()}
    summary = write_registry(result, out, key, {"input_tables": counts})
    return step_summary(summary, len(paths), is_synthetic, counts, raw / "registry",
                        len(result.missing_columns))


def step_summary(summary: dict, files: int, is_synthetic: bool, counts: dict[str, int],
                 folder: Path, missing_columns: int) -> str:
    """What ``huachi build`` prints for the registry step (Chinese, then English)."""
    from huachi_analysis.messages import LANGS, has, join, step_lines

    lines = []
    for lang in LANGS:
        tables = join((text("input_table_rows", lang, n=n, table=text(
            f"input_table_{name}", lang) if has(f"input_table_{name}") else name)
            for name, n in counts.items()), lang, "list")
        if not files:
            lines.append(text("registry_step_none", lang, folder=folder, tables=tables))
            continue
        years = summary["years"]
        parts = [text(
            "registry_step_summary", lang, files=files,
            synthetic=("合成 SYNTHETIC " if lang == "zh" else " SYNTHETIC") if is_synthetic
            else "", read=summary["rows_read"], accepted=summary["rows_accepted"],
            quarantined=summary["rows_quarantined"], persons=summary["persons"],
            households=summary["households"], first=years[0] if years else "-",
            last=years[-1] if years else "-", tables=tables)]
        if missing_columns:
            parts.append(text("missing_columns_short", lang, n=missing_columns))
        lines.append(join(parts, lang))
    return step_lines(*lines)
