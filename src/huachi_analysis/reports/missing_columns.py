"""The briefing's word on export columns the indicators need but a year's export lacks
(``registry_summary.json`` → ``missing_columns``, written by the registry step; see
:mod:`huachi_analysis.registry.required_columns`): which file, which column, the header found
closest, which indicators rest on no data, and how to map it."""

from __future__ import annotations

import pandas as pd

from huachi_analysis.reports.section import Section


def for_year(summary: dict, year: int) -> list[dict]:
    """The ``missing_columns`` entries of ``summary`` about ``year`` (or of unknown year)."""
    return [m for m in summary.get("missing_columns") or []
            if not m.get("years") or int(year) in {int(y) for y in m["years"]}]


def section(summary: dict, year: int, labels, lang: str) -> Section | None:
    """A level-3 section listing them, or ``None`` when nothing is missing."""
    from huachi_analysis.progress.indicator_definitions import INDICATORS

    rows = for_year(summary, year)
    if not rows:
        return None
    L = labels
    sep = "、" if lang == "zh" else ", "

    def name(i: str) -> str:
        ind = INDICATORS.get(i)
        return (ind.zh if lang == "zh" else ind.en) if ind else i

    frame = pd.DataFrame({
        L("col_file"): [m["file"] for m in rows],
        L("col_missing_column"): [m["header"] for m in rows],
        L("col_closest_header"): [m.get("closest") or "—" for m in rows],
        L("col_affected"): [sep.join(name(i) for i in m["indicators"]) for m in rows],
        L("col_how_to_map"): [m["how_zh"] if lang == "zh" else m["how_en"] for m in rows]})
    sub = Section(L("missing_columns_title"), key="quality_missing_columns", level=3)
    sub.add_text(L("missing_columns_note", year=year), css="reason")
    return sub.add_table(frame, css="data quality")
