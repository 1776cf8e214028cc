"""The build as an ordered list of registered steps (a small DAG: each step reads what the
steps before it wrote). Add a step by adding an entry to :data:`STEPS`, not by branching."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huachi_analysis.errors import HuachiError
from huachi_analysis.locks import locked_output

#: Lock file a build holds in its output folder.
BUILD_LOCK = ".huachi-build.lock"


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


def run_build(raw: Path, out: Path, only: list[str] | None = None) -> dict[str, Any]:
    names = [s.name for s in STEPS]
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise HuachiError(f"unknown build step(s) {unknown}; the steps are {names}")
    results: dict[str, Any] = {}
    # one build per output folder; a killed build's half-written files are cleared first
    with locked_output(Path(out), BUILD_LOCK, what="build") as out_dir:
        for step in STEPS:
            if only and step.name not in only:
                continue
            t0 = time.perf_counter()
            summary = step.load()(raw=Path(raw), out=out_dir)
            results[step.name] = f"{summary} ({time.perf_counter() - t0:.1f} s)"
    return results
