"""What a figure rests on, and why a figure is missing, as codes with labels (pure functions).

Every actual of ``progress_targets`` carries ``actual_origin`` (``registry``, ``department``,
``published``; ``|`` when mixed), ``actual_is_synthetic`` and ``actual_provenance``. A briefing
marks each figure with its kind — 建档立卡 / 部门填报 / 公开统计, and 合成 when generated — and says
where a real figure replaced a synthetic one (the provenance text says so, contract C4).

A target without a figure (``no_data``, ``incomplete``) gets a reason from its ``note`` (the
progress engine writes it in English, :mod:`huachi_analysis.progress.evaluate`): the reason is a
code of the label catalogue (``reason_…``), never the English note itself.

>>> origin_codes("registry|published", True, None)
(['registry', 'published'], True, False)
>>> gap_reason({"status": "incomplete", "years_missing": "2016|2018", "note": "sum unknown"})
('years_missing', {'years': '2016、2018'})
>>> gap_reason({"status": "no_data", "note": "no actuals for this indicator and geography"})
('no_actuals', {})
"""

from __future__ import annotations

import re

from huachi_analysis.values import missing, number

#: Kinds of figure in the order a briefing lists them.
ORIGINS = ("registry", "department", "published")
#: Texts of the provenance that say a real figure set a synthetic one aside: those of
#: ``actuals.precedence.SUPERSEDES_SYNTHETIC`` and ``progress.targets.REAL_OVER_SYNTHETIC_REGISTRY``
#: (not imported: they would load the progress engine and DuckDB into every briefing; a test
#: checks they are the same).
REPLACED_MARKS = ("real figure; a synthetic one for the same year set aside",
                  "real figure; the synthetic registry figure set aside")



def origin_codes(origin: object, is_synthetic: object, provenance: object
                 ) -> tuple[list[str], bool, bool]:
    """(kinds of figure used, any synthetic, a real figure replaced a synthetic one)."""
    if missing(origin) or not str(origin).strip():
        return [], False, False
    codes = [o for o in ORIGINS if o in str(origin).split("|")]
    synth = False if missing(is_synthetic) else bool(is_synthetic)
    text = "" if missing(provenance) else str(provenance)
    replaced = any(r in text for r in REPLACED_MARKS)
    return codes, synth, replaced


def origin_text(L, origin: object, is_synthetic: object, provenance: object) -> str:
    """``部门填报（合成）``, ``公开统计（替换合成数据）``, ``建档立卡``; '—' without a figure."""
    codes, synth, replaced = origin_codes(origin, is_synthetic, provenance)
    if not codes:
        return "—"
    text = L("list_sep").join(L(f"origin_{c}") for c in codes)
    if synth:
        return text + L("origin_synthetic_mark")
    if replaced:
        return text + L("origin_replaced_mark")
    return text


# ---- reasons for a missing figure -----------------------------------------------------------
_YEAR = r"(\d{4})"
#: (pattern of the engine's note, reason code, names of the groups) — first match wins.
_REASONS: tuple[tuple[re.Pattern, str, tuple[str, ...]], ...] = (
    (re.compile(r"no poverty line for " + _YEAR), "no_poverty_line", ("year",)),
    (re.compile(r"not comparable with"), "unit_mismatch", ()),
    (re.compile(r"not reported \(是/否\) by " + _YEAR), "deadline_not_reported", ("year",)),
    (re.compile(r"nothing reported for the deadline year " + _YEAR), "deadline_not_reported",
     ("year",)),
    (re.compile(r"per-household minimum|share of units"), "per_unit_total", ()),
    (re.compile(r"no baseline before|no figure before \d{4} to measure progress"),
     "no_baseline", ()),
    (re.compile(r"no actuals for this indicator|no actuals for \d{4}"), "no_actuals", ()),
    (re.compile(r"no (?:actual|figure) for " + _YEAR), "year_not_reported", ("year",)),
    (re.compile(r"the plan gives no figure"), "no_plan_figure", ()),
    (re.compile(r"no population"), "no_population", ()),
)


def _years(text: object) -> str:
    parts = [p for p in re.split(r"[|,;\s]+", "" if missing(text) else str(text)) if p]
    return "、".join(parts)


def gap_reason(row: dict) -> tuple[str, dict[str, str]] | None:
    """Why a row has no usable figure: (reason code, fields), or None when it has one.

    ``incomplete`` rows name their missing years; ``no_data`` rows are read from the note;
    a county-only target seen from a township says the plan sets no township figure.
    """
    status = row.get("status")
    status = None if missing(status) else str(status)
    if status == "incomplete":
        return "years_missing", {"years": _years(row.get("years_missing"))}
    if status == "not_due":
        start = row.get("period_start")
        first = number(start)
        return "not_started", {"year": "" if first is None else str(int(first))}
    note = "" if missing(row.get("note")) else str(row.get("note"))
    if status not in ("no_data", None):
        return None
    if status is None and not (missing(row.get("actual")) and missing(row.get("actual_origin"))):
        return None  # a township's figure under a county target: it has one
    for pattern, code, groups in _REASONS:
        m = pattern.search(note)
        if m:
            return code, {g: m.group(i + 1) for i, g in enumerate(groups)}
    if status is None:
        return "not_reported", {}
    return "other", {}


def reason_text(L, row: dict) -> str:
    """The reason of :func:`gap_reason` in the briefing's language ('' when none)."""
    r = gap_reason(row)
    if r is None:
        return ""
    code, fields = r
    if "years" in fields:
        fields = {**fields, "years": fields["years"].replace("、", L("list_sep"))}
    return L(f"reason_{code}", **fields)


def banner_text(L, registry_synthetic: bool, synthetic_figures: bool,
                origins: dict | None) -> str | None:
    """The SYNTHETIC banner (every page): the whole briefing generated; generated apart from
    the N real figures it marks (``除标注为公开统计的5项外…``); some figures generated beside
    real registry data; or None (nothing generated)."""
    real = int((origins or {}).get("real", 0))
    if registry_synthetic:
        if not real:
            return L("synthetic_banner")
        by = (origins or {}).get("real_by_origin", {})
        key = ("synthetic_banner_except_published" if set(by) == {"published"}
               else "synthetic_banner_except_real")
        return L(key, n=real)
    return L("synthetic_banner_partial") if synthetic_figures else None
