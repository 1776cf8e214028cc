"""The consistency audit (``plan_audit``): where the plan contradicts itself or is ambiguous.

Every check is a computation over the text and the tables; none is a list of typed-in
findings. Each finding carries two verbatim spans of the plan (``quote_a``, ``quote_b``):
slices of the text or target quotes, so they are exact substrings by construction.

Checks (in order):

* :func:`count_mentions` — "N个(建档立卡)贫困村" and "N个行政村" stated with different N;
  whole-county counts ("全县/县内 N个乡镇") against the township table.
* :func:`list_counts` — enumerations whose stated count differs from the items listed
  ("乔川、元城…等5个", "十项机制（…）").
* :func:`exit_schedule` — clause 5's stated counts against its lists, the targets and
  ``villages.csv``.
* :func:`name_variants` — township spellings other than the canonical one; villages written
  without 村; two villages with one name.
* :func:`repeated_deadlines` — one measure given full coverage by different years; one
  deadline stated twice in a clause.
* :func:`annual_vs_total` — a yearly rate times the period differs from the stated total.
* :func:`yearly_parts_vs_total` — single-year quantities that do not add up to their total.
* :func:`implied_baseline` — clause 4's exits and incidences against the 2.78万 baseline.
* :func:`implied_income` — a per-capita amount and its stated share imply a total that differs
  from clause 4.
* :func:`target_ambiguities` — every non-empty ``ambiguity`` of ``plan_targets``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher

import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.plan import derive
from huachi_analysis.plan.geography import Gazetteer, normalise_name
from huachi_analysis.plan.schedule import parse_exit_schedule
from huachi_analysis.plan.source_text import format_value, occurrences

#: Words before "N个贫困村" that restrict the count to a subset (有需求的37个贫困村).
SUBSET_QUALIFIERS = ("有需求的",)
_DELIMS = "，。；：\n（）"
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}


def _finding(kind: str, key: str, description: str, quote_a: str, quote_b: str | None) -> dict:
    return {"finding_id": f"A-{kind}-{key}", "kind": kind, "description": description,
            "quote_a": quote_a, "quote_b": quote_b}


def phrase(text: str, start: int, end: int, min_len: int = 10) -> str:
    """The verbatim phrase around ``text[start:end]``: out to the nearest ，。；：newline or
    bracket on either side (list separators 、 and the 乡（镇） of a word do not end a phrase);
    a phrase shorter than ``min_len`` takes in the phrase before it.

    >>> phrase("甲，2015年完成乔川、元城等2个乡（镇），乙", 5, 7)
    '2015年完成乔川、元城等2个乡（镇）'
    """
    a = start
    while a > 0 and (text[a - 1] not in _DELIMS or text[a - 2:a + 1] == "乡（镇"
                     or text[a - 3:a] == "（镇）"):
        a -= 1
    b = end
    while b < len(text) and (text[b] not in _DELIMS or text[b - 1:b + 2] == "乡（镇"
                             or text[b - 2:b + 1] == "（镇）"):
        b += 1
    if b - a < min_len and a > 1:
        a -= 1
        while a > 0 and text[a - 1] not in _DELIMS:
            a -= 1
    return text[a:b].strip()


def _to_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN_NUM[s]
    if s.startswith("十"):
        return 10 + _CN_NUM.get(s[1:], 0)
    return _CN_NUM[s[0]] * 10 + _CN_NUM.get(s[2:], 0)


# --- counts ------------------------------------------------------------------------------------

def count_mentions(text: str, villages: pd.DataFrame, townships: pd.DataFrame) -> list[dict]:
    """Counts of the same set stated differently in different places."""
    out = []
    n_poor = int(villages["is_poor_village"].sum())
    poor = [(int(m.group(1)), m.start(), m.end())
            for m in re.finditer(r"(\d+)个(?:建档立卡)?贫困村", text)
            if not text[:m.start()].endswith(SUBSET_QUALIFIERS)]
    ref = next((p for p in poor if p[0] == n_poor), None)
    for n, s, e in poor:
        if n != n_poor:
            out.append(_finding(
                "count_mismatch", f"poor_villages_{n}",
                f"the plan counts {n} poor villages here but lists {n_poor} in clause 5 "
                f"(and states {n_poor} {sum(p[0] == n_poor for p in poor)} times)",
                phrase(text, s, e), phrase(text, ref[1], ref[2]) if ref else None))
    admin = [(int(m.group(1)), m.start(), m.end()) for m in re.finditer(r"(\d+)个行政村", text)]
    for (n1, s1, e1), (n2, s2, e2) in zip(admin[:-1], admin[1:], strict=True):
        if n1 != n2:
            out.append(_finding(
                "count_mismatch", f"admin_villages_{n1}_{n2}",
                f"the county's administrative villages (行政村) are counted as {n1} in one place "
                f"and {n2} in another",
                phrase(text, s1, e1), phrase(text, s2, e2)))
    n_town = len(townships)
    for m in re.finditer(r"(?:全县|县内)(\d+)个乡(?:（镇）|\(镇\)|镇)", text):
        if int(m.group(1)) != n_town:
            out.append(_finding(
                "count_mismatch", f"townships_{m.group(1)}",
                f"the plan counts {m.group(1)} townships here; the county has {n_town}",
                phrase(text, m.start(), m.end()), None))
    return out


_ENUM_PAREN = re.compile(r"([一二两三四五六七八九十]+|\d+)(?:个|项)([^（(，。]{0,12})（([^）]*)）")
_ENUM_BEFORE = re.compile(r"((?:[\u4e00-\u9fff《》]+、)+[\u4e00-\u9fff《》]+?)(等)?[“\"]?"
                          r"([一二两三四五六七八九十]|\d+)个")


def list_counts(text: str) -> tuple[list[dict], list[dict]]:
    """Enumerations whose stated count differs from the number of items listed.

    Two shapes: "N个X（a、b、c）" (items in brackets, separated by 、 or ，) and
    "a、b、c(等)N个" (items before the count). "各N个" (N each) is not a count of the list.

    Returns:
        (findings, every enumeration checked as dicts with ``stated``, ``listed``, ``span``).
    """
    checked, out = [], []
    for m in _ENUM_PAREN.finditer(text):
        if m.group(3) == "镇":  # 乡（镇）: a word, not an enumeration
            continue
        items = [i for i in re.split(r"[、，]", m.group(3)) if i.strip()]
        checked.append({"stated": _to_int(m.group(1)), "listed": len(items),
                        "span": m.group(0), "start": m.start()})
    for m in _ENUM_BEFORE.finditer(text):
        if m.group(1).endswith("各"):
            continue
        checked.append({"stated": _to_int(m.group(3)), "listed": m.group(1).count("、") + 1,
                        "span": m.group(0), "start": m.start()})
    for c in checked:
        if c["stated"] != c["listed"]:
            out.append(_finding(
                "list_count_mismatch", f"{c['start']}",
                f"the plan states {c['stated']} but lists {c['listed']} items",
                c["span"], None))
    return out, checked


def exit_schedule(text: str, targets: pd.DataFrame, villages: pd.DataFrame,
                  resolve: Callable[[str], str | None]) -> list[dict]:
    """Clause 5: stated counts vs its lists, vs ``poor_villages_exited`` targets, vs
    ``villages.csv``; the total vs ``registered_poor_villages``."""
    out = []
    sched = parse_exit_schedule(text, resolve)
    for year, g in sched.groupby("exit_year"):
        stated, listed = int(g["stated_count"].iloc[0]), len(g)
        span = g["year_text"].iloc[0]
        head = span[:span.index("（")]
        if stated != listed:
            out.append(_finding("schedule_mismatch", f"{year}_list",
                                f"clause 5 states {stated} villages for {year} but lists {listed}",
                                head, span))
        t = targets[(targets["indicator_id"] == "poor_villages_exited")
                    & (targets["period_end"] == year) & (targets["geography"] == "华池县")]
        for _, r in t.iterrows():
            if float(r["value_base"]) != listed:
                out.append(_finding("schedule_mismatch", f"{year}_target",
                                    f"target {r['target_id']} gives {format_value(r['value_base'])}"
                                    f" villages for {year}; clause 5 lists {listed}",
                                    r["quote"], span))
        v = villages[villages["is_poor_village"] & (villages["exit_year"] == year)]
        if set(zip(v["township"], v["village"], strict=True)) != set(
                zip(g["township"], g["village"], strict=True)):
            out.append(_finding("schedule_mismatch", f"{year}_villages_csv",
                                f"villages.csv's poor villages exiting in {year} differ from the "
                                "clause-5 list", head, span))
    total = len(sched)
    for _, r in targets[targets["indicator_id"] == "registered_poor_villages"].iterrows():
        if float(r["value_base"]) != total:
            out.append(_finding("schedule_mismatch", "total",
                                f"{format_value(r['value_base'])} registered poor villages but "
                                f"clause 5 schedules {total}", r["quote"], None))
    return out


# --- names -------------------------------------------------------------------------------------

def _township_spellings(text: str, townships: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(canonical, spelling, position) of every township mention in the text.

    A suffixed spelling (…乡/…镇, canonical or alias) counts wherever it occurs unless it is
    part of a longer spelling at that position; a bare short form counts only as a list item
    (followed by 、 等 or a digit), since it also begins river and brand names (城壕川, 南梁绣女).
    """
    spellings: list[tuple[str, str]] = []
    for canon, aliases in zip(townships["township"], townships["aliases"], strict=True):
        spellings.append((canon, canon))
        for a in (aliases or "").split("|") if isinstance(aliases, str) else []:
            if a:
                spellings.append((canon, normalise_name(a)))
    spellings.sort(key=lambda cs: -len(cs[1]))
    taken: list[tuple[int, int]] = []
    found = []
    for canon, sp in spellings:
        for pos in occurrences(text, sp):
            end = pos + len(sp)
            if any(a <= pos < b for a, b in taken):
                continue
            suffixed = sp.endswith(("乡", "镇"))
            nxt = text[end:end + 1]
            if not suffixed and not (nxt in ("、", "等") or nxt.isdigit()):
                continue
            taken.append((pos, end))
            found.append((canon, sp, pos))
    return sorted(found, key=lambda f: f[2])


