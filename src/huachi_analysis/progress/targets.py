"""Plan targets against actuals, as of each report year.

For a target with period ``S…T`` (``S`` = period_start, else the plan start) and a report year
``R``, the evaluation year is ``E = min(R, T)`` and:

* cumulative targets: actual = sum of yearly actuals for ``S…E``; pct_achieved = actual ÷
  target; required progress by ``E`` = the share ``(E − S + 1) ÷ (T − S + 1)`` of the target;
* flows that are not cumulative (exits in a year …): actual = the value in ``E``;
  pct_achieved = actual ÷ target; ratio = actual ÷ target;
* levels (incidence, income, coverage …): actual = the value in ``E``; baseline ``b`` = the value
  in the latest year before ``S`` (else the earliest year in ``S…E−1``); pct_achieved =
  (actual − b) ÷ (target − b); ratio = pct_achieved ÷ ((E − b_year) ÷ (T − b_year)).

The status follows :func:`huachi_analysis.progress.status.target_status`. Actuals are converted
to the target's ``unit_base`` (an actual in ``unit_base`` is used as it is; one in the target's
written ``unit`` is scaled by value_base ÷ value); any other unit gives ``no_data`` with a note.

Where a target is county-wide (``华池县``) and actuals exist for townships, each township gets a
row with its actual and its share of the county (additive indicators), no target and no status:
the plan sets no township target there, and none is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from huachi_analysis.actuals.precedence import choose
from huachi_analysis.progress.registry_indicators import COUNTY, INDICATORS
from huachi_analysis.progress.status import (
    PLAN_START,
    effective_direction,
    gap,
    missing,
    target_status,
)

ACTUAL_COLUMNS = ["indicator_id", "year", "geography", "value", "unit", "source"]
TARGET_COLUMNS = ["target_id", "indicator_id", "year", "geography", "actual", "target",
                  "pct_achieved", "gap", "status", "share_of_county", "note"]
COUNTY_ONLY_NOTE = ("county-wide target only: township actual and share of the county shown; "
                    "the plan sets no township target")


def combine_actuals(registry: pd.DataFrame, indicator_actuals: pd.DataFrame | None
                    ) -> pd.DataFrame:
    """One long table of actuals: registry indicators first, then the indicator-actuals CSV.

    A registry value wins where both give the same (indicator_id, year, geography); the CSV fills
    everything else (including registry values that are missing).

    Args:
        registry: ``progress_registry`` (rows with an empty ``breakdown`` are used).
        indicator_actuals: ``indicator_actuals`` (indicator_id, year, geography, value, unit,
            source), or None.
    """
    reg = registry[registry["breakdown"].isna() & registry["value"].notna()]
    synth = reg["is_synthetic"].astype("boolean").fillna(False)
    reg = pd.DataFrame({
        "indicator_id": reg["indicator_id"], "year": reg["year"].astype("int64"),
        "geography": reg["geography"], "value": reg["value"].astype("float64"),
        "unit": reg["unit"],
        "source": synth.map({True: "registry (synthetic)", False: "registry"}),
    })
    if indicator_actuals is None or indicator_actuals.empty:
        return reg.reset_index(drop=True)
    csv = choose(indicator_actuals)[ACTUAL_COLUMNS].copy()  # C4 precedence among reported
    csv["year"] = pd.to_numeric(csv["year"]).astype("int64")
    csv["value"] = pd.to_numeric(csv["value"]).astype("float64")
    csv = csv[csv["value"].notna()]
    keys = ["indicator_id", "year", "geography"]
    taken = csv.merge(reg[keys], on=keys, how="left", indicator=True)["_merge"] == "both"
    return pd.concat([reg, csv[~taken.to_numpy()]], ignore_index=True)


def measure_kind(indicator_id: str, cumulative: bool) -> str:
    """``cumulative``, ``flow`` (happens within a year) or ``level`` (a stock or a rate)."""
    if cumulative:
        return "cumulative"
    ind = INDICATORS.get(indicator_id)
    return "flow" if ind is not None and ind.kind == "flow" else "level"


def unit_factor(actual_unit: object, unit_base: object, unit: object, value: object,
                value_base: object) -> float | None:
    """Factor turning an actual in ``actual_unit`` into the target's base unit (None: unknown)."""
    if not missing(unit_base) and actual_unit == unit_base:
        return 1.0
    if actual_unit == unit:
        if missing(value_base) or missing(value) or float(value) == 0:
            return 1.0 if missing(unit_base) else None
        return float(value_base) / float(value)
    return None


