"""The two briefings as objects whose methods return one :class:`~.section.Section` each.

A notebook (``notebooks/county_year.ipynb``, ``notebooks/township.ipynb``) has a ``parameters``
cell, ``b = CountyBriefing(year, lang, data_dir)`` and one short cell per section::

    headline = b.headline()      # a Section: headline.frame (table), headline.figure (chart)
    headline                     # displays it (what the HTML and PDF show)

The sections of a briefing, in order, are listed in its ``SECTIONS``; ``b.sections()`` builds
them all. Numbers come from :mod:`~huachi_analysis.reports.tables` (pure functions), words
from the label catalogue (:mod:`~huachi_analysis.reports.labels`), charts from
:mod:`huachi_analysis.charts`. Every code the data holds is shown through its label.
"""

from __future__ import annotations

import datetime as _dt
import functools
import subprocess

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.reports import display as D
from huachi_analysis.reports import missing_columns
from huachi_analysis.reports import tables as T
from huachi_analysis.reports.data import COUNTY, ReportData, load
from huachi_analysis.reports.labels import Labels, plan_decimals
from huachi_analysis.reports.section import Section
from huachi_analysis.reports.slices import Scope

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
        """The target as the plan states it, at the plan's precision (``≤9.12%``)."""
        if str(row.get("target_kind")) == "deadline" and pd.isna(row.get("value_base")):
            return self.L("done")
        return self.L.target(row.get("comparator"), row.get("value_base"), row.get("unit_base"),
                             self._decimals(row))

    def actual_text(self, row: pd.Series | dict, value: object = None) -> str:
        """An actual in the row's unit, at least at the plan's precision (one decimal for
        percentages, and for small non-integer values)."""
        v = row.get("actual") if value is None else value
        unit = row.get("unit_base")
        unit = None if pd.isna(unit) else unit
        if str(row.get("target_kind")) == "per_unit":  # measured as the share of units meeting it
            unit = "percent"
        digits = self._decimals(row)
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

    def unit_suffix(self, unit: object) -> str:
        """``（个村）`` / `` (villages)``; empty for a unit printed as nothing (count in en)."""
        u = self.L.unit(unit)
        if not u:
            return ""
        return f"（{u}）" if self.lang == "zh" else f" ({u})"

    def targets_table(self, df: pd.DataFrame, with_domain: bool = False) -> tuple[pd.DataFrame, dict]:
        """Targets with actual and status as a readable frame, and its badge spec."""
        L = self.L
        cols = {}
        if with_domain:
            cols[L("col_domain")] = [L.code("domain", d) for d in df["domain"]]
        cols[L("col_indicator")] = [self.indicator_name(r) for _, r in df.iterrows()]
        cols[L("col_target")] = [self.target_text(r) for _, r in df.iterrows()]
        cols[L("col_deadline")] = df["period_end"].astype("Int64").astype("string").fillna("—").tolist()
        cols[L("col_actual")] = [self.actual_text(r) for _, r in df.iterrows()]
        cols[L("col_pct")] = pd.to_numeric(df["pct_achieved"], errors="coerce").tolist()
        cols[L("col_status")] = [L.status(s) for s in df["status"]]
        frame = pd.DataFrame(cols)
        spec = {"decimals": {L("col_pct"): 1},
                "badges": {L("col_status"): ("status", [str(s) for s in df["status"].fillna("no_data")])},
                "css": "data targets" + (" domain" if with_domain else "")}
        return frame, spec

    def statuses_shown(self) -> list[str]:
        """The statuses this briefing's target tables show (the legend lists only those)."""
        return []

    # ---- sections --------------------------------------------------------------------------
    def _header(self, title: str) -> Section:
        L = self.L
        synthetic = L("synthetic_banner") if self.data.is_synthetic else None
        s = Section(None, key="header")
        s.add_html(D.title_block(title, L("subtitle", plan=L("plan_title")), synthetic))
        present = set(self.statuses_shown())
        shown = [x for x in T.STATUS_ORDER if x in present]
        if shown:
            s.add_html(D.legend({x: L.status(x) for x in shown}, L("status_legend")))
        return s

    def quality(self, township: str | None = None) -> Section:
        """Ingest findings, exit-audit findings and (county) the plan's own inconsistencies."""
        L = self.L
        s = Section(L("sec_quality"), key="quality")
        missing = missing_columns.section(self.data.summary, self.year, L, self.lang)
        if missing is not None:  # columns the indicators need, absent from the export
            s.add_section(missing)
        q = T.quarantine_counts(self.data["registry_findings"], self.year)
        sub = Section(L("ingest_findings"), key="quality_ingest", level=3)
        if township is not None:  # the findings table has no township: say whose they are
            sub.add_text(L("ingest_county_wide"))
        if len(q):
            sub.add_table(pd.DataFrame({
                L("col_severity"): [L.code("severity", x) for x in q["severity"]],
                L("col_rule"): [L.code("rule", x) for x in q["rule"]],
                L("col_rows"): q["rows"].astype(float).tolist()}),
                decimals={L("col_rows"): 0}, css="data quality")
        else:
            sub.empty(L("no_findings"))
        s.add_section(sub)
        a = T.audit_counts(self.data["exit_audit_counts"], self.year, township)
        sub = Section(L("exit_audit"), key="quality_exit_audit", level=3)
        if len(a):
            sub.add_table(pd.DataFrame({
                L("col_finding"): [L.code("finding", x) for x in a["finding"]],
                L("col_count"): a["households"].astype(float).tolist()}),
                decimals={L("col_count"): 0}, css="data quality")
        else:
            sub.empty(L("no_findings"))
        s.add_section(sub)
        if township is None:
            s.add_section(self._plan_audit())
        for stem in self.data.missing:
            s.add_text(L("missing_input", name=stem))
        return s

    def _plan_audit(self) -> Section:
        L = self.L
        pa = self.data["plan_audit"]
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
        if self.lang == "zh" and "description_zh" in shown and shown["description_zh"].notna().all():
            frame = pd.DataFrame({L("col_kind"): kind,
                                  L("col_description"): shown["description_zh"].tolist()})
            css = "data audit"
        elif self.lang == "zh":  # no Chinese description yet: the plan's own words, both sides
            frame = pd.DataFrame({L("col_kind"): kind,
                                  L("col_quote_a"): shown["quote_a"].tolist(),
                                  L("col_quote_b"): shown["quote_b"].fillna("—").tolist()})
            css = "data audit quotes"
        else:
            frame = pd.DataFrame({L("col_kind"): kind,
                                  L("col_description"): shown["description"].tolist()})
            css = "data audit"
        sub.add_table(frame, css=css, caption=L("plan_audit_quotes_note")
                      if "quotes" in css else None)
        if len(pa) > len(shown):
            sub.add_text(L("plan_audit_more", shown=len(shown), total=len(pa)))
        return sub

    def causes(self, geography: str = COUNTY) -> Section:
        L = self.L
        s = Section(L("sec_causes"), key="causes")
        c = T.causes(self.data["progress_registry"], self.year, geography)
        if c.empty:
            return s.empty(L("no_causes", year=self.year))
        names = [L.code("cause", x) for x in c["cause"]]
        s.add_figure(charts.bars(pd.Series(c["households"].to_numpy(), index=names),
                                 title=L("causes_chart", year=self.year), integer=True))
        s.add_table(pd.DataFrame({L("col_cause"): names,
                                  L("col_count"): c["households"].astype(float).tolist(),
                                  L("col_share"): c["share"].astype(float).tolist()}),
                    decimals={L("col_count"): 0, L("col_share"): 1}, css="data compact")
        return s

    def provenance(self) -> Section:
        """A compact appendix: parameters, code version, inputs with short hashes."""
        from huachi_analysis import __version__

        L = self.L
        s = Section(L("sec_provenance"), key="provenance")
        names = {"township": L("col_township"), "year": L("col_year"), "lang": L("language"),
                 "data_dir": L("data_dir")}
        values = {**self.params, "lang": L(f"lang_{self.lang}")}
        if "township" in values:
            values["township"] = self.township_name(str(values["township"]))
        items = [(L("parameters"), " · ".join(f"{names.get(k, k)} {v}"
                                              for k, v in values.items())),
                 (L("package_version"), f"{__version__} · {L('git_commit')} {git_commit()}"),
                 (L("generated"), _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))]
        s.add_html(D.definition_list(items))
        files = " · ".join(f"{p.name} {self.data.sha256[k][:HASH_DIGITS]}"
                           for k, p in self.data.files.items())
        s.add_text(f'{L("input_files")}: {files}', css="hashes")
        s.add_text(L("hashes_note"))
        if self.data.is_synthetic:
            s.add_html(D.banner(L("synthetic_banner")))
        return s