def name_variants(text: str, townships: pd.DataFrame, villages: pd.DataFrame) -> list[dict]:
    """Township spellings other than the canonical name; villages written without 村; two
    villages sharing a name."""
    out = []
    found = _township_spellings(text, townships)
    for canon in townships["township"]:
        mine = [(sp, pos) for c, sp, pos in found if c == canon]
        canon_pos = next((pos for sp, pos in mine if sp == canon), None)
        for sp in dict.fromkeys(sp for sp, _ in mine if sp != canon):
            pos = next(p for s, p in mine if s == sp)
            stem = canon[:-1]
            if sp == stem:
                kind, what = "name_abbreviated", "without its 乡/镇 suffix"
            elif sp.endswith(("乡", "镇")) and sp[:-1] == stem:
                kind, what = "name_variant", f"with the wrong suffix ({sp[-1]} for {canon[-1]})"
            else:
                kind, what = "name_variant", "in a shortened form"
            n = sum(1 for s, _ in mine if s == sp)
            out.append(_finding(
                kind, f"{canon}_{sp}",
                f"{canon} is written {sp} {what} ({n}×); canonical name {canon}",
                phrase(text, canon_pos, canon_pos + len(canon)) if canon_pos is not None
                else canon, phrase(text, pos, pos + len(sp))))
    poor = villages[villages["is_poor_village"]]
    bare = poor[poor["village_as_written"] != poor["village"]]
    if len(bare):
        groups = list(dict.fromkeys(bare["quote"]))
        out.append(_finding(
            "village_suffix_shared", "clause5",
            f"{len(bare)} of the {len(poor)} poor villages of clause 5 are written without 村: "
            "the suffix is written once at the end of each township's group "
            f"({len(groups)} groups), e.g. {bare['village_as_written'].iloc[0]} = "
            f"{bare['village'].iloc[0]}", groups[0], groups[-1]))
    for name, g in villages.groupby("village"):
        if g["township"].nunique() > 1:
            desc = "; ".join(f"{t}/{name} (exit {y if pd.notna(y) else '—'})"
                             for t, y in zip(g["township"], g["exit_year"], strict=True))
            out.append(_finding("duplicate_village_name", name,
                                f"two different villages are called {name}: {desc}; "
                                "a village must be keyed by (township, village)",
                                g["quote"].iloc[0], g["quote"].iloc[1]))
    return out


