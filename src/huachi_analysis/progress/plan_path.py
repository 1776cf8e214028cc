"""The plan's own path of a series: its stated milestones and the years between them.

The milestones of an indicator (its ``level`` and ``flow`` targets for one geography and unit)
give a planned value for every year from the first to the last stated one: the stated value,
or the plan dataset's straight line between the two nearest
(:func:`huachi_analysis.plan.interpolate_milestones`). A level target judged before its deadline
is judged against this path where it exists (:mod:`huachi_analysis.progress.evaluate`), and the
trajectories plot it.

>>> import pandas as pd
>>> t = pd.DataFrame({"target_id": ["A", "B"], "indicator_id": ["x", "x"],
...     "geography": ["华池县"] * 2, "scope": ["county"] * 2, "target_kind": ["level"] * 2,
...     "period_start": [2015, 2015], "period_end": [2017, 2020], "comparator": [">=", ">="],
...     "value_base": [7300.0, 11000.0], "unit_base": ["yuan"] * 2,
...     "indicator_zh": ["收入"] * 2, "indicator_en": ["income"] * 2})
>>> p = milestone_paths(t)[("x", "华池县", "yuan")]
>>> p[2017], round(p[2018].value, 1), p[2018].stated_year
(PathPoint(value=7300.0, stated=True, stated_year=2017, target_id='A'), 8533.3, 2017)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from huachi_analysis.plan.derive import interpolate_milestones
from huachi_analysis.plan.kinds import MILESTONE_KINDS, PLAN_START

Key = tuple[str, str, str]
_DEFAULTS = {"scope": "", "indicator_zh": "", "indicator_en": "", "period_start": None}


@dataclass(frozen=True)
class PathPoint:
    """A planned value: ``stated`` in the plan (by ``target_id``) or interpolated; for an
    interpolated year ``stated_year`` is the previous stated milestone's year."""

    value: float
    stated: bool
    stated_year: int
    target_id: str


def milestone_paths(targets: pd.DataFrame) -> dict[Key, dict[int, PathPoint]]:
    """(indicator_id, geography, unit_base) → year → planned value, for every series with at
    least two stated milestones (a single milestone is not a path)."""
    rows = targets[targets["target_kind"].isin(MILESTONE_KINDS) & targets["value_base"].notna()]
    rows = rows.assign(**{k: v for k, v in _DEFAULTS.items() if k not in rows.columns})
    out: dict[Key, dict[int, PathPoint]] = {}
    for (ind, geo, unit), g in rows.groupby(["indicator_id", "geography", "unit_base"],
                                            sort=False):
        first = g.sort_values(["period_end", "target_id"]).drop_duplicates("period_end")
        if len(first) < 2:
            continue
        stated = {int(r.period_end): PathPoint(float(r.value_base), True, int(r.period_end),
                                               str(r.target_id))
                  for r in first.itertuples()}
        years = list(range(min(PLAN_START, min(stated)), max(stated) + 1))
        interp = interpolate_milestones(first, years)
        interp = interp[interp["derived_unit"] == unit]
        path = dict(stated)
        for y, v in zip(interp["year"].astype(int), interp["derived_value"].astype(float),
                        strict=True):
            if y not in path:
                prev = max(k for k in stated if k < y)
                nxt = min(k for k in stated if k > y)
                path[y] = PathPoint(v, False, prev, stated[nxt].target_id)
        out[(ind, geo, unit)] = dict(sorted(path.items()))
    return out
