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
the target decides what "meets" means (incidence: lower is better). Two more statuses come from
the kind of target (:mod:`huachi_analysis.progress.evaluate`): ``incomplete`` (a summed or
yearly series with years not reported) and ``baseline`` (a clause-1 fact, never graded).

Both figures shown beside a status are bounded: :func:`pct_achieved` (完成度 = actual ÷ target
× 100, for higher-is-better targets only) lies in ``[0, PCT_MAX]``; :func:`bounded_ratio`
keeps the progress ratio in ``[RATIO_MIN, RATIO_MAX]``.
"""

from __future__ import annotations

from huachi_analysis.values import missing, number

#: Observed ÷ required progress at or above which a target is on track.
ON_TRACK_RATIO = 0.95
#: Observed ÷ required progress below which a target is off track (between: at risk).
AT_RISK_RATIO = 0.5
#: Relative tolerance when comparing an actual with a target (rounding in reported figures).
TOLERANCE = 1e-9
#: An approximate target (comparator ``≈``, the plan's 约) is met within this share of it.
APPROX_TOLERANCE = 0.05
#: Upper bound of 完成度 (percent): an actual over ten times its target is shown as 1,000 %
#: with a note (almost always a unit error in the input).
PCT_MAX = 1000.0
#: Bounds of the progress ratio (−1: moved back as far as it should have moved forward).
RATIO_MIN, RATIO_MAX = -1.0, 10.0

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "missed", "incomplete", "no_data",
            "not_due", "baseline")


def effective_direction(direction: object, comparator: object) -> str:
    """``higher`` or ``lower``: the stated direction, else inferred from the comparator."""
    if not missing(direction) and direction in ("higher", "lower"):
        return str(direction)
    return "lower" if comparator in ("<", "<=") else "higher"


def meets(actual: float, target: float, comparator: object, direction: str) -> bool:
    """Whether ``actual`` satisfies ``comparator target``.

    ``=`` (an exact planned quantity, e.g. 脱贫9897人) and a missing comparator count as met when
    the actual is at the target or beyond it in the direction of improvement. ``≈`` (约) counts
    as met within :data:`APPROX_TOLERANCE` of the target on the wrong side, or beyond it.
    """
    tol = TOLERANCE * max(1.0, abs(target))
    if comparator == "≈":
        slack = APPROX_TOLERANCE * abs(target)
        return (actual >= target - slack - tol if direction == "higher"
                else actual <= target + slack + tol)
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


def pct_achieved(actual: float | None, target: float | None, direction: str) -> float | None:
    """完成度 = actual ÷ target × 100, bounded to [0, :data:`PCT_MAX`].

    Only where it means something: a higher-is-better target above zero and an actual of zero
    or more. Lower-is-better targets (incidence, a deductible) get none: they are met or not,
    and the gap says by how much.

    >>> pct_achieved(10120, 11000, "higher"), pct_achieved(4.2, 5, "lower")
    (92.0, None)
    """
    a, t = number(actual), number(target)
    if a is None or t is None or direction != "higher" or t <= 0 or a < 0:
        return None
    return min(100.0 * a / t, PCT_MAX)


def bounded_ratio(ratio: float | None) -> float | None:
    """The progress ratio clipped to [:data:`RATIO_MIN`, :data:`RATIO_MAX`] (None stays None)."""
    r = number(ratio)
    return None if r is None else min(max(r, RATIO_MIN), RATIO_MAX)


def ratio_status(ratio: float | None) -> str:
    """on_track / at_risk / off_track from observed ÷ required progress; no_data without one."""
    r = number(ratio)
    if r is None:
        return "no_data"
    if r >= ON_TRACK_RATIO:
        return "on_track"
    if r >= AT_RISK_RATIO:
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
    a, t = number(actual), number(target)
    if a is None or t is None:
        return "no_data"
    if meets(a, t, comparator, direction):
        return "achieved"
    if as_of >= period_end:
        return "missed"
    return ratio_status(ratio)
