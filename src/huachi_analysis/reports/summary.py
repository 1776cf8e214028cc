"""Page 1 of a briefing: key messages as sentences, headline figures, what needs attention and
what the figures rest on.

Two steps, both pure:

1. *facts* — plain numbers read from the processed tables (:func:`county_facts`,
   :func:`township_facts`): poor persons, exits, incidence, villages, counts of targets by
   status, kinds of figure, reasons for gaps. Tests recompute them from the tables.
2. *sentences* — the facts put into the sentence templates of the label catalogue
   (``msg_…`` entries of ``labels.yml``, one per language), numbers formatted as the plan
   writes them (``Labels.quantity``; a percentage never printed negative: a fall is written as
   a fall). The briefing passes itself as ``b`` for its labels and number formats
   (``b.L``, ``b.actual_text``, ``b.target_text``, ``b.indicator_name``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from huachi_analysis.county import COUNTY
from huachi_analysis.reports import origins as O
from huachi_analysis.reports import reconcile as RC
from huachi_analysis.reports import tables as T
from huachi_analysis.reports import target_rows as R
from huachi_analysis.reports import village_exits as VX

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

#: Items named in one "needs attention" line, by language (English names are about three
#: times as long: page 1 must hold the summary).
NAMED = {"zh": 3, "en": 2}
#: Townships above the county's incidence named on page 1: every one in Chinese (15 at most),
#: the highest three in English (with the count of all).
TOWNSHIPS_NAMED = {"zh": 15, "en": 3}


# ---- facts ----------------------------------------------------------------------------------
def registry_value(registry: pd.DataFrame, indicator: str, year: int, geography: str
                   ) -> float | None:
    """One registry indicator (total, no breakdown) of a year and geography, or None."""
    r = T._totals(registry)
    r = r[(r["indicator_id"] == indicator) & (r["year"] == year) & (r["geography"] == geography)]
    v = pd.to_numeric(r["value"], errors="coerce").dropna()
    return float(v.iloc[0]) if len(v) else None


def change_pct(now: float | None, before: float | None) -> float | None:
    """Change from ``before`` to ``now`` in percent (negative: a fall), None if unknown."""
    if now is None or before is None or not before:
        return None
    return (now - before) / before * 100


def persons_facts(registry: pd.DataFrame, year: int, geography: str) -> dict:
    """Poor persons and households at the end of ``year``, exits in it, and the change in poor
    persons since the first registry year."""
    r = T._totals(registry)
    years = r.loc[(r["geography"] == geography) & (r["indicator_id"] == T.POOR_PERSONS), "year"]
    first = int(years.min()) if len(years) else year
    persons = registry_value(registry, T.POOR_PERSONS, year, geography)
    base = registry_value(registry, T.POOR_PERSONS, first, geography)
    return {"year": year, "first_year": first, "persons": persons, "persons_first": base,
            "households": registry_value(registry, T.POOR_HOUSEHOLDS, year, geography),
            "exits": registry_value(registry, T.EXITS_PERSONS, year, geography),
            "returns": registry_value(registry, T.RETURNS_PERSONS, year, geography),
            "incidence": registry_value(registry, T.INCIDENCE, year, geography),
            "change_pct": change_pct(persons, base) if first != year else None}


#: Poor villages as of a year (:mod:`~huachi_analysis.reports.village_exits`).
village_facts = VX.village_facts


def plan_schedule(plan_villages: pd.DataFrame, township: str | None = None) -> pd.Series:
    """The plan's poor villages by scheduled exit year (clause 5)."""
    v = plan_villages[plan_villages["is_poor_village"].astype("boolean").fillna(False)]
    if township is not None:
        v = v[v["township"] == township]
    years = pd.to_numeric(v["exit_year"], errors="coerce").dropna().astype(int)
    return years.value_counts().sort_index()


