"""Which reported figure the progress engine uses when several cover the same indicator, year
and geography (contract C4): a real figure beats a synthetic one (and says so), then a
department's return beats a published statistic. (Registry figures beat both: that rule is
applied where registry and reported figures meet, ``progress.targets.combine_actuals``.)

>>> df = pd.DataFrame({"indicator_id": ["x", "x"], "year": [2016, 2016],
...     "geography": ["华池县"] * 2, "value": [1.0, 2.0], "unit": ["元"] * 2,
...     "source": ["合成数据", "县统计局公报"], "origin": ["department", "published"],
...     "is_synthetic": [True, False]})
>>> choose(df)[["value", "source"]].values.tolist()
[[2.0, '县统计局公报 (real figure; a synthetic one for the same year set aside)']]
"""

from __future__ import annotations

import pandas as pd

from huachi_analysis.actuals.kinds import YES_NO_UNIT

ORIGIN_RANK = {"department": 0, "published": 1}
SUPERSEDES_SYNTHETIC = " (real figure; a synthetic one for the same year set aside)"


def choose(actuals: pd.DataFrame, *, numeric_beside_yes_no: bool = True) -> pd.DataFrame:
    """One figure per (indicator_id, year, geography, kind of value), by precedence.

    Args:
        actuals: ``indicator_actuals``.
        numeric_beside_yes_no: drop a done/not-done (``yes_no``) figure where the same
            indicator, geography and year also has a number: the progress engine keeps one
            figure per year of a series. No target of the plan shares an indicator between a
            number and a done/not-done answer in one geography (T-09.5-06 has its own
            indicator since 2026-12-02; ``tests/test_plan_tables.py`` checks it), so this only
            guards figures reported against the template.
    """
    if actuals is None or actuals.empty:
        return actuals
    a = actuals.copy()
    if "origin" not in a:  # the six-column table of before C4
        a["origin"] = "department"
    if "is_synthetic" not in a:
        a["is_synthetic"] = a["source"].astype(str).str.strip().str.lower().eq("synthetic")
    a["_yn"] = a["unit"].eq(YES_NO_UNIT)
    a["_rank"] = (a["is_synthetic"].astype(bool).astype(int) * 10
                  + a["origin"].map(ORIGIN_RANK).fillna(9).astype(int))
    keys = ["indicator_id", "year", "geography", "_yn"]
    a = a.sort_values([*keys, "_rank"], kind="stable")
    real_beside_synthetic = a.groupby(keys)["is_synthetic"].transform(
        lambda s: s.astype(bool).any() and not s.astype(bool).all())
    a = a[~a.duplicated(keys, keep="first")].copy()
    flag = real_beside_synthetic.loc[a.index] & ~a["is_synthetic"].astype(bool)
    a.loc[flag, "source"] = a.loc[flag, "source"] + SUPERSEDES_SYNTHETIC
    if numeric_beside_yes_no:
        numbered = set(zip(*(a.loc[~a["_yn"], c] for c in ("indicator_id", "geography",
                                                           "year")), strict=True))
        clash = a["_yn"] & pd.Series(
            [k in numbered for k in zip(a["indicator_id"], a["geography"], a["year"],
                                        strict=True)], index=a.index)
        a = a[~clash]
    return a.drop(columns=["_yn", "_rank"]).reset_index(drop=True)
