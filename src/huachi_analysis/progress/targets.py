"""Plan targets against actuals, as of each report year (``progress_targets``).

The rule of each kind of target is :mod:`huachi_analysis.progress.evaluate`; the status
thresholds are :mod:`huachi_analysis.progress.status`. This module assembles the actuals
(:func:`combine_actuals`) and the table (:func:`progress_targets`).

Where a target is county-wide (``华池县``) and actuals exist for townships, each township gets a
row with its actual, its share of the county (additive indicators) and where the actual came
from (origin, synthetic or not, provenance, as on county rows), no target and no status: the
plan sets no township target there, and none is invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis.actuals.precedence import choose
from huachi_analysis.county import COUNTY
from huachi_analysis.plan import kinds
from huachi_analysis.progress.baselines import plan_baseline_for, plan_baselines
from huachi_analysis.progress.evaluate import actual_from, evaluate
from huachi_analysis.progress.plan_path import milestone_paths
from huachi_analysis.progress.registry_indicators import INDICATORS
from huachi_analysis.progress.series import (  # noqa: F401  (re-exported)
    Series,
    actual_series,
    in_base,
    provenance,
    unit_factor,
)
from huachi_analysis.values import missing

__all__ = ["ACTUAL_COLUMNS", "COUNTY_ONLY_NOTE", "TARGET_COLUMNS", "Series", "actual_from",
           "actual_series", "combine_actuals", "evaluate", "in_base", "progress_targets",
           "unit_factor"]

#: The columns every actuals table has (the old six-column indicator_actuals, contract C4).
ACTUAL_COLUMNS = ["indicator_id", "year", "geography", "value", "unit", "source"]
#: What :func:`combine_actuals` returns: the above plus provenance (contract C3).
COMBINED_COLUMNS = [*ACTUAL_COLUMNS, "origin", "is_synthetic", "provenance"]
TARGET_COLUMNS = ["target_id", "indicator_id", "year", "geography", "actual", "target",
                  "pct_achieved", "progress_ratio", "gap", "status", "years_missing",
                  "years_not_met", "share_of_county", "note", "actual_origin",
                  "actual_is_synthetic", "actual_provenance"]
COUNTY_ONLY_NOTE = ("county-wide target only: township actual and share of the county shown; "
                    "the plan sets no township target")
REGISTRY_PROVENANCE = "registry exports (progress_registry)"
REAL_OVER_SYNTHETIC_REGISTRY = " (real figure; the synthetic registry figure set aside)"


def _csv_provenance(df: pd.DataFrame) -> list[str | None]:
    """数据来源 text, then file, sheet and row where the actuals table has them (contract C4)."""
    cols = [c for c in ("source_file", "source_sheet", "source_row") if c in df]
    labels = {"source_file": "", "source_sheet": "sheet ", "source_row": "row "}
    out = []
    for rec in df[["source", *cols]].to_dict("records"):
        where = ", ".join(f"{labels[c]}{rec[c]}" for c in cols if not missing(rec[c])
                          and str(rec[c]).strip())
        src = "" if missing(rec["source"]) else str(rec["source"]).strip()
        text = f"{src} ({where})" if src and where else (src or where)
        out.append(text or None)
    return out


def _text_where(flag: np.ndarray, if_true: str, if_false: str, index: pd.Index) -> pd.Series:
    """A text column: ``if_true`` where ``flag``, else ``if_false`` (made by Arrow, without a
    Python string per row: a province has a million registry figures)."""
    import pyarrow as pa

    col = pa.array([if_false, if_true]).take(pa.array(flag.astype(np.int8)))
    return pd.Series(pd.arrays.ArrowStringArray(col), index=index)


def combine_actuals(registry: pd.DataFrame, indicator_actuals: pd.DataFrame | None
                    ) -> pd.DataFrame:
    """One long table of actuals: registry indicators first, then the indicator-actuals table.

    Precedence where several figures give the same (indicator_id, year, geography) (contract
    C4, :mod:`huachi_analysis.actuals.precedence`): a real figure beats a synthetic one (its
    provenance then says the synthetic figure was set aside), then registry > department >
    published. The actuals table fills everything else (including registry values that are
    missing). Every
    row keeps where it came from: ``origin`` (``registry`` for registry figures; the actuals
    table's own ``origin`` if it has one, else ``department``), ``is_synthetic`` (the table's
    own column, else ``source == "synthetic"``) and ``provenance`` (数据来源, file, sheet, row).

    Args:
        registry: ``progress_registry`` (rows with an empty ``breakdown`` are used).
        indicator_actuals: ``indicator_actuals`` (the six-column table, or the wider one of
            contract C4), or None.
    """
    used = registry["breakdown"].isna() & registry["value"].notna()
    reg = registry[["indicator_id", "year", "geography", "value", "unit", "is_synthetic"]][used]
    is_synth = reg["is_synthetic"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    reg = pd.DataFrame({
        "indicator_id": reg["indicator_id"], "year": reg["year"].astype("int64"),
        "geography": reg["geography"], "value": reg["value"].astype("float64"),
        "unit": reg["unit"],
        "source": _text_where(is_synth, "registry (synthetic)", "registry", reg.index),
        "origin": "registry", "is_synthetic": is_synth,
        "provenance": _text_where(is_synth, REGISTRY_PROVENANCE + ", synthetic",
                                  REGISTRY_PROVENANCE, reg.index),
    }, index=reg.index)
    if indicator_actuals is None or indicator_actuals.empty:
        return reg.reset_index(drop=True)
    ia = choose(indicator_actuals).reset_index(drop=True)  # one reported figure per key
    csv = ia[ACTUAL_COLUMNS].copy()
    csv["year"] = pd.to_numeric(csv["year"]).astype("int64")
    csv["value"] = pd.to_numeric(csv["value"]).astype("float64")
    csv["origin"] = ia["origin"].astype("string").fillna("department") if "origin" in ia \
        else "department"
    csv["is_synthetic"] = (ia["is_synthetic"].astype("boolean").fillna(False).astype(bool)
                           if "is_synthetic" in ia else ia["source"].eq("synthetic"))
    csv["provenance"] = _csv_provenance(ia)
    csv = csv[csv["value"].notna()].reset_index(drop=True)
    keys = ["indicator_id", "year", "geography"]
    reg_synth = csv[keys].merge(reg[[*keys, "is_synthetic"]], on=keys, how="left")[
        "is_synthetic"]  # registry keys are unique: one row per csv row, in order
    has_reg = reg_synth.notna().to_numpy()
    real_over_synthetic = (has_reg & reg_synth.fillna(False).astype(bool).to_numpy()
                           & ~csv["is_synthetic"].astype(bool).to_numpy())
    if real_over_synthetic.any():
        gone = csv.loc[real_over_synthetic, keys].assign(_gone=True)
        reg = reg.merge(gone, on=keys, how="left")
        reg = reg[reg["_gone"].isna()].drop(columns="_gone")
        csv.loc[real_over_synthetic, "provenance"] = [
            f"{p or ''}{REAL_OVER_SYNTHETIC_REGISTRY}"
            for p in csv.loc[real_over_synthetic, "provenance"]]
    keep = ~has_reg | real_over_synthetic
    return pd.concat([reg, csv[keep]], ignore_index=True)[COMBINED_COLUMNS]


def _additive(t: dict) -> bool:
    ind = INDICATORS.get(t["indicator_id"])
    return kinds.kind_of(t) == "cumulative" or (ind is not None and ind.additive)


def _years_used(t: dict, series: Series, as_of: int) -> list[int]:
    """The years whose figures :func:`actual_from` uses (for the provenance of a township row)."""
    kind = kinds.kind_of(t)
    start, end = kinds.start_year(t), int(t["period_end"])
    e = min(as_of, end)
    if kind == "baseline":
        return [end]
    if kind == "cumulative":
        return list(range(start, e + 1))
    if kind == "deadline":
        reported = [y for y in series.points if y <= e]
        return [max(reported)] if reported else []
    return [e]


def progress_targets(targets: pd.DataFrame, actuals: pd.DataFrame, years: list[int],
                     series: dict[tuple[str, str], Series] | None = None) -> pd.DataFrame:
    """Every target as of every report year, plus township rows under county-only targets.

    Args:
        targets: ``plan_targets``.
        actuals: :func:`combine_actuals` output.
        years: report years.
        series: ``actual_series(actuals, targets)`` if already made.

    Returns:
        Columns of ``progress_targets``.
    """
    if series is None:
        series = actual_series(actuals, targets)
    bases = plan_baselines(targets)
    paths = milestone_paths(targets)
    by_indicator: dict[str, set[str]] = {}
    for ind, geo in series:
        by_indicator.setdefault(ind, set()).add(geo)
    own = set(zip(targets["indicator_id"], targets["geography"], strict=True))
    rows = []
    for t in targets.to_dict("records"):
        base = plan_baseline_for(t, bases)
        path = paths.get((t["indicator_id"], t["geography"], t.get("unit_base")))
        s = series.get((t["indicator_id"], t["geography"]))
        # township series under a county target, each in the target's unit once for all years
        townships: list[tuple[str, Series, dict[int, float]]] | None = None
        additive = _additive(t)
        for r in years:
            res = evaluate(t, s, r, base, path)
            rows.append({"target_id": t["target_id"], "indicator_id": t["indicator_id"],
                         "year": r, "geography": t["geography"], **res,
                         "share_of_county": None})
            if t["geography"] != COUNTY or res["status"] == "not_due":
                continue
            if townships is None:
                names = sorted(g for g in by_indicator.get(t["indicator_id"], ())
                               if g != COUNTY and "/" not in g
                               and (t["indicator_id"], g) not in own)
                townships = []
                for g in names:
                    ts = series[(t["indicator_id"], g)]
                    townships.append((g, ts, in_base(ts, t)[0]))
            for g, ts, vals in townships:
                actual = actual_from(t, vals, r)
                share = None
                if additive and actual is not None and res["actual"]:
                    share = 100.0 * actual / res["actual"]
                origin, synth, prov = (provenance(ts, _years_used(t, ts, r))
                                       if actual is not None else (None, None, None))
                rows.append({"target_id": t["target_id"], "indicator_id": t["indicator_id"],
                             "year": r, "geography": g, "actual": actual,
                             "share_of_county": share, "note": COUNTY_ONLY_NOTE,
                             "actual_origin": origin, "actual_is_synthetic": synth,
                             "actual_provenance": prov})
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return out.astype({"year": "int64", "actual": "Float64", "target": "Float64",
                       "pct_achieved": "Float64", "progress_ratio": "Float64",
                       "gap": "Float64", "share_of_county": "Float64", "status": "string",
                       "years_missing": "string", "years_not_met": "string",
                       "note": "string", "actual_origin": "string",
                       "actual_is_synthetic": "boolean", "actual_provenance": "string"})
