"""Done/not-done answers checked against the registry: a department's 是 for a target the
registry can contradict (no poor person left; every registered poor household's dangerous house
renovated) next to the registry's own count for the same year and place.

The briefing does not change the target's status — the department's answer stays what it
reported — but page 1 names the disagreement under "needs attention" so that a leader does not
read 已实现 where the registry still counts people or households. A new check is one
:class:`CrossCheck` in :data:`CHECKS`; its words are the ``xcheck_<indicator>`` label.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from huachi_analysis.reports.briefing_base import Briefing


@dataclass(frozen=True)
class CrossCheck:
    """A yes/no target whose 是 means the registry ``indicator`` is 0 in the same year and
    place (a count, in ``unit``)."""

    target_id: str
    indicator: str
    unit: str


#: The plan's done/not-done targets the registry can check.
CHECKS: tuple[CrossCheck, ...] = (
    # 稳定实现“两不愁、三保障”，消除绝对贫困 (2020): no registered poor person left
    CrossCheck("T-04-16", "registered_poor_persons", "people"),
    # 建档立卡贫困户危房（窑）全面改造 (2017): no registered poor household in a dangerous house
    CrossCheck("T-07.3-01", "dangerous_house_households", "households"),
)


def contradictions(targets: pd.DataFrame, registry: pd.DataFrame, year: int,
                   geography: str) -> list[tuple[dict, CrossCheck, float]]:
    """``(target row, check, registry count)`` for each check whose target is reported done
    (actual 1) as of ``year`` in ``geography`` while the registry counts more than 0 there in
    ``year``."""
    out = []
    for c in CHECKS:
        rows = targets[(targets["target_id"] == c.target_id) & (targets["year"] == year)
                       & (targets["geography"] == geography)]
        done = rows[pd.to_numeric(rows["actual"], errors="coerce").eq(1).fillna(False)]
        if done.empty:
            continue
        reg = registry[(registry["indicator_id"] == c.indicator) & (registry["year"] == year)
                       & (registry["geography"] == geography) & registry["breakdown"].isna()]
        values = pd.to_numeric(reg["value"], errors="coerce").dropna()
        if len(values) and float(values.iloc[0]) > 0:
            out.append((done.iloc[0].to_dict(), c, float(values.iloc[0])))
    return out


def concern_lines(b: Briefing, geography: str) -> list[str]:
    """One "needs attention" sentence per contradiction in ``geography`` in the briefing's
    year (none when the two agree, or when a table is missing)."""
    L, data = b.L, b.data
    if "progress_targets" not in data.tables or "progress_registry" not in data.tables:
        return []
    plan = data.tables.get("plan_targets")
    names = (plan.drop_duplicates("target_id").set_index("target_id")
             if plan is not None and len(plan) else None)
    out = []
    for row, c, value in contradictions(data["progress_targets"], data["progress_registry"],
                                        b.year, geography):
        if names is not None and c.target_id in names.index:
            row = {**names.loc[c.target_id].to_dict(), **row}
        name = b.indicator_name(row)
        if b.lang == "zh":  # quoted inside “…”: its own quotation marks become ‘…’
            name = name.replace("“", "‘").replace("”", "’")
        out.append(L(f"xcheck_{c.indicator}", name=name, year=b.year,
                     value=L.quantity(value, c.unit)))
    return out
