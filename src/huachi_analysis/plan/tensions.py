"""Audit checks over the targets: deadlines, arithmetic and tensions between statements.

Each check is a pure function of the plan text and ``plan_targets`` returning finding dicts
(:func:`huachi_analysis.plan.findings.finding`):

* :func:`deadline_conflicts` — one measure given full coverage by different years
  (contradiction: 自然村动力电全覆盖 by 2016, by 2017 and 100 % by 2020).
* :func:`annual_vs_total` — a yearly rate times the years of its total's period differs from
  the total (arithmetic: 3.3万亩 a year, 16.5万亩 in all, over 2015–2020).
* :func:`yearly_parts_vs_total` — single-year flows that do not add up to their total.
* :func:`implied_baseline` — clause 4's exits and incidences against the 2.78万 baseline
  (arithmetic beyond rounding; tension: no exits planned after 2017 yet 消除绝对贫困).
* :func:`implied_income` — a per-capita amount and its share imply another income than clause 4.
* :func:`stable_below` — "稳定在X以下" while an earlier milestone is above X.
* :func:`coverage_vs_count` — yearly counts said to complete county-wide coverage that add up
  to far less than the county's count of such units (22 + 20 natural villages vs 525).
* :func:`overlapping_rates` — two average growth rates for overlapping periods (20 % vs 30 %).
* :func:`yearly_or_cumulative` — single-year figures of one indicator years apart, not said
  to be yearly or cumulative (2.53万 vs 3.24万人次).
"""

from __future__ import annotations

import re

import pandas as pd

from huachi_analysis.county import COUNTY
from huachi_analysis.plan import derive
from huachi_analysis.plan.findings import finding, fmt
from huachi_analysis.plan.kinds import PLAN_START
from huachi_analysis.plan.source_text import format_value, occurrences

#: Words that say whether a figure is per year or a total.
_PERIOD_WORDS = ("每年", "当年", "累计", "年均", "共")


def _name(r: pd.Series, lang: str = "zh") -> str:
    col = "indicator_zh" if lang == "zh" else "indicator_en"
    v = r.get(col)
    return str(v) if isinstance(v, str) and v else str(r["indicator_id"])


def _measure(indicator_id: str) -> str:
    return re.sub(r"_rate$", "", indicator_id)


def deadline_conflicts(targets: pd.DataFrame) -> list[dict]:
    """One measure (``indicator_id``, ``_rate`` folded) given full coverage — a deadline row or
    100 percent — by different years."""
    out = []
    full = targets[(targets["target_kind"] == "deadline")
                   | ((targets["unit_base"] == "percent") & (targets["value_base"] == 100))]
    full = full.assign(measure=full["indicator_id"].map(_measure))
    for (measure, geo), g in full.groupby(["measure", "geography"]):
        years = sorted(set(int(y) for y in g["period_end"]))
        if len(years) > 1:
            g = g.sort_values(["period_end", "target_id"])
            first, last = g.iloc[0], g.iloc[-1]
            ids = ", ".join(g["target_id"])
            out.append(finding(
                "deadline_conflict", f"{measure}" + ("" if geo == COUNTY else f"_{geo}"),
                "contradiction",
                f"full coverage of {measure} ({geo}) is stated for "
                + ", ".join(map(str, years)) + f" ({ids})",
                f"{_name(first)}（{geo}）的全覆盖期限写了{len(years)}个年份："
                + "、".join(map(str, years)) + f"年（{ids}）", first["quote"], last["quote"]))
    return out


