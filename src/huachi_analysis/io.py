"""Reading and writing at the edges: atomic writes, hashes, spreadsheet-safe CSV.

Every file the project writes goes through this module, so that

* a write is atomic: the bytes go to a temporary file in the same folder, which is then renamed
  over the target (a killed run leaves the old file or the new one, never half of one);
* a CSV opens correctly in Excel (UTF-8 with BOM) and no text cell can run as a formula
  (cells starting with ``= + - @`` or a tab/CR are prefixed with ``'``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get normal modes
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_json(target: str | os.PathLike[str], obj: Any) -> Path:
    return write_text(target, json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def write_with(target: str | os.PathLike[str], writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(tmp_path)`` and atomically move the result to ``target``."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy in which no text cell can be executed as a spreadsheet formula."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object:  # mixed column: only real strings can be formulas
            mask = s.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            mask = mask.astype(bool)
        elif pd.api.types.is_string_dtype(s):
            mask = s.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        else:
            continue
        if mask.any():
            out[col] = s.astype(object)
            out.loc[mask, col] = "'" + s[mask].astype(str)
    return out


def write_csv(target: str | os.PathLike[str], df: pd.DataFrame) -> Path:
    """Atomic, Excel-friendly (UTF-8 with BOM), formula-safe CSV without the index."""
    safe = neutralise_formulas(df)
    return write_with(target, lambda p: safe.to_csv(p, index=False, encoding="utf-8-sig"))


def write_parquet(target: str | os.PathLike[str], df: pd.DataFrame) -> Path:
    return write_with(target, lambda p: df.to_parquet(p, index=False))


def write_table(stem: str | os.PathLike[str], df: pd.DataFrame) -> list[Path]:
    """Write ``stem.csv`` and ``stem.parquet``."""
    stem = Path(stem)
    return [
        write_csv(stem.with_suffix(".csv"), df),
        write_parquet(stem.with_suffix(".parquet"), df),
    ]


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_csv_text(path: str | os.PathLike[str], **kwargs: Any) -> pd.DataFrame:
    """Read a project CSV (UTF-8, BOM tolerated) with every column as text unless told."""
    kwargs.setdefault("dtype", str)
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("na_values", [""])
    return pd.read_csv(path, encoding="utf-8-sig", **kwargs)
