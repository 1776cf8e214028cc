"""One target against its actuals as of one report year, by the rule of its kind.

For a target with period ``S…T`` and a report year ``R``, the evaluation year is
``E = min(R, T)``. Every kind first gives ``not_due`` when ``R < S`` (except ``baseline``).

* ``baseline`` — the registry's figure for the base year beside the plan's: ``gap`` = registry
  − plan; status ``baseline`` always (never graded).
* ``level``, ``flow``, ``per_unit`` — the figure of year ``E`` (a per-unit target's figure is
  the share of units meeting the minimum, against 100 %). Met → ``achieved``; not met at the
  deadline → ``missed``; before it → the progress ratio (below).
* ``cumulative`` — the sum of the yearly figures ``S…E``. A year not reported makes the sum
  unknown: ``incomplete`` with ``years_missing`` (the sum of the reported years is in the note,
  never used as if the missing years were zero), unless the reported years alone already meet
  the target (``achieved``).
* ``yearly_rate``, ``standing_rule`` — the figure of year ``E`` must meet the target: met →
  ``achieved``, not met → ``missed`` (that year is over); earlier years not met stay listed in
  ``years_not_met``; ``E`` not reported while other years are → ``incomplete``.
* ``deadline`` — done (1, 是) or not (0, 否), the latest report up to ``E``: 是 → ``achieved``;
  否 at the deadline → ``missed``; 否 before it → ``off_track``; nothing reported → ``no_data``.

完成度 (``pct_achieved``) = actual ÷ target × 100 for higher-is-better numeric targets
(:func:`~huachi_analysis.progress.status.pct_achieved`). The progress ratio (before the
deadline, for level/flow/per_unit and cumulative targets) is observed ÷ required progress:

* cumulative: ``(sum ÷ target) ÷ ((E − S + 1) ÷ (T − S + 1))``;
* a level whose series has the plan's own value for ``E`` (a stated milestone, or interpolated
  between two: :mod:`~huachi_analysis.progress.plan_path`): ``(actual − p0) ÷ (path(E) − p0)``,
  ``p0`` the previous stated milestone (else the baseline below);
* otherwise a straight path: ``((actual − b) ÷ (target − b)) ÷ ((E − y_b) ÷ (T − y_b))``
  with the baseline ``(y_b, b)`` the plan's own base-year figure where it states one
  (:mod:`~huachi_analysis.progress.baselines`), else the latest actual before ``S``, else the
  earliest actual in ``S…E−1``.
"""

from __future__ import annotations

from huachi_analysis.plan import kinds
from huachi_analysis.progress.baselines import PlanBaseline
from huachi_analysis.progress.plan_path import PathPoint
from huachi_analysis.progress.series import Series, in_base, provenance
from huachi_analysis.progress.status import (
    PCT_MAX,
    bounded_ratio,
    effective_direction,
    gap,
    meets,
    pct_achieved,
    target_status,
)
from huachi_analysis.values import missing, number

RESULT_KEYS = ("actual", "target", "pct_achieved", "progress_ratio", "gap", "status", "note",
               "years_missing", "years_not_met", "actual_origin", "actual_is_synthetic",
               "actual_provenance")
#: Concept the registry measures for income (人均纯收入).
REGISTRY_INCOME = "net"


def _years(ys: list[int]) -> str | None:
    return "|".join(map(str, ys)) if ys else None


def measure(t: dict) -> tuple[float | None, object, str]:
    """(target value, comparator, direction) the actual is compared with: a per-unit target is
    met when 100 % of its units meet the minimum; a yes/no target when it is 1 (是)."""
    if kinds.is_yes_no(t):
        return 1.0, ">=", "higher"
    if kinds.kind_of(t) == "per_unit":
        return 100.0, ">=", "higher"
    v = number(t.get("value_base"))
    if v is None:
        v = number(t.get("value"))
    return v, t.get("comparator"), effective_direction(t.get("direction"), t.get("comparator"))