def origin_facts(rows: pd.DataFrame) -> dict:
    """Kinds of figure among rows with an actual: counts by origin, synthetic, replaced."""
    with_actual = rows[rows["actual"].notna()] if len(rows) else rows
    by_origin: Counter = Counter()
    real_by_origin: Counter = Counter()
    synthetic = real = 0
    replaced: list[str] = []
    for r in with_actual.to_dict("records"):
        codes, synth, repl = O.origin_codes(r.get("actual_origin"), r.get("actual_is_synthetic"),
                                            r.get("actual_provenance"))
        by_origin.update(codes or ["department"])
        synthetic += bool(synth)
        real += not synth
        if not synth:
            real_by_origin.update(codes or ["department"])
        if repl:
            replaced.append(str(r.get("target_id")))
    return {"measured": len(with_actual), "by_origin": {o: by_origin[o] for o in O.ORIGINS
                                                        if by_origin[o]},
            "synthetic": synthetic, "real": real, "replaced": replaced,
            "real_by_origin": dict(real_by_origin)}


def gap_facts(rows: pd.DataFrame) -> dict[str, dict]:
    """Rows without a usable figure, by reason code: count, target ids and the years named."""
    out: dict[str, dict] = {}
    for r in rows.to_dict("records"):
        if r.get("status") not in ("no_data", "incomplete"):
            continue
        code, fields = O.gap_reason(r) or ("other", {})
        entry = out.setdefault(code, {"n": 0, "targets": [], "years": set()})
        entry["n"] += 1
        entry["targets"].append(str(r.get("target_id")))
        for k in ("year", "years"):
            if fields.get(k):
                entry["years"].update(str(fields[k]).split("、"))
    return out


def county_facts(data, year: int, headline: pd.DataFrame, rows: pd.DataFrame | None = None
                 ) -> dict:
    """Every number page 1 of the county briefing quotes (``data``: a ReportData; ``rows``:
    the county's targets with progress, :func:`target_rows.with_progress`)."""
    if rows is None:
        rows = R.with_progress(data["plan_targets"], data["progress_targets"], year)
    graded = rows[rows["target_kind"] != "baseline"]
    due, prog = R.due(graded, year), R.in_progress(graded, year)
    not_started = graded[(graded["period_end"] > year) & (graded["status"] == "not_due")]
    base_year = bool(len(graded)) and bool((graded["status"] == "not_due").all())
    return {"year": year, **persons_facts(data["progress_registry"], year, COUNTY),
            "headline": headline, "rows": rows,
            "villages": village_facts(data["village_exits"], year),
            "schedule": plan_schedule(data["plan_villages"]),
            "due": due, "in_progress": prog, "due_counts": R.counts(due),
            "progress_counts": R.counts(prog), "not_started": len(not_started),
            "baselines": int((rows["target_kind"] == "baseline").sum()), "base_year": base_year,
            "origins": origin_facts(rows[rows["status"] != "not_due"]),
            "gaps": gap_facts(rows),
            "flows": RC.flows(data["progress_registry"], year, COUNTY)}


def headline_row(headline: pd.DataFrame, indicator: str) -> dict | None:
    h = headline[headline["indicator_id"] == indicator]
    return h.iloc[0].to_dict() if len(h) else None


def exits_target(headline: pd.DataFrame, rows: pd.DataFrame, year: int) -> dict | None:
    """The plan's number of exits for ``year`` itself (a flow target ending that year)."""
    r = rows[(rows["indicator_id"] == T.EXITS_PERSONS) & (rows["period_end"] == year)
             & (rows["period_start"].fillna(year) == year)]
    return r.iloc[0].to_dict() if len(r) else None


# ---- wording helpers --------------------------------------------------------------------------
def pct_text(value: float | None, decimals: int = 1) -> str:
    """A percentage as a positive number (the sentence says rise or fall)."""
    return "—" if value is None or pd.isna(value) else f"{abs(float(value)):,.{decimals}f}"


def _join(b: Briefing, items: list[str], total: int | None = None) -> str:
    L = b.L
    total = len(items) if total is None else total
    named = NAMED.get(b.lang, 3)
    text = L("list_sep").join(items[:named])
    if total > named:
        text += L("and_more", n=total - named)
    return text


def status_word(b: Briefing, status: object) -> str:
    """A status inside a sentence (lower case in English: "on track")."""
    text = b.L.status(status)
    return text.lower() if b.lang == "en" else text


#: Order of statuses in a count: what went well first, then by concern.
PARTS_ORDER = {"achieved": 0, "on_track": 1, **{s: 2 + i for s, i in R.CONCERN.items()
                                                if s not in ("achieved", "on_track")}}


