"""The appendix parts of a briefing: the plan's own inconsistencies (a sub-section of data
quality in the county briefing) and the provenance appendix (parameters, code version, input
hashes). Functions of the briefing (``b``), moved here to keep :mod:`.briefing` short."""

from __future__ import annotations

import datetime as _dt
import functools
import re
import subprocess
from typing import TYPE_CHECKING

import pandas as pd

from huachi_analysis.county import COUNTY
from huachi_analysis.reports import display as D
from huachi_analysis.reports.section import Section

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

#: Plan-audit findings listed in full in a county briefing (all are counted by kind).
PLAN_AUDIT_SHOWN = 12
#: Order of plan-audit kinds in the list (unlisted kinds: 1, between contradictions and
#: naming). Covers today's kinds and contract C1's four (contradiction … naming).
AUDIT_PRIORITY = {"contradiction": 0, "count_mismatch": 0, "deadline_conflict": 0,
                  "schedule_mismatch": 0, "arithmetic": 0, "annual_total_mismatch": 0,
                  "parts_total_mismatch": 0, "list_count_mismatch": 0,
                  "implied_value_mismatch": 0, "tension": 1, "stated_twice": 1,
                  "duplicate_village_name": 1, "naming": 2, "name_variant": 2,
                  "name_abbreviated": 2, "village_suffix_shared": 2, "target_ambiguity": 3}
#: Hex digits of a SHA-256 printed in the provenance appendix (the manifest has them all).
HASH_DIGITS = 12


@functools.cache
def git_commit() -> str:
    """The checkout's commit (short), or 'unknown' outside a git checkout."""
    from huachi_analysis import paths

    try:
        out = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=False)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def plan_audit(b: Briefing) -> Section:
    """The plan's own inconsistencies: counted by kind, the most important listed."""
    L = b.L
    pa = b.data["plan_audit"]
    sub = Section(L("plan_audit"), key="quality_plan_audit", level=3)
    if pa.empty:
        return sub.empty(L("no_findings"))
    kinds = pa.groupby("kind", sort=False).size().sort_values(ascending=False)
    sub.add_table(pd.DataFrame({L("col_kind"): [L.code("audit", k) for k in kinds.index],
                                L("col_findings"): kinds.astype(float).tolist()}),
                  decimals={L("col_findings"): 0}, css="data quality")
    # contradictions and figures that do not add up first, spelling variants after them,
    # a target's own ambiguity note last (it is also listed with the target)
    order = pa["kind"].map(lambda k: AUDIT_PRIORITY.get(str(k), 1))
    shown = pa.assign(_o=order).sort_values("_o", kind="stable").head(PLAN_AUDIT_SHOWN)
    kind = [L.code("audit", k) for k in shown["kind"]]
    if b.lang == "zh" and "description_zh" in shown and shown["description_zh"].notna().all():
        frame = pd.DataFrame({L("col_kind"): kind,
                              L("col_description"): [thousands(without_target_ids(t, b))
                                                     for t in shown["description_zh"]]})
        css = "data audit"
    elif b.lang == "zh":  # no Chinese description yet: the plan's own words, both sides
        frame = pd.DataFrame({L("col_kind"): kind,
                              L("col_quote_a"): shown["quote_a"].tolist(),
                              L("col_quote_b"): shown["quote_b"].fillna("—").tolist()})
        css = "data audit quotes"
    else:
        frame = pd.DataFrame({L("col_kind"): kind,
                              L("col_description"): [english_audit_text(t, b)
                                                     for t in shown["description"]]})
        css = "data audit"
    sub.add_table(frame, css=css, caption=L("plan_audit_quotes_note")
                  if "quotes" in css else None)
    if len(pa) > len(shown):
        sub.add_text(L("plan_audit_more", shown=len(shown), total=len(pa)))
    return sub


def provenance(b: Briefing) -> Section:
    """A compact appendix, last: when and by which version the briefing was made and for
    which year, township and language; the data folder and the input tables with short
    hashes in small print after it (the full hashes are in ``manifest.json``)."""
    from huachi_analysis import __version__

    L = b.L
    s = Section(L("sec_provenance"), key="provenance")
    names = {"township": L("col_township"), "year": L("col_year"), "lang": L("language")}
    values = {k: v for k, v in {**b.params, "lang": L(f"lang_{b.lang}")}.items()
              if k != "data_dir"}
    if "township" in values:
        values["township"] = b.township_name(str(values["township"]))
    items = [(L("generated"), _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
              + f' · {L("package_version")} {__version__} · {L("git_commit")} {git_commit()}'),
             (L("parameters"), " · ".join(f"{names.get(k, k)} {v}"
                                          for k, v in values.items()))]
    s.add_html(D.definition_list(items))
    if b.is_synthetic:  # the page header says it on every page of the PDF; the HTML here
        s.add_text(b.synthetic_text() or L("synthetic_banner"), css="synthetic-note")
    s.add_text(L("hashes_note"))
    files = " · ".join(f"{p.name} {b.data.sha256[k][:HASH_DIGITS]}"
                       for k, p in b.data.files.items())
    s.add_text(f'{L("input_files")}: {files} · {L("data_dir")}: {b.params.get("data_dir", "")}',
               css="hashes")
    return s


#: Chinese words the plan-audit's English sentences quote, in English (the rest are glosses in
#: parentheses, amounts in 万, or place names, handled by rule in :func:`english_audit_text`).
EN_GLOSS = {"消除绝对贫困": "eliminating absolute poverty", "稳定在": "",
            "乡 for 镇": "xiang for zhen"}
