"""The county briefing of one year (:class:`CountyBriefing`): its sections in order
(``SECTIONS``), each a method returning a :class:`~.section.Section`."""

from __future__ import annotations

import functools

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.reports import display as D
from huachi_analysis.reports import summary as S
from huachi_analysis.reports import tables as T
from huachi_analysis.reports import target_rows as R
from huachi_analysis.reports import target_sections as TS
from huachi_analysis.reports import trajectory_panels as TP
from huachi_analysis.reports import village_exits as VX
from huachi_analysis.reports.briefing_base import Briefing
from huachi_analysis.reports.section import Section


class CountyBriefing(Briefing):
    """The county briefing for one year."""

    kind = "county"
    SECTIONS = ("header", "summary", "headline", "in_progress", "trajectories", "village_exits",
                "causes", "league", "income_by_township", "sectors", "quality", "provenance")

    def header(self) -> Section:  # type: ignore[override]
        return self._header(self.L("county_title", year=self.year))

    @functools.cached_property
    def _rows(self) -> pd.DataFrame:
        """Every county target with its progress as of the year (every progress column)."""
        return R.with_progress(self.data["plan_targets"], self.data["progress_targets"],
                               self.year)

    @functools.cached_property
    def _headline(self) -> pd.DataFrame:
        picked = T.headline(self.data["plan_targets"], self.data["progress_targets"], self.year)
        rows = self._rows.set_index("target_id")
        return rows.loc[picked["target_id"]].reset_index()

    @functools.cached_property
    def _facts(self) -> dict:
        """Every number of page 1, and the target rows the briefing lists (computed once)."""
        return S.county_facts(self.data, self.year, self._headline, self._rows)

    def _headline_rows(self) -> pd.DataFrame:
        """The headline targets (computed once per briefing; a copy to change freely)."""
        return self._headline.copy()

    def _due_rows(self) -> pd.DataFrame:
        """Targets due by the year outside the headline domains (population, income)."""
        d = self._facts["due"]
        return d[~d["domain"].isin(T.HEADLINE_DOMAINS)].reset_index(drop=True)

    def _due_open(self) -> pd.DataFrame:
        """Due targets not achieved (the sector table lists only these), by concern."""
        d = self._due_rows()
        return R.by_concern(d[d["status"] != "achieved"])

    def _progress_rows(self) -> pd.DataFrame:
        """Targets not yet due in the year (every domain), by concern."""
        return self._facts["in_progress"].copy()

    def _behind(self) -> pd.DataFrame:
        """Targets not yet due that are behind (a table of the in-progress section): yearly
        requirements not met this year, quantities off track, at risk or incomplete."""
        r = self._progress_rows()
        return r[(r["target_kind"] != "deadline")
                 & r["status"].isin(["missed", "off_track", "at_risk", "incomplete"])]

    def statuses_shown(self) -> list[str]:
        rows = pd.concat([self._headline_rows()["status"], self._behind()["status"],
                          self._due_open()["status"]])
        return rows.dropna().astype(str).unique().tolist()

    def _missed_this_year(self) -> bool:
        b = self._behind()
        return bool((b["status"] == "missed").any())

    def summary(self) -> Section:
        """Page 1: key messages, headline figures, what needs attention, what figures rest on."""
        return TS.county_summary(self)

    def in_progress(self) -> Section:
        """Targets not yet due, with progress so far and status, by concern."""
        return TS.in_progress(self)

    def headline(self) -> Section:
        s = Section(self.L("sec_headline"), key="headline")
        h = self._headline_rows()
        if h.empty:
            return s.empty(self.L("no_rows"))
        frame, spec = self.targets_table(h)
        s.add_table(frame, **spec)
        concept = h["income_concept"] if "income_concept" in h else pd.Series(dtype="string")
        if concept.isin(["disposable", "gross"]).any():  # registry income is net income
            s.add_text(self.L("income_concept_note"))
        if (h["indicator_id"] == T.INCOME_MEAN).any():
            s.add_text(self.L("income_over_registered_note"))
        return s

    def trajectories(self) -> Section:
        L = self.L
        s = Section(L("sec_trajectory"), key="trajectories")
        panels, rows = [], []
        for _, row in self._headline_rows().iterrows():
            d = T.trajectory(self.data["progress_trajectory"], row["indicator_id"], as_of=self.year)
            d = T.with_registry_actuals(d, self.data["progress_registry"], row["indicator_id"],
                                        self.year)  # actuals through the year, not the plan's
            if d["planned"].notna().sum() >= 2 or d["actual"].notna().sum() >= 2:  # a line
                name = self.indicator_name(row)
                panels.append({"title": TP.panel_title(self, row), "data": d})
                rows.append(d.assign(indicator=name))
        if not panels:
            return s.empty(L("no_trajectory"))
        s.add_figure(charts.trajectories(panels, self.year, L("plan"), L("actual"),
                                         L("plan_derived")))
        long = pd.concat(rows)
        s.add_table(pd.DataFrame({L("col_indicator"): long["indicator"].tolist(),
                                  L("col_year"): long["year"].astype(int).tolist(),
                                  L("plan"): long["planned"].astype(float).tolist(),
                                  L("plan_derived"): long["planned_is_derived"].tolist(),
                                  L("actual"): long["actual"].astype(float).tolist()}),
                    decimals={L("plan"): 2, L("actual"): 2}, shown=False)
        return s

    def village_exits(self) -> Section:
        L = self.L
        s = Section(L("sec_village_exits"), key="village_exits").add_text(VX.schedule_note(self))
        c = T.schedule_counts(self.data["village_exits"], self.year)
        if c.empty:
            return s.empty(L("no_village_exits", year=self.year))
        c.index = [self.township_name(t) for t in c.index]
        labels = {x: L.code("schedule", x) for x in c.columns}
        s.add_figure(charts.stacked_bars(c, charts.SCHEDULE_COLOURS, labels,
                                         title=L("exits_by_township_chart", year=self.year),
                                         xlabel=L("villages_count"), show_values=True))
        table = c.rename(columns=labels).reset_index(names=L("col_township"))
        # the counts are on the bars; the table is kept for exploring (village_exits.frame)
        return s.add_table(table, decimals={v: 0 for v in labels.values()}, css="data compact",
                           shown=False)

    def league(self) -> Section:
        L = self.L
        s = Section(L("sec_league"), key="league")
        t = T.league_table(self.data["progress_registry"], self.year, self.data.townships)
        if t.empty:
            return s.empty(L("no_registry_year", year=self.year))
        t["township"] = [self.township_name(x) for x in t["township"]]
        headers = {"rank": L("col_rank"), "township": L("col_township"),
                   T.POOR_HOUSEHOLDS: L("col_households"), T.POOR_PERSONS: L("col_persons"),
                   T.EXITS_PERSONS: L("col_exits"), T.INCIDENCE: L("col_incidence"),
                   T.INCOME_MEAN: L("col_income"), "reduction_pct": L("col_reduction")}
        # a change in words (减少12.3% / 增加4.5%): never a negative percentage
        base_year = self.year == min(self.data.years or [self.year])
        t["reduction_pct"] = [L("kf_base_year") if base_year else S.change_text(L, -x)
                              for x in t["reduction_pct"]]
        frame = t[list(headers)].rename(columns=headers)
        digits = {L("col_rank"): 0, L("col_households"): 0, L("col_persons"): 0,
                  L("col_exits"): 0, L("col_incidence"): 2, L("col_income"): 0}
        s.add_text(L("income_over_registered_note"))
        note = S.league_note(L, t, self.year, base_year)  # base year, ties: said, not hidden
        if note:
            s.add_text(note, css="lead")
        return s.add_table(frame, decimals=digits, css="data league")

    def income_by_township(self) -> Section:
        """Registered households' per-capita income by township (seaborn box plot)."""
        L = self.L
        s = Section(L("sec_income_by_township"), key="income_by_township")
        # quartiles, whiskers and counts computed in DuckDB by the progress step
        inc = T.income_stats(self.data["income_summary"], self.year)
        inc = inc[inc["households"].fillna(0) > 0]
        if inc.empty:
            return s.empty(L("no_income_year", year=self.year))
        line = T.poverty_line(self.data["poverty_lines"], self.year)
        inc = inc.assign(township=[self.township_name(t) for t in inc["geography"]])
        s.add_text(L("income_box_note"))
        s.add_text(L("income_households_note"))
        if line is None:
            s.add_text(L("no_poverty_line", year=self.year), css="reason")
        out = T.income_stats(self.data["income_outliers"], self.year)
        fliers = {self.township_name(g): d["income_per_capita"].astype(float).repeat(
                      d["households"].astype(int)).tolist()
                  for g, d in out.groupby("geography", sort=False)}
        s.add_figure(charts.income_boxes(
            inc, "township", fliers, title=L("income_by_township_chart", year=self.year),
            xlabel=L("col_income"), line=line, line_label=f'{L("poverty_line")} {D.fmt(line)}'))
        g = inc.sort_values("township")
        stats = pd.DataFrame({L("col_township"): g["township"].tolist(),
                              L("col_count"): g["households"].astype(float).to_numpy(),
                              L("col_income_median"): g["income_median"].astype(float).to_numpy()})
        digits = {L("col_count"): 0, L("col_income_median"): 0}
        if line is not None:
            stats[L("col_below_line")] = g["households_below_line"].astype(float).to_numpy()
            digits[L("col_below_line")] = 0
        stats = stats.sort_values(L("col_income_median")).reset_index(drop=True)
        return s.add_table(stats, decimals=digits, css="data compact")

    def sectors(self) -> Section:
        """Due targets outside population and income: all counted, the open ones listed."""
        return TS.sectors(self)