@dataclass(frozen=True)
class Series:
    """The actuals of one indicator and geography: year → value, and their units and sources."""

    values: dict[int, float]
    units: tuple[str, ...]
    sources: tuple[str, ...]


def actual_series(actuals: pd.DataFrame, targets: pd.DataFrame | None = None
                  ) -> dict[tuple[str, str], Series]:
    """Group long actuals by (indicator_id, geography) in one pass (no per-group pandas work:
    a province has about a million registry rows).

    Args:
        actuals: :func:`combine_actuals` output.
        targets: keep only what these ``plan_targets`` can use: their indicators, for the
            county, townships and the geographies the targets name (None: keep everything).
    """
    a = actuals
    if targets is not None:
        geo = a["geography"].astype("string")
        a = a[a["indicator_id"].isin(set(targets["indicator_id"]))
              & (~geo.str.contains("/", regex=False).fillna(False)
                 | geo.isin(set(targets["geography"])))]
    a = a.sort_values(["indicator_id", "geography", "year"], kind="stable")
    values: dict[tuple[str, str], dict[int, float]] = {}
    units: dict[tuple[str, str], dict[str, None]] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    for ind, geo, y, v, u, src in zip(a["indicator_id"].tolist(), a["geography"].tolist(),
                                      a["year"].astype(int).tolist(),
                                      a["value"].astype(float).tolist(), a["unit"].tolist(),
                                      a["source"].tolist(), strict=True):
        k = (ind, geo)
        values.setdefault(k, {})[y] = v
        if not missing(u):
            units.setdefault(k, {})[u] = None
        if not missing(src):
            sources.setdefault(k, set()).add(src)
    return {k: Series(v, tuple(units.get(k, {})), tuple(sorted(sources.get(k, ()))))
            for k, v in values.items()}


def actual_at(t: dict, series: Series | None, as_of: int) -> float | None:
    """Only the actual :func:`evaluate` would use (township rows under a county target: no
    target, no status, so none of the rest is needed; about ten times faster)."""
    end = int(t["period_end"])
    start = int(t["period_start"]) if not missing(t.get("period_start")) else min(PLAN_START, end)
    target = t.get("value_base")
    if missing(target):
        target = t.get("value")
    if (as_of < start or t.get("target_kind") == "deadline" or missing(target)
            or series is None or not series.values):
        return None
    units = series.units
    factor = unit_factor(units[0] if units else None, t.get("unit_base"), t.get("unit"),
                         t.get("value"), t.get("value_base"))
    if factor is None or len(units) > 1:
        return None
    e = min(as_of, end)
    if measure_kind(t["indicator_id"], bool(t.get("cumulative"))) == "cumulative":
        window = [v for y, v in series.values.items() if start <= y <= e]
        return float(sum(window)) * factor if window else None
    v = series.values.get(e)
    return None if v is None else float(v) * factor


