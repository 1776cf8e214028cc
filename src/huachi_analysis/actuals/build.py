"""The ``actuals`` step of ``huachi build``: every department return and published statistic
under ``<raw>/actuals/`` (recursively) in, checked against the plan, out as

* ``indicator_actuals.{csv,parquet}`` (contract C4: each figure with its file, sheet and row);
* ``actuals_findings.{csv,parquet}``: every quarantined cell and every warning;
* ``actuals_summary.json``: per file, rows read, accepted, blank (not reported), quarantined.

Files: ``.xlsx`` with the template's header (:mod:`.workbook`) and ``.csv`` in the long or
published-statistics form (:mod:`.long_csv`). A bad cell never stops the build: it is listed
with file, sheet, row and reason, and the good figures go on to the progress step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from huachi_analysis import catalog, metadata
from huachi_analysis.actuals.long_csv import WrongColumns, read_long_csv
from huachi_analysis.actuals.validate import Validated, validate
from huachi_analysis.actuals.workbook import (
    UnreadableFile,
    empty_cells,
    is_synthetic_name,
    read_workbook,
)
from huachi_analysis.errors import HuachiError, InputFileError
from huachi_analysis.messages import LANGS, both, one_line, text

SUFFIXES = (".xlsx", ".csv")
#: Lines of findings printed in the build's account (all of them are in actuals_findings).
MAX_PRINTED = 60


def discover(folder: Path) -> list[Path]:
    """``.xlsx`` and ``.csv`` files under ``folder`` (recursive), sorted; no Excel lock files
    (``~$…``) or hidden files."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def _file_finding(rel: str, name: str, rule: str, message: str) -> dict:
    from huachi_analysis.actuals.rules import RULES

    return {"source_path": rel, "source_file": name, "source_sheet": None, "finding_row": None,
            "column": None, "masked_value": None, "finding_subject": None, "finding_year": None,
            "rule": rule, "severity": RULES[rule].severity, "message": message,
            "is_synthetic": is_synthetic_name(name)}


def read_files(paths: list[Path], root: Path) -> tuple[pd.DataFrame, list[dict]]:
    """The cell frame of every file, and findings about whole files."""
    frames, findings = [], []
    for p in paths:
        rel = p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name
        try:
            if p.suffix.lower() == ".xlsx":
                cells, has_header = read_workbook(p, rel)
                if not has_header:
                    findings.append(_file_finding(
                        rel, p.name, "no_template_header", "no sheet has the template's header "
                        "(target_id, indicator_id, 指标, 地区, 年份, 目标值, 单位, 实际值, 数据来源, "
                        "备注): not a department return, skipped"))
            else:
                cells = read_long_csv(p, rel)
        except (UnreadableFile, InputFileError) as exc:
            msg = str(exc).split(": ", 1)[-1] if isinstance(exc, InputFileError) else str(exc)
            findings.append(_file_finding(rel, p.name, "unreadable_file", msg))
            continue
        except WrongColumns as exc:
            findings.append(_file_finding(rel, p.name, "wrong_columns", str(exc)))
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            findings.append(_file_finding(rel, p.name, "unreadable_file",
                                          f"not a readable CSV ({str(exc)[:160]})"))
            continue
        frames.append(cells)
    frames = [f for f in frames if not f.empty]
    cells = pd.concat(frames, ignore_index=True) if frames else empty_cells()
    return cells, findings


def collect(folder: Path, targets: pd.DataFrame, geo, paths: list[Path] | None = None
            ) -> Validated:
    """Read and check every file under ``folder`` (or ``paths``)."""
    paths = discover(folder) if paths is None else paths
    cells, file_findings = read_files(paths, folder)
    result = validate(cells, targets, geo, file_findings)
    for p in paths:
        rel = p.relative_to(folder).as_posix() if p.is_relative_to(folder) else p.name
        result.files.setdefault(rel, {"rows": 0, "accepted": 0, "blank": 0, "quarantined": 0,
                                      "warnings": 0, "synthetic": is_synthetic_name(p.name)})
    for f in file_findings:
        entry = result.files[f["source_path"]]
        entry["skipped"] = f["message"]
    return result


