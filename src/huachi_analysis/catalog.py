"""The catalogue of processed tables: where each lives in a data folder, in which formats, how
it is partitioned, and the one :func:`read` and :func:`write` every stage uses.

Every table of ``data/processed`` has an :class:`Entry` in :data:`CATALOG`, listed in the order
the build writes them (plan → registry → actuals → progress):

* ``formats`` — what :func:`write` writes, in the order :func:`find` and :func:`read` prefer
  (``parquet`` then ``csv`` for a table; ``json`` for a summary);
* ``partitioned_by`` — ``"year"`` for the person-level registry tables, written as
  ``<name>/year=YYYY/part-0.parquet`` (hive partitioning: ``pd.read_parquet(folder / name)``
  reads every year back, ``year`` as a category).

Columns, types and keys are the field and table registry's (:mod:`huachi_analysis.metadata`);
the foreign keys it declares (``progress_targets.target_id → plan_targets``, every
``township`` column → ``plan_townships`` …) are checked by :func:`check_foreign_keys` when a
build finishes. Writes are atomic (:mod:`huachi_analysis.io`: a temporary file, then a rename).

Light: pandas and the registry are imported where used, so a no-change rerun of the briefings
can find its inputs without them.

>>> path("plan_targets", "data/processed").as_posix(), CATALOG["registry_households"].partitioned_by
('data/processed/plan_targets.parquet', 'year')
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huachi_analysis.errors import ForeignKeyError, InputFileError
from huachi_analysis.messages import both

if TYPE_CHECKING:
    import pandas as pd

#: Formats a table can be written in, and the suffix of each.
SUFFIXES = {"parquet": ".parquet", "csv": ".csv", "json": ".json"}
TABLE_FORMATS = ("parquet", "csv")
#: Offending values listed in a foreign-key error (the message says how many there are).
SHOWN_VALUES = 10


@dataclass(frozen=True)
class Entry:
    """One processed table: its name (the registered table's, or a summary's), the build step
    that writes it, its formats (preferred first) and its partitioning."""

    name: str
    step: str
    formats: tuple[str, ...] = TABLE_FORMATS
    partitioned_by: str | None = None

    def path(self, folder: str | os.PathLike[str], fmt: str | None = None) -> Path:
        """Where the table is written in ``folder`` in ``fmt`` (default: the preferred format);
        a partitioned table's folder."""
        if self.partitioned_by is not None:
            return Path(folder) / self.name
        fmt = fmt or self.formats[0]
        if fmt not in self.formats:
            raise ValueError(f"{self.name} is not written as {fmt} (formats: {self.formats})")
        return Path(folder) / f"{self.name}{SUFFIXES[fmt]}"

    def partition(self, folder: str | os.PathLike[str], value: object) -> Path:
        """The file of one partition (``<name>/year=2016/part-0.parquet``)."""
        if self.partitioned_by is None:
            raise ValueError(f"{self.name} is not partitioned")
        return Path(folder) / self.name / f"{self.partitioned_by}={value}" / "part-0.parquet"

    def partitions(self, folder: str | os.PathLike[str]) -> dict[str, Path]:
        """Partition value (text) → its folder, for the partitions present in ``folder``."""
        root = self.path(folder)
        if self.partitioned_by is None or not root.is_dir():
            return {}
        prefix = f"{self.partitioned_by}="
        return {d.name.removeprefix(prefix): d for d in sorted(root.glob(f"{prefix}*"))
                if d.is_dir()}


def _entries(*items: Entry) -> dict[str, Entry]:
    return {e.name: e for e in items}


#: Every processed table, in the order the build writes them.
CATALOG: dict[str, Entry] = _entries(
    Entry("plan_targets", "plan"),
    Entry("plan_townships", "plan"),
    Entry("plan_villages", "plan"),
    Entry("plan_derived", "plan"),
    Entry("plan_audit", "plan"),
    Entry("registry_persons", "registry", ("parquet",), partitioned_by="year"),
    Entry("registry_households", "registry", ("parquet",), partitioned_by="year"),
    Entry("registry_findings", "registry"),
    Entry("registry_summary", "registry", ("json",)),
    Entry("poverty_lines", "registry"),
    Entry("rural_population", "registry"),
    Entry("village_population", "registry"),
    Entry("indicator_actuals", "actuals"),
    Entry("actuals_findings", "actuals"),
    Entry("actuals_summary", "actuals", ("json",)),
    Entry("progress_targets", "progress"),
    Entry("progress_trajectory", "progress"),
    Entry("progress_registry", "progress"),
    Entry("village_exits", "progress"),
    Entry("exit_audit", "progress"),
    Entry("income_summary", "progress"),
    Entry("income_outliers", "progress"),
    Entry("income_distribution", "progress"),
    Entry("exit_audit_counts", "progress"),
)


