"""The tables a briefing shows, as pure functions of the processed tables (no I/O).

Each function takes the frames it needs and returns a small frame with plain column names;
:mod:`huachi_analysis.reports.display` turns them into HTML and the notebooks only call them.

>>> reg = pd.DataFrame({"indicator_id": ["registered_poor_persons"] * 2, "year": [2015, 2016],
...     "geography": ["华池县"] * 2, "breakdown": [pd.NA, pd.NA], "value": [100.0, 60.0]})
>>> series(reg, "华池县", ["registered_poor_persons"]).loc[2016, "registered_poor_persons"]
np.float64(60.0)
"""

from __future__ import annotations

import pandas as pd

from huachi_analysis.county import COUNTY

#: Domains whose county targets are the headline figures.
HEADLINE_DOMAINS = ("population", "income")
STATUS_ORDER = ("achieved", "on_track", "at_risk", "off_track", "missed", "incomplete", "no_data",
                "not_due", "baseline")
#: Village schedule statuses as the briefings show them: ``overdue`` (到期未退出) is the
#: progress step's ``late`` for a village that has not exited yet (``late`` is then a village
#: that exited, but after its scheduled year), so the exited ones add up to "53/56".
SCHEDULE_ORDER = ("early", "on_schedule", "late", "overdue", "not_yet", "no_data")
# registry indicator ids (progress_registry)
POOR_PERSONS = "registered_poor_persons"
POOR_HOUSEHOLDS = "registered_poor_households"
EXITS_PERSONS = "poverty_exits_persons"
EXITS_HOUSEHOLDS = "poverty_exits_households"
RETURNS_PERSONS = "returns_to_poverty_persons"
INCIDENCE = "poverty_incidence"
INCOME_MEAN = "poor_income_per_capita"
BELOW_LINE = "share_below_poverty_line"
BY_CAUSE = "poor_households_by_cause"


def _totals(registry: pd.DataFrame) -> pd.DataFrame:
    if "breakdown" not in registry:
        return registry
    b = registry["breakdown"]
    return registry[b.isna() | (b.astype("string").fillna("") == "")]


def series(registry: pd.DataFrame, geography: str, indicators: list[str],
           as_of: int | None = None) -> pd.DataFrame:
    """Registry indicators of one geography as a year × indicator frame (totals only), up to
    the report year ``as_of``: a briefing shows nothing its reader could not have known."""
    r = _totals(registry)
    r = r[(r["geography"] == geography) & r["indicator_id"].isin(indicators)]
    if as_of is not None:
        r = r[r["year"] <= as_of]
    wide = r.pivot_table(index="year", columns="indicator_id", values="value", aggfunc="first")
    wide = wide.reindex(columns=[i for i in indicators])
    wide.index = wide.index.astype(int)
    return wide.sort_index().astype(float)


def _pick_target(rows: pd.DataFrame, year: int) -> pd.Series:
    """The milestone that matters in ``year``: the first due then or later, else the last."""
    rows = rows.sort_values(["period_end", "target_id"])
    upcoming = rows[rows["period_end"] >= year]
    return upcoming.iloc[0] if len(upcoming) else rows.iloc[-1]


def _with_progress(targets: pd.DataFrame, progress: pd.DataFrame, year: int,
                   geography: str) -> pd.DataFrame:
    p = progress[(progress["year"] == year) & (progress["geography"] == geography)]
    extra = [c for c in ("progress_ratio", "years_missing", "note", "actual_origin",
                         "actual_is_synthetic", "actual_provenance") if c in p.columns]
    p = p[["target_id", "actual", "target", "pct_achieved", "gap", "status", *extra]]
    out = targets.merge(p, on="target_id", how="left")
    out["status"] = out["status"].astype("string").fillna("no_data")
    return out


