"""Facts computed from the plan's targets (``plan_derived``): never typed in, always by code.

* the end-2014 baseline implied by clause 4: poor population, rural population and poverty
  incidence (the plan gives exits and incidences for 2015–2017 but no rural population);
* the implied annual growth (CAGR) of each income series between consecutive milestones;
* milestones for the years the plan leaves out, by :func:`interpolate_milestones` (the rule
  the progress engine reuses for trajectories).

All functions are pure: ``plan_targets`` in, ``plan_derived`` rows out.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.county import COUNTY
from huachi_analysis.errors import HuachiError
from huachi_analysis.messages import both
from huachi_analysis.plan.kinds import MILESTONE_KINDS
from huachi_analysis.plan.source_text import format_value

INCOME_SERIES = ("rural_income_per_capita", "poor_income_per_capita")
BASELINE_YEAR = 2014


def _row(derived_id: str, indicator_id: str, name_zh: str, name_en: str, year: int,
         value: float, unit: str, method: str, inputs: Iterable[str],
         geography: str = COUNTY) -> dict:
    return {"derived_id": derived_id, "indicator_id": indicator_id, "name_zh": name_zh,
            "name_en": name_en, "geography": geography, "year": int(year),
            "derived_value": float(value), "derived_unit": unit, "method": method,
            "inputs": "|".join(inputs), "is_derived": True}


def milestones(targets: pd.DataFrame, indicator_id: str, geography: str = COUNTY
               ) -> pd.DataFrame:
    """The baseline, level and flow rows of one county-level (or ``geography``) series, by
    deadline year."""
    m = targets[(targets["indicator_id"] == indicator_id) & (targets["geography"] == geography)
                & targets["target_kind"].isin(["baseline", *MILESTONE_KINDS])
                & targets["value_base"].notna()]
    return m.sort_values(["period_end", "target_id"])


def _one(targets: pd.DataFrame, indicator_id: str, year: int) -> pd.Series:
    m = milestones(targets, indicator_id)
    m = m[m["period_end"] == year]
    if len(m) != 1:
        raise HuachiError(both("plan_target_missing", indicator_id=indicator_id, year=year,
                               found=len(m), ids=list(m["target_id"])))
    return m.iloc[0]


def baseline_2014(targets: pd.DataFrame, years: Iterable[int] = (2015, 2016, 2017)
                  ) -> pd.DataFrame:
    """The end-2014 baseline implied by clauses 1 and 4.

    For each year Y of ``years``: the poor still to exit at the end of Y is
    P − (exits of 2015..Y); the rural population implied by Y's incidence i_Y is
    (P − exits to Y) / i_Y; the 2014 incidence is P / that rural population. From consecutive
    years, the rural population is also implied without P: exits_Y / (i_{Y−1} − i_Y).

    Args:
        targets: ``plan_targets`` (needs ``registered_poor_persons`` of 2014,
            ``registered_poor_households``, ``poverty_exits_persons`` and
            ``poverty_incidence`` for ``years``).

    Returns:
        ``plan_derived`` rows.
    """
    years = sorted(years)
    poor = _one(targets, "registered_poor_persons", BASELINE_YEAR)
    hh = _one(targets, "registered_poor_households", BASELINE_YEAR)
    P = float(poor["value_base"])
    rows = [
        _row("D-2014-poor-persons", "registered_poor_persons", "2014年底建档立卡贫困人口",
             "Registered poor population, end 2014", BASELINE_YEAR, P, "people",
             f"clause 1 states {format_value(poor['value'])}{poor['unit']} = {format_value(P)} "
             "people; its date is not stated, taken as end-2014 (before the 2015 exits of "
             "clause 4); rounded to 3 significant figures in the plan (±50 people)",
             [poor["target_id"]]),
        _row("D-2014-poor-household-size", "registered_poor_persons",
             "2014年底贫困户户均人口", "Mean size of a registered poor household, end 2014",
             BASELINE_YEAR, P / float(hh["value_base"]), "people_per_household",
             f"poor population / poor households = {format_value(P)} / "
             f"{format_value(hh['value_base'])}", [poor["target_id"], hh["target_id"]]),
    ]
    cum, cum_ids = 0.0, []
    prev = None
    for y in years:
        ex = _one(targets, "poverty_exits_persons", y)
        inc = _one(targets, "poverty_incidence", y)
        cum += float(ex["value_base"])
        cum_ids.append(ex["target_id"])
        remaining = P - cum
        rural = remaining / (float(inc["value_base"]) / 100)
        exits_txt = " + ".join(format_value(v) for v in
                               targets.set_index("target_id").loc[cum_ids, "value_base"])
        rows.append(_row(
            f"D-{y}-poor-remaining", "poor_population_remaining", f"{y}年底剩余贫困人口（推算）",
            f"Poor population remaining at end {y} (implied)", y, remaining, "people",
            f"registered poor population − cumulative exits 2015–{y} = {format_value(P)} − "
            f"({exits_txt}) = {format_value(remaining)}", [poor["target_id"], *cum_ids]))
        rows.append(_row(
            f"D-2014-rural-population-via-{y}", "rural_population",
            f"2014年底农村人口（由{y}年目标推算）",
            f"Rural population implied by the {y} targets (end 2014)", BASELINE_YEAR, rural,
            "people",
            f"(registered poor − cumulative exits to {y}) / {y} incidence = "
            f"{format_value(remaining)} / {format_value(inc['value_base'])}% = {rural:.1f}; "
            "assumes a constant rural population 2014–" + str(y) + "; the three years give "
            "different values (see the audit)",
            [poor["target_id"], *cum_ids, inc["target_id"]]))
        rows.append(_row(
            f"D-2014-poverty-incidence-via-{y}", "poverty_incidence",
            f"2014年底贫困发生率（由{y}年目标推算）",
            f"Poverty incidence at end 2014 implied by the {y} targets", BASELINE_YEAR,
            100 * P / rural, "percent",
            f"registered poor / rural population implied by {y} = {format_value(P)} / "
            f"{rural:.1f} × 100",
            [poor["target_id"], *cum_ids, inc["target_id"]]))
        if prev is not None:
            p_inc, p_id = prev
            drop = float(p_inc) - float(inc["value_base"])
            rows.append(_row(
                f"D-rural-population-via-{y - 1}-{y}", "rural_population",
                f"农村人口（由{y - 1}—{y}年贫困面降幅推算）",
                f"Rural population implied by the {y - 1}→{y} fall in incidence", y,
                float(ex["value_base"]) / (drop / 100), "people",
                f"exits in {y} / fall in incidence {y - 1}→{y} = "
                f"{format_value(ex['value_base'])} / ({format_value(p_inc)} − "
                f"{format_value(inc['value_base'])})% (independent of the 2.78万 baseline)",
                [ex["target_id"], p_id, inc["target_id"]]))
        prev = (inc["value_base"], inc["target_id"])
    return pd.DataFrame(rows)


def income_growth(targets: pd.DataFrame, series: Iterable[str] = INCOME_SERIES
                  ) -> pd.DataFrame:
    """Implied compound annual growth of each income series between consecutive milestones
    and over its whole span: (v2 / v1) ** (1 / (y2 − y1)) − 1, in percent per year.

    The plan states no 2014 income, so growth into 2015 cannot be derived.
    """
    rows = []
    for ind in series:
        m = milestones(targets, ind)
        stones = list(m.drop_duplicates("period_end").itertuples())
        pairs = list(zip(stones[:-1], stones[1:], strict=True))
        if len(stones) > 2:
            pairs.append((stones[0], stones[-1]))
        for a, b in pairs:
            n = int(b.period_end) - int(a.period_end)
            g = ((float(b.value_base) / float(a.value_base)) ** (1 / n) - 1) * 100
            rows.append(_row(
                f"D-growth-{ind}-{a.period_end}-{b.period_end}", ind,
                f"{b.indicator_zh}年均增长率（{a.period_end}—{b.period_end}年，推算）",
                f"Implied annual growth of {b.indicator_en}, {a.period_end}–{b.period_end}",
                int(b.period_end), g, "percent_per_year",
                f"compound annual growth ({format_value(b.value_base)} / "
                f"{format_value(a.value_base)}) ^ (1/{n}) − 1 = {g:.2f}% per year",
                [a.target_id, b.target_id]))
    return pd.DataFrame(rows, columns=list(metadata.TABLES["plan_derived"].fields))


def _partitions(group: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Comparable milestones of one series: the level and flow rows together; cumulative rows
    only with those that count from the same start."""
    is_cum = group["target_kind"] == "cumulative"
    parts = [("", group[~is_cum])]
    cum = group[is_cum]
    for start, g in cum.groupby("period_start", dropna=False):
        parts.append((f"cumulative from {start}", g))
    return parts


