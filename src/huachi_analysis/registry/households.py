"""The household table of registry ingest: one row per (year, household), household-level
values from the head's row, disagreements and size mismatches as findings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.policy import YEAR_RANGE
from huachi_analysis.registry.headers import HOUSEHOLD_FIELDS, standard_header
from huachi_analysis.registry.normalise import factorize
from huachi_analysis.registry.validate import RULES


def household_table(acc: pd.DataFrame, findings: list[pd.DataFrame],
                    headers: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One row per (year, household): values from the head's row, else the first row.

    Rows are grouped by integer codes (year, household code) with one stable sort; a
    household-level column disagrees within a household when its smallest and largest value
    code differ (``NA`` is a value of its own, as in ``nunique(dropna=False)``). A disagreement
    shows the normalised values that differ (masked by the caller with every other finding)."""
    if acc.empty:
        return metadata.empty("registry_households")
    year = acc["year"].to_numpy(dtype=np.int64)
    hcode = acc["_hcode"].to_numpy(dtype=np.int64)
    group = (year - YEAR_RANGE[0]) * (int(hcode.max()) + 1) + hcode
    not_head = ~acc["is_head"].to_numpy(dtype=bool)
    order = np.lexsort((not_head, group))  # stable: file order within (group, head first)
    gs = group[order]
    starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
    first = order[starts]
    members = np.diff(np.r_[starts, len(gs)])
    keep = [c for c in metadata.TABLES["registry_households"].fields if c in acc] + [
        "source_file", "source_row", "_hcode"]
    hh = acc[keep].iloc[first].reset_index(drop=True)
    hh["members_listed"] = members
    file_col = hh["source_file"].to_numpy(dtype=object)
    for c in [c for c in HOUSEHOLD_FIELDS if c in acc]:
        codes, _ = factorize(acc[c])
        cs = codes[order]
        bad = np.minimum.reduceat(cs, starts) != np.maximum.reduceat(cs, starts)
        if not bad.any():
            continue
        bad_groups = np.flatnonzero(bad)
        # the distinct values of each disagreeing household, head's first
        seg = np.concatenate([order[starts[g]:starts[g] + members[g]] for g in bad_groups])
        owner = np.repeat(np.arange(len(bad_groups)), members[bad_groups])
        text = acc[c].iloc[seg].astype("str").fillna("(empty)").to_numpy(dtype=object)
        joined = pd.Series(text).groupby(owner, sort=True).agg(
            lambda v: " | ".join(dict.fromkeys(v)))
        rows = hh.iloc[bad_groups]
        findings.append(pd.DataFrame({
            "finding_year": rows["year"].to_numpy(), "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "column": [headers.get(sf, {}).get(c) or standard_header(c)
                       for sf in file_col[bad_groups]],
            "masked_value": joined.to_numpy(dtype=object),
            "rule": "household_fields_disagree", "severity": "warning",
            "message": RULES["household_fields_disagree"].message,
            "is_synthetic": rows["is_synthetic"].to_numpy()}))
    mism = (hh["household_size"].notna() & (hh["household_size"] != hh["members_listed"])
            ).fillna(False).to_numpy(dtype=bool)
    if mism.any():
        rows = hh[mism]
        findings.append(pd.DataFrame({
            "finding_year": rows["year"].to_numpy(), "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "column": [headers.get(sf, {}).get("household_size") or "人数"
                       for sf in rows["source_file"]],
            "masked_value": [f"{s} (member rows: {m})" for s, m in
                             zip(rows["household_size"], rows["members_listed"], strict=True)],
            "rule": "household_size_mismatch", "severity": "warning",
            "message": RULES["household_size_mismatch"].message,
            "is_synthetic": rows["is_synthetic"].to_numpy()}))
    return hh