def annual_vs_total(targets: pd.DataFrame) -> list[dict]:
    """A yearly rate and a cumulative total of one indicator: total ÷ rate years vs the years of
    the total's period."""
    out = []
    q = targets[targets["value_base"].notna()]
    for ind, g in q.groupby("indicator_id"):
        annual = g[g["target_kind"] == "yearly_rate"]
        totals = g[g["target_kind"] == "cumulative"]
        for _, a in annual.iterrows():
            for _, t in totals.iterrows():
                implied = float(t["value_base"]) / float(a["value_base"])
                period = int(t["period_end"]) - int(t["period_start"]) + 1
                if abs(implied - period) <= 1e-9:
                    continue
                tot, rate = format_value(t["value"]), format_value(a["value"])
                yrs = format_value(round(implied, 4))
                full = format_value(round(period * float(a["value"]), 4))
                out.append(finding(
                    "annual_total_mismatch", ind, "arithmetic",
                    f"{tot}{t['unit']} ÷ {rate}{a['unit']} per year = {yrs} years, but "
                    f"{t['target_id']} spans {t['period_start']}–{t['period_end']} ({period} "
                    f"years; {period} × {rate} = {full}{a['unit']})",
                    f"累计{tot}{t['unit']} ÷ 每年{rate}{a['unit']} = {yrs}年，而{t['target_id']}"
                    f"的期限为{t['period_start']}—{t['period_end']}年（{period}年；{period} × {rate}"
                    f" = {full}{a['unit']}）", a["quote"], t["quote"]))
    return out


def yearly_parts_vs_total(targets: pd.DataFrame) -> list[dict]:
    """A cumulative total over a period and single-year flows of the same indicator for every
    year of that period: the parts must add up to the total."""
    out = []
    q = targets[targets["value_base"].notna()]
    for (ind, _geo), g in q.groupby(["indicator_id", "geography"]):
        single = g[(g["target_kind"] == "flow") & (g["period_start"] == g["period_end"])]
        for _, t in g[g["target_kind"] == "cumulative"].iterrows():
            years = range(int(t["period_start"]), int(t["period_end"]) + 1)
            parts = single[single["period_end"].isin(list(years))]
            if len(years) > 1 and sorted(parts["period_end"]) == list(years):
                total = float(parts["value_base"].sum())
                if abs(total - float(t["value_base"])) > 1e-9:
                    out.append(finding(
                        "parts_total_mismatch", ind, "arithmetic",
                        f"the yearly parts of {ind} add up to {format_value(total)}, the total "
                        f"{t['target_id']} is {format_value(t['value_base'])}",
                        f"{_name(t)}各年分项合计{format_value(total)}，总数{t['target_id']}为"
                        f"{format_value(t['value_base'])}", t["quote"], parts.iloc[0]["quote"]))
    return out


def _year_span(text: str, targets: pd.DataFrame, ids: list[str]) -> str:
    pos = [(occurrences(text, q)[0], len(q)) for q in targets.set_index("target_id").loc[ids,
                                                                                       "quote"]]
    return text[min(p for p, _ in pos): max(p + n for p, n in pos)]


