"""The consistency audit (``plan_audit``): where the plan is at odds with itself.

Every check is a computation over the text and the tables; none is a list of typed-in
findings. Each finding has a ``kind`` — ``contradiction`` (two statements that cannot both
hold), ``tension`` (statements hard to reconcile), ``arithmetic`` (figures that do not add
up), ``naming`` (one place written two ways) — a description in English and in Chinese, and
two verbatim spans of the plan (``quote_a``, ``quote_b``).

Only findings of the plan against itself are listed. Ambiguities of a single target stay in
its ``ambiguity`` note; ordinary short names (乔川 for 乔川乡) are resolved by the gazetteer;
whether the curated tables match the text is :func:`check_tables` (tests), not the audit.

Checks in this module (counts and names); the others are in
:mod:`~huachi_analysis.plan.tensions`:

* :func:`count_mentions` — "N个(建档立卡)贫困村" and "N个行政村" stated with different N;
  whole-county counts ("全县/县内 N个乡镇") against the township table.
* :func:`list_counts` — enumerations whose stated count differs from the items listed.
* :func:`exit_schedule` — clause 5's stated counts against its lists; its total against the
  registered poor villages of clause 1.
* :func:`name_variants` — a township written with the wrong suffix (五蛟乡 for 五蛟镇).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.county import COUNTY
from huachi_analysis.plan import tensions
from huachi_analysis.plan.findings import finding, phrase
from huachi_analysis.plan.geography import Gazetteer, normalise_name
from huachi_analysis.plan.schedule import parse_exit_schedule
from huachi_analysis.plan.source_text import format_value, occurrences

__all__ = ["audit", "check_tables", "count_mentions", "exit_schedule", "list_counts",
           "name_variants", "phrase"]

#: Words before "N个贫困村" that restrict the count to a subset (有需求的37个贫困村).
SUBSET_QUALIFIERS = ("有需求的",)
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}


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
    times = sum(p[0] == n_poor for p in poor)
    for n, s, e in poor:
        if n != n_poor:
            out.append(finding(
                "count_mismatch", f"poor_villages_{n}", "contradiction",
                f"the plan counts {n} poor villages here but lists {n_poor} in clause 5 "
                f"(and states {n_poor} {times} times)",
                f"此处写{n}个贫困村，而第5条列出{n_poor}个（全文{times}处写{n_poor}个）",
                phrase(text, s, e), phrase(text, ref[1], ref[2]) if ref else None))
    admin = [(int(m.group(1)), m.start(), m.end()) for m in re.finditer(r"(\d+)个行政村", text)]
    for (n1, s1, e1), (n2, s2, e2) in zip(admin[:-1], admin[1:], strict=True):
        if n1 != n2:
            out.append(finding(
                "count_mismatch", f"admin_villages_{n1}_{n2}", "contradiction",
                f"the county's administrative villages (行政村) are counted as {n1} in one place "
                f"and {n2} in another",
                f"全县行政村数一处写{n1}个，另一处写{n2}个",
                phrase(text, s1, e1), phrase(text, s2, e2)))
    n_town = len(townships)
    for m in re.finditer(r"(?:全县|县内)(\d+)个乡(?:（镇）|\(镇\)|镇)", text):
        if int(m.group(1)) != n_town:
            out.append(finding(
                "count_mismatch", f"townships_{m.group(1)}", "contradiction",
                f"the plan counts {m.group(1)} townships here; the county has {n_town}",
                f"此处写{m.group(1)}个乡镇，全县共有{n_town}个乡镇",
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
    checked: list[dict[str, Any]] = []
    out: list[dict] = []
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
            out.append(finding(
                "list_count_mismatch", f"{c['start']}", "arithmetic",
                f"the plan states {c['stated']} but lists {c['listed']} items",
                f"写明{c['stated']}项，却列出{c['listed']}项", c["span"], None))
    return out, checked


def exit_schedule(text: str, targets: pd.DataFrame,
                  resolve: Callable[[str], str | None]) -> list[dict]:
    """Clause 5: each year's stated count against the villages it lists; the whole schedule
    against the registered poor villages of clause 1 (``registered_poor_villages``)."""
    out = []
    sched = parse_exit_schedule(text, resolve)
    for year, g in sched.groupby("exit_year"):
        stated, listed = int(g["stated_count"].iloc[0]), len(g)
        span = g["year_text"].iloc[0]
        if stated != listed:
            out.append(finding("schedule_mismatch", f"{year}_list", "arithmetic",
                               f"clause 5 states {stated} villages for {year} but lists {listed}",
                               f"第5条写{year}年{stated}个村，却列出{listed}个村",
                               span[:span.index("（")], span))
    total = len(sched)
    for _, r in targets[targets["indicator_id"] == "registered_poor_villages"].iterrows():
        if float(r["value_base"]) != total:
            out.append(finding("schedule_mismatch", "total", "arithmetic",
                               f"{format_value(r['value_base'])} registered poor villages but "
                               f"clause 5 schedules {total}",
                               f"建档立卡贫困村{format_value(r['value_base'])}个，第5条安排退出"
                               f"{total}个", r["quote"], None))
    return out


def check_tables(text: str, targets: pd.DataFrame, villages: pd.DataFrame,
                 resolve: Callable[[str], str | None]) -> list[str]:
    """Whether the curated tables agree with clause 5 (not findings about the plan: problems
    of ``targets.csv`` / ``villages.csv``). Returns one message per disagreement."""
    problems = []
    sched = parse_exit_schedule(text, resolve)
    for year, g in sched.groupby("exit_year"):
        t = targets[(targets["indicator_id"] == "poor_villages_exited")
                    & (targets["period_end"] == year) & (targets["geography"] == COUNTY)]
        for _, r in t.iterrows():
            if float(r["value_base"]) != len(g):
                problems.append(f"{r['target_id']} gives {format_value(r['value_base'])} "
                                f"villages for {year}; clause 5 lists {len(g)}")
        v = villages[villages["is_poor_village"] & (villages["exit_year"] == year)]
        if set(zip(v["township"], v["village"], strict=True)) != set(
                zip(g["township"], g["village"], strict=True)):
            problems.append(f"villages.csv's poor villages exiting in {year} differ from the "
                            "clause-5 list")
    return problems


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


def name_variants(text: str, townships: pd.DataFrame) -> list[dict]:
    """A township written with the other suffix (五蛟乡 for 五蛟镇): the plan names one place
    two ways. Short forms without a suffix (乔川 for 乔川乡) are ordinary and not listed."""
    out = []
    found = _township_spellings(text, townships)
    for canon in townships["township"]:
        mine = [(sp, pos) for c, sp, pos in found if c == canon]
        canon_pos = next((pos for sp, pos in mine if sp == canon), None)
        for sp in dict.fromkeys(sp for sp, _ in mine if sp != canon):
            if not (sp.endswith(("乡", "镇")) and sp[:-1] == canon[:-1]):
                continue
            pos = next(p for s, p in mine if s == sp)
            n = sum(1 for s, _ in mine if s == sp)
            n_canon = sum(1 for s, _ in mine if s == canon)
            out.append(finding(
                "name_variant", f"{canon}_{sp}", "naming",
                f"{canon} is written {sp} with the wrong suffix ({sp[-1]} for {canon[-1]}) "
                f"{n}× and {canon} {n_canon}×; canonical name {canon}",
                f"{canon}有{n}处写作{sp}（“{sp[-1]}”与“{canon[-1]}”不一致），{n_canon}处写作"
                f"{canon}", phrase(text, canon_pos, canon_pos + len(canon))
                if canon_pos is not None else canon, phrase(text, pos, pos + len(sp))))
    return out


def audit(text: str, targets: pd.DataFrame, townships: pd.DataFrame, villages: pd.DataFrame
          ) -> pd.DataFrame:
    """Every finding of every check, validated as ``plan_audit``."""
    g = Gazetteer.from_frames(townships, villages)
    findings = [
        *count_mentions(text, villages, townships),
        *list_counts(text)[0],
        *exit_schedule(text, targets, g.resolve_township),
        *name_variants(text, townships),
        *tensions.all_checks(text, targets),
    ]
    df = pd.DataFrame(findings, columns=list(metadata.TABLES["plan_audit"].fields))
    return metadata.conform(df, "plan_audit")
