"""The registry step's account, as ``huachi build`` and ``huachi ingest`` print it: per file,
rows read = accepted + quarantined, the rules that fired most (with counts), loud warnings for
columns the indicators need but the file lacks, and where the findings table is. Chinese with
English alongside; every sentence comes from ``messages.yml``.

Pure: :func:`account_lines` takes the summary (``registry_summary.json``) and the findings
frame (``registry_findings``) and returns the lines.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from huachi_analysis.messages import has, one_line, text

#: Rules listed per file: up to this many errors (rows quarantined), then as many warnings.
TOP_RULES = 3


def _n(x: int | float | str) -> str:
    return f"{int(x):,}"


def rule_label(rule: str) -> str:
    """``行政村为空 [missing_village]``: the label, then the code as the findings table has it."""
    from huachi_analysis.reports.labels import has_label, label

    key = f"rule_{rule}"
    return f"{label(key)} [{rule}]" if has_label(key) else f"[{rule}]"


def top_rules(findings: pd.DataFrame, source_file: str, n: int = TOP_RULES
              ) -> list[tuple[str, str, int]]:
    """``(severity, rule, count)`` of one file: the rules that quarantined rows first (up to
    ``n``, each row under its primary error), so the line explains the file's quarantined count
    even when a frequent warning (53 villages the plan does not name, every year) outnumbers
    them; then up to ``n`` warnings, most frequent first."""
    if findings is None or findings.empty or "source_file" not in findings:
        return []
    f = findings[findings["source_file"].astype("string") == source_file]
    if "primary" in f:
        f = f[(f["severity"] != "error") | f["primary"].fillna(False).astype(bool)]
    if f.empty:
        return []
    c = f.groupby(["severity", "rule"]).size().reset_index(name="n")
    c["order"] = (c["severity"] != "error").astype(int)
    c = c.sort_values(["order", "n", "rule"], ascending=[True, False, True])
    c = c.groupby("order", sort=False).head(n)  # up to n errors, then up to n warnings
    return [(str(r.severity), str(r.rule), int(r.n)) for r in c.itertuples()]


def account_lines(summary: dict, findings: pd.DataFrame | None,
                  findings_path: Path | str | None) -> list[str]:
    """The account's lines (no trailing newline), Chinese then English for each sentence."""
    lines: list[str] = []
    missing = summary.get("missing_columns") or []
    for i in summary.get("inputs") or []:
        year = i.get("year")
        lines.append(text("account_file", "zh", file=i["file"],
                          year=f"{year}年" if year else "年度栏"))
        counts = dict(read=_n(i["rows_read"]), accepted=_n(i["rows_accepted"]),
                      quarantined=_n(i["rows_quarantined"]))
        lines.append("    " + one_line("account_rows", **counts))
        skipped = {k: v for k, v in (i.get("skipped") or {}).items() if v}
        if skipped:
            listed = {lang: ", ".join(f"{text(f'skipped_{k}', lang) if has(f'skipped_{k}') else k}"
                                      f" {_n(v)}" for k, v in skipped.items())
                      for lang in ("zh", "en")}
            lines.append("    " + one_line("account_skipped", listed=listed))
        rules = top_rules(findings, i["file"])
        if rules:
            top = "；".join(f"{text(f'account_{sev}', 'zh')} {rule_label(rule)} {_n(n)}"
                           for sev, rule, n in rules)
            lines.append("    " + text("account_top_rules", "zh", rules=top))
        for m in (m for m in missing if m["file"] == i["file"]):
            years = ", ".join(map(str, m["years"])) or "?"
            for lang in ("zh", "en"):
                lines.append("    " + text("missing_column_warning", lang, file=m["file"],
                                           years=years, header=m["header"], field=m["field"],
                                           n=len(m["indicators"]),
                                           how=m["how_zh" if lang == "zh" else "how_en"]))
    if findings_path is not None:
        lines.append(text("account_findings", "zh", path=findings_path))
        lines.append(text("account_findings", "en", path=findings_path))
    return lines
