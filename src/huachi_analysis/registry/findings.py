"""Findings of registry ingest, collected as small frames (vectorised, no step per row).

The values a finding shows are collected as read; :func:`huachi_analysis.registry.ingest.ingest`
masks them all at once (:class:`huachi_analysis.registry.masking.Masker`) before any table is
returned, so that the personal values of every file are known when they are masked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.registry.headers import standard_header
from huachi_analysis.registry.read import RawFile
from huachi_analysis.registry.validate import RULES

FINDING_COLUMNS = list(metadata.TABLES["registry_findings"].fields)


def rule_words(rules: pd.Series) -> pd.Series:
    """Each finding's rule in Chinese (its ``rule_<id>`` label; empty for a rule without one),
    looked up once per distinct rule."""
    from huachi_analysis.reports.labels import has_label, label

    words = {r: label(f"rule_{r}") if has_label(f"rule_{r}") else None
             for r in rules.dropna().unique()}
    return pd.Series(pd.Series(words, dtype="string").reindex(rules.to_numpy()).to_numpy(),
                     index=rules.index, dtype="string")


def _shown(values: pd.Series | np.ndarray | None, mask: np.ndarray) -> np.ndarray:
    if values is None:
        return np.full(int(mask.sum()), None, dtype=object)
    v = values[mask]
    return (v.to_numpy(dtype=object, na_value=None) if isinstance(v, pd.Series)
            else np.asarray(v, dtype=object))


class Findings:
    """The findings of one file."""

    def __init__(self, raw: RawFile, year: pd.Series):
        self.raw, self.year = raw, year
        self.parts: list[pd.DataFrame] = []

    def column_of(self, field: str | None) -> str | None:
        return (self.raw.headers.get(field) or standard_header(field)) if field else None

    def add(self, rule_id: str, mask: np.ndarray, field: str | None,
            values: pd.Series | np.ndarray | None, *, column: str | None = None,
            message: str | np.ndarray | None = None) -> None:
        """One finding per row of ``mask``, showing ``values`` there (masked later)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rule = RULES[rule_id]
        self.parts.append(pd.DataFrame({
            "finding_year": self.year[mask].to_numpy(), "source_file": self.raw.source_file,
            "source_row": self.raw.excel_rows[mask],
            "column": column or self.column_of(field or rule.column),
            "masked_value": _shown(values, mask), "rule": rule_id, "severity": rule.severity,
            "message": message if message is not None else rule.message,
            "is_synthetic": self.raw.is_synthetic,
        }))

    def add_per_value(self, rule_id: str, mask: np.ndarray, codes: np.ndarray,
                      values: pd.Series | np.ndarray, field: str | None, describe) -> None:
        """One finding per distinct ``codes`` value among the rows of ``mask``, on its first
        row; ``describe(first_row_positions, counts)`` gives the messages."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        _, first_pos, counts = np.unique(codes[mask], return_index=True, return_counts=True)
        order = np.argsort(first_pos, kind="stable")
        first_rows, counts = rows[first_pos[order]], counts[order]
        m = np.zeros(len(mask), dtype=bool)
        m[first_rows] = True
        self.add(rule_id, m, field, values, message=describe(first_rows, counts))


def file_level_findings(raw: RawFile, duplicate_of: str | None) -> list[pd.DataFrame]:
    """Unknown columns and duplicate files (one finding each, on the header row)."""
    rows: list[tuple[object, ...]] = []
    for header in raw.unknown_columns:
        r = RULES["unknown_column"]
        rows.append((raw.year, raw.source_file, raw.header_row, header, None,
                     r.id, r.severity, r.message, raw.is_synthetic))
    if duplicate_of:
        r = RULES["duplicate_file"]
        rows.append((raw.year, raw.source_file, raw.header_row, None, None,
                     r.id, r.severity,
                     f"{r.message} (same content as {duplicate_of})", raw.is_synthetic))
    cols = [c for c in FINDING_COLUMNS if c not in ("primary", "rule_zh")]
    return [pd.DataFrame(rows, columns=cols)] if rows else []
