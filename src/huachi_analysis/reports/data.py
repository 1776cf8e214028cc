"""Loading the processed tables a briefing reads (the only I/O the notebooks do).

:func:`load` reads every table of :data:`INPUTS` that exists in the data location (Parquet if
present, else CSV, else JSON), types known columns as the field registry defines them, and
records each file's SHA-256 for the provenance footer. A missing file gives an empty table
with the registered columns and is listed in :attr:`ReportData.missing`, so the report says so
instead of silently showing nothing. The same file list drives the runner's skip hash
(:func:`input_files`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from huachi_analysis import paths
from huachi_analysis.errors import InputFileError, ParameterError
from huachi_analysis.hashing import sha256_file
from huachi_analysis.messages import both

if TYPE_CHECKING:  # pandas is imported where used: a no-change rerun never needs it
    import pandas as pd

#: Tables a briefing reads, by stem (``<stem>.parquet`` / ``<stem>.csv`` / ``<stem>.json``).
INPUTS = (
    "plan_townships", "plan_villages", "plan_targets", "plan_audit",
    "registry_summary", "registry_findings", "registry_households",
    "progress_targets", "progress_trajectory", "progress_registry",
    "village_exits", "exit_audit",
)
#: Tables without which no report can be built.
REQUIRED = ("plan_townships", "plan_villages", "plan_targets")
COUNTY = "华池县"


def data_dir(path: str | Path | None = None) -> Path:
    """The data location: ``path`` if given (non-empty), else ``data/processed``."""
    return Path(path) if path else paths.PROCESSED


def find_input(directory: Path, stem: str) -> Path | None:
    """The file (or partitioned Parquet folder) holding table ``stem``, or None."""
    for suffix in (".parquet", ".csv", ".json"):
        p = directory / f"{stem}{suffix}"
        if p.exists():
            return p
    p = directory / stem
    if p.is_dir() and any(p.rglob("*.parquet")):
        return p
    return None


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
                    lambda v: {"true": True, "false": False, "1": True, "0": False}.get(
                        str(v).strip().lower()) if pd.notna(v) else pd.NA).astype("boolean")
            elif f.dtype in ("int", "float"):
                out[col] = pd.to_numeric(out[col], errors="raise").astype(DTYPES[f.dtype])
            else:
                out[col] = out[col].astype(DTYPES[f.dtype])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {col!r}: {exc}") from exc
    return out


def read_table(path: Path, stem: str) -> pd.DataFrame | dict:
    """Read one input table (a frame; ``registry_summary`` is a dict)."""
    import pandas as pd

    try:
        if path.suffix == ".json":
            return json.loads(path.read_text(encoding="utf-8"))
        if path.suffix == ".parquet" or path.is_dir():
            df = pd.read_parquet(path)
        else:
            df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False,
                             na_values=[""])
        return _typed(df)
    except (OSError, ValueError) as exc:
        raise InputFileError(path, both("table_unreadable", stem=stem, detail=exc)) from exc


@dataclass
class ReportData:
    """Every table a briefing reads, with provenance."""

    directory: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

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


def _fingerprint(d: Path) -> tuple:
    parts = []
    for stem in INPUTS:
        p = find_input(d, stem)
        if p is None:
            parts.append((stem, None))
            continue
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file())
        parts.append((stem, str(p), tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns)
                                          for f in files)))
    return (str(d.resolve()), tuple(parts))


def load(directory: str | Path | None = None) -> ReportData:
    """Load every input table present in ``directory`` (default ``data/processed``).

    Loads are cached per process while no input file changes (size or modification time).

    Raises:
        InputFileError: a required plan table is missing or a file cannot be read.
    """
    d = data_dir(directory)
    key = _fingerprint(d)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _load(d)
        _CACHE.clear()
        _CACHE[key] = cached
    return ReportData(directory=cached.directory, tables=dict(cached.tables),
                      summary=dict(cached.summary), files=dict(cached.files),
                      sha256=dict(cached.sha256), missing=list(cached.missing))


def _load(d: Path) -> ReportData:
    from huachi_analysis import metadata

    out = ReportData(directory=d)
    for stem in INPUTS:
        path = find_input(d, stem)
        if path is None:
            if stem in REQUIRED:
                raise InputFileError(d / f"{stem}.csv", both("required_table_missing"))
            out.missing.append(stem)
            if stem in metadata.TABLES:
                out.tables[stem] = metadata.empty(stem)
            continue
        data = read_table(path, stem)
        out.files[stem] = path
        out.sha256[stem] = sha256_input(path)
        if isinstance(data, dict):
            out.summary = data
        else:
            out.tables[stem] = data
    return out


def available_years(data: ReportData) -> list[int]:
    """Years with registry data: from ``progress_registry``, else ``registry_households``,
    else ``progress_targets``."""
    for stem in ("progress_registry", "registry_households", "progress_targets"):
        df = data.tables.get(stem)
        if df is not None and len(df) and "year" in df:
            return sorted({int(y) for y in df["year"].dropna()})
    return []
