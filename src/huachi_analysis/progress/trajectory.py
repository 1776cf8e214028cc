"""Trajectories: for each indicator, geography, series and plan year, the planned value beside
the actual, with a status for every year that has both.

An indicator may have several series (``series`` column):

* ``milestones`` — its level and flow targets: the stated milestones, and between two of them
  the plan dataset's rule, :func:`huachi_analysis.plan.interpolate_milestones` (straight line;
  never extrapolated; flagged ``planned_is_derived``), so ``plan_derived`` and the
  trajectories never disagree;
* ``yearly`` — a numeric yearly rate or standing rule: the same planned value every year of its
  period (每年3.3万亩);
* ``cumulative_<S>_<T>`` — one cumulative target: a straight path from zero before ``S`` to the
  total at ``T``, against the running sum of the yearly actuals (both relocation stages, the
  16.5万亩 total, …).

Actuals are converted to the target's unit by
:func:`huachi_analysis.progress.series.in_base` (as in ``progress_targets``).

Status of year ``y`` as of report year ``R``: ``not_due`` if ``y > R``; ``no_data`` without a
planned value or an actual (``incomplete`` for a running sum after a year not reported);
``achieved`` if the actual meets the planned value; otherwise ``missed`` for a stated milestone,
a yearly requirement or the end of a cumulative path, and for an intermediate year the progress
ratio of :mod:`huachi_analysis.progress.status`: interpolated milestones measure progress from
the previous stated milestone ``(actual − planned(y0)) ÷ (planned(y) − planned(y0))``; a
cumulative path ``running sum ÷ planned``.
"""

from __future__ import annotations

import pandas as pd

from huachi_analysis.plan import kinds
from huachi_analysis.plan.derive import interpolate_milestones
from huachi_analysis.plan.kinds import PLAN_START
from huachi_analysis.progress.series import Series, actual_series, in_base
from huachi_analysis.progress.status import (
    bounded_ratio,
    effective_direction,
    meets,
    ratio_status,
)
from huachi_analysis.values import missing

TRAJECTORY_COLUMNS = ["indicator_id", "year", "geography", "series", "target_id", "planned",
                      "planned_is_derived", "actual", "status", "unit_base", "note"]
#: Columns the plan's interpolation rule reads that a hand-made target table may lack.
_PLAN_DEFAULTS = {"scope": "", "indicator_zh": "", "indicator_en": "", "period_start": None}


def interpolated(milestone_rows: pd.DataFrame, years: list[int], unit_base: object
                 ) -> dict[int, float]:
    """year → planned value for the gap years of one series, by the plan dataset's rule.

    Args:
        milestone_rows: the level/flow ``plan_targets`` rows of one indicator and geography.
        years: years wanted.
        unit_base: the series' base unit (rows of other units are not used).
    """
    rows = milestone_rows.assign(**{k: v for k, v in _PLAN_DEFAULTS.items()
                                    if k not in milestone_rows.columns})
    got = interpolate_milestones(rows, years)
    if not missing(unit_base):
        got = got[got["derived_unit"] == unit_base]
    return dict(zip(got["year"].astype(int), got["derived_value"].astype(float), strict=True))


def _direction(g: pd.DataFrame) -> str:
    d = g["direction"].dropna()
    c = g["comparator"].dropna()
    return effective_direction(d.iloc[0] if len(d) else None, c.iloc[0] if len(c) else None)


def _row(ind, geo, series, target_id, y, planned, derived, actual, status, unit_base, note):
    return {"indicator_id": ind, "year": y, "geography": geo, "series": series,
            "target_id": target_id, "planned": planned, "planned_is_derived": derived,
            "actual": actual, "status": status, "unit_base": unit_base, "note": note}


def _milestones(ind: str, geo: str, g: pd.DataFrame, s: Series | None, as_of: int
                ) -> list[dict]:
    g = g.sort_values(["period_end", "target_id"])
    first = g.drop_duplicates("period_end")
    last = first.iloc[-1].to_dict()
    act, unit_note = in_base(s, last)
    unit_base = last.get("unit_base")
    direction = _direction(g)
    notes: dict[int, str] = {}
    for _, d in g[g.duplicated("period_end", keep="first")].iterrows():
        notes[int(d["period_end"])] = f"several milestones; {d['target_id']} not used"
    stated = {int(r["period_end"]): r for _, r in first.iterrows()}
    years = list(range(min(PLAN_START, min(stated)), max(stated) + 1))
    interp = interpolated(first, years, unit_base)
    rows = []
    for y in years:
        nxt = stated[min(k for k in stated if k >= y)]
        prev = [k for k in stated if k < y]
        if y in stated:
            planned, derived, tid = float(stated[y]["value_base"]), False, stated[y]["target_id"]
        elif y in interp:
            planned, derived, tid = interp[y], True, nxt["target_id"]
            notes.setdefault(y, "interpolated between stated milestones "
                                "(plan.interpolate_milestones)")
        else:
            planned, derived, tid = None, None, nxt["target_id"]
        a = act.get(y)
        if y > as_of:
            status = "not_due"
        elif planned is None or a is None:
            status = "no_data"
        elif meets(a, planned, nxt["comparator"], direction):
            status = "achieved"
        elif not derived:
            status = "missed"
        else:
            p0 = float(stated[max(prev)]["value_base"])
            status = ratio_status(bounded_ratio((a - p0) / (planned - p0))
                                  if planned != p0 else None)
        rows.append(_row(ind, geo, "milestones", tid, y, planned, derived, a, status,
                         unit_base, unit_note or notes.get(y)))
    return rows


