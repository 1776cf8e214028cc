"""Titles of the plan-against-actual panels (:meth:`CountyBriefing.trajectories`): each
says what it plots."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

#: The registry's measure of the poor's income (人均纯收入, net income).
REGISTRY_INCOME = "poor_income_per_capita"


def panel_title(b: Briefing, row: dict) -> str:
    """The indicator and its unit; a disposable-income target measured by the registry's
    net income (人均纯收入) is titled by what is plotted, the plan's concept in brackets."""
    if (str(row.get("income_concept")) in ("disposable", "gross")
            and str(row.get("indicator_id")) == REGISTRY_INCOME):
        return b.L("panel_poor_net_income")
    return b.indicator_name(row) + b.unit_suffix(row.get("unit_base"))
