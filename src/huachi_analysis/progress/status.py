"""The status rule and its thresholds — the one place they are stated (same for every indicator).

In the spirit of Open SDG's progress measure, a target still in progress is judged by the ratio
of *observed* progress to the progress *required* by now on a straight path from the baseline to
the target:

* ``ratio >= ON_TRACK_RATIO`` (0.95) → ``on_track``
* ``AT_RISK_RATIO <= ratio < ON_TRACK_RATIO`` (0.5 … 0.95) → ``at_risk``
* ``ratio < AT_RISK_RATIO`` (including going the wrong way) → ``off_track``

Before that ratio is consulted: ``not_due`` when the report year is before the target's period;
``no_data`` without an actual (or target); ``achieved`` when the actual meets the target;
``missed`` when the deadline year has been reached and the target is not met. The direction of
the target decides what "meets" means (incidence: lower is better).
"""

from __future__ import annotations

import math

#: Observed ÷ required progress at or above which a target is on track.
ON_TRACK_RATIO = 0.95
#: Observed ÷ required progress below which a target is off track (between: at risk).
AT_RISK_RATIO = 0.5
#: First year of the plan (2015–2020); a target without period_start starts here.
PLAN_START = 2015
#: Relative tolerance when comparing an actual with a target (rounding in reported figures).
TOLERANCE = 1e-9

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "missed", "no_data", "not_due")


def missing(x: object) -> bool:
    """True for None, NaN and pandas NA."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))  # type: ignore[arg-type]
    except TypeError:
        return str(x) == "<NA>"


def effective_direction(direction: object, comparator: object) -> str:
    """``higher`` or ``lower``: the stated direction, else inferred from the comparator."""
    if not missing(direction) and direction in ("higher", "lower"):
        return str(direction)
    return "lower" if comparator in ("<", "<=") else "higher"


def meets(actual: float, target: float, comparator: object, direction: str) -> bool:
    """Whether ``actual`` satisfies ``comparator target``.

    ``=`` (an exact planned quantity, e.g. 脱贫9897人) and a missing comparator count as met when
    the actual is at the target or beyond it in the direction of improvement.
    """
    tol = TOLERANCE * max(1.0, abs(target))
    if comparator == ">=":
        return actual >= target - tol
    if comparator == ">":
        return actual > target + tol
    if comparator == "<=":
        return actual <= target + tol
    if comparator == "<":
        return actual < target - tol
    return actual >= target - tol if direction == "higher" else actual <= target + tol


def gap(actual: float, target: float, direction: str) -> float:
    """Distance still to go in the direction of improvement (≤ 0 when met or surpassed)."""
    return target - actual if direction == "higher" else actual - target


def ratio_status(ratio: float | None) -> str:
    """on_track / at_risk / off_track from observed ÷ required progress; no_data without one."""
    if missing(ratio):
        return "no_data"
    if ratio >= ON_TRACK_RATIO:
        return "on_track"
    if ratio >= AT_RISK_RATIO:
        return "at_risk"
    return "off_track"


def target_status(*, as_of: int, period_start: int, period_end: int, actual: float | None,
                  target: float | None, comparator: object, direction: str,
                  ratio: float | None) -> str:
    """The status of one target as of a report year.

    Args:
        as_of: the report year.
        period_start: first year of the target's period.
        period_end: deadline year.
        actual: the actual used (already summed for cumulative targets).
        target: the target value (same unit as actual).
        comparator: ``=``, ``>=``, ``>``, ``<=``, ``<`` or missing.
        direction: ``higher`` or ``lower``.
        ratio: observed ÷ required progress (None when it cannot be computed).
    """
    if as_of < period_start:
        return "not_due"
    if missing(actual) or missing(target):
        return "no_data"
    if meets(float(actual), float(target), comparator, direction):
        return "achieved"
    if as_of >= period_end:
        return "missed"
    return ratio_status(ratio)