def _base(t: dict, vals: dict[int, float], start: int, e: int,
          plan: PlanBaseline | None) -> tuple[int, float, str] | None:
    if plan is not None and plan.year < e:
        return plan.year, plan.value, f"the plan's {plan.year} figure ({plan.source})"
    before = [y for y in vals if y < start]
    inside = [y for y in vals if start <= y < e]
    y = before[-1] if before else (inside[0] if inside else None)
    return None if y is None else (y, vals[y], f"the actual of {y}")


def evaluate(t: dict, series: Series | None, as_of: int,
             plan_base: PlanBaseline | None = None,
             path: dict[int, PathPoint] | None = None) -> dict:
    """Evaluate one target (a ``plan_targets`` row as a dict) as of ``as_of``.

    Args:
        t: the target.
        series: its actuals (indicator and geography).
        as_of: the report year.
        plan_base: the plan's base-year figure for the target (:mod:`.baselines`).
        path: the plan's milestone path of the target's series (:mod:`.plan_path`).

    Returns:
        The keys of :data:`RESULT_KEYS`.
    """
    kind = kinds.kind_of(t)
    start, end = kinds.start_year(t), int(t["period_end"])
    e = min(as_of, end)
    target, comp, direction = measure(t)
    res: dict = dict.fromkeys(RESULT_KEYS)
    res["target"] = target
    notes: list[str] = []
    if kind != "baseline" and as_of < start:
        res["status"] = "not_due"
        return res
    if kind == "baseline":
        vals, unit_note = in_base(series, t)
        return _baseline(t, res, vals, series, [unit_note] if unit_note else [])
    if target is None:
        res.update(status="no_data", note="the plan gives no figure to measure against")
        return res
    vals, unit_note = in_base(series, t)
    if unit_note:
        notes.append(unit_note)
    if not vals:
        res.update(status="no_data", note="; ".join(notes) or
                   "no actuals for this indicator and geography")
        return res
    if kind == "deadline":
        used = _deadline(res, vals, e, end, as_of, notes)
    elif kind in kinds.PER_YEAR_KINDS:
        used = _per_year(t, res, vals, start, e, target, comp, direction, notes)
    elif kind == "cumulative":
        used = _cumulative(res, vals, start, end, e, as_of, target, comp, direction, notes)
    else:
        used = _level(t, res, vals, start, end, e, as_of, target, comp, direction, notes,
                      plan_base, path)
    _with_provenance(res, series, used)
    if t.get("year_is_inferred") is True and res["status"] in ("missed", "off_track"):
        notes.append(f"the deadline {end} is inferred (the plan states no year here)")
    concept = t.get("income_concept")
    if (not missing(concept) and concept != REGISTRY_INCOME and res.get("actual_origin")
            and "registry" in res["actual_origin"]):
        notes.append(f"concept differs: the plan's target is {concept} income (可支配收入), the "
                     "registry measures 人均纯收入 (net income)")
    if res.get("pct_achieved") == PCT_MAX:
        notes.append("the actual is over ten times the target (shown as 1,000 %): check its unit")
    res["note"] = "; ".join(n for n in notes if n) or None
    return res


def _with_provenance(res: dict, series: Series | None, years: list[int]) -> None:
    o, s, p = provenance(series, years)
    res.update(actual_origin=o, actual_is_synthetic=s, actual_provenance=p)


def _baseline(t: dict, res: dict, vals: dict[int, float], series: Series | None,
              notes: list[str]) -> dict:
    end = int(t["period_end"])
    res["status"] = "baseline"
    plan_value = res["target"]
    year = end if end in vals else (min((y for y in vals if y > end), default=None))
    if year is None:
        notes.append("baseline fact of the plan (never graded); no registry figure for it")
        res["note"] = "; ".join(notes)
        return res
    res["actual"] = vals[year]
    if plan_value is not None:
        res["gap"] = vals[year] - plan_value
    notes.insert(0, f"baseline fact of the plan (never graded): registry {year} figure − plan "
                    "figure in gap" + ("" if year == end else f" (no figure for {end})"))
    _with_provenance(res, series, [year])
    res["note"] = "; ".join(notes)
    return res