def implied_baseline(text: str, targets: pd.DataFrame) -> list[dict]:
    """Clause 4 against the 2.78万 baseline: the rural populations implied by each year (a
    finding only beyond the rounding of 2.78万); exits to 2017 leave a remainder the plan
    schedules no exits for, while 2020 asks for < 5 % and 消除绝对贫困 (a tension)."""
    out = []
    d = derive.baseline_2014(targets)
    rural = d[d["derived_id"].str.startswith("D-2014-rural-population-via-")]
    poor = d.set_index("derived_id").loc["D-2014-poor-persons"]
    P = float(poor["derived_value"])
    last = rural.iloc[-1]
    y_last = int(last["derived_id"].rsplit("-", 1)[1])
    inc = {int(r.period_end): float(r.value_base) for r in
           derive.milestones(targets, "poverty_incidence").itertuples()}
    years = [int(i.rsplit("-", 1)[1]) for i in rural["derived_id"]]
    # 2.78万 is rounded to ±50 people; that moves the population implied via year y by
    # 50 / incidence_y
    tolerance = max(50 / (inc[y] / 100) for y in years)
    spread = rural["derived_value"].max() - rural["derived_value"].min()
    if spread > tolerance:
        vals = ", ".join(f"{fmt(v)} ({y})" for y, v in zip(years, rural["derived_value"],
                                                            strict=True))
        out.append(finding(
            "implied_value_mismatch", "rural_population_2014", "arithmetic",
            f"the rural population implied by (registered poor − cumulative exits) / incidence "
            f"differs by year beyond the rounding of 2.78万 (±{fmt(tolerance)}): {vals}",
            f"由（建档立卡贫困人口 − 累计脱贫）÷ 贫困面推算的农村人口各年不同，超出2.78万的舍入误差"
            f"（±{fmt(tolerance)}）：{vals}",
            targets.set_index("target_id").loc[poor["inputs"], "quote"],
            _year_span(text, targets, [last["inputs"].split("|")[-2],
                                       last["inputs"].split("|")[-1]])))
    remaining = float(d.set_index("derived_id").loc[f"D-{y_last}-poor-remaining",
                                                    "derived_value"])
    r2020 = derive.milestones(targets, "poverty_incidence")
    r2020 = r2020[r2020["period_end"] > y_last]
    if len(r2020):
        goal = r2020.iloc[-1]
        cap = float(goal["value_base"]) / 100 * float(last["derived_value"])
        exits = last["inputs"].split("|")[1:-1]
        share = 100 * remaining / P
        out.append(finding(
            "implied_value_mismatch", "exits_vs_baseline", "tension",
            f"exits 2015–{y_last} sum to {format_value(P - remaining)} of the {format_value(P)} "
            f"registered poor, leaving {format_value(remaining)} ({share:.1f}%) at end-{y_last}; "
            f"the plan sets no exit numbers after {y_last}, yet {goal['comparator']} "
            f"{format_value(goal['value_base'])}% by {int(goal['period_end'])} means fewer than "
            f"{fmt(cap)} poor on the implied rural population ({fmt(last['derived_value'])}), "
            "and 消除绝对贫困 would mean none",
            f"2015—{y_last}年计划脱贫合计{format_value(P - remaining)}人，建档立卡贫困人口"
            f"{format_value(P)}人中尚余{format_value(remaining)}人（{share:.1f}%）；{y_last}年后"
            f"未再安排脱贫人数，而{int(goal['period_end'])}年贫困发生率"
            f"{format_value(goal['value_base'])}%以下意味着按推算的农村人口"
            f"（{fmt(last['derived_value'])}人）贫困人口少于{fmt(cap)}人，“消除绝对贫困”则意味着为零",
            targets.set_index("target_id").loc[poor["inputs"], "quote"],
            _year_span(text, targets, [exits[0], exits[-1]])))
    return out


def implied_income(text: str, targets: pd.DataFrame) -> list[dict]:
    """Within one clause: a per-capita yuan amount and a percent "share" (占…的) imply a total
    per-capita income; compare it with clause 4's rural income for the same year."""
    out = []
    rural = derive.milestones(targets, "rural_income_per_capita")
    for clause, g in targets.groupby("clause"):
        amounts = g[(g["unit_base"] == "yuan") & g["indicator_id"].str.endswith("per_capita")]
        shares = g[(g["unit_base"] == "percent") & g["quote"].str.contains("占")]
        for _, a in amounts.iterrows():
            for _, s in shares.iterrows():
                if a["period_end"] != s["period_end"]:
                    continue
                implied = float(a["value_base"]) / (float(s["value_base"]) / 100)
                r = rural[rural["period_end"] == a["period_end"]]
                if not len(r) or abs(implied - float(r.iloc[0]["value_base"])) <= 0.5:
                    continue
                r0 = r.iloc[0]
                out.append(finding(
                    "implied_value_mismatch", f"income_{a['target_id']}", "tension",
                    f"clause {clause}: {format_value(a['value_base'])} yuan = "
                    f"{format_value(s['value_base'])}% implies a per-capita income of "
                    f"{fmt(implied)} yuan in {a['period_end']}, but clause 4 targets "
                    f"{fmt(r0['value_base'])} yuan ({r0['target_id']}; clause {clause} says "
                    "纯收入 (net income), clause 4 可支配收入 (disposable income))",
                    f"第{clause}条：{format_value(a['value_base'])}元占"
                    f"{format_value(s['value_base'])}%，意味着{a['period_end']}年农民人均收入"
                    f"{fmt(implied)}元，而第4条目标为{fmt(r0['value_base'])}元（{r0['target_id']}；"
                    f"第{clause}条用“纯收入”，第4条用“可支配收入”）",
                    _year_span(text, targets, [a["target_id"], s["target_id"]]), r0["quote"]))
    return out


