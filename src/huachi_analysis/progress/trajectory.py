"""Trajectories: for each indicator, geography and plan year, the planned value (stated in the
plan, or interpolated between stated milestones and flagged) beside the actual, with a status.

Planned values come from the non-cumulative quantity targets of an indicator (its milestones,
in ``unit_base``). A year without a stated milestone takes the value of the plan dataset's rule,
:func:`huachi_analysis.plan.interpolate_milestones` (straight line between the two nearest
stated milestones of the series; no extrapolation before the first or after the last), so the
plan's ``plan_derived`` table and the trajectories can never disagree. An indicator with only a
cumulative target gets a straight cumulative path from zero before period_start to the target
at period_end, and its actual is the running sum.

Actuals are converted to the target's ``unit_base`` by the rule of
:func:`huachi_analysis.progress.targets.unit_factor` (as in ``progress_targets``); an actual in
an incomparable unit is left out and the note says so.

Status of year ``y`` as of report year ``R``: ``not_due`` if ``y > R``; ``no_data`` without an
actual or a planned value; ``achieved`` if the actual meets the planned value; otherwise
``missed`` for a stated milestone and, for an interpolated year, the ratio rule of
:mod:`huachi_analysis.progress.status` with the actual of the year before the first plan year as
the baseline.
"""

from __future__ import annotations

import pandas as pd

from huachi_analysis.plan.derive import interpolate_milestones
from huachi_analysis.progress.status import (
    PLAN_START,
    effective_direction,
    meets,
    missing,
    ratio_status,
)
from huachi_analysis.progress.targets import Series, actual_series, unit_factor

TRAJECTORY_COLUMNS = ["indicator_id", "year", "geography", "planned", "planned_is_derived",
                      "actual", "status", "unit_base", "note"]
#: Columns the plan's interpolation rule reads that a hand-made target table may lack.
_PLAN_DEFAULTS = {"scope": "", "indicator_zh": "", "indicator_en": "", "period_start": None}


def interpolated(milestone_rows: pd.DataFrame, years: list[int], unit_base: object
                 ) -> dict[int, float]:
    """year → planned value for the gap years of one series, by the plan dataset's rule.

    Args:
        milestone_rows: the non-cumulative ``plan_targets`` rows of one indicator and geography.
        years: years wanted.
        unit_base: the series' base unit (rows of other units are not used).
    """
    rows = milestone_rows.assign(**{k: v for k, v in _PLAN_DEFAULTS.items()
                                    if k not in milestone_rows.columns})
    got = interpolate_milestones(rows, years)
    if not missing(unit_base):
        got = got[got["derived_unit"] == unit_base]
    return dict(zip(got["year"].astype(int), got["derived_value"].astype(float), strict=True))


def _actuals_in_base(series: Series | None, t: pd.Series) -> tuple[dict[int, float], str | None]:
    """The series' actuals converted to the target's unit_base, and a note when they cannot be."""
    if series is None or not series.values:
        return {}, None
    units = series.units
    factor = unit_factor(units[0] if units else None, t.get("unit_base"), t.get("unit"),
                         t.get("value"), t.get("value_base"))
    if factor is None or len(units) > 1:
        return {}, (f"actual unit {', '.join(map(str, units))} not comparable with target unit "
                    f"{t.get('unit_base') or t.get('unit')}")
    return {y: v * factor for y, v in series.values.items()}, None


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


def progress_trajectory(targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int
                        ) -> pd.DataFrame:
    """Planned against actual per indicator, plan year and geography.

    Args:
        targets: ``plan_targets``.
        actuals: long actuals (``targets.combine_actuals``), converted here to unit_base.
        as_of: report year (later years are ``not_due``).

    Returns:
        Columns of ``progress_trajectory``.
    """
    q = targets[(targets["target_kind"] == "quantity") & targets["value_base"].notna()]
    by_key = actual_series(actuals, q)
    rows = []
    for (ind, geo), g in q.groupby(["indicator_id", "geography"], sort=True):
        plain = g[~g["cumulative"].astype(bool)]
        act, unit_note = _actuals_in_base(by_key.get((ind, geo)),
                                          g.sort_values("period_end").iloc[-1])
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
            for y, v in interpolated(first, years, unit_base).items():
                if y not in planned:
                    planned[y] = (v, True)
                    notes.setdefault(y, "interpolated between stated milestones "
                                        "(plan.interpolate_milestones)")
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
        if unit_note:
            for y in years:
                notes[y] = unit_note
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