def account(result: Validated, folder: Path, findings_path: Path | None = None) -> str:
    """The per-file account the build prints, each line in Chinese then English (`` · ``):
    counts per file, then every error (up to :data:`MAX_PRINTED` lines) with file, sheet,
    row and reason."""
    files = result.files
    if not files:
        return one_line("actuals_account_none", folder=folder)
    tot = {k: sum(f[k] for f in files.values()) for k in ("accepted", "blank", "quarantined",
                                                          "warnings")}
    n_syn = sum(f["synthetic"] for f in files.values())
    lines = [one_line("actuals_account_head", files=len(files), folder=folder,
                      synthetic={"zh": f"（{n_syn} 个合成 SYNTHETIC）" if n_syn else "",
                                 "en": f" ({n_syn} SYNTHETIC)" if n_syn else ""}, **tot)]
    for rel, f in files.items():
        synthetic = {"zh": "［合成 SYNTHETIC］" if f["synthetic"] else "",
                     "en": " [SYNTHETIC]" if f["synthetic"] else ""}
        if "skipped" in f:
            lines.append("  " + one_line("actuals_account_skipped", file=rel,
                                         reason=f["skipped"], synthetic=synthetic))
            continue
        context = f.get("context", 0)
        warnings = f["warnings"] - context
        lines.append("  " + one_line(
            "actuals_account_file", file=rel, rows=f["rows"], accepted=f["accepted"],
            blank=f["blank"], quarantined=f["quarantined"], synthetic=synthetic,
            context={lang: text("actuals_account_context", lang, n=context) if context else ""
                     for lang in LANGS},
            warnings={lang: text("actuals_account_warnings", lang, n=warnings) if warnings
                      else "" for lang in LANGS}))
    errors = result.findings[(result.findings["severity"] == "error")
                             & result.findings["finding_row"].notna()]
    for i, e in enumerate(errors.to_dict("records")):
        if i == MAX_PRINTED:
            lines.append("    " + one_line("actuals_account_more",
                                           n=len(errors) - MAX_PRINTED))
            break
        lines.append("    " + one_line(
            "actuals_account_error", file=e["source_path"], row=e["finding_row"],
            column=e["column"], rule=e["rule"],
            sheet={"zh": f"，工作表 {e['source_sheet']}" if e["source_sheet"] else "",
                   "en": f", sheet {e['source_sheet']}" if e["source_sheet"] else ""},
            message={"zh": _rule_text(e["rule"], e["message"]), "en": e["message"]}))
    if findings_path is not None and len(result.findings):
        lines.append("  " + one_line("actuals_account_findings", path=findings_path))
    return "\n".join(lines)


def _rule_text(rule: str, message: str) -> str:
    """A finding's reason in Chinese: its rule's description (the English message otherwise)."""
    from huachi_analysis.actuals.rules import RULES

    r = RULES.get(rule)
    return r.description_zh if r is not None and r.description_zh else message


def summary_json(result: Validated) -> dict[str, Any]:
    f = result.findings
    return {"files": result.files,
            "figures": len(result.actuals),
            "quarantine_reasons": f[f["severity"] == "error"]["rule"].value_counts().to_dict(),
            "warnings": f[f["severity"] == "warning"]["rule"].value_counts().to_dict(),
            "is_synthetic": bool(result.actuals["is_synthetic"].astype(bool).any())
            if len(result.actuals) else False}


def _targets(out: Path) -> pd.DataFrame:
    targets = catalog.read("plan_targets", out, fmt="parquet", required=False)
    if not isinstance(targets, pd.DataFrame):
        raise HuachiError(both("actuals_need_plan", path=catalog.path("plan_targets", out)))
    return targets


def build_actuals(raw: Path, out: Path) -> str:
    """``huachi build`` step: read ``<raw>/actuals/**``; write ``indicator_actuals``,
    ``actuals_findings`` and ``actuals_summary.json``; return the per-file account."""
    from huachi_analysis.plan.geography import gazetteer

    raw, out = Path(raw), Path(out)
    folder = raw / "actuals"
    result = collect(folder, _targets(out), gazetteer(raw))
    catalog.write("indicator_actuals", result.actuals, out)
    findings = metadata.conform(result.findings.drop(columns="source_path"), "actuals_findings")
    catalog.write("actuals_findings", findings, out)
    catalog.write("actuals_summary", summary_json(result), out)
    text = account(result, folder, catalog.path("actuals_findings", out, "csv"))
    return text + mixing_warning(result, out)


def mixing_warning(result: Validated, out: Path) -> str:
    """A warning line when synthetic department figures meet a real registry."""
    reg = catalog.read("registry_summary", out, required=False)
    if not isinstance(reg, dict) or not len(result.actuals):
        return ""
    real_registry = reg.get("is_synthetic") is False and reg.get("rows_read", 0) > 0
    if real_registry and result.actuals["is_synthetic"].astype(bool).any():
        return ("\n  WARNING: SYNTHETIC department figures are used with a real registry export; "
                "delete data/raw/actuals/synthetic/ and put the departments' real returns in "
                "data/raw/actuals/")
    return ""


def read_actuals_file(path: Path, targets: pd.DataFrame, raw: Path | None = None
                      ) -> pd.DataFrame:
    """One file given on the command line (``huachi progress --actuals``), checked exactly as
    the build checks ``data/raw/actuals/**``; any error stops with every finding listed.

    Raises:
        InputFileError: the file is missing, unreadable, or has errors.
    """
    from huachi_analysis.plan.geography import gazetteer

    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, both("actuals_file_missing"))
    result = collect(path.parent, targets, gazetteer(raw), paths=[path])
    errors = result.findings[result.findings["severity"] == "error"]
    if len(errors):
        listed = "; ".join(
            (f"row {int(e['finding_row'])}" if pd.notna(e["finding_row"]) else "file")
            + (f" (sheet {e['source_sheet']})" if e["source_sheet"] else "")
            + f": {e['message']}" for e in errors.to_dict("records"))
        raise InputFileError(path, both("actuals_file_errors", n=len(errors), listed=listed))
    return result.actuals