def entry(name: str) -> Entry:
    """The catalogue entry of table ``name``."""
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a table of the catalogue ({', '.join(CATALOG)})") from None


def path(name: str, folder: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Where table ``name`` is written in ``folder`` (see :meth:`Entry.path`)."""
    return entry(name).path(folder, fmt)


def find(name: str, folder: str | os.PathLike[str], fmt: str | None = None) -> Path | None:
    """The file (or partitioned folder holding Parquet files) of table ``name`` present in
    ``folder``, in the preferred format present (or in ``fmt`` only), or None."""
    e = entry(name)
    if e.partitioned_by is not None:
        p = e.path(folder)
        return p if p.is_dir() and any(p.rglob("*.parquet")) else None
    for f in (fmt,) if fmt else e.formats:
        p = e.path(folder, f)
        if p.exists():
            return p
    return None


def read(name: str, folder: str | os.PathLike[str], *, fmt: str | None = None,
         columns: list[str] | None = None, filters: Any = None, required: bool = True
         ) -> pd.DataFrame | dict | None:
    """Table ``name`` from ``folder``: a frame (Parquet as written; CSV as text, every column a
    string, empty cells missing), a dict for a JSON summary.

    Args:
        fmt: read this format only (the builds read Parquet, typed as written); default: the
            preferred format present.
        columns: read only these columns (Parquet; a CSV is cut after reading).
        filters: a pyarrow filter expression for a Parquet table (a CSV is read whole).
        required: raise if the table is missing (else return None).

    Raises:
        InputFileError: the table is missing (``required``), naming the file to build.
    """
    p = find(name, folder, fmt)
    if p is None:
        if not required:
            return None
        raise InputFileError(path(name, folder, fmt), both("processed_missing", what=name))
    if p.suffix == ".json":
        import json

        return json.loads(p.read_text(encoding="utf-8"))
    import pandas as pd

    if p.suffix == ".parquet" or p.is_dir():
        return pd.read_parquet(p, columns=columns, filters=filters)
    from huachi_analysis.io import read_csv_text

    df = read_csv_text(p)
    return df[columns] if columns is not None else df


def distinct(name: str, folder: str | os.PathLike[str], column: str) -> list[Any] | None:
    """The distinct non-empty values of one column of table ``name`` (None if the table or the
    column is missing). From Parquet (a file or a partitioned folder) only that column is read
    and made distinct by pyarrow — a province-size table in a fraction of a second, without
    pandas; a CSV (text) is streamed row by row."""
    p = find(name, folder, "parquet")
    if p is not None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        # text read dictionary-encoded: each chunk's distinct values are its dictionary
        # entries that its indices use (no string per row is made)
        fmt = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(
            dictionary_columns=[column]))
        dataset = ds.dataset(p, format=fmt, partitioning="hive")
        if column not in dataset.schema.names:
            return None
        col = dataset.to_table(columns=[column]).column(column)
        if pa.types.is_dictionary(col.type):
            found: dict[Any, None] = {}
            for chunk in col.chunks:
                found.update(dict.fromkeys(
                    chunk.dictionary.take(pc.unique(chunk.indices)).to_pylist()))
            values = list(found)
        else:
            values = pc.unique(col).to_pylist()
        return [v for v in values if v is not None and v != ""]
    p = find(name, folder, "csv")
    if p is None:
        return None
    import csv

    seen: dict[str, None] = {}
    with open(p, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if column not in (reader.fieldnames or []):
            return None
        for row in reader:
            v = row.get(column)
            if v not in (None, ""):
                seen[v] = None
    return list(seen)


def years(name: str, folder: str | os.PathLike[str]) -> list[int]:
    """The distinct values of table ``name``'s ``year`` column, sorted (none if the table or
    the column is missing): :func:`distinct`."""
    return sorted({int(float(y)) for y in distinct(name, folder, "year") or []})


def write(name: str, frame: pd.DataFrame | dict, folder: str | os.PathLike[str], *,
          partitions: Iterable[object] | None = None) -> list[Path]:
    """Write table ``name`` into ``folder`` in every format of its entry, atomically (each file
    to a temporary file beside it, then renamed over it: :mod:`huachi_analysis.io`).

    A frame's CSV holds its registered fields in their registered order when it has them all
    (the Parquet file holds the frame as given); a dict is written as JSON. A partitioned table is written one file per
    partition (the partition column left out of the files, as hive partitioning expects):
    every value in ``partitions`` (default: the frame's own values) gets a file, empty where the
    frame has no row of it, and partitions of other values are removed.

    Returns:
        The files written.
    """
    from huachi_analysis import io

    e = entry(name)
    if isinstance(frame, dict):
        return [io.write_json(e.path(folder, "json"), frame)]
    if e.partitioned_by is not None:
        return _write_partitions(e, frame, folder, partitions)
    written = []
    for fmt in e.formats:
        target = e.path(folder, fmt)
        if fmt == "parquet":
            written.append(io.write_parquet(target, frame))
        elif fmt == "csv":
            written.append(io.write_csv(target, _registered_columns(name, frame)))
        else:
            raise ValueError(f"{name}: a frame cannot be written as {fmt}")
    return written


def _registered_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    from huachi_analysis import metadata

    table = metadata.TABLES.get(name)
    if table is None or list(frame.columns) == list(table.fields) or not set(
            table.fields) <= set(frame.columns):
        return frame  # (a frame without every registered field is written as it is)
    return frame[list(table.fields)]


def _write_partitions(e: Entry, frame: pd.DataFrame, folder: str | os.PathLike[str],
                      partitions: Iterable[object] | None) -> list[Path]:
    from concurrent.futures import ThreadPoolExecutor

    from huachi_analysis import io

    col = str(e.partitioned_by)
    rows = frame.groupby(col, sort=False).indices if len(frame) else {}
    values = list(partitions) if partitions is not None else sorted(rows)
    body = frame.drop(columns=col)

    def one(value: object) -> Path:
        return io.write_parquet(e.partition(folder, value), body.iloc[rows.get(value, [])])

    with ThreadPoolExecutor(2) as pool:  # Arrow writes Parquet without holding the GIL
        written = list(pool.map(one, values))
    keep = {str(v) for v in values}
    for value, d in e.partitions(folder).items():
        if value not in keep:  # values no longer in the data
            shutil.rmtree(d)
    return written


def foreign_keys() -> list[tuple[str, str, str, str]]:
    """``(table, column, referenced table, referenced column)`` of every foreign key the table
    registry declares, for the tables of the catalogue."""
    from huachi_analysis import metadata

    return [(t.name, col, ref_table, ref_col)
            for t in metadata.TABLES.values() if t.name in CATALOG
            for col, (ref_table, ref_col) in t.foreign_keys.items()]


def check_foreign_keys(folder: str | os.PathLike[str]) -> int:
    """Check every declared foreign key among the tables present in ``folder`` (a key whose
    table or referenced table is absent is not checked); empty values are allowed.

    Returns:
        The number of keys checked.

    Raises:
        ForeignKeyError: naming the table, the column, the referenced table and column, and
            the values not found there.
    """
    checked = 0
    known: dict[tuple[str, str], set[str]] = {}
    for table, col, ref_table, ref_col in foreign_keys():
        if find(table, folder) is None or find(ref_table, folder) is None:
            continue
        if (ref_table, ref_col) not in known:
            known[(ref_table, ref_col)] = {str(v) for v in distinct(ref_table, folder, ref_col)
                                           or []}
        bad = sorted({str(v) for v in distinct(table, folder, col) or []}
                     - known[(ref_table, ref_col)])
        if bad:
            shown = ", ".join(repr(v) for v in bad[:SHOWN_VALUES])
            raise ForeignKeyError(both(
                "foreign_key_broken", table=table, column=col, ref_table=ref_table,
                ref_column=ref_col, n=len(bad),
                values=shown + (" …" if len(bad) > SHOWN_VALUES else "")))
        checked += 1
    return checked
