"""Baselines the plan itself states (or implies) for its base year, for the progress ratio.

The plan's base year is 2014 (clause 1's register, before clause 4's 2015 exits). Where the plan
gives a figure for it — a ``baseline`` target of the same indicator, geography and unit, or a
``plan_derived`` 2014 fact computed from clauses 1 and 4 (the implied 2014 poverty incidence) —
the progress ratio of a level target starts from that figure, so that the path it is judged
against is the plan's own. Otherwise it starts from the actuals
(:func:`huachi_analysis.progress.evaluate.evaluate`).

>>> import pandas as pd
>>> t = pd.DataFrame({"target_id": ["B"], "indicator_id": ["x"], "geography": ["华池县"],
...     "target_kind": ["baseline"], "period_end": [2014], "value_base": [56.0],
...     "unit_base": ["villages"]})
>>> plan_baselines(t)[("x", "华池县", "villages")]
[PlanBaseline(year=2014, value=56.0, source='B', via=None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from huachi_analysis.errors import HuachiError
from huachi_analysis.plan.derive import BASELINE_YEAR, baseline_2014

#: (indicator_id, geography, unit_base)
#: (indicator_id, geography, unit) as the tables hold them.
Key = tuple[object, object, object]


@dataclass(frozen=True)
class PlanBaseline:
    """A base-year figure from the plan: ``via`` is the milestone year it is implied by (the
    implied 2014 incidence differs slightly by year), None when the plan states it."""

    year: int
    value: float
    source: str
    via: int | None


def plan_baselines(targets: pd.DataFrame) -> dict[Key, list[PlanBaseline]]:
    """Every base-year figure of the plan, by indicator, geography and unit.

    Targets without the clause-1 and clause-4 rows (hand-made test tables) give only their
    ``baseline`` rows.
    """
    out: dict[Key, list[PlanBaseline]] = {}
    base = targets[(targets["target_kind"] == "baseline") & targets["value_base"].notna()]
    for r in base.itertuples():
        out.setdefault((r.indicator_id, r.geography, r.unit_base), []).append(
            PlanBaseline(int(r.period_end), float(r.value_base), str(r.target_id), None))
    try:
        d = baseline_2014(targets)
    except (HuachiError, KeyError, ValueError):
        return out
    for r in d[d["year"] == BASELINE_YEAR].itertuples():
        m = re.search(r"-via-(\d{4})$", r.derived_id)
        if m is None:
            continue  # stated figures (the 2.78万) are already the baseline rows
        out.setdefault((r.indicator_id, r.geography, r.derived_unit), []).append(
            PlanBaseline(int(r.year), float(r.derived_value), str(r.derived_id),
                         int(m.group(1))))
    return out


def plan_baseline_for(target: dict, table: dict[Key, list[PlanBaseline]]
                      ) -> PlanBaseline | None:
    """The plan's base-year figure for one target: a stated one first; else the one implied by
    the latest milestone year up to the target's deadline (else the earliest)."""
    cands = table.get((target.get("indicator_id"), target.get("geography"),
                       target.get("unit_base")))
    if not cands:
        return None
    stated = [c for c in cands if c.via is None]
    if stated:
        return stated[0]
    end = int(target["period_end"])
    upto = [c for c in cands if c.via is not None and c.via <= end]
    return (max(upto, key=lambda c: c.via or 0) if upto  # (every c.via of upto is set)
            else min(cands, key=lambda c: c.via or 0))