def stable_below(targets: pd.DataFrame) -> list[dict]:
    """A target to stay (稳定在) below (or above) X while an earlier milestone of the same
    series is itself not below (above) X: staying presumes the level is already there."""
    out = []
    st = targets[targets["quote"].str.contains("稳定在") & targets["value_base"].notna()
                 & targets["comparator"].isin(["<", "<=", ">", ">="])]
    for _, s in st.iterrows():
        earlier = targets[(targets["indicator_id"] == s["indicator_id"])
                          & (targets["geography"] == s["geography"])
                          & (targets["unit_base"] == s["unit_base"])
                          & (targets["period_end"] < s["period_end"])
                          & targets["value_base"].notna()]
        lower = s["comparator"] in ("<", "<=")
        bad = earlier[earlier["value_base"] >= s["value_base"]] if lower else \
            earlier[earlier["value_base"] <= s["value_base"]]
        if bad.empty:
            continue
        b = bad.sort_values("period_end").iloc[-1]
        pct = "%" if s["unit_base"] == "percent" else f" {s['unit_base']}"
        v, bv = format_value(s["value_base"]) + pct, format_value(b["value_base"]) + pct
        word_en, word_zh = ("below", "以下") if lower else ("above", "以上")
        out.append(finding(
            "stable_below_milestone", s["target_id"], "tension",
            f"{s['target_id']} asks {s['indicator_id']} to stay (稳定在) {word_en} {v} by "
            f"{s['period_end']}, which presumes it is already there; yet the plan's own "
            f"{b['period_end']} milestone ({b['target_id']}) is set at {bv}, itself not "
            f"{word_en} {v} (a gap between two clauses of the plan, not a target missed)",
            f"{s['target_id']}要求{s['period_end']}年{_name(s)}“稳定在{v}{word_zh}”，以已达到为前提；"
            f"而规划给{b['period_end']}年定的阶段目标（{b['target_id']}）是{bv}，这个目标值本身就不在"
            f"{v}{word_zh}（是规划两处规定之间的落差，不是目标未完成）",
            s["quote"], b["quote"]))
    return out


def coverage_vs_count(targets: pd.DataFrame) -> list[dict]:
    """Yearly counts (flows) whose last year is said to complete county-wide coverage
    (全覆盖 in a deadline of that year quoting them) but that add up to less than the largest
    count of such units the plan states (22 + 20 natural villages vs 525). Counts of the
    "remaining" units (剩余) are left out: the rest are covered already."""
    out = []
    flows = targets[(targets["target_kind"] == "flow") & targets["value_base"].notna()]
    for (ind, _geo, unit), g in flows.groupby(["indicator_id", "geography", "unit_base"]):
        same = targets[targets["indicator_id"] == ind]
        if same["quote"].str.contains("剩余").any():
            continue
        last = g.sort_values("period_end").iloc[-1]
        claim = targets[(targets["target_kind"] == "deadline")
                        & (targets["period_end"] == last["period_end"])
                        & targets["quote"].str.contains("全覆盖")
                        & targets["quote"].str.contains(last["quote"], regex=False)]
        pool = targets[(targets["unit_base"] == unit) & targets["value_base"].notna()]
        if claim.empty or pool.empty:
            continue
        biggest = pool.loc[pool["value_base"].idxmax()]
        total = float(g["value_base"].sum())
        if total >= float(biggest["value_base"]):
            continue
        parts = " + ".join(format_value(v) for v in g.sort_values("period_end")["value_base"])
        c = claim.iloc[0]
        out.append(finding(
            "coverage_vs_count", ind, "tension",
            f"{parts} = {format_value(total)} {unit} ({', '.join(g['target_id'])}) are to complete "
            f"county-wide coverage ({c['target_id']}), while the plan counts "
            f"{format_value(biggest['value_base'])} {unit} ({biggest['target_id']}); it does not "
            "say the others are covered already",
            f"{parts} = {format_value(total)}个（{'、'.join(g['target_id'])}）即“实现全县全覆盖”"
            f"（{c['target_id']}），而规划另处写全县有{format_value(biggest['value_base'])}个"
            f"（{biggest['target_id']}），未说明其余已覆盖", c["quote"], biggest["quote"]))
    return out


