"""What a department reports for a target: the one adapter between the actuals package and
the plan's target kinds (contract C1, :mod:`huachi_analysis.plan.kinds`).

Everything in :mod:`huachi_analysis.actuals` and :mod:`huachi_analysis.synthetic.departments`
asks the functions below, never ``plan_targets``' columns:

* done/not-done targets (every ``deadline``, and a ``standing_rule`` without a number) are
  answered 是/否, stored as 1/0 with unit ``yes_no``;
* a ``per_unit`` minimum (每户1人, 每村1个 …) is answered by the share (%) of units meeting it;
* ``flow``, ``cumulative`` and ``yearly_rate`` figures are the amount done in the year; every
  other figure is the value at the end of the year;
* a ``baseline`` is the registry's, never asked of a department.

>>> t = {"target_kind": "deadline", "period_start": 2015, "period_end": 2017}
>>> value_type(t), reporting_years(t), expected_unit(t)
('yes_no', [2015, 2016, 2017], '是/否')
>>> u = {"target_kind": "per_unit", "unit": "个", "unit_base": "count", "value": 1}
>>> expected_unit(u), target_value(u), yearly_amount({"target_kind": "yearly_rate"})
('%', 100.0, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from huachi_analysis.plan import kinds as plan_kinds
from huachi_analysis.values import blank

#: The department reports a number in the row's unit.
NUMBER = "number"
#: The department reports 是 (done) or 否 (not done); stored as 1 / 0 with unit ``yes_no``.
YES_NO = "yes_no"
#: Unit of done/not-done actuals in ``indicator_actuals`` (C1, C4), and as the workbook shows it.
YES_NO_UNIT = plan_kinds.YES_NO
YES_NO_UNIT_ZH = plan_kinds.YES_NO_UNIT
#: A per-unit minimum is reported as the share of units meeting it, in percent.
SHARE_UNIT_ZH = "%"
#: Kinds whose yearly figure is the amount done in that year.
AMOUNT_KINDS = ("flow", "cumulative", "yearly_rate")
PLAN_START = plan_kinds.PLAN_START



def kind(target: Mapping[str, Any]) -> str:
    """The target's kind (C1)."""
    return plan_kinds.kind_of(target)


def value_type(target: Mapping[str, Any]) -> str:
    """:data:`NUMBER` or :data:`YES_NO` (a done/not-done target)."""
    return YES_NO if plan_kinds.is_yes_no(target) else NUMBER


def period(target: Mapping[str, Any]) -> tuple[int, int]:
    """``(first year, deadline year)`` of a target."""
    return plan_kinds.start_year(target), int(target["period_end"])


def reporting_years(target: Mapping[str, Any]) -> list[int]:
    """Years a department reports a value for (none for a baseline: the registry gives it)."""
    return plan_kinds.reporting_years(target)


def yearly_amount(target: Mapping[str, Any]) -> bool:
    """True when the yearly value is the amount done in that year (flows, cumulative totals,
    yearly rates), False when it is the value at the end of the year."""
    return kind(target) in AMOUNT_KINDS


def is_share(target: Mapping[str, Any]) -> bool:
    """A per-unit minimum, reported as the share (%) of units meeting it."""
    return kind(target) == "per_unit" and value_type(target) == NUMBER


def target_value(target: Mapping[str, Any]) -> float | None:
    """The figure to reach, in :func:`expected_unit` (100 % for a per-unit minimum; None for
    done/not-done targets and targets without a number)."""
    if value_type(target) == YES_NO:
        return None
    if is_share(target):
        return 100.0
    v: Any = target.get("value")
    return None if blank(v) else float(v)


def expected_unit(target: Mapping[str, Any]) -> str:
    """The unit a department's value must be in: the unit the plan writes (万亩, %, 公里 …),
    else its base unit; % for a per-unit minimum; 是/否 for done/not-done targets."""
    if value_type(target) == YES_NO:
        return YES_NO_UNIT_ZH
    if is_share(target):
        return SHARE_UNIT_ZH
    unit = target.get("unit")
    return str(target.get("unit_base") or "") if blank(unit) or not unit else str(unit)


def base_unit(target: Mapping[str, Any]) -> str | None:
    """The base unit of the value (``percent`` for a per-unit share; None for 是/否)."""
    if value_type(target) == YES_NO:
        return None
    if is_share(target):
        return plan_kinds.SHARE_UNIT
    u = target.get("unit_base")
    return None if blank(u) else str(u)


def accepted_units(target: Mapping[str, Any]) -> set[str]:
    """Units a value for this target may carry (C1: the written or base unit; 是/否 or
    ``yes_no``; % or ``percent`` for a per-unit share)."""
    return set(plan_kinds.accepted_units(target))


def to_base_factor(target: Mapping[str, Any], unit: str) -> float | None:
    """Factor turning a value in ``unit`` into the target's base unit (None: not convertible):
    :func:`huachi_analysis.plan.kinds.to_base_factor`."""
    return plan_kinds.to_base_factor(target, unit)