def _deadline(res: dict, vals: dict[int, float], e: int, end: int, as_of: int,
              notes: list[str]) -> list[int]:
    series_years = sorted(vals)
    reported = [y for y in series_years if y <= e]
    bad = [y for y in series_years if vals[y] not in (0.0, 1.0)]
    if bad:
        res["status"] = "no_data"
        notes.insert(0, "done/not-done values must be 1 (是) or 0 (否); got "
                     + ", ".join(f"{vals[y]:g} ({y})" for y in bad))
        return []
    later = [y for y in series_years if y > end and vals[y] == 1.0]
    if later and as_of > end:
        notes.append(f"是 reported for {later[0]}, after the {end} deadline")
    if not reported:
        res["status"] = "no_data"
        notes.insert(0, f"not reported (是/否) by {e}")
        return []
    y = reported[-1]
    v = vals[y]
    res["actual"] = v
    if v == 1.0:
        res["status"] = "achieved"
        notes.insert(0, f"是 (done) reported for {y}")
    elif as_of >= end and y == end:
        res["status"] = "missed"
        notes.insert(0, f"否 (not done) at the {end} deadline")
    elif as_of >= end:
        res["status"] = "no_data"
        notes.insert(0, f"否 reported for {y}; nothing reported for the deadline year {end}")
    else:
        res["status"] = "off_track"
        notes.insert(0, f"否 (not done) reported for {y}; deadline {end}")
    return [y]


def _per_year(t: dict, res: dict, vals: dict[int, float], start: int, e: int, target: float,
              comp: object, direction: str, notes: list[str]) -> list[int]:
    yes_no = kinds.is_yes_no(t)
    years = list(range(start, e + 1))

    def met(v: float) -> bool:
        return v == 1.0 if yes_no else meets(v, target, comp, direction)

    lacking = [y for y in years if y not in vals]
    not_met = [y for y in years if y in vals and not met(vals[y])]
    res["years_missing"] = _years(lacking)
    res["years_not_met"] = _years(not_met)
    if e not in vals:
        res["status"] = "incomplete" if any(y in vals for y in years) else "no_data"
        notes.insert(0, f"no figure for {e}" + (f"; years not reported: "
                                                 f"{', '.join(map(str, lacking))}"
                                                 if len(lacking) > 1 else ""))
        return []
    actual = vals[e]
    res["actual"] = actual
    res["status"] = "achieved" if met(actual) else "missed"
    if not yes_no:
        res["gap"] = gap(actual, target, direction)
        res["pct_achieved"] = pct_achieved(actual, target, direction)
    earlier = [y for y in not_met if y < e]
    notes.insert(0, f"judges {e}'s figure (must be met every year from {start})"
                 + (f"; not met in {', '.join(map(str, earlier))}" if earlier else "")
                 + (f"; not reported: {', '.join(map(str, lacking))}" if lacking else ""))
    return [e]


def _cumulative(res: dict, vals: dict[int, float], start: int, end: int, e: int, as_of: int,
                target: float, comp: object, direction: str, notes: list[str]) -> list[int]:
    years = list(range(start, e + 1))
    reported = [y for y in years if y in vals]
    lacking = [y for y in years if y not in vals]
    if not reported:
        res["status"] = "no_data"
        notes.insert(0, f"no actuals for {start}–{e}")
        return []
    total = float(sum(vals[y] for y in reported))
    if lacking:
        res["years_missing"] = _years(lacking)
        if direction == "higher" and meets(total, target, comp, direction):
            res.update(actual=total, status="achieved", gap=gap(total, target, direction),
                       pct_achieved=pct_achieved(total, target, direction))
            notes.insert(0, f"met by the reported years alone (sum of "
                            f"{', '.join(map(str, reported))}); not reported: "
                            f"{', '.join(map(str, lacking))}")
        else:
            res["status"] = "incomplete"
            notes.insert(0, f"sum unknown: {', '.join(map(str, lacking))} not reported (the "
                            f"reported years {', '.join(map(str, reported))} add up to "
                            f"{total:g}; missing years are not taken as zero)")
        return reported
    res.update(actual=total, gap=gap(total, target, direction),
               pct_achieved=pct_achieved(total, target, direction))
    ratio = None
    if e < end and target:
        required = (e - start + 1) / (end - start + 1)
        ratio = bounded_ratio((total / target) / required)
    res["progress_ratio"] = ratio
    res["status"] = target_status(as_of=as_of, period_start=start, period_end=end,
                                  actual=total, target=target, comparator=comp,
                                  direction=direction, ratio=ratio)
    notes.insert(0, f"sum {start}–{e}")
    return reported