def status_parts(b: Briefing, counts: dict[str, int], not_due_yet: bool = False) -> str:
    """``76项已实现、8项到期未完成`` / ``76 achieved, 8 missed``. Among targets not yet due a
    ``missed`` one is a yearly requirement not met this year (当年未达标)."""
    L = b.L
    parts = []
    for s, n in sorted(counts.items(), key=lambda kv: PARTS_ORDER.get(kv[0], 99)):
        word = status_word(b, s)
        if not_due_yet and s == "missed":
            word = L("status_missed_year") if b.lang == "zh" else L("status_missed_year").lower()
        parts.append(L("n_status", n=n, status=word))
    return L("list_sep").join(parts)


def _origin_mark(b: Briefing, row: dict) -> str:
    """``（公开统计）`` after a figure that does not come from the registry (the basis lines say
    the rest is registry data); ``（建档立卡人均纯收入）`` for a disposable-income target measured
    by the registry's net income."""
    L = b.L
    codes, synth, _ = O.origin_codes(row.get("actual_origin"), row.get("actual_is_synthetic"),
                                     row.get("actual_provenance"))
    if codes == ["registry"]:
        concept = row.get("income_concept")
        return L("mark_net_income") if concept in ("disposable", "gross") else ""
    if not codes:
        return ""
    names = L("list_sep").join(L(f"origin_{c}") for c in codes)
    return L("mark_origin", origin=names + (L("list_sep") + L("origin_synthetic") if synth
                                            else ""))


def plan_figure(b: Briefing, row: dict) -> str:
    """The plan's figure without its sign (``5.47%``, ``4,200人``)."""
    return b.L.quantity(row.get("value_base"), row.get("unit_base"), b._decimals(row), exact=True)


def level_sentence(b: Briefing, row: dict) -> str | None:
    """One headline target as a clause: actual, plan figure, 完成度 or gap, status."""
    L = b.L
    if row is None or pd.isna(row.get("actual")):
        return None
    status = str(row.get("status"))
    fields = {"name": b.indicator_name(row), "actual": b.actual_text(row),
              "origin": _origin_mark(b, row), "end": int(row["period_end"]),
              "target": plan_figure(b, row), "status": status_word(b, status)}
    if str(row.get("direction")) == "lower":
        gap = pd.to_numeric(row.get("gap"), errors="coerce")
        if status == "achieved" or (not pd.isna(gap) and gap <= 0):
            return L("msg_lower_at" if not pd.isna(gap) and gap == 0 else "msg_lower_met",
                     **fields)
        if status == "missed" and not pd.isna(gap):
            unit = row.get("unit_base")
            unit = "percentage_points" if unit == "percent" else unit
            return L("msg_lower_missed", **fields,
                     gap=L.quantity(abs(float(gap)), unit, max(b._decimals(row), 1)))
        return L("msg_lower_progress", **fields)
    pct = pd.to_numeric(row.get("pct_achieved"), errors="coerce")
    if pd.isna(pct):
        return L("msg_level_no_pct", **fields)
    return L("msg_level", **fields, pct=pct_text(pct))


def _with_flows(b: Briefing, text: str, f: dict) -> str:
    """The poor-persons sentence and how last year's figure became this year's (exits,
    returns, newly registered; what does not add up said as a number)."""
    extra = RC.sentence(b, f.get("flows"))
    return text if not extra else text + ("" if b.lang == "zh" else " ") + extra


