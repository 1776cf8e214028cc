"""Which targets a briefing lists, with their progress, in order of concern (pure functions).

* :func:`with_progress` — targets of one geography with every progress column of the year;
* :func:`in_progress` / :func:`due` — not yet due (``period_end`` after the year) / due by it;
* :func:`by_concern` — missed first, then off track, at risk, incomplete, no data, on track,
  achieved; within a status the furthest behind first (progress ratio, then 完成度);
* :func:`township_targets` — one row per target the plan sets for a township or its villages,
  plus the county targets whose text names them (never another township's own target);
* :func:`township_figures` — a township's own figures under county-wide targets (department
  returns, published statistics), beside the county's figure, target and status.

>>> by_concern(pd.DataFrame({"status": ["achieved", "missed", "on_track", "off_track"],
...     "progress_ratio": [None, None, 1.2, 0.1], "pct_achieved": [100, 80, 50, 10]}))["status"].tolist()
['missed', 'off_track', 'on_track', 'achieved']
"""

from __future__ import annotations

import pandas as pd

from huachi_analysis.county import COUNTY

#: Order of concern of a status (lower: more urgent).
CONCERN = {"missed": 0, "off_track": 1, "at_risk": 2, "incomplete": 3, "no_data": 4,
           "on_track": 5, "achieved": 6, "baseline": 7, "not_due": 8}
#: Statuses that call for attention.
CONCERNING = ("missed", "off_track", "at_risk", "incomplete", "no_data")
#: Columns of ``progress_targets`` carried onto the target rows.
PROGRESS_COLUMNS = ("actual", "target", "pct_achieved", "progress_ratio", "gap", "status",
                    "years_missing", "years_not_met", "share_of_county", "note",
                    "actual_origin", "actual_is_synthetic", "actual_provenance")


def _progress(progress: pd.DataFrame, year: int) -> pd.DataFrame:
    p = progress[progress["year"] == year]
    cols = ["target_id", "geography", *[c for c in PROGRESS_COLUMNS if c in p.columns]]
    out = p[cols].copy()
    for c in PROGRESS_COLUMNS:  # an older table without a column: empty
        if c not in out:
            out[c] = pd.NA
    return out


def with_progress(plan_targets: pd.DataFrame, progress: pd.DataFrame, year: int,
                  geography: str = COUNTY) -> pd.DataFrame:
    """Every target of ``geography`` with its progress as of ``year`` (status ``no_data`` where
    the progress table has no row). A year before the first evaluated one (the registry's base
    year 2014: the plan runs from 2015) has no rows at all: its targets are ``not_due`` and its
    baselines take their figure from the first evaluated year (a baseline never changes)."""
    t = plan_targets[plan_targets["geography"] == geography]
    p = _progress(progress, year)
    p = p[p["geography"] == geography].drop(columns="geography")
    years = pd.to_numeric(progress["year"], errors="coerce").dropna()
    before_first = p.empty and len(years) and year < int(years.min())
    if before_first:
        first = _progress(progress, int(years.min()))
        first = first[first["geography"] == geography].drop(columns="geography")
        p = first[first["target_id"].isin(t.loc[t["target_kind"] == "baseline", "target_id"])]
    out = t.merge(p, on="target_id", how="left")
    if before_first:
        out.loc[out["status"].isna(), "status"] = "not_due"
    out["status"] = out["status"].astype("string").fillna("no_data")
    return out.reset_index(drop=True)