_CJK = "\u4e00-\u9fff"
_WAN = re.compile(r"(\d+(?:\.\d+)?)万(亩|人次|人)")
_PERSONS = re.compile(rf"(\d[\d,]*)人(?![{_CJK}])")


def english_audit_text(text: object, b: Briefing) -> str:
    """A plan-audit sentence for the English briefing: indicator codes as their English names,
    amounts in 万 written out with English units, Chinese glosses beside English words dropped,
    the county's and townships' names in English (a spelling variant stays: it is the finding).
    """
    if text is None or (isinstance(text, float) and text != text):
        return "—"
    out = str(text)
    for zh, en in EN_GLOSS.items():
        out = out.replace(f"({zh})", f"({en})" if en else "").replace(zh, en)
    units = {"亩": "mu", "人次": "person-times", "人": "persons"}
    out = _WAN.sub(lambda m: f"{float(m.group(1)) * 10_000:,.0f} {units[m.group(2)]}", out)
    out = _PERSONS.sub(lambda m: f"{m.group(1)} persons", out)
    # 纯收入 (net income) → net income; (行政村) after its English words → dropped
    out = re.sub(rf"[{_CJK}]+ \(([A-Za-z][^()]*)\)", r"\1", out)
    out = re.sub(rf" ?\([{_CJK}]+\)", "", out)
    t = b.data["plan_targets"]
    names = dict(zip(t["indicator_id"].astype(str), t["indicator_en"].astype(str), strict=True))
    def name(m: re.Match) -> str:  # an indicator's name mid-sentence starts in lower case
        got = names.get(m.group(0))
        if got:
            return b.L.inline(got) if m.start() > 0 else got
        return b.L.unit(m.group(0)) if m.group(0) in UNIT_CODES else m.group(0)

    out = re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b", name, out)
    out = without_target_ids(out, b)
    for zh in [*b.data.townships, COUNTY]:
        out = out.replace(zh, b.township_name(zh) if zh != COUNTY else b.L("county"))
    out = thousands(out)
    return re.sub(r"\s{2,}", " ", out).replace(" ,", ",").replace(" ;", ";").strip()


#: Unit codes an audit sentence may name (written as the unit's English word).
UNIT_CODES = ("natural_villages", "person_times", "percentage_points", "yuan_per_month")


#: A target id of ``plan_targets`` (``T-07.4-07``), alone or as a list in parentheses.
_TARGET_ID = r"T-[0-9]+(?:\.[0-9]+)?-[0-9]+"
_ID_LIST = re.compile(rf"[（(]\s*{_TARGET_ID}(?:\s*[,，、]\s*{_TARGET_ID})*\s*[)）]")


def without_target_ids(text: object, b: Briefing) -> str:
    """A plan-audit sentence with every target id (``T-07.4-07``) written as the plan's
    clause (``第7(4)条`` / ``clause 7(4)``): a list of ids in parentheses becomes the list of
    their clauses, once each; an id whose target is unknown is left as it is."""
    if text is None or (isinstance(text, float) and text != text):
        return "—"
    t = b.data["plan_targets"]
    clauses = dict(zip(t["target_id"].astype(str), t["clause"].astype(str), strict=True))
    L = b.L

    def clause(tid: str) -> str:
        c = clauses.get(tid)
        return L("clause_ref", clause=c) if c else tid

    def group(m: re.Match) -> str:
        ids = re.findall(_TARGET_ID, m.group(0))
        seen = list(dict.fromkeys(clause(i) for i in ids))
        open_, close = ("（", "）") if b.lang == "zh" else ("(", ")")
        return open_ + L("list_sep").join(seen) + close

    out = _ID_LIST.sub(group, str(text))
    out = re.sub(_TARGET_ID, lambda m: clause(m.group(0)), out)
    return _drop_repeated_clause(out)  # a clause just named is not repeated in parentheses


def _drop_repeated_clause(text: str) -> str:
    """``第4条目标为11,000元（第4条；…）`` → ``第4条目标为11,000元（…）``: a clause in
    parentheses that the 30 characters before them already name is dropped."""
    pat = re.compile(r"([（(])((?:第[^条（）()]+条|clause [0-9][0-9()]*))([；;,，]\s*|(?=[）)]))")

    def drop(m: re.Match) -> str:
        before = text[max(0, m.start() - 30):m.start()]
        return m.group(1) if m.group(2) in before else m.group(0)

    out = pat.sub(drop, text)
    return re.sub(r"[（(][）)]", "", out)


#: Integers an audit sentence writes without thousands separators (21497人): written with
#: them. Four-digit numbers only before a unit (3000元), so years (2015—2017) stay as they are.
_BARE = re.compile(r"(?<![\d,.\-])(\d{4,})(?![\d,.])")


def thousands(text: str) -> str:
    """``21497人`` → ``21,497人``; ``3000元`` → ``3,000元``; years (1949–2050) untouched.

    >>> thousands("2015—2017年计划脱贫合计21497人，尚余6303人；3000元；2.53万")
    '2015—2017年计划脱贫合计21,497人，尚余6,303人；3,000元；2.53万'
    """
    def sep(m: re.Match) -> str:
        n = int(m.group(1))
        return m.group(1) if len(m.group(1)) == 4 and 1949 <= n <= 2050 else f"{n:,}"

    return _BARE.sub(sep, text)