def _ratio_on_path(t: dict, vals: dict[int, float], start: int, e: int, actual: float,
                   comp: object, direction: str, notes: list[str],
                   plan_base: PlanBaseline | None, path: dict[int, PathPoint],
                   point: PathPoint) -> float | None:
    """Progress toward the plan's own value for ``e`` (a stated milestone, or interpolated
    between two), from the previous stated milestone (else the base-year figure)."""
    prev = [y for y, p in path.items() if p.stated and y < e]
    if prev:
        y0 = max(prev)
        p0: float | None = path[y0].value
        label: str | None = f"the plan's {y0} milestone ({path[y0].target_id})"
    else:
        base = _base(t, vals, start, e, plan_base)
        p0, label = (base[1], base[2]) if base is not None else (None, None)
    kind = "stated" if point.stated else "interpolated"
    notes.append(f"required by {e}: {point.value:g} on the plan's path ({kind}, "
                 f"{point.target_id})" + (f", progress from {p0:g} ({label})"
                                          if p0 is not None else ""))
    if p0 is not None and point.value != p0:
        return bounded_ratio((actual - p0) / (point.value - p0))
    if meets(actual, point.value, comp, direction):
        return 1.0
    notes.append(f"no figure before {e} to measure progress from: cannot be judged yet")
    return None


def _level(t: dict, res: dict, vals: dict[int, float], start: int, end: int, e: int,
           as_of: int, target: float, comp: object, direction: str, notes: list[str],
           plan_base: PlanBaseline | None, path: dict[int, PathPoint] | None) -> list[int]:
    if e not in vals:
        later = sorted(y for y in vals if y > e)
        res["status"] = "no_data"
        notes.insert(0, f"no actual for {e}" + (
            f" (figures for {', '.join(map(str, later))} are after it)" if later and
            e == end else ""))
        return []
    actual = float(vals[e])
    res.update(actual=actual, gap=gap(actual, target, direction),
               pct_achieved=pct_achieved(actual, target, direction))
    ratio = None
    kind = kinds.kind_of(t)
    point = path.get(e) if (path and kind == "level" and e < end) else None
    if path is not None and point is not None:
        ratio = _ratio_on_path(t, vals, start, e, actual, comp, direction, notes, plan_base,
                               path, point)
    elif e < end:
        base = _base(t, vals, start, e, plan_base if kind == "level" else None)
        if base is not None and base[1] != target and base[0] < e:
            yb, b, label = base
            observed = (actual - b) / (target - b)
            ratio = bounded_ratio(observed / ((e - yb) / (end - yb)))
            notes.append(f"straight path from {b:g} ({label})")
        elif not meets(actual, target, comp, direction):
            notes.append(f"no baseline before {e}: progress toward {end} cannot be judged yet")
    res["progress_ratio"] = ratio
    res["status"] = target_status(as_of=as_of, period_start=start, period_end=end,
                                  actual=actual, target=target, comparator=comp,
                                  direction=direction, ratio=ratio)
    if e < as_of:
        notes.insert(0, f"value at the deadline {e}")
    return [e]


def actual_from(t: dict, vals: dict[int, float], as_of: int) -> float | None:
    """Only the actual :func:`evaluate` would use, with no target and no status (township rows
    under a county target), from a series already in the target's unit (``in_base(series,
    t)[0]``, computed once for every report year)."""
    kind = kinds.kind_of(t)
    start, end = kinds.start_year(t), int(t["period_end"])
    if not vals or (kind != "baseline" and as_of < start):
        return None
    e = min(as_of, end)
    if kind == "baseline":
        return vals.get(end)
    if kind == "cumulative":
        years = range(start, e + 1)
        return float(sum(vals[y] for y in years)) if all(y in vals for y in years) else None
    if kind == "deadline":
        reported = [y for y in vals if y <= e]
        return vals[max(reported)] if reported else None
    return vals.get(e)
