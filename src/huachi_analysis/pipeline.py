"""The build as an ordered list of registered steps (a small DAG: each step reads what the
steps before it wrote). Add a step by adding an entry to :data:`STEPS`, not by branching."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huachi_analysis import catalog
from huachi_analysis.errors import HuachiError, display_path
from huachi_analysis.messages import both
from huachi_analysis.staging import staged_output


@dataclass(frozen=True)
class Step:
    name: str
    target: str  # "module:function"; the function takes (raw: Path, out: Path) -> summary
    description: str

    def load(self):
        module, func = self.target.split(":")
        return getattr(importlib.import_module(module), func)


STEPS: tuple[Step, ...] = (
    Step("plan", "huachi_analysis.plan.build:build_plan",
         "plan targets, geography, derived facts, audit, data dictionary"),
    Step("registry", "huachi_analysis.registry.build:build_registry",
         "ingest data/raw/registry/** and the input tables of data/raw/inputs"),
    Step("actuals", "huachi_analysis.actuals.build:build_actuals",
         "department workbooks, long CSVs and published statistics in data/raw/actuals/**"),
    Step("progress", "huachi_analysis.progress.build:build_progress",
         "registry indicators, village exits, exit audit, targets against actuals"),
)


def check_raw(raw: Path) -> Path:
    """``raw`` as a folder of inputs, or a clear error."""
    raw = Path(raw).expanduser()
    if not raw.is_dir():
        what = ({"zh": "不是文件夹", "en": "is not a folder"} if raw.exists()
                else {"zh": "不存在", "en": "does not exist"})
        raise HuachiError(both("raw_not_folder", path=display_path(raw), what=what))
    return raw


def run_build(raw: Path, out: Path, only: list[str] | None = None) -> dict[str, Any]:
    """Run the build steps (all, or ``only`` these) from ``raw`` into ``out`` as a whole: the
    steps write into a staging folder that replaces ``out`` only when every step succeeded
    (:func:`huachi_analysis.staging.staged_output`), so a failure of any kind leaves the
    previous build whole."""
    names = [s.name for s in STEPS]
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise HuachiError(both("unknown_build_steps", unknown=unknown, names=names))
    raw = check_raw(raw)
    results: dict[str, Any] = {}
    with staged_output(Path(out), what="build") as stage:
        for step in STEPS:
            if only and step.name not in only:
                continue
            t0 = time.perf_counter()
            summary = step.load()(raw=raw, out=stage)
            # a summary naming the staging folder names the output folder it becomes
            summary = str(summary).replace(str(stage), str(Path(out).expanduser().resolve()))
            results[step.name] = f"{summary} ({time.perf_counter() - t0:.1f} s)"
        # the tables agree with each other before they replace the previous build
        catalog.check_foreign_keys(stage)
    return results
