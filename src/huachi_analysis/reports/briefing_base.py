"""What both briefings share (:class:`Briefing`): data and labels, the formatting of targets and
figures, the title block, data quality, causes and the provenance appendix. The two briefings
are :mod:`.county_briefing` and :mod:`.township_briefing`; :mod:`.briefing` is their public
entry point."""

from __future__ import annotations

import functools

import pandas as pd

from huachi_analysis import charts
from huachi_analysis.county import COUNTY
from huachi_analysis.reports import appendix as A
from huachi_analysis.reports import display as D
from huachi_analysis.reports import legend as LG
from huachi_analysis.reports import missing_columns
from huachi_analysis.reports import origins as O
from huachi_analysis.reports import path_value as PV
from huachi_analysis.reports import summary as S
from huachi_analysis.reports import tables as T
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
                             self._decimals(row), scale=self._plan_scale(row))
        if str(row.get("target_kind")) == "per_unit" and not pd.isna(row.get("per_unit")):
            unit = self.L.code("per_unit", row.get("per_unit"))
            return (self.L("per_unit_all", unit=unit) if text == "—"
                    else self.L("per_unit_target", unit=unit, target=text))
        return text

    def status_text(self, row: pd.Series | dict) -> str:
        """A row's status label; a yearly requirement not met in a year before its end says
        so (当年未达标) rather than 到期未完成."""
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
        # in the unit the plan wrote the target in (8.43万亩 beside ≥10万亩, not 84,300亩)
        return self.L.quantity(v, unit, digits, scale=self._plan_scale(row))

    @staticmethod
    def _plan_scale(row: pd.Series | dict) -> str | None:
        """万 or 亿 when the plan wrote an area or amount in 万亩 or 亿元 (persons stay exact:
        28,080人 beside 2.78万人 would hide the difference)."""
        plan_unit = str(row.get("unit") or "")
        if row.get("unit_base") not in ("mu", "yuan"):
            return None
        return plan_unit[0] if plan_unit[:1] in ("万", "亿") else None

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
        cols[L("col_source")] = [PV.note_cell(self, r) for r in recs]
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
        """The SYNTHETIC banner's text (whole data set, all but the real figures marked, or
        some figures only), or None."""
        facts = getattr(self, "_facts", None)
        return O.banner_text(self.L, self.data.is_synthetic, self.synthetic_figures,
                             facts.get("origins") if isinstance(facts, dict) else None)

    # ---- sections --------------------------------------------------------------------------
    def _header(self, title: str) -> Section:
        L = self.L
        synthetic = self.synthetic_text()
        s = Section(None, key="header")
        s.add_html(D.title_block(title, L("subtitle", plan=L("plan_title")), synthetic))
        legend = LG.html(self)  # exactly the statuses the briefing shows
        if legend:
            s.add_html(legend)
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
        if self.data.missing:  # a stale or partial build: the analyst reruns it
            s.add_text(L("missing_input", n=len(self.data.missing)), css="reason")
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