# ---- county page 1 ------------------------------------------------------------------------------
def county_messages(b: Briefing, f: dict) -> list[str]:
    """The 4–6 key messages of the county briefing."""
    L, year, out = b.L, f["year"], []
    people = "people"
    if f["exits"] is not None and not f["base_year"]:
        plan = exits_target(f["headline"], f["rows"], year)
        exits = L.quantity(f["exits"], people)
        if plan is not None and not pd.isna(plan.get("pct_achieved")):
            out.append(L("msg_exits_plan", year=year, exits=exits, target=plan_figure(b, plan),
                         pct=pct_text(plan["pct_achieved"])))
        else:
            out.append(L("msg_exits_no_plan", year=year, exits=exits))
    row = headline_row(f["headline"], T.INCIDENCE)
    inc = level_sentence(b, row or {})
    if f["incidence"] is None and row is not None:
        # no rural population for the year: the target's last figure is not this year's
        out.append(L("msg_incidence_unknown", year=year))
    elif inc:
        out.append(inc + L("sentence_end"))
    elif row is not None and f["incidence"] is not None:  # not yet evaluated (the base year)
        out.append(L("msg_incidence_before", value=L.quantity(f["incidence"], "percent", 2),
                     end=int(row["period_end"]), target=plan_figure(b, row)))
    if f["persons"] is not None:
        fields = {"year": year, "persons": L.quantity(f["persons"], people),
                  "households": L.quantity(f["households"], "households"),
                  "first": f["first_year"], "pct": pct_text(f["change_pct"])}
        key = ("msg_persons_base" if f["change_pct"] is None else
               "msg_persons_none" if f["persons"] == 0 else
               "msg_persons_fall" if f["change_pct"] <= 0 else "msg_persons_rise")
        out.append(_with_flows(b, L(key, **fields, before=L.quantity(f["persons_first"],
                                                                      people)), f))
    found = [x for x in (level_sentence(b, headline_row(f["headline"], i) or {})
                         for i in ("rural_income_per_capita", T.INCOME_MEAN)) if x]
    incomes = [x if i == 0 else L.inline(x) for i, x in enumerate(found)]
    if incomes:
        out.append(L("clause_sep").join(incomes) + L("sentence_end"))
    base = [r for r in f["headline"].to_dict("records")
            if r.get("target_kind") == "baseline" and int(r["period_end"]) == year]
    if base:  # the plan's base year: its baselines beside the registry's figures
        parts = [L("item_baseline", name=b.indicator_name(r), plan=plan_figure(b, r),
                   actual=b.actual_text(r)) for r in base]
        out.append(L("msg_baselines", year=year, parts=L("list_sep").join(parts)))
    v = f["villages"]
    if not v["total"] and len(f["schedule"]):
        parts = [L("item_year_count", year=y, n=n) for y, n in f["schedule"].items()]
        out.append(L("msg_villages_schedule", total=int(f["schedule"].sum()),
                     parts=L("list_sep").join(parts)))
    village_line = VX.message(b, v, year) if v["total"] else None
    if village_line:
        out.append(village_line)
    due_n, prog_n = sum(f["due_counts"].values()), sum(f["progress_counts"].values())
    if due_n or prog_n:
        due_text = (L("msg_targets_due", n=due_n, year=year, parts=status_parts(b, f["due_counts"]))
                    if due_n else L("msg_targets_none_due", year=year))
        prog_text = (L("msg_targets_progress", n=prog_n,
                       parts=status_parts(b, f["progress_counts"], not_due_yet=True))
                     if prog_n else "")
        out.append(L("clause_sep").join(x for x in (due_text, prog_text) if x)
                   + L("sentence_end"))
    return out[:6]


def key_figure_persons(b: Briefing, f: dict) -> tuple[str, str, str]:
    L = b.L
    if f["change_pct"] is None:
        note = L("kf_base_year")
    else:
        note = L("kf_change_fall" if f["change_pct"] <= 0 else "kf_change_rise",
                 first=f["first_year"], pct=pct_text(f["change_pct"]))
    return (L("kf_poor_persons", year=f["year"]), L.quantity(f["persons"], "people"), note)


def county_key_figures(b: Briefing, f: dict) -> list[tuple[str, str, str]]:
    L, year, out = b.L, f["year"], []
    if f["persons"] is not None:
        out.append(key_figure_persons(b, f))
    if f["exits"] is not None and not f["base_year"]:
        plan = exits_target(f["headline"], f["rows"], year)
        note = (L("kf_of_plan", pct=pct_text(plan["pct_achieved"]))
                if plan is not None and not pd.isna(plan.get("pct_achieved"))
                else L("kf_no_plan"))
        out.append((L("kf_exits", year=year), L.quantity(f["exits"], "people"), note))
    inc = headline_row(f["headline"], T.INCIDENCE)
    if inc is not None and f["incidence"] is None:  # never last year's figure under this year
        out.append((L("kf_incidence"), L.status("no_data"), L("kf_no_population", year=year)))
    elif inc is not None and not pd.isna(inc.get("actual")):
        out.append((L("kf_incidence"), b.actual_text(inc),
                    L("kf_plan", end=int(inc["period_end"]), target=b.target_text(inc))))
    v = f["villages"]
    if v["total"]:
        out.append((L("kf_villages"), L("kf_of_total", n=v["exited"], total=v["total"]),
                    VX.key_figure_note(b, v)))
    return out


