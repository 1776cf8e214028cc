"""``huachi build``: derive every processed table from ``data/raw``, then give the account of
the registry step file by file (:mod:`huachi_analysis.registry.account`)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis import paths
from huachi_analysis.pipeline import run_build


def print_account(out: Path) -> None:
    """The registry step's account from what the build wrote in ``out`` (nothing if the
    registry step did not run there)."""
    import pandas as pd

    from huachi_analysis import catalog
    from huachi_analysis.messages import one_line
    from huachi_analysis.registry.account import account_lines

    summary = catalog.read("registry_summary", out, required=False)
    if not isinstance(summary, dict) or not summary.get("inputs"):
        return
    findings = catalog.read("registry_findings", out, fmt="parquet", required=False)
    if not isinstance(findings, pd.DataFrame):
        findings = None
    shown_path = catalog.path("registry_findings", out, "csv")
    with contextlib.suppress(ValueError):  # relative to where the analyst is, if inside it
        shown_path = shown_path.relative_to(Path.cwd())
    typer.echo(one_line("account_title"))
    for line in account_lines(summary, findings, shown_path):
        typer.echo("  " + line)


def register(app: typer.Typer) -> None:
    @app.command()
    def build(
        raw: Annotated[Path, typer.Option(
            help="Folder of immutable inputs (data/raw).")] = paths.RAW,
        out: Annotated[Path, typer.Option(help="Where processed tables go.")] = paths.PROCESSED,
        only: Annotated[list[str] | None, typer.Option(
            help="Run only these steps (plan, registry, actuals, progress).")] = None,
    ) -> None:
        """Build the processed tables: plan, registry ingest, actuals, progress. 构建数据表。"""
        from huachi_analysis.messages import has, one_line, text

        results = run_build(raw=raw, out=out, only=only or None)
        for name, summary in results.items():
            label = (f"{text(f'step_{name}', 'zh')} · {text(f'step_{name}', 'en')}: "
                     if has(f"step_{name}") else "")
            typer.echo(f"[{name}] {label}{summary}")
            if name == "registry":
                print_account(out)
        typer.echo(one_line("build_done", out=out))