# --- deadlines, rates, arithmetic ---------------------------------------------------------------

def _measure(indicator_id: str) -> str:
    return re.sub(r"_rate$", "", indicator_id)


def repeated_deadlines(text: str, targets: pd.DataFrame, min_common: int = 7) -> list[dict]:
    """(a) One measure (``indicator_id``, ``_rate`` folded) given full coverage — a deadline row
    or 100 percent — by different years. (b) A deadline row and another row of the same clause
    and year whose quotes are separate spans of the text naming the same object: a run of
    ``min_common`` or more Chinese characters in common (the deadline stated twice)."""
    out = []
    full = targets[(targets["target_kind"] == "deadline")
                   | ((targets["unit_base"] == "percent") & (targets["value_base"] == 100))]
    full = full.assign(measure=full["indicator_id"].map(_measure))
    for (measure, geo), g in full.groupby(["measure", "geography"]):
        years = sorted(set(int(y) for y in g["period_end"]))
        if len(years) > 1:
            g = g.sort_values(["period_end", "target_id"])
            first, last = g.iloc[0], g.iloc[-1]
            out.append(_finding(
                "deadline_conflict", f"{measure}" + ("" if geo == "华池县" else f"_{geo}"),
                f"{measure} ({geo}) is to be complete by " + ", ".join(map(str, years))
                + f" ({', '.join(g['target_id'])})", first["quote"], last["quote"]))
    spans = {}
    for _, r in targets.iterrows():
        pos = occurrences(text, r["quote"])
        spans[r["target_id"]] = (pos[0], pos[0] + len(r["quote"])) if pos else None
    rows = list(targets.itertuples())
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if (a.clause != b.clause or a.period_end != b.period_end
                    or "deadline" not in (a.target_kind, b.target_kind)):
                continue
            sa, sb = spans[a.target_id], spans[b.target_id]
            if sa is None or sb is None or not (sa[1] <= sb[0] or sb[1] <= sa[0]):
                continue  # the same span, or one inside the other: one sentence, not two
            common = max(_cjk_runs_in_common(a.quote, b.quote), key=len, default="")
            if len(common) >= min_common:
                out.append(_finding(
                    "stated_twice", f"{a.target_id}_{b.target_id}",
                    f"clause {a.clause} states the {a.period_end} deadline of "
                    f"“{common}” twice ({a.target_id}, {b.target_id})", a.quote, b.quote))
    return out