def _target_item(b: Briefing, row: dict) -> str:
    """``农村饮水安全普及率（79.2%，目标100%）`` / ``县通高速（2020年）``; an English name in a
    list inside a sentence starts in lower case."""
    L = b.L
    row = {**row, "indicator_en": L.inline(str(row.get("indicator_en") or ""))
           or row.get("indicator_en")}
    if str(row.get("target_kind")) == "deadline":
        return L("item_deadline", name=b.indicator_name(row), end=int(row["period_end"]))
    if str(row.get("status")) == "incomplete":
        return L("item_incomplete", name=b.indicator_name(row),
                 years=O._years(row.get("years_missing")).replace("、", L("list_sep")))
    if pd.isna(row.get("actual")):
        return b.indicator_name(row)
    if str(row.get("target_kind")) in ("yearly_rate", "standing_rule"):
        if str(row.get("unit_base")) in ("yes_no", "是/否"):
            return L("item_year_not_done", name=b.indicator_name(row), year=b.year)
        return L("item_year", name=b.indicator_name(row), actual=b.actual_text(row),
                 target=b.target_text(row), year=b.year)
    return L("item_target", name=b.indicator_name(row), actual=b.actual_text(row),
             target=b.target_text(row))


def concern_lines(b: Briefing, due: pd.DataFrame, prog: pd.DataFrame, villages: dict | None,
                  worst_townships: list[tuple[str, float]] | None = None,
                  county_incidence: float | None = None) -> list[str]:
    """What is off track or late, and where: one sentence per kind of concern."""
    L, out = b.L, []
    for status, rows in (("missed", due[due["status"] == "missed"]),
                         ("incomplete_due", due[due["status"] == "incomplete"]),
                         ("missed_year", prog[prog["status"] == "missed"]),
                         ("off_track", prog[prog["status"] == "off_track"]),
                         ("at_risk", prog[prog["status"] == "at_risk"]),
                         ("incomplete", prog[prog["status"] == "incomplete"])):
        if rows.empty:
            continue
        numeric = rows[rows["target_kind"] != "deadline"]
        deadline = rows[rows["target_kind"] == "deadline"]
        items = [_target_item(b, r) for r in pd.concat([numeric, deadline]).to_dict("records")]
        if status in ("missed", "incomplete_due"):
            key, word = "concern_due", L.status(status.removesuffix("_due"))
        elif status == "missed_year":
            key, word = "concern_year", L("status_missed_year")
        else:
            key, word = "concern_progress", status_word(b, status)
        out.append(L(key, status=word, n=len(rows), items=_join(b, items), year=b.year))
    if villages:
        out += VX.concerns(b, villages)
    if worst_townships:
        items = [L("item_township", township=b.township_name(t),
                   value=b.L.quantity(x, "percent", 2)) for t, x in worst_townships]
        named = TOWNSHIPS_NAMED.get(b.lang, 15)
        key = "concern_townships" if len(items) <= named else "concern_townships_top"
        out.append(L(key, items=L("list_sep").join(items[:named]), n=len(items), top=named,
                     county=b.L.quantity(county_incidence, "percent", 2)))
    return out or [L("concern_none")]