def interpolate_milestones(targets: pd.DataFrame, years: Iterable[int] | None = None
                           ) -> pd.DataFrame:
    """Milestones for the years between two stated milestones of a series.

    Rule: a series is the level and flow rows (``target_kind``) of one ``indicator_id`` with the
    same ``scope``, ``geography`` and ``unit_base``; cumulative rows are compared only with
    cumulative rows
    that count from the same ``period_start`` (a 2015–2017 total and a 2018–2020 total are not
    milestones of one series). For a year Y the series does not state, lying between its
    nearest stated milestones (y0, v0) and (y1, v1), the milestone is the linear interpolation
    in ``value_base``: v0 + (v1 − v0) · (Y − y0) / (y1 − y0). A series stating two different
    values for one year is skipped (the audit reports it).

    Args:
        targets: ``plan_targets``.
        years: the years to fill; ``None`` fills every gap year of every series.

    Returns:
        ``plan_derived`` rows (``is_derived`` true), one per series and filled year.
    """
    wanted = None if years is None else set(int(y) for y in years)
    q = targets[targets["target_kind"].isin([*MILESTONE_KINDS, "cumulative"])
                & targets["value_base"].notna()]
    rows = []
    keys = ["indicator_id", "scope", "geography", "unit_base"]
    for (ind, scope, geo, unit), group in q.groupby(keys, sort=True, dropna=False):
        for label, part in _partitions(group):
            by_year = part.groupby("period_end")["value_base"].agg(["min", "max"])
            if by_year.empty or (by_year["min"] != by_year["max"]).any():
                continue
            stated = sorted(int(y) for y in by_year.index)
            for y0, y1 in zip(stated[:-1], stated[1:], strict=True):
                for y in range(y0 + 1, y1):
                    if wanted is not None and y not in wanted:
                        continue
                    r0 = part[part["period_end"] == y0].iloc[0]
                    r1 = part[part["period_end"] == y1].iloc[0]
                    v0, v1 = float(r0["value_base"]), float(r1["value_base"])
                    v = v0 + (v1 - v0) * (y - y0) / (y1 - y0)
                    suffix = "" if geo == COUNTY else f"-{geo}"
                    suffix += f"-{scope}" if _ambiguous_scope(q, ind, geo) else ""
                    suffix += f"-from{int(r0['period_start'])}" if label else ""
                    rows.append(_row(
                        f"D-interp-{ind}{suffix}-{y}", ind,
                        f"{r1['indicator_zh']}（{y}年，插值）",
                        f"{r1['indicator_en']} ({y}, interpolated)", y, v, unit,
                        f"linear interpolation in value_base between the nearest stated "
                        f"milestones {y0} ({format_value(v0)} {unit}, {r0['comparator']}) and "
                        f"{y1} ({format_value(v1)} {unit}, {r1['comparator']})"
                        + (f"; {label}" if label else ""),
                        [r0["target_id"], r1["target_id"]], geography=geo))
    return pd.DataFrame(rows, columns=list(metadata.TABLES["plan_derived"].fields))


def _ambiguous_scope(q: pd.DataFrame, indicator_id: str, geography: str) -> bool:
    s = q[(q["indicator_id"] == indicator_id) & (q["geography"] == geography)]
    return s["scope"].nunique() > 1


def derived(targets: pd.DataFrame) -> pd.DataFrame:
    """Every derived fact of the plan, validated as ``plan_derived``."""
    parts = [baseline_2014(targets), income_growth(targets), interpolate_milestones(targets)]
    parts = [p for p in parts if not p.empty]
    return metadata.conform(pd.concat(parts, ignore_index=True), "plan_derived")
