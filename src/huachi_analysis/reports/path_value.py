"""The value a target in progress should have reached by the report year — the point its
status (进度正常 / 有风险 / 进度落后) was graded against — so the page shows what the status
means (``按规划路径2017年应达3.5人``, in the table's note column).

The progress step states it in the row's note (``progress_targets.note``):

* ``required by 2017: 3.5 on the plan's path (interpolated, T-09.2-04)`` — the plan's own
  value for the year, stated or interpolated between two of its milestones;
* ``straight path from 74.1 (the actual of 2015)`` — a straight line from the baseline
  ``(y_b, b)`` to the target ``t`` at the deadline ``T``: ``b + (t − b) × (E − y_b) ÷ (T − y_b)``;
* ``sum 2016–2017`` (cumulative) — an even share of the total: ``t × (E − S + 1) ÷ (T − S + 1)``.

>>> required({"note": "required by 2017: 3.5 on the plan's path (interpolated, T-1)",
...           "status": "off_track", "period_end": 2020}, 2017)
(3.5, 'plan')
>>> required({"note": "straight path from 74.1 (the actual of 2015)", "target": 100.0,
...           "status": "on_track", "period_end": 2020}, 2017)
(84.46, 'even')
>>> required({"note": "sum 2016–2017", "target": 886.1, "status": "at_risk",
...           "period_end": 2020, "target_kind": "cumulative"}, 2017)
(354.44, 'even')
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

#: Statuses decided by the progress ratio against a path.
GRADED = ("on_track", "at_risk", "off_track")
_NUM = r"(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
_PLAN = re.compile(rf"required by (\d{{4}}): {_NUM} on the plan's path")
_STRAIGHT = re.compile(rf"straight path from {_NUM} \((?:the actual of |the plan's )(\d{{4}})")
_SUM = re.compile(r"^sum (\d{4})–(\d{4})")


def required(row: dict, year: int) -> tuple[float, str] | None:
    """``(value, "plan" | "even")`` the row should have reached by ``year``, or None (not
    graded against a path, or the note does not say)."""
    if str(row.get("status")) not in GRADED:
        return None
    note = row.get("note")
    end = pd.to_numeric(row.get("period_end"), errors="coerce")
    if not isinstance(note, str) or pd.isna(end) or int(end) <= year:
        return None
    end = int(end)
    m = _PLAN.search(note)
    if m and int(m.group(1)) == year:
        return float(m.group(2)), "plan"
    target = pd.to_numeric(row.get("target"), errors="coerce")
    if pd.isna(target):
        return None
    m = _STRAIGHT.search(note)
    if m:
        b, yb = float(m.group(1)), int(m.group(2))
        if yb < year < end:
            return round(b + (float(target) - b) * (year - yb) / (end - yb), 6), "even"
    m = _SUM.search(note)
    if m and str(row.get("target_kind")) == "cumulative":
        start = int(m.group(1))
        return round(float(target) * (year - start + 1) / (end - start + 1), 6), "even"
    return None


def required_text(b: Briefing, row: dict) -> str | None:
    """``按规划路径2017年应达3.5人`` / ``按匀速进度2017年应达84.5%``, or None."""
    r = required(row, b.year)
    if r is None:
        return None
    value, how = r
    return b.L(f"path_required_{how}", year=b.year, value=b.actual_text(row, value=value))


def note_cell(b: Briefing, row: dict) -> str:
    """The kind of the row's figure and, for a status graded against a path, the value due
    by the year (``部门填报（合成）；按规划路径2017年应达3.5人``)."""
    text = b.figure_note(row)
    extra = required_text(b, row)
    return text if extra is None else b.L("note_with_path", note=text, path=extra)

