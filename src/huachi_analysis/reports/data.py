"""Loading the processed tables a briefing reads (the only I/O the notebooks do).

:func:`load` reads every table of :data:`INPUTS` that exists in the data location (Parquet if
present, else CSV, else JSON), types known columns as the field registry defines them, and
records each file's SHA-256. A missing file gives an empty table with the registered columns
and is listed in :attr:`ReportData.missing`, so the report says so instead of silently showing
nothing. The same file list drives the runner's skip hash (:func:`input_files`).

The inputs are small, aggregated tables: a briefing never reads ``registry_households``,
``registry_persons`` or ``exit_audit`` (the progress step writes ``income_summary``,
``income_outliers``, ``income_distribution`` and ``exit_audit_counts`` for it), so its cost does not grow with the
number of households. ``load(directory, scope=…)`` reads only what one briefing reads (its
:class:`~huachi_analysis.reports.slices.Scope`: year, township): large Parquet tables through a
row filter, small ones whole (cached per process) and then cut to the slice; the SHA-256s it
records are those of the slices (:mod:`~huachi_analysis.reports.slices`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from huachi_analysis import catalog, paths
from huachi_analysis.errors import GuaranteeError, InputFileError, ParameterError
from huachi_analysis.hashing import sha256_file
from huachi_analysis.messages import both
from huachi_analysis.reports.slices import (
    Scope,
    county_townships,
    frame_sha256,
    prefilter,
    slice_summary,
    slice_table,
)
from huachi_analysis.values import bool_of

if TYPE_CHECKING:  # pandas is imported where used: a no-change rerun never needs it
    import pandas as pd

#: Tables a briefing reads, by stem (``<stem>.parquet`` / ``<stem>.csv`` / ``<stem>.json``).
INPUTS = (
    "plan_townships", "plan_villages", "plan_targets", "plan_audit",
    "registry_summary", "registry_findings",
    "progress_targets", "progress_trajectory", "progress_registry",
    "village_exits", "income_summary", "income_outliers", "income_distribution",
    "exit_audit_counts",
    "poverty_lines",
)
#: Tables with more rows than this are read per briefing through a row filter; smaller ones
#: are read whole once per process and cut in memory.
SMALL_ROWS = 200_000
#: Tables whose years are the years briefings can be made for (the first that has any); each
#: is an input, so its years are covered by the runner's skip key.
YEAR_SOURCES = ("progress_registry", "income_summary", "progress_targets")
if not set(YEAR_SOURCES) <= set(INPUTS) or not set(INPUTS) <= set(catalog.CATALOG):
    raise GuaranteeError("the year sources must be briefing inputs, the inputs catalogue tables")
#: Tables without which no report can be built.
REQUIRED = ("plan_townships", "plan_villages", "plan_targets")


def data_dir(path: str | Path | None = None) -> Path:
    """The data location: ``path`` if given (non-empty), else ``data/processed``."""
    return Path(path) if path else paths.PROCESSED


def find_input(directory: Path, stem: str) -> Path | None:
    """The file (or partitioned Parquet folder) holding table ``stem``, or None: the
    catalogue's (:func:`huachi_analysis.catalog.find`; Parquet preferred, else CSV)."""
    return catalog.find(stem, directory)


def sha256_input(path: Path) -> str:
    """SHA-256 of a file; of a folder, the hash of its files' relative paths and hashes."""
    path = Path(path)
    if path.is_file():
        return sha256_file(path)
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
        h.update(f"{f.relative_to(path).as_posix()}\0{sha256_file(f)}\n".encode())
    return h.hexdigest()


def input_files(directory: str | Path | None = None) -> dict[str, Path]:
    """Stem → path of every input table present in the data location."""
    d = data_dir(directory)
    found = {stem: find_input(d, stem) for stem in INPUTS}
    return {k: v for k, v in found.items() if v is not None}


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    from huachi_analysis.metadata import FIELDS
    from huachi_analysis.metadata.registry import DTYPES

    out = df.copy()
    for col in out.columns:
        f = FIELDS.get(col)
        if f is None:
            continue
        try:
            if f.dtype == "bool" and not pd.api.types.is_bool_dtype(out[col]):
                out[col] = out[col].map(
                    lambda v: bool_of(v) if pd.notna(v) else pd.NA).astype("boolean")
            elif f.dtype in ("int", "float"):
                out[col] = pd.to_numeric(out[col], errors="raise").astype(DTYPES[f.dtype])
            else:
                out[col] = out[col].astype(DTYPES[f.dtype])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {col!r}: {exc}") from exc
    return out


