"""``huachi build``: derive every processed table from ``data/raw``."""

from __future__ import annotations

from pathlib import Path

import typer

from huachi_analysis import paths
from huachi_analysis.pipeline import run_build


def register(app: typer.Typer) -> None:
    @app.command()
    def build(
        raw: Path = typer.Option(paths.RAW, help="Folder of immutable inputs (data/raw)."),
        out: Path = typer.Option(paths.PROCESSED, help="Where processed tables go."),
        only: list[str] = typer.Option(None, help="Run only these steps (plan, registry, actuals, progress)."),
    ) -> None:
        """Build the processed tables: plan, registry ingest, actuals, progress. 构建数据表。"""
        results = run_build(raw=raw, out=out, only=only or None)
        for name, summary in results.items():
            typer.echo(f"[{name}] {summary}")
