"""``huachi build --only plan``: the plan's processed tables and the data dictionary.

Load (raw files, checked against the text and its sha256) → derive and audit (pure) → write
``plan_targets``, ``plan_townships``, ``plan_villages``, ``plan_derived``, ``plan_audit`` (CSV
and Parquet) and ``data_dictionary.md``.
"""

from __future__ import annotations

from pathlib import Path

from huachi_analysis import catalog, messages, metadata
from huachi_analysis.errors import InputFileError
from huachi_analysis.io import write_text
from huachi_analysis.messages import both
from huachi_analysis.plan import load
from huachi_analysis.plan.consistency import audit, check_tables
from huachi_analysis.plan.derive import derived
from huachi_analysis.plan.geography import Gazetteer
from huachi_analysis.plan.numbers import accounting

TABLES = ("plan_targets", "plan_townships", "plan_villages", "plan_derived", "plan_audit")


def build_plan(raw: Path, out: Path) -> str:
    """Build the plan tables from ``raw/plan`` into ``out``; return a one-line summary.

    Raises:
        InputFileError: a raw file is missing, malformed, or the text's sha256 changed.
    """
    raw, out = Path(raw), Path(out)
    load.verify_text(raw)
    text = load.text(raw)
    tables = {
        "plan_townships": load.townships(raw),
        "plan_villages": load.villages(raw),
        "plan_targets": load.targets(raw, plan_text=text),
    }
    load.check_geography(tables["plan_targets"], tables["plan_townships"],
                         tables["plan_villages"], load.plan_dir(raw) / load.FILES["plan_targets"])
    problems = check_tables(text, tables["plan_targets"], tables["plan_villages"],
                            Gazetteer.from_frames(tables["plan_townships"],
                                                  tables["plan_villages"]).resolve_township)
    if problems:
        raise InputFileError(load.plan_dir(raw), both("plan_tables_disagree") + "\n  "
                             + "\n  ".join(problems))
    ledger = load.number_ledger(raw, plan_text=text)
    tables["plan_derived"] = derived(tables["plan_targets"])
    tables["plan_audit"] = audit(text, tables["plan_targets"], tables["plan_townships"],
                                 tables["plan_villages"])
    for name in TABLES:
        catalog.write(name, tables[name], out)
    write_text(out / "data_dictionary.md", metadata.data_dictionary_markdown())
    write_text(out / "data_dictionary.zh.md", metadata.data_dictionary_markdown("zh"))
    unaccounted = accounting(text, tables["plan_targets"], ledger)
    counts = {"targets": len(tables["plan_targets"]), "townships": len(tables["plan_townships"]),
              "villages": len(tables["plan_villages"]), "derived": len(tables["plan_derived"]),
              "audit": len(tables["plan_audit"])}
    lines = [messages.join([messages.text("plan_step_summary", lang, **counts)]
                           + ([messages.text("plan_step_unaccounted", lang, n=len(unaccounted))]
                              if len(unaccounted) else []), lang)
             for lang in messages.LANGS]
    return messages.step_lines(*lines)