def overlapping_rates(targets: pd.DataFrame) -> list[dict]:
    """Two average yearly rates (年均) of one indicator for overlapping periods with different
    values: the plan does not say which years each covers."""
    out = []
    rates = targets[targets["quote"].str.contains("年均") & targets["value_base"].notna()]
    for ind, g in rates.groupby("indicator_id"):
        g = g.sort_values(["period_end", "target_id"])
        rows = list(g.itertuples())
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                overlap = (int(a.period_start) <= int(b.period_end)
                           and int(b.period_start) <= int(a.period_end))
                if not overlap or a.value_base == b.value_base:
                    continue
                va, vb = format_value(a.value_base), format_value(b.value_base)
                out.append(finding(
                    "overlapping_rates", f"{a.target_id}_{b.target_id}", "tension",
                    f"{ind}: {va}% a year for {a.period_start}–{a.period_end} ({a.target_id}) "
                    f"and {vb}% a year for {b.period_start}–{b.period_end} ({b.target_id}) "
                    "overlap; the plan does not say which years the second covers",
                    f"{a.indicator_zh}：{a.period_start}—{a.period_end}年年均{va}%"
                    f"（{a.target_id}）与{b.period_start}—{b.period_end}年年均{vb}%"
                    f"（{b.target_id}）期限重叠，规划未说明后者从哪一年算起", a.quote, b.quote))
    return out


def yearly_or_cumulative(targets: pd.DataFrame) -> list[dict]:
    """Two single-year figures of one indicator years apart whose quotes say neither 每年 nor
    累计: read as yearly the second is a modest rise, read as cumulative it leaves little for
    the years between."""
    out = []
    flows = targets[(targets["target_kind"] == "flow") & targets["value_base"].notna()
                    & (targets["period_start"] == targets["period_end"])]
    for (ind, _geo), g in flows.groupby(["indicator_id", "geography"]):
        g = g.sort_values("period_end")
        for a, b in zip(list(g.itertuples())[:-1], list(g.itertuples())[1:], strict=True):
            gap = int(b.period_end) - int(a.period_end)
            if gap < 2 or any(w in a.quote + b.quote for w in _PERIOD_WORDS):
                continue
            rest = float(b.value) - float(a.value)
            va, vb, vr = (format_value(a.value), format_value(b.value),
                          format_value(round(rest, 6)))
            y0 = int(a.period_end)
            yr = f"{y0 + 1}–{b.period_end}"
            out.append(finding(
                "yearly_or_cumulative", ind, "tension",
                f"{ind}: {va}{a.unit} by {a.period_end} ({a.target_id}) and {vb}{b.unit} by "
                f"{b.period_end} ({b.target_id}) are not said to be yearly or cumulative; read "
                f"as cumulative since {PLAN_START}, {yr} adds only {vr}{b.unit} against {va}"
                f"{a.unit} in {PLAN_START}–{y0}",
                f"{_name(pd.Series(a._asdict()))}：{a.period_end}年{va}{a.unit}（{a.target_id}）"
                f"与{b.period_end}年{vb}{b.unit}（{b.target_id}）未说明是当年数还是累计数；"
                f"若为{PLAN_START}年起累计，{y0 + 1}—{b.period_end}年只需新增{vr}{b.unit}，"
                f"而{PLAN_START}—{y0}年为{va}{a.unit}", a.quote, b.quote))
    return out


def all_checks(text: str, targets: pd.DataFrame) -> list[dict]:
    """Every check of this module, in order."""
    return [*deadline_conflicts(targets), *annual_vs_total(targets),
            *yearly_parts_vs_total(targets), *implied_baseline(text, targets),
            *implied_income(text, targets), *stable_below(targets),
            *coverage_vs_count(targets), *overlapping_rates(targets),
            *yearly_or_cumulative(targets)]
