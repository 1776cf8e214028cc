"""Trajectories: for each indicator, geography and plan year, the planned value (stated in the
plan, or interpolated between stated milestones and flagged) beside the actual, with a status.

Planned values come from the non-cumulative quantity targets of an indicator (its milestones,
in ``unit_base``). A year without a stated milestone takes the plan dataset's derived value for
that indicator, geography and year (``plan_derived``) when there is one in the same unit, else
:func:`interpolate_milestones` (straight line between the two nearest stated milestones; no
extrapolation before the first or after the last). An indicator with only a cumulative target
gets a straight cumulative path from zero before period_start to the target at period_end, and
its actual is the running sum.

Status of year ``y`` as of report year ``R``: ``not_due`` if ``y > R``; ``no_data`` without an
actual or a planned value; ``achieved`` if the actual meets the planned value; otherwise
``missed`` for a stated milestone and, for an interpolated year, the ratio rule of
:mod:`huachi_analysis.progress.status` with the actual of the year before the first plan year as
the baseline.
"""

from __future__ import annotations

import pandas as pd

from huachi_analysis.progress.status import (
    PLAN_START,
    effective_direction,
    meets,
    missing,
    ratio_status,
)

TRAJECTORY_COLUMNS = ["indicator_id", "year", "geography", "planned", "planned_is_derived",
                      "actual", "status", "unit_base", "note"]


def interpolate_milestones(milestones: dict[int, float], years: list[int]) -> dict[int, float]:
    """Linear interpolation between stated milestones (the rule for years the plan leaves out).

    Args:
        milestones: year → stated value.
        years: years wanted.

    Returns:
        year → value for every wanted year between the first and last milestone that is not
        itself a milestone.
    """
    known = sorted(milestones)
    out = {}
    for y in years:
        if y in milestones or not known or y < known[0] or y > known[-1]:
            continue
        lo = max(k for k in known if k < y)
        hi = min(k for k in known if k > y)
        out[y] = milestones[lo] + (milestones[hi] - milestones[lo]) * (y - lo) / (hi - lo)
    return out


def _point_status(y: int, as_of: int, actual, planned, derived: bool, comparator, direction,
                  base) -> str:
    if y > as_of:
        return "not_due"
    if missing(actual) or missing(planned):
        return "no_data"
    if meets(actual, planned, comparator, direction):
        return "achieved"
    if not derived:
        return "missed"
    if base is None or planned == base:
        return "no_data"
    return ratio_status((actual - base) / (planned - base))


def progress_trajectory(targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int,
                        derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """Planned against actual per indicator, plan year and geography.

    Args:
        targets: ``plan_targets``.
        actuals: long actuals (``targets.combine_actuals``), values in the targets' base unit.
        as_of: report year (later years are ``not_due``).
        derived: ``plan_derived`` (optional): derived milestones used before local interpolation.

    Returns:
        Columns of ``progress_trajectory``.
    """
    q = targets[(targets["target_kind"] == "quantity") & targets["value_base"].notna()]
    rows = []
    for (ind, geo), g in q.groupby(["indicator_id", "geography"], sort=True):
        plain = g[~g["cumulative"].astype(bool)]
        series = actuals[(actuals["indicator_id"] == ind) & (actuals["geography"] == geo)]
        act = dict(zip(series["year"].astype(int), series["value"].astype(float), strict=True))
        unit_base = g["unit_base"].dropna().iloc[0] if g["unit_base"].notna().any() else None
        direction = effective_direction(g["direction"].dropna().iloc[0]
                                        if g["direction"].notna().any() else None,
                                        g["comparator"].dropna().iloc[0]
                                        if g["comparator"].notna().any() else None)
        notes: dict[int, str] = {}
        if len(plain):
            plain = plain.sort_values(["period_end", "target_id"])
            dup = plain[plain.duplicated("period_end", keep="first")]
            for _, d in dup.iterrows():
                notes[int(d["period_end"])] = f"several milestones; {d['target_id']} not used"
            first = plain.drop_duplicates("period_end")
            stated = dict(zip(first["period_end"].astype(int), first["value_base"].astype(float),
                              strict=True))
            comps = dict(zip(first["period_end"].astype(int), first["comparator"], strict=True))
            years = list(range(min(PLAN_START, min(stated)), max(stated) + 1))
            planned: dict[int, tuple[float, bool]] = {y: (v, False) for y, v in stated.items()}
            if derived is not None and len(derived):
                dd = derived[(derived["indicator_id"] == ind) & (derived["geography"] == geo)
                             & (derived["derived_unit"] == unit_base)]
                for y, v in zip(dd["year"].astype(int), dd["derived_value"], strict=True):
                    if y in years and y not in stated:
                        planned[y] = (float(v), True)
                        notes.setdefault(y, "plan_derived")
            for y, v in interpolate_milestones(stated, years).items():
                if y not in planned:
                    planned[y] = (v, True)
                    notes.setdefault(y, "interpolated between stated milestones")
            running = False
        else:
            t = g.sort_values("period_end").iloc[-1]
            end = int(t["period_end"])
            start = int(t["period_start"]) if not missing(t["period_start"]) else PLAN_START
            years = list(range(start, end + 1))
            planned = {y: (float(t["value_base"]) * (y - start + 1) / (end - start + 1),
                           y != end) for y in years}
            comps = {end: t["comparator"]}
            running = True
            total = 0.0
            cum = {}
            for y in years:
                if y in act and total is not None:
                    total += act[y]
                    cum[y] = total
                else:
                    total = None
            act = cum
            for y in years:
                notes.setdefault(y, f"cumulative from {start} ({t['target_id']})")
        base = act.get(min(years) - 1) if not running else 0.0
        next_comp = None
        for y in sorted(years, reverse=True):
            next_comp = comps.get(y, next_comp)
            pv, is_der = planned.get(y, (None, None))
            a = act.get(y)
            rows.append({"indicator_id": ind, "year": y, "geography": geo, "planned": pv,
                         "planned_is_derived": is_der, "actual": a,
                         "status": _point_status(y, as_of, a, pv, bool(is_der), next_comp,
                                                 direction, base),
                         "unit_base": unit_base, "note": notes.get(y)})
    out = pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)
    out = out.sort_values(["indicator_id", "geography", "year"]).reset_index(drop=True)
    return out.astype({"year": "int64", "planned": "Float64", "planned_is_derived": "boolean",
                       "actual": "Float64", "status": "string", "note": "string"})
