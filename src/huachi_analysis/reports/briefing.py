"""The two briefings as objects whose methods display one section each.

The notebooks stay thin: a ``parameters`` cell, ``b = CountyBriefing(year, lang, data_dir)``,
then one call per section (``b.headline()``, ``b.trajectories()`` …). The numbers come from
:mod:`~huachi_analysis.reports.tables` (pure functions), the HTML from
:mod:`~huachi_analysis.reports.display`, the charts from :mod:`huachi_analysis.charts`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import subprocess

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.reports import display as D
from huachi_analysis.reports import tables as T
from huachi_analysis.reports.data import COUNTY, ReportData, load
from huachi_analysis.reports.labels import Labels

PERCENT_UNITS = {"percent", "%"}
#: Plan-audit findings listed in full in a county briefing (all are counted by kind).
PLAN_AUDIT_SHOWN = 20


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
    """Shared parts: data, labels, header, status legend, data quality, provenance."""

    kind = "county"

    def __init__(self, year: int, lang: str = "zh", data_dir: str | None = None,
                 data: ReportData | None = None):
        self.L = Labels(lang)
        self.lang = lang
        self.data = data if data is not None else load(data_dir)
        self.year = self.data.check_year(int(year))
        self.params: dict[str, object] = {"year": self.year, "lang": lang,
                                          "data_dir": str(self.data.directory)}

    # ---- helpers -------------------------------------------------------------------------
    def indicator_name(self, row: pd.Series) -> str:
        col = "indicator_en" if self.lang == "en" else "indicator_zh"
        return str(row.get(col) or row.get("indicator_id"))

    def unit(self, unit: object) -> str:
        return self.L.prefixed("unit", unit) if isinstance(unit, str) else ""

    def value_text(self, value: object, unit: object) -> str:
        if isinstance(unit, str) and unit == "yes_no":  # done / not done: 1 = 是, 0 = 否
            v = D._num(value)
            return "—" if not isinstance(v, float) or v != v else self.L("yes" if v else "no")
        digits = 1 if unit in PERCENT_UNITS else 0
        v = D._num(value)
        if isinstance(v, float) and unit not in PERCENT_UNITS and abs(v) < 100 and v != int(v):
            digits = 1
        u = self.unit(unit)
        text = D.fmt(v, digits)
        return text if text == "—" else (f"{text}{u}" if u == "%" else f"{text} {u}")

    def _targets_table(self, df: pd.DataFrame, with_domain: bool = False) -> str:
        if df.empty:
            return D.note(self.L("no_rows"))
        rows = pd.DataFrame({
            "domain": [self.L.prefixed("domain", d) for d in df["domain"]],
            "indicator": [self.indicator_name(r) for _, r in df.iterrows()],
            "target": [f"{self.comparator(r.get('comparator'))} {self.value_text(r['value_base'], r['unit_base'])}".strip()
                       if pd.notna(r.get("value_base")) else "—" for _, r in df.iterrows()],
            "deadline": df["period_end"].astype("Int64").astype(str),
            "actual": [self.value_text(a, "percent" if k == "per_unit" else u)  # share of units
                       for a, u, k in zip(df["actual"], df["unit_base"],
                                          df.get("target_kind", df["unit_base"]), strict=True)],
            "pct": df["pct_achieved"],
            "status": [D.status_badge(s, self.L.status(s)) for s in df["status"]],
        })
        headers = {"indicator": self.L("col_indicator"), "target": self.L("col_target"),
                   "deadline": self.L("col_deadline"), "actual": self.L("col_actual"),
                   "pct": self.L("col_pct") + " (%)", "status": self.L("col_status")}
        css = "data targets"
        if with_domain:
            headers = {"domain": self.L("col_domain"), **headers}
            css += " domain"
        return D.table_html(rows, headers, html_columns=("status",), numeric={"pct": 1},
                            css_class=css)

    def comparator(self, comparator: object) -> str:
        """'=' (a planned quantity, met at or beyond it) shows no sign; '≈' shows 约/about."""
        if not isinstance(comparator, str) or comparator == "=":
            return ""
        return self.L("cmp_approx") if comparator == "≈" else comparator

    def township_name(self, township: str) -> str:
        return self.data.township_label(township, self.lang)

    # ---- sections --------------------------------------------------------------------------
    def header(self, title: str) -> None:
        synthetic = self.L("synthetic_banner") if self.data.is_synthetic else None
        D.show_html(D.title_block(title, self.L("subtitle"), synthetic)
                    + D.legend({s: self.L.status(s) for s in T.STATUS_ORDER}))

    def synthetic_reminder(self) -> None:
        """Repeat the SYNTHETIC banner (sections that may start a new page)."""
        if self.data.is_synthetic:
            D.show_html(D.banner(self.L("synthetic_short")))

    def quality(self, township: str | None = None) -> None:
        L = self.L
        parts = [D.heading(L("sec_quality"))]
        q = T.quarantine_counts(self.data["registry_findings"], self.year)
        if len(q):
            q = q.assign(severity=[L.prefixed("severity", s) for s in q["severity"]])
        parts += [D.heading(f'{L("quarantined")} / {L("warnings")}', 3),
                  D.table_html(q, {"severity": L("col_severity"), "rule": L("col_rule"),
                                   "rows": L("col_rows")}, numeric={"rows": 0})
                  if len(q) else D.note(L("no_rows"))]
        a = T.audit_counts(self.data["exit_audit"], self.year, township)
        if len(a):
            a = a.assign(finding=[L.prefixed("finding", f) for f in a["finding"]])
        parts += [D.heading(L("exit_audit"), 3),
                  D.table_html(a, {"finding": L("col_finding"), "households": L("col_count")},
                               numeric={"households": 0}) if len(a) else D.note(L("no_rows"))]
        if township is None:
            pa = self.data["plan_audit"]
            parts.append(D.heading(L("plan_audit"), 3))
            if len(pa):
                pa = pa.assign(kind=[L.prefixed("audit_kind", k) for k in pa["kind"]])
                if self.lang == "zh" and "description_zh" in pa:
                    pa = pa.assign(description=pa["description_zh"])
                kinds = pa.groupby("kind").size().rename("n").reset_index()
                parts.append(D.table_html(kinds, {"kind": L("col_finding"), "n": L("col_rows")},
                                          numeric={"n": 0}, css_class="data audit"))
                shown = pa.head(PLAN_AUDIT_SHOWN)
                parts.append(D.table_html(shown, {"kind": L("col_finding"),
                                                  "description": L("col_description")},
                                          css_class="data audit"))
                if len(pa) > len(shown):
                    parts.append(D.note(L("plan_audit_more", shown=len(shown), total=len(pa))))
            else:
                parts.append(D.note(L("no_rows")))
        for stem in self.data.missing:
            parts.append(D.note(L("missing_input", name=stem)))
        D.show_html("".join(parts))

    def causes(self, geography: str = COUNTY) -> None:
        L = self.L
        c = T.causes(self.data["progress_registry"], self.year, geography)
        D.show_html(D.heading(L("sec_causes")))
        if c.empty:
            D.show_html(D.note(L("no_rows")))
            return
        c["cause"] = [L.prefixed("cause", x) for x in c["cause"]]
        charts.show(charts.bars(c.set_index("cause")["households"],
                                title=L("causes_chart", year=self.year)))
        D.show_html(D.table_html(c, {"cause": L("col_cause"), "households": L("col_count"),
                                     "share": L("col_share")},
                                 numeric={"households": 0, "share": 1}))

    def provenance(self) -> None:
        from huachi_analysis import __version__

        L = self.L
        files = pd.DataFrame({"file": [p.name for p in self.data.files.values()],
                              "sha256": list(self.data.sha256.values())})
        items = [(L("parameters"), ", ".join(f"{k}={v}" for k, v in self.params.items())),
                 (L("package_version"), __version__), (L("git_commit"), git_commit()),
                 (L("generated"), _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))]
        D.show_html('<div class="provenance">' + D.heading(L("sec_provenance"))
                    + D.definition_list(items)
                    + D.table_html(files, {"file": L("col_file"), "sha256": L("col_sha256")},
                                   css_class="data hashes")
                    + (D.banner(L("synthetic_banner")) if self.data.is_synthetic else "")
                    + "</div>")


class CountyBriefing(Briefing):
    """The county briefing for one year."""

    kind = "county"

    def header(self) -> None:  # type: ignore[override]
        super().header(self.L("county_title", year=self.year))

    def headline(self) -> None:
        h = T.headline(self.data["plan_targets"], self.data["progress_targets"], self.year)
        concept = h["income_concept"] if "income_concept" in h else pd.Series(dtype="string")
        note = (D.note(self.L("income_concept_note"))
                if concept.isin(["disposable", "gross"]).any() else "")
        D.show_html(D.heading(self.L("sec_headline")) + self._targets_table(h) + note)

    def trajectories(self) -> None:
        h = T.headline(self.data["plan_targets"], self.data["progress_targets"], self.year)
        panels = []
        for _, row in h.iterrows():
            d = T.trajectory(self.data["progress_trajectory"], row["indicator_id"],
                             as_of=self.year)
            if d["planned"].notna().sum() >= 2 or d["actual"].notna().sum() >= 2:  # a line
                title = f"{self.indicator_name(row)}（{self.unit(row['unit_base'])}）" \
                    if self.lang == "zh" else f"{self.indicator_name(row)} ({self.unit(row['unit_base'])})"
                panels.append({"title": title, "data": d})
        D.show_html(D.heading(self.L("sec_trajectory")))
        if not panels:
            D.show_html(D.note(self.L("no_rows")))
            return
        charts.show(charts.trajectories(panels, self.year, self.L("plan"), self.L("actual"),
                                        self.L("plan_derived")))

    def village_exits(self) -> None:
        L = self.L
        c = T.schedule_counts(self.data["village_exits"], self.year)
        D.show_html(D.heading(L("sec_village_exits")) + D.note(L("plan_schedule_note")))
        if c.empty:
            D.show_html(D.note(L("no_rows")))
            return
        c.index = [self.township_name(t) for t in c.index]
        charts.show(charts.stacked_bars(
            c, charts.SCHEDULE_COLOURS, {s: L.prefixed("schedule", s) for s in c.columns},
            title=L("exits_by_township_chart", year=self.year), xlabel=L("villages_count")))
        table = c.reset_index(names="township")
        headers = {"township": L("col_township"),
                   **{s: L.prefixed("schedule", s) for s in c.columns}}
        D.show_html(D.table_html(table, headers, numeric={s: 0 for s in c.columns}))

    def league(self) -> None:
        L = self.L
        t = T.league_table(self.data["progress_registry"], self.year, self.data.townships)
        t["township"] = [self.township_name(x) for x in t["township"]]
        headers = {"rank": L("col_rank"), "township": L("col_township"),
                   T.POOR_HOUSEHOLDS: L("col_households"), T.POOR_PERSONS: L("col_persons"),
                   T.EXITS_PERSONS: L("col_exits"), T.INCIDENCE: L("col_incidence"),
                   T.INCOME_MEAN: L("col_income"), "reduction_pct": L("col_reduction")}
        D.show_html(D.heading(L("sec_league")) + (D.table_html(
            t, headers, numeric={T.POOR_HOUSEHOLDS: 0, T.POOR_PERSONS: 0, T.EXITS_PERSONS: 0,
                                 T.INCIDENCE: 1, T.INCOME_MEAN: 0, "reduction_pct": 1},
            css_class="data league")
            if len(t) else D.note(L("no_rows"))))

    def sectors(self) -> None:
        L = self.L
        d = T.due_targets(self.data["plan_targets"], self.data["progress_targets"], self.year)
        D.show_html(D.heading(L("sec_sectors")) + D.note(L("due_by", year=self.year)))
        if d.empty:
            D.show_html(D.note(L("no_rows")))
            return
        c = T.status_counts(d, "domain")
        c.index = [L.prefixed("domain", x) for x in c.index]
        charts.show(charts.stacked_bars(c, charts.STATUS_COLOURS,
                                        {s: L.status(s) for s in c.columns},
                                        title=L("sectors_chart")))
        D.show_html(self._targets_table(d, with_domain=True))


class TownshipBriefing(Briefing):
    """The briefing of one township for one year."""

    kind = "township"

    def __init__(self, township: str, year: int, lang: str = "zh", data_dir: str | None = None,
                 data: ReportData | None = None):
        super().__init__(year, lang, data_dir, data)
        self.township = self.data.check_township(township)
        self.params = {"township": township, **self.params}

    def header(self) -> None:  # type: ignore[override]
        super().header(self.L("township_title", township=self.township_name(self.township),
                              year=self.year))

    def villages(self) -> None:
        L = self.L
        v = T.village_exit_status(self.data["village_exits"], self.year, self.township)
        if v.empty:  # no progress yet: the plan's schedule alone
            pv = self.data["plan_villages"]
            pv = pv[(pv["township"] == self.township) & pv["is_poor_village"].fillna(False)]
            v = pv.assign(actual_exit_year=pd.NA, incidence=float("nan"),
                          schedule_status="no_data")[["village", "exit_year", "actual_exit_year",
                                                      "incidence", "schedule_status"]]
        D.show_html(D.heading(L("sec_villages")) + D.note(L("plan_schedule_note")))
        if v.empty:
            D.show_html(D.note(L("poor_villages_none")))
            return
        v = v.assign(schedule=[D.schedule_badge(s, L.prefixed("schedule", s))
                               for s in v["schedule_status"]])
        D.show_html(D.table_html(v, {"village": L("col_village"), "exit_year": L("col_exit_year"),
                                     "actual_exit_year": L("col_actual_exit_year"),
                                     "incidence": L("col_incidence"), "schedule": L("col_schedule")},
                                 html_columns=("schedule",), numeric={"incidence": 1}))

    def over_time(self) -> None:
        L = self.L
        s = T.series(self.data["progress_registry"], self.township,
                     [T.POOR_HOUSEHOLDS, T.POOR_PERSONS], as_of=self.year)
        D.show_html(D.heading(L("sec_over_time")))
        if s.empty:
            D.show_html(D.note(L("no_rows")))
            return
        s.columns = [L.prefixed("m", c) for c in s.columns]
        charts.show(charts.lines(s, title=L("over_time_chart"), year=self.year))
        table = s.reset_index(names=L("col_year"))
        D.show_html(D.table_html(table, numeric={c: 0 for c in s.columns}))

    def exits(self) -> None:
        L = self.L
        s = T.series(self.data["progress_registry"], self.township,
                     [T.EXITS_PERSONS, T.EXITS_HOUSEHOLDS, T.RETURNS_PERSONS], as_of=self.year)
        D.show_html(D.heading(L("sec_exits")))
        if s.empty:
            D.show_html(D.note(L("no_rows")))
            return
        s.columns = [L.prefixed("m", c) for c in s.columns]
        charts.show(charts.lines(s[[s.columns[0], s.columns[2]]], title=L("exits_chart"),
                                 year=self.year))
        D.show_html(D.table_html(s.reset_index(names=L("col_year")), numeric={c: 0 for c in s.columns}))

    def income(self) -> None:
        L = self.L
        inc = T.incomes(self.data["registry_households"], self.year, self.township)
        line = T.poverty_line(self.data["exit_audit"], self.year)
        D.show_html(D.heading(L("sec_income")))
        if inc.empty:
            D.show_html(D.note(L("no_rows")))
            return
        charts.show(charts.histogram(inc, title=L("income_chart", year=self.year),
                                     xlabel=L("col_income"), line=line,
                                     line_label=f'{L("poverty_line")} {D.fmt(line)}'))

    def causes(self, geography: str | None = None) -> None:
        super().causes(geography or self.township)

    def plan_items(self) -> None:
        L = self.L
        tw = self.data["plan_townships"]
        row = tw[tw["township"] == self.township]
        names = [self.township]
        if len(row) and "aliases" in row and isinstance(row["aliases"].iloc[0], str):
            names += [a for a in row["aliases"].iloc[0].split("|") if len(a) >= 2]
        items = T.plan_items(self.data["plan_targets"], self.data["plan_villages"],
                             self.township, names)
        D.show_html(D.heading(L("sec_plan_items")))
        if items.empty:
            D.show_html(D.note(L("no_rows")))
            return
        t = pd.DataFrame({"clause": items["clause"],
                          "indicator": [self.indicator_name(r) for _, r in items.iterrows()],
                          "target": [self.value_text(v, u) for v, u in
                                     zip(items["value_base"], items["unit_base"], strict=True)],
                          "deadline": items["period_end"].astype("Int64").astype(str),
                          "quote": items["quote"]})
        D.show_html(D.table_html(t, {"clause": L("col_clause"), "indicator": L("col_indicator"),
                                     "target": L("col_target"), "deadline": L("col_deadline"),
                                     "quote": L("col_quote")}, css_class="data items"))

    def compare(self) -> None:
        L = self.L
        c = T.compare(self.data["progress_registry"], self.year, self.township)
        c.columns = [self.township_name(self.township), L("col_county")]
        c = c.reset_index(names="measure")
        c["measure"] = [L.prefixed("m", m) for m in c["measure"]]
        cols = list(c.columns)
        D.show_html(D.heading(L("sec_compare")) + D.table_html(
            c, {"measure": L("col_measure"), cols[1]: cols[1], cols[2]: cols[2]},
            numeric={cols[1]: 1, cols[2]: 1}))
