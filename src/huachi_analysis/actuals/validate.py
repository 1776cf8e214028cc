"""Checking reported figures against the plan (pure): every cell frame row becomes an actual,
a blank (not reported: never zero) or a quarantined row with its findings — all of them, in one
pass, never stopping at the first. The rules are listed in :mod:`~huachi_analysis.actuals.rules`.

>>> parse_number("1,234.5"), parse_number("８５％"), parse_number("约30"), parse_number("是")
((1234.5, None), (85.0, None), (None, 'not_a_number'), (None, 'yes_no_in_number'))
>>> parse_yes_no("是"), parse_yes_no(0), parse_yes_no("完成了")
((1.0, None), (0.0, None), (None, 'not_yes_no'))
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.actuals import kinds
from huachi_analysis.actuals.departments import by_sheet
from huachi_analysis.actuals.rules import RULES, allowed_range
from huachi_analysis.county import COUNTY, COUNTY_SHORT
from huachi_analysis.plan.geography import normalise_name
from huachi_analysis.policy import YEAR_RANGE
from huachi_analysis.values import FALSE_WORDS, TRUE_WORDS

COUNTY_SPELLINGS = (COUNTY, COUNTY_SHORT, "全县", "县")
YES = TRUE_WORDS
NO = FALSE_WORDS
YES_NO_WORDS = YES + NO + ("已完成", "未完成", "完成")
YES_NO_UNITS = (kinds.YES_NO_UNIT, kinds.YES_NO_UNIT_ZH, "是否", "是／否")
KEY = ["indicator_id", "year", "geography", "value_type", "origin", "is_synthetic"]


def _text(v: object) -> str:
    return normalise_name(v) if v is not None else ""


def parse_number(v: object) -> tuple[float | None, str | None]:
    """``(number, None)``, ``(None, None)`` for a blank cell, or ``(None, rule id)``."""
    if v is None:
        return None, None
    if isinstance(v, bool | _dt.date | _dt.datetime | _dt.time):
        return None, "not_a_number"
    if isinstance(v, int | float):
        return (None, None) if math.isnan(v) else (float(v), None)
    t = _text(v).replace(",", "")
    if not t:
        return None, None
    try:
        x = float(t.removesuffix("%"))
    except ValueError:
        return None, "yes_no_in_number" if t.lower() in YES_NO_WORDS else "not_a_number"
    return (x, None) if math.isfinite(x) else (None, "not_a_number")


def parse_yes_no(v: object) -> tuple[float | None, str | None]:
    """``(1.0 | 0.0, None)`` for 是/否 (or 1/0), ``(None, None)`` blank, else ``(None, rule)``."""
    if v is None:
        return None, None
    if isinstance(v, bool):
        return float(v), None
    if isinstance(v, int | float) and not math.isnan(v) and v in (0, 1):
        return float(v), None
    t = _text(v).lower()
    if not t:
        return None, None
    if t in YES:
        return 1.0, None
    if t in NO:
        return 0.0, None
    return None, "not_yes_no"


def parse_year(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float) and not (isinstance(v, float) and math.isnan(v)):
        y = float(v)
    else:
        t = _text(v).removesuffix("年")
        if not re.fullmatch(r"\d{4}(\.0+)?", t):
            return None
        y = float(t)
    if not y.is_integer() or not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
        return None
    return int(y)


def canonical_geography(v: object, geo) -> str | None:
    """华池县, a canonical township, or ``township/village`` (a village the plan names)."""
    g = _text(v)
    if not g:
        return None
    if g in COUNTY_SPELLINGS:
        return COUNTY
    t_name, _, v_name = g.partition("/")
    t = geo.resolve_township(t_name)
    if t is None:
        return None
    if not v_name:
        return t
    village = geo.resolve_village(t, v_name)
    return f"{t}/{village}" if village else None


def _suggest(word: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _shown(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)[:60]


@dataclass
class Validated:
    """What :func:`validate` returns."""

    actuals: pd.DataFrame  # indicator_actuals
    findings: pd.DataFrame  # actuals_findings
    #: per file (source_path): rows, accepted, blank, quarantined, warnings, synthetic
    files: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Plan:
    """Lookups into plan_targets."""

    def __init__(self, targets: pd.DataFrame):
        self.by_id = {t["target_id"]: t for t in targets.to_dict("records")}
        self.by_indicator: dict[str, list[dict]] = {}
        for t in self.by_id.values():
            self.by_indicator.setdefault(t["indicator_id"], []).append(t)

    def reference(self, indicator: str, vtype: str) -> dict | None:
        """The first target of ``indicator`` with values of kind ``vtype``."""
        return next((t for t in self.by_indicator.get(indicator, ())
                     if kinds.value_type(t) == vtype), None)

    def units(self, indicator: str, vtype: str) -> set[str]:
        return {u for t in self.by_indicator.get(indicator, ())
                if kinds.value_type(t) == vtype for u in kinds.accepted_units(t)}


def _check_row(c: Mapping[str, Any], plan: _Plan, geo) -> tuple[dict | None, list[tuple]]:
    """One cell-frame row → ``(actual or None, [(rule, column, value, message)])``.

    An actual is None when the row is blank (``value`` empty) or has an error."""
    problems: list[tuple] = []
    c = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in c.items()}

    def bad(rule: str, column: str, value: object, message: str) -> None:
        problems.append((rule, column, _shown(value), message))

    tid = _text(c["target_id"]) or None
    ind_cell = _text(c["indicator_id"]) or None
    target = None
    if tid is not None:
        target = plan.by_id.get(tid)
        if target is None:
            bad("unknown_target", "target_id", tid, f"target_id {tid!r} is not a target of the "
                f"plan{_suggest(tid, plan.by_id)}; copy the row from a fresh `huachi template`")
        elif ind_cell is not None and ind_cell != target["indicator_id"]:
            bad("indicator_mismatch", "indicator_id", ind_cell, f"indicator_id {ind_cell!r} is "
                f"not that of target {tid} ({target['indicator_id']})")
    elif ind_cell is None:
        if c["value"] is not None:
            bad("missing_target", "target_id", None, "a value without a target_id")
        return None, problems
    elif ind_cell not in plan.by_indicator and c["origin"] == "published":
        bad("context_figure", "indicator_id", ind_cell, f"indicator_id {ind_cell!r} measures no "
            "indicator of the plan: a context figure, not used")
        return None, problems
    elif ind_cell not in plan.by_indicator:
        hint = _suggest(ind_cell, plan.by_indicator) or (
            f"; the plan's {len(plan.by_indicator)} indicators are "
            f"{', '.join(sorted(plan.by_indicator))}")
        bad("unknown_indicator", "indicator_id", ind_cell, f"indicator_id {ind_cell!r} is not "
            f"an indicator of the plan{hint}")
    indicator = target["indicator_id"] if target is not None else ind_cell
    if c["value"] is None and problems == []:
        return None, []  # not reported: a blank, never zero
    year = parse_year(c["year"])
    if year is None:
        bad("bad_year", "年份" if c["source_sheet"] else "year", c["year"],
            f"年份 {c['year']!r} is not a year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}")
    geography = canonical_geography(c["geography"], geo)
    if geography is None:
        bad("unknown_geography", "地区" if c["source_sheet"] else "geography", c["geography"],
            f"地区 {c['geography']!r} is not {COUNTY}, one of its townships "
            f"({'、'.join(geo.townships)}) or 'township/village' for a village the plan names")
    elif target is not None and target["geography"] != COUNTY and geography != target["geography"]:
        bad("geography_mismatch", "地区", c["geography"], f"target {tid} is set for "
            f"{target['geography']}, not {geography}")
    if target is not None and year is not None and year not in kinds.reporting_years(target):
        bad("year_outside_period", "年份", year, f"target {tid} covers "
            f"{'–'.join(map(str, kinds.period(target)))}; the {year} value is kept for "
            f"indicator {indicator}")
    unit_cell = _text(c["unit"]) or None  # NFKC: （） → ()
    if target is not None:
        vtype = kinds.value_type(target)
    elif unit_cell in {_text(u) for u in YES_NO_UNITS}:
        vtype = kinds.YES_NO
    else:
        vtype = kinds.NUMBER
    ref = target if target is not None else plan.reference(indicator or "", vtype)
    unit = unit_cell or (_text(kinds.expected_unit(ref)) if ref is not None
                         and c["source_sheet"] else None)
    if indicator in plan.by_indicator:
        accepted = (kinds.accepted_units(target) if target is not None
                    else plan.units(indicator, vtype))
        if vtype == kinds.YES_NO:
            accepted |= set(YES_NO_UNITS)
        spelled = {_text(u): u for u in sorted(accepted)}  # the plan's own spelling
        unit = spelled.get(unit, unit) if unit is not None else None
        if ref is None or unit not in accepted:
            want = (kinds.expected_unit(ref) if ref is not None
                    else ", ".join(sorted(plan.units(indicator, kinds.NUMBER))) or "?")
            bad("unit_changed", "单位" if c["source_sheet"] else "unit", unit_cell,
                (f"单位 {unit_cell!r} is not" if unit_cell else "单位 is empty, and must be")
                + f" the unit of {tid or indicator}: the value must be in {want}")
    value, rule = (parse_yes_no(c["value"]) if vtype == kinds.YES_NO
                   else parse_number(c["value"]))
    col = "实际值" if c["source_sheet"] else "value"
    unit_shown = kinds.expected_unit(ref) if ref is not None else unit
    if rule == "yes_no_in_number":
        bad(rule, col, c["value"], f"{c['value']!r} in a target that needs a number "
            f"(in {unit_shown}); 是/否 only for done/not-done targets")
    elif rule == "not_yes_no":
        bad(rule, col, c["value"], f"{c['value']!r}: a done/not-done target needs 是 or 否")
    elif rule:
        bad(rule, col, c["value"], f"{c['value']!r} is not a number (a number in {unit_shown} "
            "is expected; no text, no unit, no 约)")
    if value is not None and vtype == kinds.NUMBER and ref is not None:
        lo, hi = allowed_range(str(indicator), kinds.base_unit(ref))
        if lo is not None and value < lo:
            bad("negative_value", col, c["value"], f"{value:g} is negative; a count, area, "
                "amount or rate cannot be")
        if hi is not None and value > hi:
            bad("over_100_percent", col, c["value"], f"{value:g} % is over 100 %: a coverage, "
                "share or rate lies between 0 and 100")
    if any(RULES[p[0]].severity == "error" for p in problems) or value is None:
        return None, problems
    source = c["source"]
    if source is None or not str(source).strip():
        dept = by_sheet(c["source_sheet"]) if c["source_sheet"] else None
        source = f"{dept.name if dept else c['source_file']}（未注明数据来源）"
        problems.append(("missing_source", "数据来源" if c["source_sheet"] else "source", None,
                         f"数据来源 is empty; recorded as {source!r}"))
    synthetic = bool(c["file_synthetic"]) or str(source).strip().lower() in ("synthetic",) \
        or "合成数据" in str(source)
    return {"indicator_id": indicator, "year": year, "geography": geography, "value": value,
            "unit": kinds.YES_NO_UNIT if vtype == kinds.YES_NO else unit,
            "source": str(source).strip(), "origin": c["origin"], "is_synthetic": synthetic,
            "source_file": c["source_file"], "source_sheet": c["source_sheet"],
            "source_row": int(c["source_row"]), "value_type": vtype,
            "base": value * (kinds.to_base_factor(ref, unit or "") or 1.0) if ref is not None
            else value, "source_path": c["source_path"]}, problems


def where(a: Mapping[str, Any]) -> str:
    """``file, sheet 交通, row 14`` for messages."""
    sheet = f", sheet {a['source_sheet']}" if a.get("source_sheet") else ""
    return f"{a['source_path']}{sheet}, row {a['source_row']}"


def _duplicates(actuals: list[dict]) -> tuple[list[dict], list[dict]]:
    """Keep one of equal duplicates; quarantine every row of a conflicting group.

    Returns ``(kept, findings)``."""
    groups: dict[tuple, list[dict]] = {}
    for a in actuals:
        groups.setdefault(tuple(a[k] for k in KEY), []).append(a)
    kept, findings = [], []
    for rows in groups.values():
        if len(rows) == 1:
            kept.append(rows[0])
            continue
        first = rows[0]["base"]
        same = all(math.isclose(r["base"], first, rel_tol=1e-9, abs_tol=1e-12) for r in rows)
        if same:
            kept.append(rows[0])
            for r in rows[1:]:
                findings.append(_finding(r, "duplicate", "实际值", r["value"],
                                         f"the same figure as {where(rows[0])}; counted once"))
            continue
        for r in rows:
            others = "; ".join(f"{where(o)} has {_shown(o['value'])}" for o in rows if o is not r)
            findings.append(_finding(
                r, "conflicting_duplicate", "实际值", r["value"],
                f"{r['indicator_id']} {r['year']} {r['geography']}: {_shown(r['value'])} here, "
                f"but {others}; neither is used until one is corrected"))
    return kept, findings


def _finding(row: Mapping[str, Any], rule: str, column: str | None, value: object,
             message: str, subject: object = None) -> dict:
    year = row.get("year")
    return {"source_path": row.get("source_path"), "source_file": row.get("source_file"),
            "source_sheet": row.get("source_sheet"), "finding_row": row.get("source_row"),
            "column": column, "masked_value": _shown(value),
            "finding_subject": subject if subject is not None else (
                row.get("target_id") or row.get("indicator_id")),
            "finding_year": year if isinstance(year, int) else None, "rule": rule,
            "severity": RULES[rule].severity, "message": message,
            "is_synthetic": bool(row.get("file_synthetic", row.get("is_synthetic", False)))}


FINDING_COLUMNS = ["source_path", "source_file", "source_sheet", "finding_row", "column",
                   "masked_value", "finding_subject", "finding_year", "rule", "severity",
                   "message", "is_synthetic"]


def findings_frame(rows: list[dict]) -> pd.DataFrame:
    """``actuals_findings`` plus ``source_path`` (kept for messages, not written)."""
    df = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    return df.astype({"finding_row": "Int64", "finding_year": "Int64"})


def validate(cells: pd.DataFrame, targets: pd.DataFrame, geo,
             file_findings: list[dict] | None = None) -> Validated:
    """Check a cell frame against the plan.

    Args:
        cells: rows from :mod:`.workbook` / :mod:`.long_csv`.
        targets: ``plan_targets``.
        geo: a gazetteer (``resolve_township``, ``resolve_village``).
        file_findings: findings about whole files (unreadable, no header …), carried along.

    Returns:
        :class:`Validated` (``indicator_actuals``, ``actuals_findings``, per-file counts).
    """
    plan = _Plan(targets)
    findings = list(file_findings or [])
    files: dict[str, dict[str, Any]] = {}
    accepted: list[dict] = []
    for c in cells.to_dict("records"):
        f = files.setdefault(c["source_path"], {"rows": 0, "accepted": 0, "blank": 0,
                                                 "quarantined": 0, "warnings": 0,
                                                 "synthetic": bool(c["file_synthetic"])})
        f["rows"] += 1
        actual, problems = _check_row(c, plan, geo)
        for rule, column, value, message in problems:
            findings.append(_finding(c, rule, column, value, message,
                                     subject=_text(c["target_id"]) or _text(c["indicator_id"])
                                     or None) | {"finding_year": parse_year(c["year"])})
        if actual is not None:
            accepted.append(actual | {"target_id": _text(c["target_id"]) or None})
        elif any(RULES[p[0]].severity == "error" for p in problems):
            f["quarantined"] += 1
        elif any(p[0] == "context_figure" for p in problems):
            f["context"] = f.get("context", 0) + 1
        else:
            f["blank"] += 1
    kept, dup_findings = _duplicates(accepted)
    findings += dup_findings
    for d in dup_findings:
        if d["severity"] == "error":
            files[d["source_path"]]["quarantined"] += 1
    for a in kept:
        files[a["source_path"]]["accepted"] += 1
    for d in findings:
        if d["severity"] == "warning" and d["source_path"] in files:
            files[d["source_path"]]["warnings"] += 1
    act = pd.DataFrame(kept, columns=[*metadata.TABLES["indicator_actuals"].fields])
    act = act.sort_values(["indicator_id", "geography", "year", "origin", "source_file",
                           "source_row"], kind="stable").reset_index(drop=True)
    return Validated(metadata.conform(act, "indicator_actuals"), findings_frame(findings), files)
