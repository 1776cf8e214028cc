"""The two briefings as objects whose methods return one :class:`~.section.Section` each.

A notebook (``notebooks/county_year.ipynb``, ``notebooks/township.ipynb``) has a ``parameters``
cell, ``b = CountyBriefing(year, lang, data_dir)`` and one short cell per section::

    headline = b.headline()      # a Section: headline.frame (table), headline.figure (chart)
    headline                     # displays it (what the HTML and PDF show)

The sections of a briefing, in order, are listed in its ``SECTIONS``; ``b.sections()`` builds
them all. Numbers come from :mod:`~huachi_analysis.reports.tables` (pure functions), words
from the label catalogue (:mod:`~huachi_analysis.reports.labels`), charts from
:mod:`huachi_analysis.charts`. Every code the data holds is shown through its label.
Page 1 is a summary in sentences (:mod:`~huachi_analysis.reports.summary`, templates ``msg_…``
of the label catalogue); the sections listing targets are in
:mod:`~huachi_analysis.reports.target_sections`. Every figure shown beside a target says its
kind (建档立卡 / 部门填报 / 公开统计, 合成) or why there is none.
"""

from __future__ import annotations

import functools

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.county import COUNTY
from huachi_analysis.reports import appendix as A
from huachi_analysis.reports import display as D
from huachi_analysis.reports import missing_columns
from huachi_analysis.reports import origins as O
from huachi_analysis.reports import summary as S
from huachi_analysis.reports import tables as T
from huachi_analysis.reports import target_rows as R
from huachi_analysis.reports import target_sections as TS
from huachi_analysis.reports.data import ReportData, load
from huachi_analysis.reports.labels import Labels, plan_decimals
from huachi_analysis.reports.section import Section
from huachi_analysis.reports.slices import Scope


