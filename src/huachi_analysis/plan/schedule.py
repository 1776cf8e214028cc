"""Parse the exit schedule of clause 5 (确定脱贫时序) straight from the plan text.

Clause 5 lists, per year, ``2015年22个村（白马乡王沟门、白马村，怀安乡坪庄、小城子村，…）``:
groups separated by ``，``, each a township followed by villages separated by ``、``, the 村
suffix written once at the end of the group. The parse is the reference that
``villages.csv`` is tested against, and the audit compares its counts with the stated ones.

>>> t = "5.确定脱贫时序。确定我县脱贫时序为：2015年2个村（白马乡王沟门、白马村）。\\n6.x"
>>> df = parse_exit_schedule(t, lambda s: {"白马乡": "白马乡"}.get(s))
>>> df[["exit_year", "stated_count", "township", "village", "village_as_written"]].values.tolist()
[[2015, 2, '白马乡', '王沟门村', '王沟门'], [2015, 2, '白马乡', '白马村', '白马村']]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from huachi_analysis import paths
from huachi_analysis.errors import InputFileError
from huachi_analysis.messages import both
from huachi_analysis.plan.source_text import clause_text

_YEAR_LIST_RE = re.compile(r"(\d{4})年(\d+)个村（([^）]*)）")


def _split_township(group: str, resolve: Callable[[str], str | None], path: Path
                    ) -> tuple[str, str, str]:
    """Split ``白马乡王沟门、白马村`` into (as written, canonical, villages part)."""
    best: tuple[str, str, str] | None = None
    for i in range(2, min(len(group), 7)):
        head = group[:i]
        if head[-1] in "乡镇" and (canon := resolve(head)):
            best = (head, canon, group[i:])
    if best is None:
        raise InputFileError(path, both("plan_schedule_no_township", group=group))
    return best


def parse_exit_schedule(text: str, resolve_township: Callable[[str], str | None],
                        path: Path = paths.PLAN_TEXT) -> pd.DataFrame:
    """One row per village of the clause-5 schedule, in text order.

    Args:
        text: the whole plan text.
        resolve_township: maps a township spelling to its canonical name (or ``None``).
        path: the file the text was read from (named in errors).

    Returns:
        Columns ``exit_year``, ``stated_count`` (the N of "N个村"), ``township``,
        ``township_as_written``, ``village`` (with 村), ``village_as_written``, ``quote`` (the
        township group, verbatim), ``year_text`` (the whole "2015年22个村（…）" span).

    Raises:
        InputFileError: the clause does not have the expected shape.
    """
    clause = clause_text(text, "5")
    rows = []
    for m in _YEAR_LIST_RE.finditer(clause):
        year, stated, body = int(m.group(1)), int(m.group(2)), m.group(3)
        for group in body.split("，"):
            as_written, canon, villages_part = _split_township(group, resolve_township, path)
            names = villages_part.split("、")
            if not names[-1].endswith("村"):
                raise InputFileError(path, both("plan_schedule_no_village", group=group))
            for name in names:
                rows.append({
                    "exit_year": year, "stated_count": stated, "township": canon,
                    "township_as_written": as_written,
                    "village": name if name.endswith("村") else name + "村",
                    "village_as_written": name, "quote": group, "year_text": m.group(0),
                })
    if not rows:
        raise InputFileError(path, both("plan_schedule_missing"))
    return pd.DataFrame(rows)