def by_concern(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by concern: status (``CONCERN``), then progress ratio and 完成度 ascending."""
    if rows.empty:
        return rows
    key = rows["status"].astype("string").map(CONCERN).fillna(9)
    ratio = pd.to_numeric(rows.get("progress_ratio"), errors="coerce")
    pct = pd.to_numeric(rows.get("pct_achieved"), errors="coerce")
    order = pd.DataFrame({"k": key.to_numpy(), "r": ratio.to_numpy(), "p": pct.to_numpy(),
                          "i": range(len(rows))})
    idx = order.sort_values(["k", "r", "p", "i"], na_position="last", kind="stable")["i"]
    return rows.iloc[idx.to_numpy()].reset_index(drop=True)


def in_progress(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Targets not yet due in ``year`` that have started (no baseline), by concern."""
    r = rows[(rows["period_end"] > year) & ~rows["status"].isin(["not_due", "baseline"])
             & (rows["target_kind"] != "baseline")]
    return by_concern(r)


def due(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Targets due by ``year`` (graded; baselines left out), by concern."""
    r = rows[(rows["period_end"] <= year) & (rows["target_kind"] != "baseline")
             & (rows["status"] != "baseline")]
    return by_concern(r)


def counts(rows: pd.DataFrame) -> dict[str, int]:
    """Rows per status, in the order of concern (statuses with no row left out)."""
    c = rows["status"].astype("string").value_counts()
    return {s: int(c[s]) for s in sorted(c.index, key=lambda s: CONCERN.get(str(s), 9))}


def _own_geography(geo: pd.Series, township: str) -> pd.Series:
    geo = geo.astype("string").fillna("")
    return (geo == township) | geo.str.startswith(f"{township}/")


def township_targets(plan_targets: pd.DataFrame, plan_villages: pd.DataFrame,
                     progress: pd.DataFrame, township: str, names: list[str], year: int
                     ) -> pd.DataFrame:
    """One row per target about ``township``: the plan's targets for it or its villages (with
    their own status), then county targets whose quoted text names it or one of its villages
    (with the county's status, ``scope_row`` = ``county``). Another township's target is never
    listed, even when the same sentence names both (乡镇综合文化剧院 for four townships)."""
    villages = plan_villages.loc[plan_villages["township"] == township, "village"].astype(str)
    words = [w for w in {*names, township, *villages} if w and len(w) >= 2]
    geo = plan_targets["geography"].astype("string").fillna("")
    own = _own_geography(geo, township)
    quote = plan_targets["quote"].astype("string").fillna("")
    named = pd.Series(False, index=plan_targets.index)
    for w in words:
        named |= quote.str.contains(w, regex=False)
    named &= geo == COUNTY
    p = _progress(progress, year)
    mine = plan_targets[own].merge(p, on=["target_id", "geography"], how="left")
    mine["scope_row"] = "own"
    county = plan_targets[named].merge(p, on=["target_id", "geography"], how="left")
    county["scope_row"] = "county"
    out = pd.concat([mine, county], ignore_index=True)
    if out.empty:
        return out
    out["status"] = out["status"].astype("string").fillna("no_data")
    out = out.drop_duplicates("target_id")
    order = pd.DataFrame({"scope": out["scope_row"].map({"own": 0, "county": 1}).to_numpy(),
                          "clause": [clause_key(c) for c in out["clause"]],
                          "id": out["target_id"].astype(str).to_numpy()})
    idx = sorted(range(len(out)), key=lambda i: tuple(order.iloc[i]))
    return out.iloc[idx].reset_index(drop=True)


def clause_key(clause: object) -> tuple:
    """Sort key of a clause number as the plan writes it: ``7(2)`` before ``9(3)`` before
    ``11``."""
    import re

    return tuple(int(x) for x in re.findall(r"\d+", str(clause))) or (10**6,)


def township_figures(plan_targets: pd.DataFrame, progress: pd.DataFrame, township: str,
                     year: int, exclude_origins: tuple[str, ...] = ("registry",)
                     ) -> pd.DataFrame:
    """The township's own figures under county-wide targets (rows of ``progress_targets`` for
    the township with an actual), one per indicator name and figure, beside the county's
    actual, target and status (columns ``county_actual``, ``county_status`` …), by the county's
    concern; one row per indicator (the target that matters in the year). Figures of ``exclude_origins`` are left out (registry figures have sections of
    their own)."""
    p = _progress(progress, year)
    mine = p[(p["geography"] == township) & p["actual"].notna()]
    origin = mine["actual_origin"].astype("string").fillna("")
    keep = pd.Series(True, index=mine.index)
    for o in exclude_origins:
        keep &= ~origin.str.split("|").map(lambda parts, o=o: o in parts)
    mine = mine[keep]
    if mine.empty:
        return mine.assign(county_actual=pd.Series(dtype="Float64"))
    county = p[p["geography"] == COUNTY].set_index("target_id")
    t = plan_targets[plan_targets["geography"] == COUNTY].drop(columns="geography")
    out = mine.drop(columns=["target", "status", "pct_achieved", "progress_ratio"]).merge(
        t, on="target_id", how="inner")
    for col in ("actual", "target", "status", "pct_achieved", "progress_ratio"):
        out[f"county_{col}"] = out["target_id"].map(county[col]) if len(county) else pd.NA
    out["status"] = out["county_status"].astype("string").fillna("no_data")
    out["progress_ratio"] = out["county_progress_ratio"]
    out["pct_achieved"] = out["county_pct_achieved"]
    # one row per indicator: the target that matters in the year (the first due then or
    # later, else the last), as the headline table picks its milestones
    later = (out["period_end"] < year).astype(int)
    order = out.assign(_later=later, _end=out["period_end"].where(later == 0, -out["period_end"]))
    out = order.sort_values(["_later", "_end", "target_id"]).drop_duplicates("indicator_id")
    out = out.drop(columns=["_later", "_end"])
    # most urgent county status first; within one, the township's largest share first
    key = out["status"].map(CONCERN).fillna(9)
    share = -pd.to_numeric(out["share_of_county"], errors="coerce").fillna(-1)
    return (out.assign(_k=key.to_numpy(), _s=share.to_numpy())
            .sort_values(["_k", "_s", "target_id"]).drop(columns=["_k", "_s"])
            .reset_index(drop=True))