def evaluate(t: dict, series: Series | None, as_of: int) -> dict:
    """Evaluate one target (a ``plan_targets`` row as a dict) as of ``as_of``.

    Returns:
        ``actual``, ``target``, ``pct_achieved``, ``gap``, ``status``, ``note``.
    """
    end = int(t["period_end"])
    start = int(t["period_start"]) if not missing(t.get("period_start")) else min(PLAN_START, end)
    direction = effective_direction(t.get("direction"), t.get("comparator"))
    target = t.get("value_base")
    if missing(target):
        target = t.get("value")
    res = {"actual": None, "target": None if missing(target) else float(target),
           "pct_achieved": None, "gap": None, "status": None, "note": None}
    if as_of < start:
        res["status"] = "not_due"
        return res
    if t.get("target_kind") == "deadline" or missing(target):
        res["status"] = "no_data"
        res["note"] = "deadline without a number: not measured from actuals"
        return res
    target = float(target)
    if series is None or not series.values:
        res["status"] = "no_data"
        res["note"] = "no actuals for this indicator and geography"
        return res
    units = series.units
    factor = unit_factor(units[0] if units else None, t.get("unit_base"), t.get("unit"),
                         t.get("value"), t.get("value_base"))
    if factor is None or len(units) > 1:
        res["status"] = "no_data"
        res["note"] = (f"actual unit {', '.join(map(str, units))} not comparable with target "
                       f"unit {t.get('unit_base') or t.get('unit')}")
        return res
    vals = {y: v * factor for y, v in sorted(series.values.items())}
    e = min(as_of, end)
    kind = measure_kind(t["indicator_id"], bool(t.get("cumulative")))
    notes = [f"source: {'; '.join(series.sources)}"]
    ratio = None
    if kind == "cumulative":
        window = {y: v for y, v in vals.items() if start <= y <= e}
        lacking = [y for y in range(start, e + 1) if y not in window]
        if not window:
            res.update(status="no_data", note=f"no actuals for {start}–{e}")
            return res
        if lacking:
            notes.append(f"no actual for {', '.join(map(str, lacking))} (sum of the others)")
        actual = float(sum(window.values()))
        pct = 100.0 * actual / target if target else None
        required = (e - start + 1) / (end - start + 1)
        ratio = (pct / 100.0) / required if pct is not None else None
        notes.append(f"sum {start}–{e}")
    else:
        if e not in vals:
            res.update(status="no_data", note=f"no actual for {e}")
            return res
        actual = float(vals[e])
        if kind == "flow":
            pct = 100.0 * actual / target if target else None
            ratio = pct / 100.0 if pct is not None else None
        else:
            before = [y for y in vals if y < start]
            inside = [y for y in vals if start <= y < e]
            b_year = before[-1] if before else (inside[0] if inside else None)
            pct = None
            if b_year is not None and vals[b_year] != target:
                b = float(vals[b_year])
                pct = 100.0 * (actual - b) / (target - b)
                ratio = (pct / 100.0) / ((e - b_year) / (end - b_year))
                notes.append(f"baseline {b:g} in {b_year}")
            else:
                notes.append("no baseline year before the evaluation year")
        if e < as_of:
            notes.append(f"value at the deadline {e}")
    res.update(actual=actual, pct_achieved=pct, gap=gap(actual, target, direction),
               status=target_status(as_of=as_of, period_start=start, period_end=end,
                                    actual=actual, target=target,
                                    comparator=t.get("comparator"), direction=direction,
                                    ratio=ratio),
               note="; ".join(notes))
    return res


def progress_targets(targets: pd.DataFrame, actuals: pd.DataFrame, years: list[int]
                     ) -> pd.DataFrame:
    """Every target as of every report year, plus township rows under county-only targets.

    Args:
        targets: ``plan_targets``.
        actuals: :func:`combine_actuals` output.
        years: report years.

    Returns:
        Columns of ``progress_targets``.
    """
    series = actual_series(actuals, targets)
    by_indicator: dict[str, set[str]] = {}
    for ind, geo in series:
        by_indicator.setdefault(ind, set()).add(geo)
    own = set(zip(targets["indicator_id"], targets["geography"], strict=True))
    rows = []
    for t in targets.to_dict("records"):
        for r in years:
            res = evaluate(t, series.get((t["indicator_id"], t["geography"])), r)
            rows.append({"target_id": t["target_id"], "indicator_id": t["indicator_id"],
                         "year": r, "geography": t["geography"], **res,
                         "share_of_county": None})
            if t["geography"] != COUNTY or res["status"] == "not_due":
                continue
            townships = sorted(g for g in by_indicator.get(t["indicator_id"], ())
                               if g != COUNTY and "/" not in g
                               and (t["indicator_id"], g) not in own)
            ind = INDICATORS.get(t["indicator_id"])
            additive = bool(t.get("cumulative")) or (ind is not None and ind.additive)
            for g in townships:
                actual = actual_at(t, series[(t["indicator_id"], g)], r)
                share = None
                if additive and actual is not None and res["actual"]:
                    share = 100.0 * actual / res["actual"]
                rows.append({"target_id": t["target_id"], "indicator_id": t["indicator_id"],
                             "year": r, "geography": g, "actual": actual, "target": None,
                             "pct_achieved": None, "gap": None, "status": None,
                             "share_of_county": share, "note": COUNTY_ONLY_NOTE})
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return out.astype({"year": "int64", "actual": "Float64", "target": "Float64",
                       "pct_achieved": "Float64", "gap": "Float64",
                       "share_of_county": "Float64", "status": "string", "note": "string"})
