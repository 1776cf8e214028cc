"""What kind of commitment a target is, and what follows from it (contract C1).

Every row of ``plan_targets`` has one ``target_kind``:

========================  ======================================================================
``baseline``              a fact of the registered situation (clause 1: 56 villages, 7,283
                          households, 2.78万 people), reported beside the registry's figure with
                          the difference, never graded
``level``                 a stock or rate to reach by the deadline (income, incidence, coverage)
``flow``                  an amount that happens within one year (exits in 2016, 270 km in 2015)
``cumulative``            yearly amounts that add up to a total over the period (886.1 km
                          2016–2020, the relocation stages)
``yearly_rate``           an amount to reach in *every* year of the period (每年3.3万亩)
``standing_rule``         a rule that holds every year from ``period_start`` on (从2016年起 …)
``per_unit``              a minimum for every household / village / township … (每户1人,
                          每村1个): measured as the share of units meeting it
``deadline``              done or not done by the deadline (是/否)
========================  ======================================================================

Yes/no targets (every ``deadline``, and a ``standing_rule`` without a number) have
``unit = "是/否"``, ``unit_base = "yes_no"`` and no value; their actuals are 1 (是) or 0 (否).

>>> is_numeric("deadline"), is_numeric({"target_kind": "level", "unit_base": "yuan"})
(False, True)
>>> reporting_years({"target_kind": "cumulative", "period_start": 2016, "period_end": 2020})
[2016, 2017, 2018, 2019, 2020]
>>> actual_unit({"target_kind": "per_unit", "unit_base": "people"})
'percent'
"""

from __future__ import annotations

from collections.abc import Mapping

from huachi_analysis.metadata.fields_plan import TARGET_KINDS as KINDS
from huachi_analysis.values import blank, missing, number

#: Kinds judged year by year (the status of report year R judges year R's figure).
PER_YEAR_KINDS = ("yearly_rate", "standing_rule")
#: Kinds whose planned values form one series of milestones (stated, or interpolated between).
MILESTONE_KINDS = ("level", "flow")
#: Unit of done/not-done values (1 = 是, 0 = 否), and the spelling the plan tables use.
YES_NO = "yes_no"
YES_NO_UNIT = "是/否"
#: Unit of a per-unit target's actual: the share of units meeting the minimum.
SHARE_UNIT = "percent"
#: Units an actual of a yes/no or per-unit target may be written in.
YES_NO_UNITS = (YES_NO, YES_NO_UNIT)
SHARE_UNITS = (SHARE_UNIT, "%")
#: First year of the plan (2015–2020); a target without period_start starts here.
PLAN_START = 2015



def kind_of(target: Mapping | str) -> str:
    """The ``target_kind`` of a row (or the kind itself)."""
    kind = target if isinstance(target, str) else target.get("target_kind")
    if kind not in KINDS:
        raise ValueError(f"target_kind must be one of {KINDS}; got {kind!r}")
    return str(kind)


def is_yes_no(target: Mapping | str) -> bool:
    """Done/not-done: every deadline, and a standing rule whose unit is 是/否."""
    kind = kind_of(target)
    if kind == "deadline":
        return True
    if isinstance(target, str):
        return False
    return kind == "standing_rule" and target.get("unit_base") == YES_NO


def is_numeric(target: Mapping | str) -> bool:
    """The target is measured by a number (not a done/not-done flag).

    A kind alone answers for every kind but ``standing_rule`` (numeric unless its unit is
    是/否, so pass the row).
    """
    return not is_yes_no(target)


def start_year(target: Mapping) -> int:
    """``period_start``, else the plan's first year (or the deadline, if earlier)."""
    end = int(target["period_end"])
    s = target.get("period_start")
    start = None if blank(s) else number(s)
    return min(PLAN_START, end) if start is None else int(start)


def reporting_years(target: Mapping) -> list[int]:
    """The years a department reports a value for.

    Every year of the period for level, flow, cumulative, yearly_rate, standing_rule and
    per_unit; the years up to the deadline for a deadline; none for a baseline (the registry
    gives it).
    """
    kind = kind_of(target)
    if kind == "baseline":
        return []
    return list(range(start_year(target), int(target["period_end"]) + 1))


def actual_unit(target: Mapping) -> str | None:
    """The unit an actual of this target must be reported in: ``yes_no`` (1/0) for done/not
    done, ``percent`` (share of units meeting the minimum) for per-unit targets, else the
    target's ``unit_base`` (or written ``unit``)."""
    if is_yes_no(target):
        return YES_NO
    if kind_of(target) == "per_unit":
        return SHARE_UNIT
    for u in (target.get("unit_base"), target.get("unit")):
        if not blank(u):
            return str(u)
    return None


def accepted_units(target: Mapping) -> tuple[str, ...]:
    """Every unit an actual of this target may carry (the others are not comparable)."""
    kind = target.get("target_kind")
    if kind in KINDS and is_yes_no(target):
        return YES_NO_UNITS
    if kind == "per_unit":
        return SHARE_UNITS
    return tuple(str(u) for u in (target.get("unit_base"), target.get("unit"))
                 if not blank(u))


def unit_factor(actual_unit: object, unit_base: object, unit: object, value: object,
                value_base: object) -> float | None:
    """Factor turning a figure in ``actual_unit`` into a target's base unit (None: unknown).

    The base unit itself gives 1; the unit the plan writes (万人, 万亩 …) gives
    ``value_base ÷ value`` (2.78万人 → 27,800 people: 10,000); any other unit is not comparable.

    >>> unit_factor("万人", "people", "万人", 2.78, 27800), unit_factor("亩", "people", "万人", 1, 1)
    (10000.0, None)
    """
    if not missing(unit_base) and actual_unit == unit_base:
        return 1.0
    if actual_unit == unit:
        if missing(value_base) or missing(value) or float(value) == 0:  # type: ignore[arg-type]
            return 1.0 if missing(unit_base) else None
        return float(value_base) / float(value)  # type: ignore[arg-type]
    return None


def to_base_factor(target: Mapping, unit: object) -> float | None:
    """Factor turning a figure of ``target`` written in ``unit`` into the unit it is measured
    in (None: not comparable) — the one unit conversion of the project.

    Done/not-done and per-unit targets take their figures as they are, in one of
    :func:`accepted_units`; any other target its ``unit_base`` or, scaled
    (:func:`unit_factor`), its written ``unit``.

    >>> to_base_factor({"target_kind": "deadline"}, "是/否"), to_base_factor(
    ...     {"target_kind": "level", "unit": "万亩", "unit_base": "mu", "value": 16.5,
    ...      "value_base": 165000}, "万亩")
    (1.0, 10000.0)
    """
    if is_yes_no(target) or kind_of(target) == "per_unit":
        return 1.0 if unit in accepted_units(target) else None
    return unit_factor(unit, target.get("unit_base"), target.get("unit"), target.get("value"),
                       target.get("value_base"))