def headline(plan_targets: pd.DataFrame, progress_targets: pd.DataFrame, year: int,
             geography: str = COUNTY) -> pd.DataFrame:
    """One row per population/income indicator of the plan: the milestone that matters in
    ``year`` with its actual, percent achieved and status."""
    t = plan_targets[(plan_targets["geography"] == geography)
                     & plan_targets["domain"].isin(HEADLINE_DOMAINS)
                     & (plan_targets["target_kind"] != "deadline")]
    if t.empty:
        return t.assign(actual=pd.Series(dtype=float), status=pd.Series(dtype="string"))
    picked = pd.DataFrame([_pick_target(g, year) for _, g in t.groupby("indicator_id", sort=False)])
    out = _with_progress(picked, progress_targets, year, geography)
    order = {d: i for i, d in enumerate(HEADLINE_DOMAINS)}
    out = out.assign(_d=out["domain"].map(order)).sort_values(["_d", "clause", "target_id"])
    return out.drop(columns="_d").reset_index(drop=True)


def due_targets(plan_targets: pd.DataFrame, progress_targets: pd.DataFrame, year: int,
                geography: str = COUNTY, exclude_domains: tuple[str, ...] = HEADLINE_DOMAINS
                ) -> pd.DataFrame:
    """Every target of ``geography`` due by ``year`` (``period_end`` ≤ year) outside
    ``exclude_domains``, with its status as of ``year``; ordered by domain and deadline."""
    t = plan_targets[(plan_targets["geography"] == geography)
                     & (plan_targets["period_end"] <= year)
                     & ~plan_targets["domain"].isin(exclude_domains)]
    out = _with_progress(t, progress_targets, year, geography)
    return out.sort_values(["domain", "period_end", "target_id"]).reset_index(drop=True)


