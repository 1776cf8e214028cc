"""Do the year-end poor persons add up? Last year's figure, minus the year's exits, plus
returns to poverty and newly registered persons (``progress_registry``), against the
year-end figure; what does not add up is said as a number, never hidden.

>>> f = flows(pd.DataFrame({"indicator_id": ["registered_poor_persons"] * 2 + [
...     "poverty_exits_persons", "returns_to_poverty_persons", "new_poor_persons"],
...     "year": [2016, 2017, 2017, 2017, 2017], "geography": ["华池县"] * 5,
...     "value": [9942.0, 5829.0, 4437.0, 202.0, 134.0]}), 2017, "华池县")
>>> f["expected"], f["unexplained"]
(5841.0, -12.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from huachi_analysis.reports import tables as T

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

NEW_PERSONS = "new_poor_persons"


def _value(registry: pd.DataFrame, indicator: str, year: int, geography: str) -> float | None:
    r = T._totals(registry)
    r = r[(r["indicator_id"] == indicator) & (r["year"] == year) & (r["geography"] == geography)]
    v = pd.to_numeric(r["value"], errors="coerce").dropna()
    return float(v.iloc[0]) if len(v) else None


def flows(registry: pd.DataFrame, year: int, geography: str) -> dict | None:
    """Poor persons at the end of last year and this year, and the year's flows between them
    (exits, returns, newly registered); None when a figure is missing (the first year). A
    missing newly-registered figure (an older build) leaves it all unexplained."""
    prev = _value(registry, T.POOR_PERSONS, year - 1, geography)
    now = _value(registry, T.POOR_PERSONS, year, geography)
    exits = _value(registry, T.EXITS_PERSONS, year, geography)
    returns = _value(registry, T.RETURNS_PERSONS, year, geography)
    if None in (prev, now, exits, returns):
        return None
    new = _value(registry, NEW_PERSONS, year, geography)
    expected = prev - exits + returns + (new or 0.0)  # type: ignore[operator]
    return {"year": year, "prev": prev, "now": now, "exits": exits, "returns": returns,
            "new": new, "expected": expected, "unexplained": now - expected}  # type: ignore[operator]


def sentence(b: Briefing, f: dict | None) -> str | None:
    """``2016年末9,942人，减去2017年脱贫4,437人，加上返贫202人、新识别134人，得5,841人；…``"""
    if f is None:
        return None
    L = b.L

    def q(x: float) -> str:
        return L.quantity(x, "people")

    fields = {"prev_year": f["year"] - 1, "year": f["year"], "prev": q(f["prev"]),
              "exits": q(f["exits"]), "returns": q(f["returns"]), "expected": q(f["expected"]),
              "now": q(f["now"]), "diff": q(abs(f["unexplained"]))}
    head = (L("flows_head", **fields, new=q(f["new"])) if f["new"] is not None
            else L("flows_head_no_new", **fields))
    if round(f["unexplained"]) == 0:
        return head + L("flows_match")
    key = "flows_fewer" if f["unexplained"] < 0 else "flows_more"
    return head + L(key, **fields)