def _cjk_runs_in_common(a: str, b: str) -> list[str]:
    """Maximal runs of Chinese characters that occur in both strings."""
    runs = []
    for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        runs += re.findall(r"[\u4e00-\u9fff]+", a[m.a:m.a + m.size])
    return runs


def annual_vs_total(targets: pd.DataFrame) -> list[dict]:
    """A per-year quantity and a cumulative total of one indicator: total / rate years vs the
    years of the total's period."""
    out = []
    q = targets[(targets["target_kind"] == "quantity") & targets["value_base"].notna()]
    for ind, g in q.groupby("indicator_id"):
        annual = g[~g["cumulative"] & g["quote"].str.contains("每年")]
        totals = g[g["cumulative"]]
        for _, a in annual.iterrows():
            for _, t in totals.iterrows():
                implied = float(t["value_base"]) / float(a["value_base"])
                period = int(t["period_end"]) - int(t["period_start"]) + 1
                if abs(implied - period) > 1e-9:
                    out.append(_finding(
                        "annual_total_mismatch", ind,
                        f"{format_value(t['value'])}{t['unit']} ÷ {format_value(a['value'])}"
                        f"{a['unit']} per year = {format_value(round(implied, 4))} years, but "
                        f"{t['target_id']} spans {t['period_start']}–{t['period_end']} "
                        f"({period} years; {period} × {format_value(a['value'])} = "
                        f"{format_value(round(period * float(a['value']), 4))}{a['unit']})",
                        a["quote"], t["quote"]))
    return out


