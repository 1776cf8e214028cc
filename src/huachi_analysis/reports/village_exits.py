"""Poor-village exits on page 1: which villages are still not exited and which exited late.

The progress step marks a village ``late`` both when it exited after its scheduled year and
when it is due but has not exited; a briefing tells them apart
(:func:`~huachi_analysis.reports.tables.shown_schedule`: ``late`` / ``overdue``), so page 1,
the key figure ("53/56") and the village chart agree. A village exits when its incidence
falls below the exit threshold (``village_exits.exit_threshold``, set by the progress step).

>>> v = pd.DataFrame({"year": [2017] * 3, "township": ["甲乡"] * 3, "village": ["一村", "二村", "三村"],
...     "exit_year": [2015, 2017, 2017], "actual_exit_year": [2016, None, None],
...     "incidence": [0.1, 5.9, 7.8], "exit_threshold": [3.0] * 3, "exited": [True, False, False],
...     "schedule_status": ["late"] * 3})
>>> f = village_facts(v, 2017)
>>> f["exited"], [x["village"] for x in f["overdue"]], [x["village"] for x in f["late"]]
(1, ['三村', '二村'], ['一村'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from huachi_analysis.reports import tables as T

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

#: Villages named in one line before "等N个" (English names are longer).
NAMED = {"zh": 6, "en": 4}


def exit_threshold(village_exits: pd.DataFrame) -> float:
    """The incidence (percent) below which a village counts as exited: the one the progress
    step used (``exit_threshold`` column), else its default."""
    if "exit_threshold" in village_exits:
        t = pd.to_numeric(village_exits["exit_threshold"], errors="coerce").dropna()
        if len(t):
            return float(t.iloc[0])
    from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD

    return float(DEFAULT_EXIT_THRESHOLD)


def village_facts(village_exits: pd.DataFrame, year: int, township: str | None = None) -> dict:
    """Poor villages as of ``year``: total, exited, due to have exited by the plan, those due
    but not exited (``overdue``, highest incidence first) and those that exited late."""
    v = T.village_exit_status(village_exits, year, township)
    exited = v["exited"].astype("boolean").fillna(False) if "exited" in v else pd.Series(dtype=bool)
    inc = pd.to_numeric(v["incidence"], errors="coerce").astype(float)
    over = v.assign(_inc=inc)[v["schedule_status"] == "overdue"].sort_values(
        ["_inc", "township", "village"], ascending=[False, True, True], na_position="last")
    late = v[v["schedule_status"] == "late"]
    return {"total": len(v), "exited": int(exited.sum()),
            "planned": int((pd.to_numeric(v["exit_year"], errors="coerce") <= year).sum()),
            "overdue": [{"township": str(r["township"]), "village": str(r["village"]),
                         "incidence": None if pd.isna(r["_inc"]) else float(r["_inc"]),
                         "exit_year": int(r["exit_year"])} for r in over.to_dict("records")],
            "late": [{"township": str(r["township"]), "village": str(r["village"]),
                      "exit_year": int(r["exit_year"]),
                      "actual_exit_year": int(r["actual_exit_year"])}
                     for r in late.to_dict("records")],
            "threshold": exit_threshold(village_exits),
            "first_exit_year": (int(pd.to_numeric(v["exit_year"], errors="coerce").min())
                                if len(v) and v["exit_year"].notna().any() else None)}


def _names(b: Briefing, items: list[str]) -> str:
    """Every item when few, else the first ones and 等N个 (N: all of them)."""
    L, named = b.L, NAMED.get(b.lang, 4)
    if len(items) <= named + 1:
        return L("list_sep").join(items)
    return L("list_sep").join(items[:named]) + L("and_n_more_villages", total=len(items),
                                                  more=len(items) - named)


def _detail(b: Briefing, v: dict) -> str:
    """``3个到期仍未退出；1个延后退出`` (what is not on schedule, in words)."""
    L, parts = b.L, []
    if v["overdue"]:
        parts.append(L("villages_overdue_n", n=len(v["overdue"])))
    if v["late"]:
        parts.append(L("villages_late_n", n=len(v["late"])))
    return L("list_sep").join(parts)


def message(b: Briefing, v: dict, year: int, township: bool = False) -> str | None:
    """The page-1 sentence on poor villages (county or township)."""
    L = b.L
    prefix = "msg_tw_" if township else "msg_"
    if not v["total"]:
        return L("msg_tw_no_villages") if township else None
    if v["planned"] == 0 and not v["overdue"]:
        return L("msg_villages_not_yet", total=v["total"], first=v["first_exit_year"],
                 year=year, exited=v["exited"])
    fields = {"year": year, "total": v["total"], "exited": v["exited"], "planned": v["planned"]}
    if not v["overdue"] and not v["late"]:
        return L(f"{prefix}villages_on_time", **fields)
    return L(f"{prefix}villages_late", **fields, detail=_detail(b, v))


def key_figure_note(b: Briefing, v: dict) -> str:
    """Under "53/56个": what is not on schedule, or the plan's count."""
    L = b.L
    if not v["overdue"] and not v["late"]:
        return L("kf_planned", n=v["planned"])
    return L("list_sep").join(
        ([L("kf_overdue", n=len(v["overdue"]))] if v["overdue"] else [])
        + ([L("kf_late_exited", n=len(v["late"]))] if v["late"] else []))


def concerns(b: Briefing, v: dict) -> list[str]:
    """Needs attention: villages due but not exited (with their incidence and the exit
    threshold), then villages that exited late (scheduled and actual year)."""
    L, out = b.L, []
    if v["overdue"]:
        items = [L("item_village_incidence", township=b.township_name(x["township"]),
                   village=x["village"],
                   value=L.quantity(x["incidence"], "percent", 1)) for x in v["overdue"]]
        out.append(L("concern_villages_overdue", n=len(items), items=_names(b, items),
                     threshold=L.quantity(v["threshold"], "percent", _digits(v["threshold"]))))
    if v["late"]:
        items = [L("item_village_late", township=b.township_name(x["township"]),
                   village=x["village"], due=x["exit_year"], actual=x["actual_exit_year"])
                 for x in v["late"]]
        out.append(L("concern_villages_late", n=len(items), items=_names(b, items)))
    return out


def _digits(x: float) -> int:
    return 0 if float(x) == int(x) else 1


def schedule_note(b: Briefing) -> str:
    """The village sections' note, naming the exit threshold with its unit."""
    t = exit_threshold(b.data["village_exits"])
    return b.L("plan_schedule_note", threshold=b.L.quantity(t, "percent", _digits(t)))