def read_table(path: Path, stem: str, filters=None) -> pd.DataFrame | dict:
    """Read one input table found at ``path`` (:func:`find_input`) through the catalogue (a
    frame typed as the field registry defines its columns; ``registry_summary`` is a dict);
    ``filters`` (a pyarrow expression) keeps only matching rows of a Parquet table (CSV is read
    whole)."""
    fmt = None if path.is_dir() else path.suffix.removeprefix(".")
    folder = path.parent
    try:
        data = catalog.read(stem, folder, fmt=fmt, filters=filters)
        return data if isinstance(data, dict) else _typed(data)
    except (OSError, ValueError) as exc:
        raise InputFileError(path, both("table_unreadable", stem=stem, detail=exc)) from exc


@dataclass
class ReportData:
    """Every table a briefing reads, with provenance."""

    directory: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    #: stem → SHA-256 of the file (whole data) or of the slice read (scoped data)
    sha256: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    #: the one briefing's view these tables were cut to (None: every row)
    scope: Scope | None = None
    #: every year with registry data (also when the tables hold a slice)
    all_years: list[int] = field(default_factory=list)

    def __getitem__(self, stem: str) -> pd.DataFrame:
        return self.tables[stem]

    @property
    def is_synthetic(self) -> bool:
        """True if any input says it was built from synthetic data."""
        if bool(self.summary.get("is_synthetic", False)):
            return True
        for df in self.tables.values():
            if "is_synthetic" in df.columns and df["is_synthetic"].fillna(False).astype(bool).any():
                return True
        return False

    @property
    def townships(self) -> list[str]:
        return self.tables["plan_townships"]["township"].astype(str).tolist()

    @property
    def years(self) -> list[int]:
        return available_years(self)

    def township_label(self, township: str, lang: str) -> str:
        """Township name in ``lang`` (English from ``plan_townships.township_en``)."""
        import pandas as pd

        if lang == "zh":
            return township
        t = self.tables["plan_townships"]
        row = t[t["township"] == township]
        if len(row) and "township_en" in row and pd.notna(row["township_en"].iloc[0]):
            return str(row["township_en"].iloc[0])
        return township

    def scoped(self, scope: Scope) -> ReportData:
        """The tables cut to what a briefing of ``scope`` reads, with the slices' SHA-256s.

        Raises:
            ValueError: these data were already cut to another scope.
        """
        if self.scope is not None:
            if self.scope != scope:
                raise ValueError(f"data loaded for {self.scope.id}, not {scope.id}")
            return self
        return _cut(self, scope)

    def check_year(self, year: int) -> int:
        years = self.years
        if years and int(year) not in years:
            raise ParameterError(both("no_data_for_year", year=year,
                                      allowed=", ".join(map(str, years))))
        return int(year)

    def check_township(self, township: str) -> str:
        if township not in self.townships:
            raise ParameterError(both("unknown_township_in_data", township=township,
                                      allowed=", ".join(self.townships)))
        return township


#: Loaded data by (folder, each input's path, size and mtime): a warm kernel running many
#: briefings reads the tables once. Callers must not modify the frames in place.
_CACHE: dict[tuple, ReportData] = {}
#: Small tables read whole by scoped loads, by (path, size, mtime).
_WHOLE: dict[tuple, pd.DataFrame | dict] = {}


def _stat_key(p: Path) -> tuple:
    files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file())
    return (str(p), tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files))


def _fingerprint(d: Path) -> tuple:
    parts = []
    for stem in INPUTS:
        p = find_input(d, stem)
        parts.append((stem, None) if p is None else (stem, _stat_key(p)))
    return (str(d.resolve()), tuple(parts))


def load(directory: str | Path | None = None, scope: Scope | None = None) -> ReportData:
    """Load every input table present in ``directory`` (default ``data/processed``); with
    ``scope``, only the rows and columns a briefing of that scope reads.

    Loads are cached per process while no input file changes (size or modification time).

    Raises:
        InputFileError: a required plan table is missing or a file cannot be read.
    """
    d = data_dir(directory)
    if scope is not None:
        return _load_scoped(d, scope)
    key = _fingerprint(d)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _load(d)
        _CACHE.clear()
        _CACHE[key] = cached
    return ReportData(directory=cached.directory, tables=dict(cached.tables),
                      summary=dict(cached.summary), files=dict(cached.files),
                      sha256=dict(cached.sha256), missing=list(cached.missing),
                      all_years=list(cached.all_years))


def _required_missing(d: Path, stem: str) -> InputFileError:
    return InputFileError(catalog.path(stem, d, "csv"), both("required_table_missing"))