def status_counts(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Count of rows per ``by`` × status (columns in the fixed status order, zeros kept)."""
    if frame.empty:
        return pd.DataFrame(columns=list(STATUS_ORDER))
    c = frame.groupby([by, "status"]).size().unstack(fill_value=0)
    return c.reindex(columns=[s for s in STATUS_ORDER if s in c.columns], fill_value=0)


def trajectory(progress_trajectory: pd.DataFrame, indicator_id: str,
               geography: str = COUNTY, as_of: int | None = None) -> pd.DataFrame:
    """Planned against actual of one indicator and geography, by year. With ``as_of`` (the
    report year) the plan runs to its end but actuals and statuses stop at ``as_of``."""
    t = progress_trajectory
    t = t[(t["indicator_id"] == indicator_id) & (t["geography"] == geography)]
    if "series" in t:  # the plan's milestones; yearly and cumulative series are separate
        t = t[t["series"] == "milestones"]
    t = t[["year", "planned", "planned_is_derived", "actual", "status"]].sort_values("year")
    if as_of is not None:
        t = t.copy()
        later = t["year"] > as_of
        t.loc[later, "actual"] = pd.NA
        t.loc[later, "status"] = pd.NA
    return t


def shown_schedule(v: pd.DataFrame) -> pd.Series:
    """The schedule status a briefing shows: ``late`` split into exited late (``late``) and
    due but not exited (``overdue``)."""
    status = v["schedule_status"].astype("string")
    exited = v["exited"].astype("boolean").fillna(False) if "exited" in v else False
    return status.mask((status == "late") & ~exited, "overdue")


def with_registry_actuals(trajectory_rows: pd.DataFrame, registry: pd.DataFrame,
                          indicator_id: str, as_of: int, geography: str = COUNTY
                          ) -> pd.DataFrame:
    """A trajectory with the registry's figures for the years after the plan's last milestone
    (exits per year, villages exiting per year: the plan sets none after 2017, the registry
    counts them through the report year); a year the trajectory has keeps its own figures.
    A trajectory of fewer than two actuals (a baseline) is left as it is: no panel of its own."""
    if trajectory_rows["actual"].notna().sum() < 2:
        return trajectory_rows
    r = _totals(registry)
    r = r[(r["indicator_id"] == indicator_id) & (r["geography"] == geography)
          & (r["year"] <= as_of)]
    if r.empty:
        return trajectory_rows
    have = set(trajectory_rows.loc[trajectory_rows["actual"].notna(), "year"].astype(int))
    last = int(trajectory_rows["year"].max()) if len(trajectory_rows) else None
    extra = r[~r["year"].astype(int).isin(have)
              & ((r["year"] > last) if last is not None else True)]
    if extra.empty:
        return trajectory_rows
    add = pd.DataFrame({"year": extra["year"].astype(int).to_numpy(), "planned": float("nan"),
                        "planned_is_derived": False,
                        "actual": pd.to_numeric(extra["value"], errors="coerce").to_numpy(),
                        "status": pd.NA})
    out = pd.concat([trajectory_rows, add], ignore_index=True)
    return out.sort_values("year").reset_index(drop=True)


def village_exit_status(village_exits: pd.DataFrame, year: int,
                        township: str | None = None) -> pd.DataFrame:
    """The poor villages as of ``year`` (one township or all) with schedule and status
    (:func:`shown_schedule`) and the exit threshold (percent)."""
    v = village_exits[village_exits["year"] == year]
    if township is not None:
        v = v[v["township"] == township]
    v = v.assign(schedule_status=shown_schedule(v))
    cols = ["township", "village", "exit_year", "actual_exit_year", "incidence",
            "schedule_status", "exited", *[c for c in ("exit_threshold",) if c in v]]
    return v[cols].sort_values(["township", "exit_year", "village"]).reset_index(drop=True)


def schedule_counts(village_exits: pd.DataFrame, year: int) -> pd.DataFrame:
    """Township × schedule status (:func:`shown_schedule`): poor villages as of ``year``."""
    v = village_exits[village_exits["year"] == year]
    v = v.assign(schedule_status=shown_schedule(v))
    if v.empty:
        return pd.DataFrame(columns=list(SCHEDULE_ORDER))
    c = v.groupby(["township", "schedule_status"]).size().unstack(fill_value=0)
    return c.reindex(columns=[s for s in SCHEDULE_ORDER if s in c.columns], fill_value=0)


def league_table(registry: pd.DataFrame, year: int, townships: list[str]) -> pd.DataFrame:
    """Townships in ``year``: poor households and persons, exits, incidence, mean income and the
    reduction of poor persons since the first registry year; ranked by incidence (lowest first;
    equal incidence at two decimals shares a rank).
    """
    r = _totals(registry)
    r = r[r["geography"].isin(townships)]
    ids = [POOR_HOUSEHOLDS, POOR_PERSONS, EXITS_PERSONS, INCIDENCE, INCOME_MEAN]
    now = r[(r["year"] == year) & r["indicator_id"].isin(ids)].pivot_table(
        index="geography", columns="indicator_id", values="value", aggfunc="first")
    now = now.reindex(columns=ids)
    first_year = int(r["year"].min()) if len(r) else year
    base = r[(r["year"] == first_year) & (r["indicator_id"] == POOR_PERSONS)].set_index(
        "geography")["value"]
    now["reduction_pct"] = (1 - now[POOR_PERSONS] / base.reindex(now.index)) * 100
    now = now.astype(float).sort_values([INCIDENCE, POOR_PERSONS], na_position="last")
    # equal incidence (as printed, two decimals) shares a rank: never ranked arbitrarily
    now.insert(0, "rank", now[INCIDENCE].round(2).rank(method="min", na_option="bottom")
               .astype(int))
    now.index.name = "township"
    return now.reset_index()


def causes(registry: pd.DataFrame, year: int, geography: str = COUNTY) -> pd.DataFrame:
    """Poor households by main cause in ``year``: count and share, largest first."""
    r = registry[(registry["year"] == year) & (registry["geography"] == geography)]
    counts = r[r["indicator_id"] == BY_CAUSE].set_index("breakdown")["value"].astype(float)
    if counts.empty:
        return pd.DataFrame({"cause": pd.Series(dtype="string"), "households": [], "share": []})
    total = counts.sum()
    out = pd.DataFrame({"cause": counts.index.astype(str), "households": counts.to_numpy(),
                        "share": (counts / total * 100).to_numpy() if total else 0.0})
    return out.sort_values("households", ascending=False).reset_index(drop=True)


def quarantine_counts(findings: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Ingest findings by severity and rule: for errors, quarantined rows (each counted once,
    under its primary error, if the table marks one); for warnings, findings. One year (the
    ``finding_year`` or ``year`` column), or all if ``year`` is None."""
    ycol = "finding_year" if "finding_year" in findings else "year"
    f = findings if year is None or ycol not in findings else findings[findings[ycol] == year]
    if "primary" in f:
        f = f[(f["severity"] != "error") | f["primary"].fillna(False).astype(bool)]
    if f.empty:
        return pd.DataFrame({"severity": [], "rule": [], "rows": []})
    out = f.groupby(["severity", "rule"], dropna=False).size().rename("rows").reset_index()
    return out.sort_values(["severity", "rows"], ascending=[True, False]).reset_index(drop=True)


def audit_counts(counts: pd.DataFrame, year: int, township: str | None = None
                 ) -> pd.DataFrame:
    """Exit-audit findings of ``year`` by kind (households), from ``exit_audit_counts``
    (one township, or the county: every township summed)."""
    a = counts[counts["year"] == year]
    if township is not None:
        a = a[a["township"] == township]
    if a.empty:
        return pd.DataFrame({"finding": [], "households": []})
    out = a.groupby("finding")["households"].sum().rename("households").reset_index()
    return out.sort_values("households", ascending=False).reset_index(drop=True)


def plan_items(plan_targets: pd.DataFrame, plan_villages: pd.DataFrame, township: str,
               names: list[str]) -> pd.DataFrame:
    """Plan targets that name the township (any of ``names``) or one of its villages: by
    geography, or in the quoted plan text."""
    villages = plan_villages.loc[plan_villages["township"] == township, "village"].astype(str)
    words = [n for n in {*names, township, *villages} if n]
    geo = plan_targets["geography"].astype(str)
    quote = plan_targets["quote"].astype("string").fillna("")
    hit = (geo == township) | geo.str.startswith(f"{township}/")
    for w in words:
        hit |= quote.str.contains(w, regex=False)
    return plan_targets[hit].sort_values(["clause", "target_id"]).reset_index(drop=True)


def compare(registry: pd.DataFrame, year: int, township: str,
            geography_county: str = COUNTY) -> pd.DataFrame:
    """Township against county in ``year``: incidence, mean income, share below the poverty
    line, and the reduction of poor persons since the first registry year (percent)."""
    rows = []
    r = _totals(registry)
    first_year = int(r["year"].min()) if len(r) else year
    for geo in (township, geography_county):
        s = series(r, geo, [POOR_PERSONS, INCIDENCE, INCOME_MEAN, BELOW_LINE])
        now = s.loc[year] if year in s.index else pd.Series(dtype=float)
        base = s[POOR_PERSONS].get(first_year, float("nan")) if len(s) else float("nan")
        red = (1 - now.get(POOR_PERSONS, float("nan")) / base) * 100 if base else float("nan")
        rows.append({"geography": geo, INCIDENCE: now.get(INCIDENCE, float("nan")),
                     INCOME_MEAN: now.get(INCOME_MEAN, float("nan")),
                     BELOW_LINE: now.get(BELOW_LINE, float("nan")), "reduction_pct": red})
    return pd.DataFrame(rows).set_index("geography").T


def income_stats(summary: pd.DataFrame, year: int, geography: str | None = None
                 ) -> pd.DataFrame:
    """``income_summary`` rows of ``year``: one geography, or (``None``) every township."""
    s = summary[summary["year"] == year]
    s = s[s["geography"] == geography] if geography is not None else s[s["level"] == "township"]
    return s.reset_index(drop=True)


def income_bins(distribution: pd.DataFrame, year: int, geography: str) -> pd.DataFrame:
    """The income histogram of one geography and year (``income_distribution``, bin order)."""
    d = distribution[(distribution["year"] == year) & (distribution["geography"] == geography)]
    return d.sort_values("bin").reset_index(drop=True)


def poverty_line(poverty_lines: pd.DataFrame, year: int) -> float | None:
    """The year's poverty line (``poverty_lines``; None if the year has none)."""
    a = poverty_lines[poverty_lines["year"] == year]["poverty_line"].dropna()
    return float(a.iloc[0]) if len(a) else None