def yearly_parts_vs_total(targets: pd.DataFrame) -> list[dict]:
    """A cumulative total over a period and single-year quantities of the same indicator for
    every year of that period: the parts must add up to the total."""
    out = []
    q = targets[(targets["target_kind"] == "quantity") & targets["value_base"].notna()]
    for (ind, _geo), g in q.groupby(["indicator_id", "geography"]):
        single = g[~g["cumulative"] & (g["period_start"] == g["period_end"])]
        for _, t in g[g["cumulative"]].iterrows():
            years = range(int(t["period_start"]), int(t["period_end"]) + 1)
            parts = single[single["period_end"].isin(list(years))]
            if len(years) > 1 and sorted(parts["period_end"]) == list(years):
                total = float(parts["value_base"].sum())
                if abs(total - float(t["value_base"])) > 1e-9:
                    out.append(_finding(
                        "parts_total_mismatch", ind,
                        f"the yearly parts of {ind} add up to {format_value(total)}, the total "
                        f"{t['target_id']} is {format_value(t['value_base'])}",
                        t["quote"], parts.iloc[0]["quote"]))
    return out


def _year_span(text: str, targets: pd.DataFrame, ids: list[str]) -> str:
    pos = [(occurrences(text, q)[0], len(q)) for q in targets.set_index("target_id").loc[ids,
                                                                                       "quote"]]
    return text[min(p for p, _ in pos): max(p + n for p, n in pos)]