def _yearly(ind: str, geo: str, t: dict, s: Series | None, as_of: int, name: str
            ) -> list[dict]:
    act, unit_note = in_base(s, t)
    planned = float(t["value_base"])
    direction = effective_direction(t.get("direction"), t.get("comparator"))
    rows = []
    for y in range(kinds.start_year(t), int(t["period_end"]) + 1):
        a = act.get(y)
        status = ("not_due" if y > as_of else "no_data" if a is None
                  else "achieved" if meets(a, planned, t.get("comparator"), direction)
                  else "missed")
        rows.append(_row(ind, geo, name, t["target_id"], y, planned, False, a, status,
                         t.get("unit_base"), unit_note or f"every year ({t['target_id']})"))
    return rows


def _cumulative(ind: str, geo: str, t: dict, s: Series | None, as_of: int, name: str
                ) -> list[dict]:
    act, unit_note = in_base(s, t)
    start, end = kinds.start_year(t), int(t["period_end"])
    total = float(t["value_base"])
    direction = effective_direction(t.get("direction"), t.get("comparator"))
    rows, running, gap_year = [], 0.0, None
    for y in range(start, end + 1):
        planned = total * (y - start + 1) / (end - start + 1)
        note = unit_note or f"cumulative from {start} ({t['target_id']})"
        a = None
        if y in act and gap_year is None:
            running += act[y]
            a = running
        elif y <= as_of and gap_year is None and y not in act:
            gap_year = y
        if y > as_of:
            status = "not_due"
        elif a is None:
            reported_before = any(yy in act for yy in range(start, y + 1))
            status = "incomplete" if reported_before else "no_data"
            if gap_year is not None and reported_before:
                note = f"running sum unknown: {gap_year} not reported"
        elif meets(a, planned, t.get("comparator"), direction):
            status = "achieved"
        elif y == end:
            status = "missed"
        else:
            status = ratio_status(bounded_ratio(a / planned) if planned else None)
        rows.append(_row(ind, geo, name, t["target_id"], y, planned,
                         y != end, a, status, t.get("unit_base"), note))
    return rows


def _name(base: str, t: dict, taken: set[str]) -> str:
    """The series name, made unique with the target id if two targets would share it."""
    name = base if base not in taken else f"{base}_{t['target_id']}"
    taken.add(name)
    return name


def progress_trajectory(targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int,
                        series: dict[tuple[str, str], Series] | None = None) -> pd.DataFrame:
    """Planned against actual per indicator, series, plan year and geography.

    Args:
        targets: ``plan_targets``.
        actuals: long actuals (``targets.combine_actuals``), converted here to unit_base.
        as_of: report year (later years are ``not_due``).
        series: ``actual_series(actuals, targets)`` if already made (the progress step makes
            it once for both tables); it holds every key this function looks up.

    Returns:
        Columns of ``progress_trajectory``.
    """
    numeric = targets[targets["value_base"].notna()
                      & targets["target_kind"].isin([*kinds.MILESTONE_KINDS, "cumulative",
                                                     *kinds.PER_YEAR_KINDS])]
    by_key = series if series is not None else actual_series(actuals, numeric)
    rows: list[dict] = []
    for (ind, geo), g in numeric.groupby(["indicator_id", "geography"], sort=True):
        s = by_key.get((ind, geo))
        ms = g[g["target_kind"].isin(kinds.MILESTONE_KINDS)]
        if len(ms):
            rows += _milestones(ind, geo, ms, s, as_of)
        taken: set[str] = set()
        for t in g[g["target_kind"].isin(kinds.PER_YEAR_KINDS)].to_dict("records"):
            rows += _yearly(ind, geo, t, s, as_of, _name("yearly", t, taken))
        for t in g[g["target_kind"] == "cumulative"].to_dict("records"):
            base = f"cumulative_{kinds.start_year(t)}_{int(t['period_end'])}"
            rows += _cumulative(ind, geo, t, s, as_of, _name(base, t, taken))
    out = pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)
    out = out.sort_values(["indicator_id", "geography", "series", "year"]).reset_index(drop=True)
    return out.astype({"year": "int64", "planned": "Float64", "planned_is_derived": "boolean",
                       "actual": "Float64", "status": "string", "note": "string"})