def basis_lines(b: Briefing, origins: dict, gaps: dict, synthetic_registry: bool,
                baselines: int = 0, not_started: int = 0, scope: str = "county") -> list[str]:
    """What the figures rest on: kinds of figure, synthetic or real, targets without data and
    why."""
    L, out = b.L, []
    if scope == "township":  # persons, exits, incidence and villages: the registry
        out.append(L("basis_registry_township"))
    if origins["measured"]:
        parts = L("list_sep").join(L("n_origin", n=n, origin=L(f"origin_{o}"))
                                   for o, n in origins["by_origin"].items())
        out.append(L(f"basis_origins_{scope}", n=origins["measured"], parts=parts))
    merged = bool(origins["synthetic"] and origins["replaced"]
                  and len(origins["replaced"]) == origins["real"])
    if merged:  # the real figures are exactly those that replaced synthetic ones: one line
        out.append(L("basis_synthetic_replaced", n=origins["synthetic"], real=origins["real"]))
    elif origins["synthetic"]:
        out.append(L("basis_synthetic" if origins["real"] else "basis_synthetic_all",
                     n=origins["synthetic"], real=origins["real"]))
    if synthetic_registry and (scope == "township" or not origins["synthetic"]):
        out.append(L("basis_synthetic_registry"))
    if not synthetic_registry and not origins["synthetic"]:
        out.append(L("basis_all_real"))
    if origins["replaced"] and not merged:
        out.append(L("basis_replaced", n=len(origins["replaced"])))
    if gaps:
        reasons: list[str] = []
        for code, g in sorted(gaps.items(), key=lambda kv: -kv[1]["n"]):
            years = L("list_sep").join(sorted(g["years"]))
            reasons.append(L("n_reason", n=g["n"],
                             reason=L(f"reason_{code}", year=years, years=years)))
        out.append(L("basis_gaps", n=sum(g["n"] for g in gaps.values()),
                     parts=L("clause_sep").join(reasons)))
    extra = []
    if baselines:
        extra.append(L("basis_baselines", n=baselines))
    if not_started:
        extra.append(L("basis_not_started", n=not_started))
    if extra:
        out.append(L("clause_sep").join(extra) + L("sentence_end"))
    return out


def worst_townships(registry: pd.DataFrame, year: int, townships: list[str], county: float | None,
                    n: int | None = None) -> list[tuple[str, float]]:
    """The townships whose incidence in ``year`` is above the county's, highest first (every
    one, or the ``n`` highest)."""
    r = T._totals(registry)
    r = r[(r["indicator_id"] == T.INCIDENCE) & (r["year"] == year) & r["geography"].isin(townships)]
    s = pd.to_numeric(r.set_index("geography")["value"], errors="coerce").dropna()
    if county is not None:
        s = s[s > county]
    s = s.sort_values(ascending=False)
    return [(str(g), float(v)) for g, v in (s if n is None else s.head(n)).items()]


# ---- township page 1 ----------------------------------------------------------------------------
def finding_townships(findings: pd.DataFrame, townships: list[str]) -> pd.Series:
    """The township an ingest finding names in its message (``… (柔远镇; 228 row(s) …)``), or
    NA: the findings table has no township column, so only some findings can be placed."""
    if findings.empty or "message" not in findings:
        return pd.Series(pd.NA, index=findings.index, dtype="string")
    found = findings["message"].astype("string").str.extract(r"\(([^;()]+);")[0]
    return found.where(found.isin(townships)).astype("string")


def township_facts(data, year: int, township: str, targets: pd.DataFrame,
                   figures: pd.DataFrame) -> dict:
    """Every number page 1 of a township briefing quotes."""
    reg = data["progress_registry"]
    own = persons_facts(reg, year, township)
    county = persons_facts(reg, year, COUNTY)
    share = (own["persons"] / county["persons"] * 100
             if own["persons"] is not None and county["persons"] else None)
    mine = targets[targets["scope_row"] == "own"] if len(targets) else targets
    graded = mine[mine["target_kind"] != "baseline"] if len(mine) else mine
    f = data["registry_findings"]
    ycol = "finding_year" if "finding_year" in f else "year"
    f = f[f[ycol] == year] if ycol in f else f
    placed = finding_townships(f, data.townships)
    return {"year": year, "township": township, **own, "share_of_county": share,
            "county": county, "villages": village_facts(data["village_exits"], year, township),
            "targets": targets, "own_counts": R.counts(graded) if len(graded) else {},
            "county_named": int((targets["scope_row"] == "county").sum()) if len(targets) else 0,
            "figures": figures,
            "figures_concern": int(figures["status"].isin(R.CONCERNING).sum()) if len(figures)
            else 0,
            "origins": origin_facts(pd.concat([graded, figures], ignore_index=True)
                                    if len(figures) else graded),
            "gaps": gap_facts(graded) if len(graded) else {},
            "findings_own": int((placed == township).sum()),
            "findings_unplaced": int(placed.isna().sum()),
            "findings_total": len(f), "flows": RC.flows(reg, year, township)}


