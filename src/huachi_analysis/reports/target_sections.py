"""Sections that list targets: page 1 (summary), targets in progress, due targets not
achieved, a township's own targets and its figures under county-wide targets.

Each function takes the briefing (``b``: labels, number formats, cached rows) and returns a
:class:`~huachi_analysis.reports.section.Section`; the numbers come from
:mod:`~huachi_analysis.reports.summary` and :mod:`~huachi_analysis.reports.target_rows`.
Long lists are split by concern: what needs attention is a table, what is fine is counted
(by domain) in one sentence, and the full list stays in the section's hidden table
(``s.frames[-1]``) for an analyst.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.county import COUNTY
from huachi_analysis.reports import cross_checks as XC
from huachi_analysis.reports import income_checks as IC
from huachi_analysis.reports import summary as S
from huachi_analysis.reports import tables as T
from huachi_analysis.reports import target_rows as R
from huachi_analysis.reports.section import Section

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing, CountyBriefing, TownshipBriefing


def _by_domain(b: Briefing, rows: pd.DataFrame) -> str:
    """``道路3项、饮水2项`` — counts by domain, largest first."""
    L = b.L
    c = rows["domain"].astype("string").fillna("").value_counts()
    return L("list_sep").join(L("n_domain", n=int(n), domain=L.code("domain", d))
                              for d, n in c.items() if d)


def _reasons(b: Briefing, rows: pd.DataFrame) -> str:
    gaps = S.gap_facts(rows)
    L = b.L
    parts = []
    for code, g in sorted(gaps.items(), key=lambda kv: -kv[1]["n"]):
        years = L("list_sep").join(sorted(g["years"]))
        parts.append(L("n_reason", n=g["n"], reason=L(f"reason_{code}", year=years, years=years)))
    return L("clause_sep").join(parts)


def _with_line_note(b: Briefing, lines: list[str]) -> list[str]:
    """The concern lines and, in a year without a poverty line, that incomes were not checked
    (instead of "nothing to report")."""
    note = IC.concern(b)
    if note is None:
        return lines
    return [note] if lines == [b.L("concern_none")] else [*lines, note]


# ---- page 1 -------------------------------------------------------------------------------------
def _with_cross_checks(b, lines: list[str], geography: str) -> list[str]:
    """The concern lines, then each department answer the registry contradicts
    (:mod:`~huachi_analysis.reports.cross_checks`)."""
    extra = XC.concern_lines(b, geography)
    if not extra:
        return lines
    return extra if lines == [b.L("concern_none")] else [*lines, *extra]


def county_summary(b: CountyBriefing) -> Section:
    L, f = b.L, b._facts
    s = Section(L("sec_summary", year=b.year), key="summary")
    figures = S.county_key_figures(b, f)
    if figures:
        s.add_key_figures(figures)
    messages = S.county_messages(b, f)
    if not messages:
        return s.empty(L("no_registry_year", year=b.year))
    s.add_list(messages, css="points messages")
    worst = S.worst_townships(b.data["progress_registry"], b.year, b.data.townships,
                              f["incidence"])
    lines = S.concern_lines(b, f["due"], f["in_progress"], f["villages"], worst, f["incidence"])
    lines = _with_cross_checks(b, lines, COUNTY)
    s.add_section(Section(L("sec_concerns"), key="summary_concerns", level=3).add_list(
        _with_line_note(b, lines), css="points concerns"))
    s.add_section(Section(L("sec_basis"), key="summary_basis", level=3).add_list(
        S.basis_lines(b, f["origins"], f["gaps"], b.data.is_synthetic, f["baselines"],
                      f["not_started"]), css="points basis"))
    return s.add_html('<div class="page-break"></div>')  # the summary has page 1 to itself


def township_summary(b: TownshipBriefing) -> Section:
    L, f = b.L, b._facts
    s = Section(L("sec_summary", year=b.year), key="summary")
    figures = S.township_key_figures(b, f)
    if figures:
        s.add_key_figures(figures)
    s.add_list(S.township_messages(b, f), css="points messages")
    own = f["targets"][f["targets"]["scope_row"] == "own"] if len(f["targets"]) else f["targets"]
    due = R.due(own, b.year) if len(own) else own
    prog = R.in_progress(own, b.year) if len(own) else own
    empty = pd.DataFrame({"status": pd.Series(dtype="string"),
                          "target_kind": pd.Series(dtype="string")})
    lines = S.concern_lines(b, due if len(due) else empty, prog if len(prog) else empty,
                            f["villages"])
    audit = T.audit_counts(b.data["exit_audit_counts"], b.year, b.township)
    if len(audit):
        items = [L("item_finding", finding=L.inline(L.code("finding", r["finding"])),
                   n=int(r["households"])) for r in audit.to_dict("records")]
        line = L("concern_audit", n=int(audit["households"].sum()), items=S._join(b, items))
        lines = [line] if lines == [L("concern_none")] else [*lines, line]
    lines = _with_cross_checks(b, lines, b.township)
    s.add_section(Section(L("sec_concerns"), key="summary_concerns", level=3).add_list(
        _with_line_note(b, lines), css="points concerns"))
    basis = S.basis_lines(b, f["origins"], f["gaps"], b.data.is_synthetic, scope="township")
    if f["findings_total"]:
        basis.append(L("basis_findings_township" if f["findings_unplaced"]
                       else "basis_findings_township_all", own=f["findings_own"],
                       total=f["findings_total"], unplaced=f["findings_unplaced"]))
    s.add_section(Section(L("sec_basis"), key="summary_basis", level=3).add_list(
        basis, css="points basis"))
    return s


# ---- county: targets in progress and due --------------------------------------------------------
def in_progress(b: CountyBriefing) -> Section:
    """Targets not yet due: those behind (off track, at risk, incomplete) in a table, sorted
    by concern; open deadlines, targets on track or met early and those that cannot be judged
    yet counted in sentences."""
    L = b.L
    s = Section(L("sec_in_progress", year=b.year), key="in_progress")
    rows = b._progress_rows()
    if rows.empty:
        started = b._rows[b._rows["status"] != "not_due"]
        if started.empty or (started["target_kind"] == "baseline").all():  # the base year
            graded = b._rows[b._rows["target_kind"] != "baseline"]
            start = int(pd.to_numeric(graded["period_start"], errors="coerce").min())
            return s.empty(L("no_in_progress_before_plan", year=b.year, start=start))
        return s.empty(L("no_in_progress", year=b.year))
    behind = b._behind()
    s.add_text(L("in_progress_intro", year=b.year))
    if len(behind):
        frame, spec = b.targets_table(behind, with_domain=True)
        s.add_table(frame, **spec)
    else:
        s.add_text(L("in_progress_none_behind"), css="lead")
    deadline = rows[(rows["target_kind"] == "deadline") & (rows["status"] != "achieved")]
    if len(deadline):
        items = [L("item_deadline", name=b.indicator_name(r), end=int(r["period_end"]))
                 for r in deadline.to_dict("records")]
        s.add_text(L("in_progress_deadlines", n=len(deadline),
                     items=L("list_sep").join(items)), css="lead")
    for status in ("on_track", "achieved"):
        part = rows[rows["status"] == status]
        if len(part):
            s.add_text(L(f"in_progress_{status}", n=len(part), parts=_by_domain(b, part)),
                       css="lead")
    nodata = rows[rows["status"] == "no_data"]
    if len(nodata):
        s.add_text(L("in_progress_no_data", n=len(nodata), parts=_reasons(b, nodata)),
                   css="reason")
    full, _ = b.targets_table(rows, with_domain=True)
    return s.add_table(full, shown=False)


def sectors(b: CountyBriefing) -> Section:
    """Targets due by the year outside population and income: the chart counts every one by
    domain and status; the table lists only those not achieved; the achieved are counted."""
    L = b.L
    s = Section(L("sec_sectors"), key="sectors")
    d = b._due_rows()
    if d.empty:
        return s.empty(L("no_targets_due", year=b.year))
    s.add_text(L("due_by", year=b.year))
    c = T.status_counts(d, "domain")
    c.index = [L.code("domain", x) for x in c.index]
    s.add_figure(charts.stacked_bars(c, charts.STATUS_COLOURS,
                                     {x: L.status(x) for x in c.columns},
                                     title=L("sectors_chart"), xlabel=L("targets_count")))
    open_rows = R.by_concern(d[d["status"] != "achieved"])
    achieved = d[d["status"] == "achieved"]
    if len(open_rows):
        frame, spec = b.targets_table(open_rows, with_domain=True)
        s.add_table(frame, caption=L("sectors_open", n=len(open_rows)), **spec)
    if len(achieved):
        s.add_text(L("sectors_achieved", n=len(achieved), parts=_by_domain(b, achieved)),
                   css="lead")
    full, _ = b.targets_table(d, with_domain=True)
    return s.add_table(full, shown=False)


# ---- township --------------------------------------------------------------------------------
def township_targets(b: TownshipBriefing) -> Section:
    """One row per target the plan sets for the township or its villages (with its status and
    the kind of its figure, or why there is none), then county targets that name it."""
    L = b.L
    s = Section(L("sec_plan_items"), key="plan_items")
    rows = b._target_rows()
    if rows.empty:
        return s.empty(L("no_plan_items"))
    frame, spec = b.targets_table(rows, with_scope=True)
    if (rows["scope_row"] == "county").any():
        s.add_text(L("plan_items_county_note"))
    return s.add_table(frame, **spec)


def township_figures(b: TownshipBriefing) -> Section:
    """The township's figures under county-wide targets, beside the county's (issue 10)."""
    L = b.L
    s = Section(L("sec_township_figures"), key="township_figures")
    f = b._figure_rows()
    if f.empty:
        return s.empty(L("no_township_figures", year=b.year))
    s.add_text(L("county_only_note"))
    recs = f.to_dict("records")
    share = pd.to_numeric(f["share_of_county"], errors="coerce")
    county_rows = [{**r, "actual": r["county_actual"]} for r in recs]
    notes = [b.figure_note(r) for r in recs]
    frame = pd.DataFrame({
        L("col_indicator"): [b.indicator_name(r) for r in recs],
        b.township_name(b.township): [b.actual_text(r) for r in recs],
        L("col_share_county"): share.astype(float).tolist(),
        L("col_county_actual"): [b.actual_text(r) for r in county_rows],
        L("col_county_target"): [b.target_text(r) for r in recs],
        L("col_county_status"): [b.status_text(r) for r in recs],
        L("col_source"): notes})
    css = "data figures"
    if len(set(notes)) == 1:  # one kind of figure: said once, not on every row
        s.add_text(L("figures_all_one_source", source=notes[0]))
        frame = frame.drop(columns=L("col_source"))
        css += " one-source"
    return s.add_table(frame, decimals={L("col_share_county"): 1},
                       badges={L("col_county_status"): ("status", f["status"].astype(str).tolist())},
                       css=css)
