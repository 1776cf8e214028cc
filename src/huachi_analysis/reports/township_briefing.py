"""The briefing of one township for one year (:class:`TownshipBriefing`): its sections in
order (``SECTIONS``), each a method returning a :class:`~.section.Section`."""

from __future__ import annotations

import functools

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.county import COUNTY
from huachi_analysis.reports import display as D
from huachi_analysis.reports import summary as S
from huachi_analysis.reports import tables as T
from huachi_analysis.reports import target_rows as R
from huachi_analysis.reports import target_sections as TS
from huachi_analysis.reports import village_exits as VX
from huachi_analysis.reports.briefing_base import Briefing
from huachi_analysis.reports.data import ReportData
from huachi_analysis.reports.section import Section


class TownshipBriefing(Briefing):
    """The briefing of one township for one year."""

    kind = "township"
    SECTIONS = ("header", "summary", "villages", "plan_items", "over_time", "exits", "income",
                "causes", "compare", "township_figures", "quality", "provenance")

    def __init__(self, township: str, year: int, lang: str = "zh", data_dir: str | None = None,
                 data: ReportData | None = None):
        super().__init__(year, lang, data_dir, data, township=township)
        self.township = self.data.check_township(township)
        self.params = {"township": township, **self.params}

    def header(self) -> Section:  # type: ignore[override]
        return self._header(self.L("township_title", township=self.township_name(self.township),
                                   year=self.year))

    def _geographies(self) -> list[str]:
        return [self.township, COUNTY]

    def _names(self) -> list[str]:
        """The township's name and the spellings the plan uses for it."""
        tw = self.data["plan_townships"]
        row = tw[tw["township"] == self.township]
        names = [self.township]
        if len(row) and "aliases" in row and isinstance(row["aliases"].iloc[0], str):
            names += [a for a in row["aliases"].iloc[0].split("|") if len(a) >= 2]
        return names

    @functools.cached_property
    def _targets(self) -> pd.DataFrame:
        return R.township_targets(self.data["plan_targets"], self.data["plan_villages"],
                                  self.data["progress_targets"], self.township, self._names(),
                                  self.year)

    @functools.cached_property
    def _figures(self) -> pd.DataFrame:
        return R.township_figures(self.data["plan_targets"], self.data["progress_targets"],
                                  self.township, self.year)

    @functools.cached_property
    def _facts(self) -> dict:
        return S.township_facts(self.data, self.year, self.township, self._targets,
                                self._figures)

    def _target_rows(self) -> pd.DataFrame:
        """One row per target about the township (its own first), with status."""
        return self._targets.copy()

    def _figure_rows(self) -> pd.DataFrame:
        """The township's figures under county-wide targets, by the county's concern."""
        return self._figures.copy()

    def statuses_shown(self) -> list[str]:
        rows = pd.concat([self._targets.get("status", pd.Series(dtype="string")),
                          self._figures.get("status", pd.Series(dtype="string"))])
        return rows.dropna().astype(str).unique().tolist()

    def summary(self) -> Section:
        """Page 1: the township's key messages, figures, concerns and data basis."""
        return TS.township_summary(self)

    def township_figures(self) -> Section:
        """Department figures of the township under county-wide targets (issue 10)."""
        return TS.township_figures(self)

    def villages(self) -> Section:
        L = self.L
        s = Section(L("sec_villages"), key="villages").add_text(VX.schedule_note(self))
        v = T.village_exit_status(self.data["village_exits"], self.year, self.township)
        if v.empty:  # no progress yet: the plan's schedule alone
            pv = self.data["plan_villages"]
            pv = pv[(pv["township"] == self.township) & pv["is_poor_village"].fillna(False)]
            v = pv.assign(actual_exit_year=pd.NA, incidence=float("nan"),
                          schedule_status="no_data")[["village", "exit_year", "actual_exit_year",
                                                      "incidence", "schedule_status"]]
        if v.empty:
            return s.empty(L("poor_villages_none"))
        frame = pd.DataFrame({
            L("col_village"): v["village"].astype(str).tolist(),
            L("col_exit_year"): v["exit_year"].astype("Int64").astype("string").fillna("—").tolist(),
            L("col_actual_exit_year"): v["actual_exit_year"].astype("Int64").astype("string").fillna("—").tolist(),
            L("col_incidence"): pd.to_numeric(v["incidence"], errors="coerce").tolist(),
            L("col_schedule"): [L.code("schedule", x) for x in v["schedule_status"]]})
        return s.add_table(frame, decimals={L("col_incidence"): 1},
                           badges={L("col_schedule"): ("schedule", v["schedule_status"].astype(str).tolist())},
                           css="data compact")

    def _series_section(self, key: str, title: str, ids: list[str], chart_ids: list[str],
                        chart_title: str, note: str | None = None) -> Section:
        L = self.L
        s = Section(title, key=key)
        data = T.series(self.data["progress_registry"], self.township, ids, as_of=self.year)
        if data.empty:
            return s.empty(L("no_registry_year", year=self.year))
        if note:
            s.add_text(note)
        names = {c: L.code("m", c) for c in ids}
        s.add_figure(charts.lines(data[chart_ids].rename(columns=names), title=chart_title,
                                  year=self.year))
        table = data.rename(columns=names).reset_index(names=L("col_year"))
        return s.add_table(table, decimals={n: 0 for n in names.values()}, css="data compact")

    def over_time(self) -> Section:
        ids = [T.POOR_HOUSEHOLDS, T.POOR_PERSONS]
        return self._series_section("over_time", self.L("sec_over_time"), ids, ids,
                                    self.L("over_time_chart"))

    def exits(self) -> Section:
        ids = [T.EXITS_PERSONS, T.EXITS_HOUSEHOLDS, T.RETURNS_PERSONS]
        return self._series_section("exits", self.L("sec_exits"), ids,
                                    [T.EXITS_PERSONS, T.RETURNS_PERSONS], self.L("exits_chart"),
                                    note=self.L("exits_returns_note") + " "
                                    + self.L("returns_by_transition_note"))

    def income(self) -> Section:
        L = self.L
        s = Section(L("sec_income"), key="income")
        # histogram bins and quartiles computed in DuckDB by the progress step
        st = T.income_stats(self.data["income_summary"], self.year, self.township)
        if st.empty or not int(st["households"].iloc[0] or 0):
            return s.empty(L("no_income_year", year=self.year))
        r = st.iloc[0]
        line = T.poverty_line(self.data["poverty_lines"], self.year)
        s.add_text(L("income_households_note"))
        if line is None:
            s.add_text(L("no_poverty_line", year=self.year), css="reason")
        s.add_figure(charts.income_histogram_binned(
            T.income_bins(self.data["income_distribution"], self.year, self.township),
            title=L("income_chart", year=self.year), xlabel=L("col_income"),
            ylabel=L("households_axis"), line=line,
            line_label=f'{L("poverty_line")} {D.fmt(line)}'))
        rows = [(L("col_count"), float(r["households"])),
                (L("col_p25"), float(r["income_p25"])),
                (L("col_income_median"), float(r["income_median"])),
                (L("col_p75"), float(r["income_p75"]))]
        if line is not None:
            rows.append((L("col_below_line"), float(r["households_below_line"])))
        return s.add_table(pd.DataFrame({L("col_measure"): [r[0] for r in rows],
                                         L("col_value"): [r[1] for r in rows]}),
                           decimals={L("col_value"): 0}, css="data compact")

    def causes(self, geography: str | None = None) -> Section:  # type: ignore[override]
        return super().causes(geography or self.township)

    def plan_items(self) -> Section:
        """The plan's targets for the township and its villages, one row each, with status."""
        return TS.township_targets(self)

    def compare(self) -> Section:
        L = self.L
        s = Section(L("sec_compare"), key="compare")
        c = T.compare(self.data["progress_registry"], self.year, self.township)
        tw, county = self.township_name(self.township), L("col_county")

        digits = {T.INCOME_MEAN: 0, T.BELOW_LINE: 1}  # yuan to the whole yuan

        def cells(col: pd.Series) -> list:  # the reduction as a change in words, never negative
            return [S.change_text(L, -v) if m == "reduction_pct" else D.fmt(float(v),
                                                                           digits.get(m, 2))
                    for m, v in col.items()]

        frame = pd.DataFrame({L("col_measure"): [L.code("m", m) for m in c.index],
                              tw: cells(c.iloc[:, 0]), county: cells(c.iloc[:, 1])})
        s.add_text(L("income_over_registered_note"))
        return s.add_table(frame, decimals={tw: 2, county: 2}, css="data compact")

    def quality(self, township: str | None = None) -> Section:  # type: ignore[override]
        return super().quality(township or self.township)