def _require(d: Path, stem: str) -> None:
    if stem in REQUIRED:
        raise _required_missing(d, stem)


def _missing(out: ReportData, d: Path, stem: str,
             cut: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> None:
    """Table ``stem`` is not in ``d``: an error if it is required, else recorded as missing
    with an empty table of its columns (cut to the briefing's slice by ``cut``)."""
    from huachi_analysis import metadata

    _require(d, stem)
    out.missing.append(stem)
    if stem in metadata.TABLES:
        empty = metadata.empty(stem)
        out.tables[stem] = cut(empty) if cut else empty


def _slice_of(stem: str, scope: Scope, townships: list[str], df: pd.DataFrame) -> pd.DataFrame:
    return slice_table(stem, df, scope, townships)


def _load(d: Path) -> ReportData:

    out = ReportData(directory=d)
    for stem in INPUTS:
        path = find_input(d, stem)
        if path is None:
            _missing(out, d, stem)
            continue
        data = read_table(path, stem)
        out.files[stem] = path
        out.sha256[stem] = sha256_input(path)
        if isinstance(data, dict):
            out.summary = data
        else:
            out.tables[stem] = data
    out.all_years = available_years(out)
    return out


def _cut(data: ReportData, scope: Scope) -> ReportData:
    """``data`` (every row) cut to ``scope``."""
    townships = county_townships(data.tables["plan_townships"])
    out = ReportData(directory=data.directory, files=dict(data.files),
                     missing=list(data.missing), scope=scope, all_years=list(data.years))
    out.summary = slice_summary(data.summary, scope)
    if "registry_summary" in data.files:
        out.sha256["registry_summary"] = frame_sha256(out.summary)
    for stem, df in data.tables.items():
        out.tables[stem] = slice_table(stem, df, scope, townships)
        if stem in data.files:
            out.sha256[stem] = frame_sha256(out.tables[stem])
    return out


def table_rows(path: Path) -> int | None:
    """Rows of a Parquet table from its footer (None for CSV/JSON)."""
    if path.suffix != ".parquet" and not path.is_dir():
        return None
    import pyarrow.parquet as pq

    files = [path] if path.is_file() else sorted(path.rglob("*.parquet"))
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def read_for(path: Path, stem: str, scope: Scope, townships: list[str]
             ) -> pd.DataFrame | dict:
    """Table ``stem`` holding at least the rows a briefing of ``scope`` reads: a small table
    whole (read once per process), a large Parquet table through :func:`prefilter`."""
    rows = table_rows(path)
    if rows is not None and rows > SMALL_ROWS:
        return read_table(path, stem, filters=prefilter(stem, scope, townships))
    key = _stat_key(path)
    if key not in _WHOLE:
        if len(_WHOLE) > 4 * len(INPUTS):
            _WHOLE.clear()
        _WHOLE[key] = read_table(path, stem)
    return _WHOLE[key]


def registry_years(d: Path) -> list[int]:
    """Every year with registry data: the ``year`` column of the first of
    :data:`YEAR_SOURCES` that has any (read alone, see :func:`catalog.years`)."""
    for stem in YEAR_SOURCES:
        found = catalog.years(stem, d)
        if found:
            return found
    return []


def _load_scoped(d: Path, scope: Scope) -> ReportData:

    out = ReportData(directory=d, scope=scope)
    tw_path = find_input(d, "plan_townships")
    if tw_path is None:
        raise _required_missing(d, "plan_townships")
    townships = county_townships(read_for(tw_path, "plan_townships", scope, []))
    for stem in INPUTS:
        path = find_input(d, stem)
        if path is None:
            _missing(out, d, stem, cut=partial(_slice_of, stem, scope, townships))
            continue
        data = read_for(path, stem, scope, townships)
        out.files[stem] = path
        if isinstance(data, dict):
            out.summary = slice_summary(data, scope)
            out.sha256[stem] = frame_sha256(out.summary)
        else:
            out.tables[stem] = slice_table(stem, data, scope, townships)
            out.sha256[stem] = frame_sha256(out.tables[stem])
    out.all_years = registry_years(d)
    return out


def available_years(data: ReportData) -> list[int]:
    """Years with registry data: from ``progress_registry``, else ``income_summary``, else
    ``progress_targets`` (a slice knows every year: :attr:`ReportData.all_years`)."""
    if data.all_years:
        return list(data.all_years)
    for stem in YEAR_SOURCES:
        df = data.tables.get(stem)
        if df is not None and len(df) and "year" in df:
            return sorted({int(y) for y in df["year"].dropna()})
    return []
