"""The status legend under a briefing's title: exactly the statuses the briefing shows.

A status is *shown* when a table of the briefing carries its badge or page 1 counts targets
with it (``55项进度正常``); a township briefing's village table shows schedule badges
(按时退出, 延后退出 …), listed in a second group. Charts carry their own legends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from huachi_analysis.reports import display as D
from huachi_analysis.reports import tables as T

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing


def page1_statuses(b: Briefing) -> list[str]:
    """Statuses page 1 counts targets by (the county's due and in-progress counts, the
    township's own targets)."""
    f = b._facts  # type: ignore[attr-defined]
    counts = [f.get("due_counts", {}), f.get("progress_counts", {}), f.get("own_counts", {})]
    return [s for c in counts for s in c if s != "not_due"]


def schedules_shown(b: Briefing) -> list[str]:
    """Schedule statuses of the village table (township briefings; the county's village chart
    has its own legend)."""
    if b.kind != "township":
        return []
    v = T.village_exit_status(b.data["village_exits"], b.year, b.township)  # type: ignore[attr-defined]
    if v.empty:  # the plan's schedule alone, no progress yet
        pv = b.data["plan_villages"]
        poor = pv[(pv["township"] == b.township)  # type: ignore[attr-defined]
                  & pv["is_poor_village"].astype("boolean").fillna(False)]
        return ["no_data"] if len(poor) else []
    return v["schedule_status"].dropna().astype(str).unique().tolist()


def html(b: Briefing) -> str:
    """The legend: statuses (the order of :data:`tables.STATUS_ORDER`), then schedules."""
    L = b.L
    present = set(b.statuses_shown()) | set(page1_statuses(b))
    shown = [x for x in T.STATUS_ORDER if x in present]
    out = ""
    if shown:
        labels = {x: L.status(x) for x in shown}
        if "missed" in labels and b._missed_this_year():  # the same colour, two words
            labels["missed"] = L("status_missed_both")
        out += D.legend(labels, L("status_legend"))
    sched = set(schedules_shown(b))
    order = [x for x in T.SCHEDULE_ORDER if x in sched]
    if order:
        out += D.legend({x: L.code("schedule", x) for x in order}, L("schedule_legend"),
                        palette="schedule")
    return out


def badge_codes(page_html: str) -> tuple[set[str], set[str]]:
    """Status and schedule codes of every badge in ``page_html`` (for tests and checks)."""
    import re

    return (set(re.findall(r'data-status="([a-z_]+)"', page_html)),
            set(re.findall(r'data-schedule="([a-z_]+)"', page_html)))