class CountyBriefing(Briefing):
    """The county briefing for one year."""

    kind = "county"
    SECTIONS = ("header", "headline", "trajectories", "village_exits", "league",
                "income_by_township", "causes", "sectors", "quality", "provenance")

    def header(self) -> Section:  # type: ignore[override]
        return self._header(self.L("county_title", year=self.year))

    @functools.cached_property
    def _headline(self) -> pd.DataFrame:
        return T.headline(self.data["plan_targets"], self.data["progress_targets"], self.year)

    @functools.cached_property
    def _due(self) -> pd.DataFrame:
        return T.due_targets(self.data["plan_targets"], self.data["progress_targets"], self.year)

    def _headline_rows(self) -> pd.DataFrame:
        """The headline targets (computed once per briefing; a copy to change freely)."""
        return self._headline.copy()

    def _due_rows(self) -> pd.DataFrame:
        return self._due.copy()

    def statuses_shown(self) -> list[str]:
        rows = pd.concat([self._headline_rows()["status"], self._due_rows()["status"]])
        return rows.dropna().astype(str).unique().tolist()

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
                                         xlabel=L("villages_count")))
        table = c.rename(columns=labels).reset_index(names=L("col_township"))
        return s.add_table(table, decimals={v: 0 for v in labels.values()}, css="data compact")

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
        frame = t[list(headers)].rename(columns=headers)
        digits = {L("col_rank"): 0, L("col_households"): 0, L("col_persons"): 0,
                  L("col_exits"): 0, L("col_incidence"): 2, L("col_income"): 0,
                  L("col_reduction"): 1}
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
        L = self.L
        s = Section(L("sec_sectors"), key="sectors")
        d = self._due_rows()
        if d.empty:
            return s.empty(L("no_targets_due", year=self.year))
        s.add_text(L("due_by", year=self.year))
        c = T.status_counts(d, "domain")
        c.index = [L.code("domain", x) for x in c.index]
        s.add_figure(charts.stacked_bars(c, charts.STATUS_COLOURS,
                                         {x: L.status(x) for x in c.columns},
                                         title=L("sectors_chart"), xlabel=L("targets_count")))
        frame, spec = self.targets_table(d, with_domain=True)
        return s.add_table(frame, **spec)