def township_messages(b: Briefing, f: dict) -> list[str]:
    L, year, out = b.L, f["year"], []
    name = b.township_name(f["township"])
    if f["persons"] is not None:
        fields = {"year": year, "township": name, "persons": L.quantity(f["persons"], "people"),
                  "households": L.quantity(f["households"], "households"),
                  "share": pct_text(f["share_of_county"]), "first": f["first_year"],
                  "pct": pct_text(f["change_pct"])}
        key = ("msg_tw_persons_base" if f["change_pct"] is None else
               "msg_tw_persons_none" if f["persons"] == 0 else
               "msg_tw_persons_fall" if f["change_pct"] <= 0 else "msg_tw_persons_rise")
        out.append(_with_flows(b, L(key, **fields,
                                    before=L.quantity(f["persons_first"], "people")), f))
    if f["exits"] is not None:
        c = f["county"]["exits"]
        fields = {"year": year, "exits": L.quantity(f["exits"], "people"),
                  "share": pct_text(f["exits"] / c * 100 if c else None),
                  "returns": L.quantity(f["returns"], "people")}
        out.append(L("msg_tw_exits_returns" if f["returns"] else "msg_tw_exits", **fields))
    inc, cinc = f["incidence"], f["county"]["incidence"]
    if inc is not None and cinc is not None:
        key = ("msg_tw_incidence_above" if inc > cinc else
               "msg_tw_incidence_below" if inc < cinc else "msg_tw_incidence_same")
        out.append(L(key, value=L.quantity(inc, "percent", 2),
                     county=L.quantity(cinc, "percent", 2)))
    elif inc is None and f["persons"] is not None:  # registry rows but no rural population
        out.append(L("msg_incidence_unknown", year=year))
    out.append(VX.message(b, f["villages"], year, township=True) or L("msg_tw_no_villages"))
    n_own = sum(f["own_counts"].values())
    if n_own:
        out.append(L("msg_tw_targets", n=n_own, parts=status_parts(b, f["own_counts"]))
                   + (L("msg_tw_targets_named", n=f["county_named"]) if f["county_named"]
                      else "") + L("sentence_end"))
    else:
        out.append(L("msg_tw_no_targets", n=f["county_named"]) if f["county_named"]
                   else L("msg_tw_no_targets_at_all"))
    if len(f["figures"]):
        out.append(L("msg_tw_figures" if f["figures_concern"] else "msg_tw_figures_all_met",
                     n=len(f["figures"]), concern=f["figures_concern"]))
    return out[:6]


def township_key_figures(b: Briefing, f: dict) -> list[tuple[str, str, str]]:
    L, out = b.L, []
    if f["persons"] is not None:
        out.append(key_figure_persons(b, f))
    if f["exits"] is not None:
        out.append((L("kf_exits", year=f["year"]), L.quantity(f["exits"], "people"),
                    L("kf_county", value=L.quantity(f["county"]["exits"], "people"))))
    if f["incidence"] is not None:
        county = f["county"]["incidence"]
        out.append((L("kf_incidence"), L.quantity(f["incidence"], "percent", 2),
                    L("kf_county", value=L.quantity(county, "percent", 2))
                    if county is not None else ""))
    elif f["persons"] is not None:  # never an earlier year's figure under this year
        out.append((L("kf_incidence"), L.status("no_data"),
                    L("kf_no_population", year=f["year"])))
    v = f["villages"]
    if v["total"]:
        out.append((L("kf_villages"), L("kf_of_total", n=v["exited"], total=v["total"]),
                    VX.key_figure_note(b, v)))
    return out


def change_text(L, pct: float | None, decimals: int = 1) -> str:
    """A change in percent as words, never a negative number: ``减少12.3%`` / ``增加4.5%``."""
    if pct is None or pd.isna(pct):
        return "—"
    if round(abs(float(pct)), decimals) == 0:
        return L("change_none")
    return L("change_fall" if pct < 0 else "change_rise", pct=pct_text(pct, decimals))


def league_note(L, t: pd.DataFrame, year: int, base_year: bool) -> str | None:
    """What the township ranking means when it cannot rank: the base year (a starting point),
    every township at the same incidence, or some sharing a rank."""
    ranks = t["rank"]
    if len(t) and ranks.nunique() == 1:
        return L("league_all_tie", value=L.quantity(t["poverty_incidence"].iloc[0], "percent", 2))
    if base_year:
        return L("league_base_year", year=year)
    if ranks.duplicated().any():
        return L("league_ties")
    return None
