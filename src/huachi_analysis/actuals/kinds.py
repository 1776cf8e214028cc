"""What a department reports for a target: the one adapter between the actuals package and
the plan's target kinds.

Today ``plan_targets`` says ``target_kind`` ∈ {quantity, deadline} and ``cumulative`` (bool).
Contract C1 (issue 11) replaces both with one kind per target (baseline, level, flow,
cumulative, yearly_rate, standing_rule, per_unit, deadline). Everything in
:mod:`huachi_analysis.actuals` and :mod:`huachi_analysis.synthetic.departments` asks the
functions below, never the columns, so switching to C1 changes this module only: :func:`kind`
already reads C1's kinds when ``target_kind`` holds them (and derives them before), and a target
without a year (C1's undated deliverables) is due at the plan's end.

>>> t = {"target_kind": "deadline", "period_start": 2015, "period_end": 2017}
>>> value_type(t), reporting_years(t)
('yes_no', [2015, 2016, 2017])
>>> value_type({"target_kind": "quantity", "cumulative": True}), yearly_amount(
...     {"target_kind": "quantity", "cumulative": True})
('number', True)
>>> kind({"target_kind": "yearly_rate"}), yearly_amount({"target_kind": "standing_rule"})
('yearly_rate', False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

#: The department reports a number in the target's unit.
NUMBER = "number"
#: The department reports 是 (done) or 否 (not done); stored as 1 / 0 with unit ``yes_no``.
YES_NO = "yes_no"
#: Unit of done/not-done actuals in ``indicator_actuals`` (C1, C4), and as the workbook shows it.
YES_NO_UNIT = "yes_no"
YES_NO_UNIT_ZH = "是/否"
#: First year of the plan; a target without ``period_start`` starts here (or at its deadline).
PLAN_START = 2015
#: Last year of the plan: the deadline of a target whose year is not stated.
PLAN_END = 2020
#: The kinds of contract C1, and those whose yearly figure is the amount done in the year.
C1_KINDS = ("baseline", "level", "flow", "cumulative", "yearly_rate", "standing_rule",
            "per_unit", "deadline")
AMOUNT_KINDS = ("flow", "cumulative", "yearly_rate")


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(x)  # type: ignore[arg-type]
    except TypeError:
        return str(x) in ("", "<NA>")


def kind(target: Mapping[str, Any]) -> str:
    """The target's kind in the terms of C1: ``plan_targets.target_kind`` once it holds C1's
    kinds; before that, derived from ``quantity``/``deadline`` and the ``cumulative`` flag
    (``deadline``, ``cumulative``, else ``level``)."""
    k = target.get("target_kind")
    if k in C1_KINDS and k != "deadline":
        return str(k)
    if k == "deadline" or target.get("unit_base") == YES_NO_UNIT:
        return "deadline"
    return "cumulative" if bool(target.get("cumulative")) else "level"


def value_type(target: Mapping[str, Any]) -> str:
    """:data:`NUMBER` or :data:`YES_NO` (a done/not-done target)."""
    return YES_NO if kind(target) == "deadline" else NUMBER


def period(target: Mapping[str, Any]) -> tuple[int, int]:
    """``(first year, deadline year)`` of a target."""
    end = PLAN_END if _missing(target.get("period_end")) else int(target["period_end"])
    start = target.get("period_start")
    return (min(PLAN_START, end) if _missing(start) else int(start)), end


def reporting_years(target: Mapping[str, Any]) -> list[int]:
    """Years a department reports a value for: every year of the target's period (C1: for
    deadline targets, the years up to the deadline)."""
    start, end = period(target)
    return list(range(start, end + 1))


def yearly_amount(target: Mapping[str, Any]) -> bool:
    """True when the yearly value is the amount done in that year (the progress engine adds
    them up), False when it is the value at the end of the year (a rate, an area, a standard)."""
    return kind(target) in AMOUNT_KINDS


def expected_unit(target: Mapping[str, Any]) -> str:
    """The unit a department's value must be in: the unit the plan writes (万亩, %, 公里 …),
    else its base unit; 是/否 for done/not-done targets."""
    if value_type(target) == YES_NO:
        return YES_NO_UNIT_ZH
    unit = target.get("unit")
    return str(target.get("unit_base") or "") if _missing(unit) or not unit else str(unit)


def accepted_units(target: Mapping[str, Any]) -> set[str]:
    """Units a value for this target may carry (the written unit or the base unit)."""
    if value_type(target) == YES_NO:
        return {YES_NO_UNIT, YES_NO_UNIT_ZH}
    return {str(u) for u in (target.get("unit"), target.get("unit_base"))
            if not _missing(u) and u}


def to_base_factor(target: Mapping[str, Any], unit: str) -> float | None:
    """Factor turning a value in ``unit`` into the target's base unit (None: not convertible)."""
    if value_type(target) == YES_NO:
        return 1.0 if unit in (YES_NO_UNIT, YES_NO_UNIT_ZH) else None
    if unit == target.get("unit_base"):
        return 1.0
    if unit == target.get("unit"):
        v, vb = target.get("value"), target.get("value_base")
        if _missing(v) or _missing(vb) or float(v) == 0:
            return 1.0
        return float(vb) / float(v)
    return None
