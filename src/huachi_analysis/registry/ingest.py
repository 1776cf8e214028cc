"""Registry ingest as a pure transform: raw export frames in; persons, households and findings
out. No file is read or written here (see :mod:`.read` and :mod:`.build`).

Every row read is accepted or quarantined (``rows_read == rows_accepted + rows_quarantined``,
checked: a ``GuaranteeError`` otherwise). Personal data (姓名, 证件号码, 联系电话) never reaches an output: sex and birth
year are derived from the ID, then persons and households are keyed by HMAC pseudonyms, and
findings show masked values only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.errors import GuaranteeError
from huachi_analysis.policy import YEAR_RANGE
from huachi_analysis.registry.checks import Geography, check_file
from huachi_analysis.registry.findings import file_level_findings, rule_words
from huachi_analysis.registry.households import household_table
from huachi_analysis.registry.masking import Masker
from huachi_analysis.registry.pseudonym import KeyIndex
from huachi_analysis.registry.read import RawFile
from huachi_analysis.registry.required_columns import missing_needed
from huachi_analysis.registry.validate import RULES

__all__ = ["Geography", "IngestResult", "ingest"]


def default_geography() -> Geography:
    from huachi_analysis import geography

    return geography  # type: ignore[return-value]


@dataclass
class IngestResult:
    """What ingest produced; :meth:`summary` is the ``--json`` summary."""

    persons: pd.DataFrame
    households: pd.DataFrame
    findings: pd.DataFrame
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: columns some indicator needs that a file lacks (:mod:`.required_columns`)
    missing_columns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(i["rows_read"] for i in self.inputs)

    @property
    def rows_quarantined(self) -> int:
        return sum(i["rows_quarantined"] for i in self.inputs)

    @property
    def rows_accepted(self) -> int:
        return sum(i["rows_accepted"] for i in self.inputs)

    def summary(self) -> dict[str, Any]:
        f = self.findings
        err = f[(f["severity"] == "error") & f["primary"]] if "primary" in f else f.iloc[:0]
        warn = f[f["severity"] == "warning"]
        years = sorted(int(y) for y in self.persons["year"].dropna().unique())
        return {
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_quarantined": self.rows_quarantined,
            "households": int(len(self.households)),
            "persons": int(len(self.persons)),
            "quarantine_reasons": dict(Counter(err["rule"]).most_common()),
            "warnings": dict(Counter(warn["rule"]).most_common()),
            "years": years,
            "by_year": {
                str(y): {"persons": int((self.persons["year"] == y).sum()),
                         "households": int((self.households["year"] == y).sum())}
                for y in years},
            "is_synthetic": bool(any(i["is_synthetic"] for i in self.inputs)),
            "inputs": self.inputs,
            "missing_columns": self.missing_columns,
        }


def _unique_source_names(files: list[RawFile], masker: Masker) -> None:
    """Make ``source_file`` unique: ``2016/export.xlsx`` when two folders hold ``export.xlsx``,
    ``export.xlsx (2)`` when the same file is given twice; a name, ID or phone number in a
    file, folder or sheet name is masked."""
    from huachi_analysis.masking import safe_text

    names = Counter(f.source_file for f in files)
    for f in files:
        if names[f.source_file] > 1:
            f.source_file = f"{safe_text(f.path.parent.name)}/{f.source_file}"
    masked = masker.texts([f.source_file for f in files], cut=False)
    for f, m in zip(files, masked, strict=True):
        f.source_file = m
    seen: Counter[str] = Counter()
    for f in files:
        seen[f.source_file] += 1
        if seen[f.source_file] > 1:
            f.source_file = f"{f.source_file} ({seen[f.source_file]})"


def ingest(files: list[RawFile], key: bytes, geography: Geography | None = None) -> IngestResult:
    """Validate, pseudonymise and shape raw exports into the registry tables.

    This is what the ingest benchmark times (``benchmarks/run.py``, issue 7): reading the
    files (:func:`huachi_analysis.registry.read.read_export`) plus this function, which
    returns the conformed tables; writing them (:func:`huachi_analysis.registry.build.
    write_registry`) is not part of it. See ``docs/validation_rules.md`` (Performance).

    Args:
        files: what :func:`huachi_analysis.registry.read.read_export` returned.
        key: the pseudonym key (:func:`huachi_analysis.registry.pseudonym.load_key`).
        geography: township/village resolution (default: the plan geography).

    Returns:
        Conformed ``registry_persons`` and ``registry_households``, ``registry_findings`` (with
        ``primary``: the error a quarantined row is counted under), and per-file counts.
    """
    geo = geography or default_geography()
    masker = Masker([raw.frame for raw in files])
    _unique_source_names(files, masker)
    persons_ix, households_ix = KeyIndex(key, "person"), KeyIndex(key, "household")
    frames: list[pd.DataFrame] = []
    findings: list[pd.DataFrame] = []
    inputs: list[dict[str, Any]] = []
    seen_sha: dict[str, tuple[int, str]] = {}
    for raw in files:
        rows, parts = check_file(raw, geo, persons_ix, households_ix, masker)
        frames.append(rows)
        findings += parts
        # the same content as another input file (not another sheet of the same workbook)
        first = seen_sha.setdefault(raw.sha256, (raw.origin, raw.source_file)) \
            if raw.sha256 else None
        same_as = first[1] if first and first[0] != raw.origin else None
        findings += file_level_findings(raw, same_as)
    if len(frames) == 1:
        allrows = frames[0].reset_index(drop=True)
    elif frames:
        allrows = pd.concat(frames, ignore_index=True)
    else:
        allrows = pd.DataFrame({"_error": pd.Series(dtype=object),
                                "_pcode": pd.Series(dtype=np.int64),
                                "_hcode": pd.Series(dtype=np.int64),
                                "year": pd.Series(dtype="Int64"),
                                "source_file": pd.Series(dtype="str"),
                                "source_row": pd.Series(dtype=np.int64),
                                "_id_text": pd.Series(dtype="str")})

    # the same person twice in one year (also across files): keep the first row
    ok = allrows["_error"].isna().to_numpy(dtype=bool)
    dup = np.zeros(len(allrows), dtype=bool)
    if ok.any():
        year = allrows["year"].to_numpy(dtype=np.int64, na_value=0)[ok]
        pkey = (year - YEAR_RANGE[0]) * (len(persons_ix.names) + 1) + \
            allrows["_pcode"].to_numpy(dtype=np.int64)[ok]
        dup[ok] = pd.Series(pkey).duplicated(keep="first").to_numpy()
    if dup.any():
        d = allrows[dup]
        r = RULES["duplicate_person"]
        findings.append(pd.DataFrame({
            "finding_year": d["year"].to_numpy(), "source_file": d["source_file"].to_numpy(),
            "source_row": d["source_row"].to_numpy(),
            "column": "证件号码", "masked_value": d["_id_text"].to_numpy(dtype=object,
                                                                      na_value=None),
            "rule": r.id, "severity": r.severity, "message": r.message,
            "is_synthetic": d["is_synthetic"].to_numpy()}))
        allrows.loc[dup, "_error"] = "duplicate_person"
    accepted_mask = allrows["_error"].isna().to_numpy(dtype=bool)
    acc = allrows if accepted_mask.all() else allrows[accepted_mask].reset_index(drop=True)
    if len(acc):
        acc = acc.assign(person_key=persons_ix.strings(acc["_pcode"].to_numpy(), acc.index),
                         household_key=households_ix.strings(acc["_hcode"].to_numpy(), acc.index))

    missing = _missing_columns(files, allrows, masker)
    findings += _missing_column_findings(files, missing)
    headers = {raw.source_file: raw.headers for raw in files}
    households = household_table(acc, findings, headers)
    persons = metadata.conform(acc, "registry_persons")
    households = metadata.conform(households, "registry_households")

    fcat = pd.concat([p for p in findings if len(p)], ignore_index=True) if findings else None
    if fcat is None or fcat.empty:
        fcat = metadata.empty("registry_findings")
    else:  # every value shown, and every unknown header, masked with the files' personal data
        fcat["masked_value"] = masker.mask(fcat["masked_value"])
        fcat["column"] = masker.mask(fcat["column"])
    # the primary reason of each quarantined row (its first error in rule order)
    prim = allrows.loc[~accepted_mask, ["source_file", "source_row", "_error"]]
    pk = pd.MultiIndex.from_frame(prim.rename(columns={"_error": "rule"}).astype(
        {"source_row": "Int64", "rule": "str", "source_file": "str"}))
    fk = pd.MultiIndex.from_frame(fcat[["source_file", "source_row", "rule"]].astype(
        {"source_row": "Int64", "rule": "str", "source_file": "str"}))
    fcat["primary"] = (fcat["severity"] == "error").to_numpy(bool) & fk.isin(pk)
    fcat["rule_zh"] = rule_words(fcat["rule"])
    fcat = metadata.conform(fcat, "registry_findings")
    fcat = fcat.sort_values(["source_file", "source_row", "severity"], kind="stable",
                            na_position="first").reset_index(drop=True)

    by_file = allrows.groupby("source_file", sort=False)["_error"]
    for raw in files:
        if raw.source_file in by_file.groups:
            err = by_file.get_group(raw.source_file)
            read, quarantined = len(err), int(err.notna().sum())
        else:
            read = quarantined = 0
        if read != raw.rows_read:
            raise GuaranteeError(f"row conservation: {read} rows of a file checked, "
                                 f"{raw.rows_read} read")
        inputs.append({"file": raw.source_file, "sha256": raw.sha256, "rows_read": read,
                       "rows_accepted": read - quarantined, "rows_quarantined": quarantined,
                       "header_row": raw.header_row, "encoding": raw.encoding,
                       "year": raw.year, "year_source": raw.year_source,
                       "is_synthetic": raw.is_synthetic, "skipped": raw.skipped})
    result = IngestResult(persons, households, fcat, inputs, missing)
    if not (result.rows_read == result.rows_accepted + result.rows_quarantined == len(allrows)
            and result.rows_accepted == len(persons)
            and int(fcat["primary"].sum()) == result.rows_quarantined):
        raise GuaranteeError(
            f"row conservation: read {result.rows_read} = accepted {result.rows_accepted} + "
            f"quarantined {result.rows_quarantined}, checked {len(allrows)}, persons "
            f"{len(persons)}, primary findings {int(fcat['primary'].sum())}")
    return result


def _missing_columns(files: list[RawFile], allrows: pd.DataFrame, masker: Masker
                     ) -> list[dict[str, Any]]:
    """Per file, the columns some indicator needs that it lacks, with the data years they
    leave without data and the (masked) header found closest."""
    pairs = allrows[["source_file", "year"]].dropna().drop_duplicates()
    years: dict[str, list[int]] = {}
    for name, year in zip(pairs["source_file"], pairs["year"], strict=True):
        years.setdefault(name, []).append(int(year))
    years = {name: sorted(set(ys)) for name, ys in years.items()}
    out: list[dict[str, Any]] = []
    for raw in files:
        unknown = (masker.mask(pd.Series(raw.unknown_columns, dtype="str")).tolist()
                   if raw.unknown_columns else [])
        file_years = years.get(raw.source_file) or ([raw.year] if raw.year else [])
        out += missing_needed(raw.source_file, set(raw.headers), unknown, file_years)
    return out


def _missing_column_findings(files: list[RawFile], missing: list[dict[str, Any]]
                             ) -> list[pd.DataFrame]:
    """One ``missing_column`` warning per file and column, on the header row."""
    if not missing:
        return []
    r = RULES["missing_column"]
    raws = {raw.source_file: raw for raw in files}
    rows = []
    for m in missing:
        raw = raws[m["file"]]
        for year in m["years"] or [raw.year]:
            rows.append((year, raw.source_file, raw.header_row, m["header"], m["closest"],
                         r.id, r.severity, f"{r.message}. {m['how_en']}", raw.is_synthetic))
    cols = ["finding_year", "source_file", "source_row", "column", "masked_value", "rule",
            "severity", "message", "is_synthetic"]
    return [pd.DataFrame(rows, columns=cols)]
