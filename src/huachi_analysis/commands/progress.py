"""`huachi` commands of the progress domain."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis import paths
from huachi_analysis.messages import both
from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD


def register(app: typer.Typer) -> None:
    @app.command()
    def progress(
        year: Annotated[int | None, typer.Option(
            help="Report year (default: every registry year from 2015).")] = None,
        actuals: Annotated[Path | None, typer.Option(
            help="Indicator-actuals CSV (default: the processed one).")] = None,
        out: Annotated[Path, typer.Option(
            help="Processed folder: inputs and outputs.")] = paths.PROCESSED,
        threshold: Annotated[float, typer.Option(
            help="Village exit threshold, percent incidence.")] = DEFAULT_EXIT_THRESHOLD,
    ) -> None:
        """Measure progress against the plan's targets. 计算目标进展。"""
        from rich.console import Console

        from huachi_analysis.catalog import check_foreign_keys
        from huachi_analysis.errors import ParameterError, display_path
        from huachi_analysis.progress.build import build_progress
        from huachi_analysis.staging import staged_output

        if actuals is not None and not actuals.is_file():
            raise ParameterError(both("actuals_not_file", path=display_path(actuals)))
        if not out.is_dir():
            raise ParameterError(both("out_not_processed", path=display_path(out)))
        # written as a whole: a failure leaves the previous progress tables in place
        with staged_output(out, what="progress") as stage, \
                Console(stderr=True).status("progress: registry indicators, exits, targets …"):
            summary = build_progress(paths.RAW, stage, year=year, actuals=actuals,
                                     threshold=threshold)
            check_foreign_keys(stage)
        typer.echo(f"[progress] {summary}")