def implied_baseline(text: str, targets: pd.DataFrame) -> list[dict]:
    """Clause 4 against the 2.78万 baseline: the implied rural populations disagree; exits to
    2017 leave a remainder the plan schedules no exits for."""
    out = []
    d = derive.baseline_2014(targets)
    rural = d[d["derived_id"].str.startswith("D-2014-rural-population-via-")]
    yoy = d[d["derived_id"].str.startswith("D-rural-population-via-")]
    poor = d.set_index("derived_id").loc["D-2014-poor-persons"]
    P = float(poor["derived_value"])
    last = rural.iloc[-1]
    y_last = int(last["derived_id"].rsplit("-", 1)[1])
    inc = {int(r.period_end): float(r.value_base) for r in
           derive.milestones(targets, "poverty_incidence").itertuples()}
    tol = ", ".join(f"±{50 / (inc[int(i.rsplit('-', 1)[1])] / 100):.0f} ({i.rsplit('-', 1)[1]})"
                    for i in rural["derived_id"])
    vals = ", ".join(f"{v:,.0f} ({i.rsplit('-', 1)[1]})" for i, v in
                     zip(rural["derived_id"], rural["derived_value"], strict=True))
    yv = ", ".join(f"{v:,.0f} ({i.split('-via-')[1]})" for i, v in
                   zip(yoy["derived_id"], yoy["derived_value"], strict=True))
    spread = rural["derived_value"].max() - rural["derived_value"].min()
    if spread > 0.5:
        ex_ids = last["inputs"].split("|")[1:-1]
        out.append(_finding(
            "implied_value_mismatch", "rural_population_2014",
            f"the rural population implied by (registered poor − cumulative exits) / incidence "
            f"differs by year: {vals} (spread {spread:,.0f}); from year-on-year falls in "
            f"incidence (no baseline needed): {yv}. The differences are within the rounding of "
            f"2.78万 (±50 people moves them by {tol}) and of the incidences",
            targets.set_index("target_id").loc[poor["inputs"], "quote"],
            _year_span(text, targets, [ex_ids[-1], last["inputs"].split("|")[-1]])))
    remaining = float(d.set_index("derived_id").loc[f"D-{y_last}-poor-remaining",
                                                    "derived_value"])
    r2020 = derive.milestones(targets, "poverty_incidence")
    r2020 = r2020[r2020["period_end"] > y_last]
    if len(r2020):
        cap = float(r2020.iloc[-1]["value_base"]) / 100 * float(last["derived_value"])
        exits = last["inputs"].split("|")[1:-1]
        out.append(_finding(
            "implied_value_mismatch", "exits_vs_baseline",
            f"exits 2015–{y_last} sum to {format_value(P - remaining)} of the {format_value(P)} "
            f"registered poor, leaving {format_value(remaining)} ({100 * remaining / P:.1f}%) at "
            f"end-{y_last}; the plan sets no exit numbers after {y_last}, yet "
            f"{r2020.iloc[-1]['comparator']} {format_value(r2020.iloc[-1]['value_base'])}% by "
            f"{int(r2020.iloc[-1]['period_end'])} means fewer than {cap:,.0f} poor on the "
            f"implied rural population ({float(last['derived_value']):,.0f}), and 消除绝对贫困 "
            "would mean none", targets.set_index("target_id").loc[poor["inputs"], "quote"],
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
                if len(r) and abs(implied - float(r.iloc[0]["value_base"])) > 0.5:
                    out.append(_finding(
                        "implied_value_mismatch", f"income_{a['target_id']}",
                        f"clause {clause}: {format_value(a['value_base'])} yuan = "
                        f"{format_value(s['value_base'])}% implies a per-capita income of "
                        f"{format_value(implied)} yuan in {a['period_end']}, but clause 4 "
                        f"targets {format_value(r.iloc[0]['value_base'])} yuan "
                        f"({r.iloc[0]['target_id']}; clause {clause} says 纯收入, clause 4 可支配收入)",
                        _year_span(text, targets, [a["target_id"], s["target_id"]]),
                        r.iloc[0]["quote"]))
    return out


def target_ambiguities(targets: pd.DataFrame) -> list[dict]:
    """One finding per target with an ``ambiguity`` note; ``quote_b`` is the quote of the first
    other target the note names (T-…), if any."""
    out = []
    quotes = targets.set_index("target_id")["quote"]
    for _, r in targets[targets["ambiguity"].notna() & (targets["ambiguity"] != "")].iterrows():
        refs = [t for t in re.findall(r"T-\d{2}(?:\.\d+)?-\d{2}", r["ambiguity"])
                if t != r["target_id"] and t in quotes.index]
        out.append(_finding("target_ambiguity", r["target_id"],
                            f"{r['target_id']} ({r['indicator_id']}): {r['ambiguity']}",
                            r["quote"], quotes[refs[0]] if refs else None))
    return out


def audit(text: str, targets: pd.DataFrame, townships: pd.DataFrame, villages: pd.DataFrame
          ) -> pd.DataFrame:
    """Every finding of every check, validated as ``plan_audit``."""
    g = Gazetteer.from_frames(townships, villages)
    findings = [
        *count_mentions(text, villages, townships),
        *list_counts(text)[0],
        *exit_schedule(text, targets, villages, g.resolve_township),
        *name_variants(text, townships, villages),
        *repeated_deadlines(text, targets),
        *annual_vs_total(targets),
        *yearly_parts_vs_total(targets),
        *implied_baseline(text, targets),
        *implied_income(text, targets),
        *target_ambiguities(targets),
    ]
    df = pd.DataFrame(findings, columns=list(metadata.TABLES["plan_audit"].fields))
    return metadata.conform(df, "plan_audit")