class TownshipBriefing(Briefing):
    """The briefing of one township for one year."""

    kind = "township"
    SECTIONS = ("header", "villages", "over_time", "exits", "income", "causes", "plan_items",
                "compare", "quality", "provenance")

    def __init__(self, township: str, year: int, lang: str = "zh", data_dir: str | None = None,
                 data: ReportData | None = None):
        super().__init__(year, lang, data_dir, data, township=township)
        self.township = self.data.check_township(township)
        self.params = {"township": township, **self.params}

    def header(self) -> Section:  # type: ignore[override]
        return self._header(self.L("township_title", township=self.township_name(self.township),
                                   year=self.year))

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
        L = self.L
        s = Section(L("sec_plan_items"), key="plan_items")
        tw = self.data["plan_townships"]
        row = tw[tw["township"] == self.township]
        names = [self.township]
        if len(row) and "aliases" in row and isinstance(row["aliases"].iloc[0], str):
            names += [a for a in row["aliases"].iloc[0].split("|") if len(a) >= 2]
        items = T.plan_items(self.data["plan_targets"], self.data["plan_villages"],
                             self.township, names)
        if items.empty:
            return s.empty(L("no_plan_items"))
        cols = {L("col_clause"): items["clause"].astype(str).tolist(),
                L("col_indicator"): [self.indicator_name(r) for _, r in items.iterrows()],
                L("col_target"): [self.target_text(r) for _, r in items.iterrows()],
                L("col_deadline"): items["period_end"].astype("Int64").astype("string").fillna("—").tolist()}
        if self.lang == "zh":  # the plan's words; the English briefing names the indicator only
            cols[L("col_quote")] = items["quote"].tolist()
        return s.add_table(pd.DataFrame(cols), css="data items" + (" en" if self.lang == "en" else ""))

    def compare(self) -> Section:
        L = self.L
        s = Section(L("sec_compare"), key="compare")
        c = T.compare(self.data["progress_registry"], self.year, self.township)
        tw, county = self.township_name(self.township), L("col_county")
        frame = pd.DataFrame({L("col_measure"): [L.code("m", m) for m in c.index],
                              tw: c.iloc[:, 0].astype(float).to_numpy(),
                              county: c.iloc[:, 1].astype(float).to_numpy()})
        s.add_text(L("income_over_registered_note"))
        return s.add_table(frame, decimals={tw: 2, county: 2}, css="data compact")

    def quality(self, township: str | None = None) -> Section:  # type: ignore[override]
        return super().quality(township or self.township)