class Briefing:
    """Shared parts: data, labels, title block, data quality, causes, provenance."""

    kind = "county"
    #: Section methods in the order the notebook shows them.
    SECTIONS: tuple[str, ...] = ()

    def __init__(self, year: int, lang: str = "zh", data_dir: str | None = None,
                 data: ReportData | None = None, township: str | None = None):
        self.L = Labels(lang)
        self.lang = lang
        # the briefing reads only its slice of each table (reports/slices.py): its year, its
        # township; the runner's skip key hashes the same slices
        scope = Scope(self.kind, int(year), township)
        data = data if data is not None else load(data_dir, scope=scope)
        self.year = data.check_year(int(year))
        if township is not None:
            data.check_township(township)
        self.data = data.scoped(scope)
        self.params: dict[str, object] = {"year": self.year, "lang": lang,
                                          "data_dir": str(self.data.directory)}

    def sections(self) -> list[Section]:
        """Every section of the briefing, in order (what the notebook displays)."""
        return [getattr(self, name)() for name in self.SECTIONS]

    # ---- helpers -------------------------------------------------------------------------
    def indicator_name(self, row: pd.Series | dict) -> str:
        col = "indicator_en" if self.lang == "en" else "indicator_zh"
        return str(row.get(col) or row.get("indicator_id"))

    def township_name(self, township: str) -> str:
        return self.data.township_label(township, self.lang)

    @staticmethod
    def _decimals(row: pd.Series | dict) -> int:
        return plan_decimals(row.get("value"), row.get("value_base"))

    def target_text(self, row: pd.Series | dict) -> str:
        """The target as the plan states it, at the plan's precision (``≤9.12%``); a minimum
        per unit says per what (``每户5,000元``)."""
        if str(row.get("target_kind")) == "deadline" and pd.isna(row.get("value_base")):
            return self.L("done")
        text = self.L.target(row.get("comparator"), row.get("value_base"), row.get("unit_base"),
                             self._decimals(row))
        if str(row.get("target_kind")) == "per_unit" and not pd.isna(row.get("per_unit")):
            unit = self.L.code("per_unit", row.get("per_unit"))
            return (self.L("per_unit_all", unit=unit) if text == "—"
                    else self.L("per_unit_target", unit=unit, target=text))
        return text

    def status_text(self, row: pd.Series | dict) -> str:
        """A row's status label; a yearly requirement not met in a year before its end says
        so (当年未达标) rather than 逾期未完成."""
        status = row.get("status")
        if str(status) == "missed" and not pd.isna(row.get("period_end")) \
                and int(row["period_end"]) > self.year:
            return self.L("status_missed_year")
        return self.L.status(status)

    def actual_text(self, row: pd.Series | dict, value: object = None) -> str:
        """An actual in the row's unit, at least at the precision the plan writes the
        indicator with in any of its targets (poverty incidence: 5.47 → two decimals, also
        beside the 2020 target of 5 %), one decimal for percentages and small non-integer
        values."""
        v = row.get("actual") if value is None else value
        unit = row.get("unit_base")
        unit = None if pd.isna(unit) else unit
        if str(row.get("target_kind")) == "per_unit":  # measured as the share of units meeting it
            if pd.isna(v):
                return "—"
            return self.L("per_unit_share", share=self.L.quantity(v, "percent", 1))
        digits = max(self._decimals(row),
                     self._indicator_decimals.get(str(row.get("indicator_id")), 0))
        if unit == "percent":
            digits = max(digits, 1)
        else:
            try:
                fv = float(v)  # type: ignore[arg-type]
                if abs(fv) < 100 and fv != int(fv):
                    digits = max(digits, 1)
            except (TypeError, ValueError):
                pass
        return self.L.quantity(v, unit, digits)

    @functools.cached_property
    def _indicator_decimals(self) -> dict[str, int]:
        """indicator_id → the most decimals the plan writes it with (in its base unit)."""
        t = self.data["plan_targets"]
        out: dict[str, int] = {}
        for r in t[["indicator_id", "value", "value_base"]].to_dict("records"):
            k = str(r["indicator_id"])
            out[k] = max(out.get(k, 0), self._decimals(r))
        return out

    def unit_suffix(self, unit: object) -> str:
        """``（个村）`` / `` (villages)``; empty for a unit printed as nothing (count in en)."""
        u = self.L.unit(unit)
        if not u:
            return ""
        return f"（{u}）" if self.lang == "zh" else f" ({u})"

    def figure_note(self, row: pd.Series | dict) -> str:
        """The kind of a row's figure (``部门填报（合成）``), or why it has none."""
        reason = O.reason_text(self.L, dict(row))
        return reason or O.origin_text(self.L, row.get("actual_origin"),
                                       row.get("actual_is_synthetic"),
                                       row.get("actual_provenance"))

    def scope_text(self, row: pd.Series | dict) -> str:
        """Where a township briefing's target applies: the township, a village, the county."""
        geo = str(row.get("geography"))
        if geo == COUNTY:
            return self.L("scope_county")
        return geo.split("/", 1)[1] if "/" in geo else self.township_name(geo)

    def targets_table(self, df: pd.DataFrame, with_domain: bool = False,
                      with_scope: bool = False) -> tuple[pd.DataFrame, dict]:
        """Targets with actual, status and the kind of each figure (or why there is none) as
        a readable frame, and its badge spec."""
        L = self.L
        recs = df.to_dict("records")
        cols = {}
        if with_domain:
            cols[L("col_domain")] = [L.code("domain", d) for d in df["domain"]]
        cols[L("col_indicator")] = [self.indicator_name(r) for r in recs]
        if with_scope:
            cols[L("col_scope")] = [self.scope_text(r) for r in recs]
        cols[L("col_target")] = [self.target_text(r) for r in recs]
        cols[L("col_deadline")] = df["period_end"].astype("Int64").astype("string").fillna("—").tolist()
        cols[L("col_actual")] = [self.actual_text(r) for r in recs]
        cols[L("col_pct")] = pd.to_numeric(df["pct_achieved"], errors="coerce").tolist()
        cols[L("col_status")] = [self.status_text(r) for r in recs]
        cols[L("col_source")] = [self.figure_note(r) for r in recs]
        frame = pd.DataFrame(cols)
        spec = {"decimals": {L("col_pct"): 1},
                "badges": {L("col_status"): ("status", [str(s) for s in df["status"].fillna("no_data")])},
                "css": "data targets" + (" domain" if with_domain else "")
                       + (" scoped" if with_scope else "")}
        return frame, spec

    def statuses_shown(self) -> list[str]:
        """The statuses this briefing's target tables show (the legend lists only those)."""
        return []

    def _geographies(self) -> list[str]:
        """Geographies whose target figures the briefing shows."""
        return [COUNTY]

    def _missed_this_year(self) -> bool:
        """A table shows a yearly requirement not met this year (当年未达标, a ``missed`` row
        whose deadline is later)."""
        return False

    @functools.cached_property
    def synthetic_figures(self) -> bool:
        """True if any target figure the briefing shows is generated (a synthetic department
        return beside a real registry counts: ``progress_targets.actual_is_synthetic``)."""
        p = self.data["progress_targets"]
        if "actual_is_synthetic" not in p:
            return False
        geo = p["geography"].astype("string").fillna("")
        mine = geo.isin(self._geographies())
        for g in self._geographies():
            if g != COUNTY:
                mine |= geo.str.startswith(f"{g}/")
        rows = p[(p["year"] == self.year).to_numpy(dtype=bool) & mine.to_numpy(dtype=bool)]
        return bool(rows["actual_is_synthetic"].astype("boolean").fillna(False).any())

    @property
    def is_synthetic(self) -> bool:
        """The briefing rests on generated figures (registry or department returns)."""
        return self.data.is_synthetic or self.synthetic_figures

    def synthetic_text(self) -> str | None:
        """The SYNTHETIC banner's text (whole data set, or some figures only), or None."""
        if self.data.is_synthetic:
            return self.L("synthetic_banner")
        return self.L("synthetic_banner_partial") if self.synthetic_figures else None

    # ---- sections --------------------------------------------------------------------------
    def _header(self, title: str) -> Section:
        L = self.L
        synthetic = self.synthetic_text()
        s = Section(None, key="header")
        s.add_html(D.title_block(title, L("subtitle", plan=L("plan_title")), synthetic))
        present = set(self.statuses_shown())
        shown = [x for x in T.STATUS_ORDER if x in present]
        if shown:
            labels = {x: L.status(x) for x in shown}
            if "missed" in labels and self._missed_this_year():  # the same colour, two words
                labels["missed"] = L("status_missed_both")
            s.add_html(D.legend(labels, L("status_legend")))
        return s

    def quality(self, township: str | None = None) -> Section:
        """Ingest findings, exit-audit findings and (county) the plan's own inconsistencies."""
        L = self.L
        s = Section(L("sec_quality"), key="quality")
        missing = missing_columns.section(self.data.summary, self.year, L, self.lang)
        if missing is not None:  # columns the indicators need, absent from the export
            s.add_section(missing)
        f = self.data["registry_findings"]
        q = T.quarantine_counts(f, self.year)
        sub = Section(L("ingest_findings"), key="quality_ingest", level=3)
        if township is not None:  # only the findings naming a township can be placed
            ycol = "finding_year" if "finding_year" in f else "year"
            f = f[(f[ycol] == self.year).to_numpy(dtype=bool)] if ycol in f else f
            placed = S.finding_townships(f, self.data.townships)
            q = T.quarantine_counts(f[(placed == township).fillna(False).to_numpy(dtype=bool)])
            rest = T.quarantine_counts(f[placed.isna().to_numpy(dtype=bool)])
            if len(rest):
                sub.add_text(L("ingest_county_wide_count", n=int(rest["rows"].sum()),
                               rules=L("list_sep").join(L.code("rule", x) for x in rest["rule"])))
        if len(q):
            sub.add_table(pd.DataFrame({
                L("col_severity"): [L.code("severity", x) for x in q["severity"]],
                L("col_rule"): [L.code("rule", x) for x in q["rule"]],
                L("col_rows"): q["rows"].astype(float).tolist()}),
                decimals={L("col_rows"): 0}, css="data quality")
        else:
            sub.empty(L("no_findings") if township is None else L("ingest_none_township"))
        s.add_section(sub)
        s.add_section(self._exit_audit(township))
        if township is None:
            s.add_section(self._plan_audit())
        for stem in self.data.missing:
            s.add_text(L("missing_input", name=stem))
        return s

    def _exit_audit(self, township: str | None) -> Section:
        L = self.L
        a = T.audit_counts(self.data["exit_audit_counts"], self.year, township)
        sub = Section(L("exit_audit"), key="quality_exit_audit", level=3)
        if not len(a):
            return sub.empty(L("no_findings"))
        return sub.add_table(pd.DataFrame({
            L("col_finding"): [L.code("finding", x) for x in a["finding"]],
            L("col_count"): a["households"].astype(float).tolist()}),
            decimals={L("col_count"): 0}, css="data quality")

    def _plan_audit(self) -> Section:
        return A.plan_audit(self)

    def causes(self, geography: str = COUNTY) -> Section:
        L = self.L
        s = Section(L("sec_causes"), key="causes")
        c = T.causes(self.data["progress_registry"], self.year, geography)
        if c.empty:
            return s.empty(L("no_causes", year=self.year))
        names = [L.code("cause", x) for x in c["cause"]]
        # count and share on each bar: the chart says it all, the table is kept for exploring
        shown = {n: L("bar_count_share", n=f"{h:,.0f}", share=f"{sh:.1f}")
                 for n, h, sh in zip(names, c["households"], c["share"], strict=True)}
        s.add_figure(charts.bars(pd.Series(c["households"].to_numpy(), index=names),
                                 title=L("causes_chart", year=self.year), integer=True,
                                 value_labels=shown))
        s.add_table(pd.DataFrame({L("col_cause"): names,
                                  L("col_count"): c["households"].astype(float).tolist(),
                                  L("col_share"): c["share"].astype(float).tolist()}),
                    decimals={L("col_count"): 0, L("col_share"): 1}, css="data compact",
                    shown=False)
        return s

    def provenance(self) -> Section:
        """A compact appendix: parameters, code version, inputs with short hashes."""
        return A.provenance(self)


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
            if d["planned"].notna().sum() >= 2 or d["actual"].notna().sum() >= 2:  # a line
                name = self.indicator_name(row)
                panels.append({"title": name + self.unit_suffix(row["unit_base"]), "data": d})
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
        s = Section(L("sec_village_exits"), key="village_exits").add_text(L("plan_schedule_note"))
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
        s = Section(L("sec_villages"), key="villages").add_text(L("plan_schedule_note"))
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
        rows = [(L("col_count"), float(r["households"])), ("P25", float(r["income_p25"])),
                (L("col_income_median"), float(r["income_median"])),
                ("P75", float(r["income_p75"]))]
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

        def cells(col: pd.Series) -> list:  # the reduction as a change in words, never negative
            return [S.change_text(L, -v) if m == "reduction_pct" else float(v)
                    for m, v in col.items()]

        frame = pd.DataFrame({L("col_measure"): [L.code("m", m) for m in c.index],
                              tw: cells(c.iloc[:, 0]), county: cells(c.iloc[:, 1])})
        s.add_text(L("income_over_registered_note"))
        return s.add_table(frame, decimals={tw: 2, county: 2}, css="data compact")

    def quality(self, township: str | None = None) -> Section:  # type: ignore[override]
        return super().quality(township or self.township)

