"""``huachi reports``: render the briefings (papermill → HTML and PDF) for years and townships."""

from __future__ import annotations

from pathlib import Path

import typer

from huachi_analysis import paths


def register(app: typer.Typer) -> None:
    @app.command()
    def reports(
        years: str = typer.Option("all", help="all | 2016 | 2015-2017 | 2015,2017"),
        townships: str = typer.Option(
            "latest", help="latest (every township, latest year) | all (every township, every "
            "year) | none | names, e.g. 柔远镇,南梁镇 (for every selected year)"),
        formats: str = typer.Option("html,pdf", help="html, pdf or html,pdf"),
        jobs: int = typer.Option(2, min=1, help="Worker processes (each keeps a warm kernel)."),
        lang: str = typer.Option("zh", help="zh (default) or en"),
        out: Path = typer.Option(paths.REPORTS, help="Output folder (manifest.json, index.html)."),
        data: Path = typer.Option(paths.PROCESSED, help="Processed tables (data/processed)."),
        force: bool = typer.Option(False, "--force", help="Rerun reports whose inputs are unchanged."),
    ) -> None:
        """Render the briefings: county per year, townships for the latest year. 生成简报。"""
        from huachi_analysis.reports.labels import check_lang
        from huachi_analysis.reports.runner import parse_formats, run_batch
        from huachi_analysis.reports.selection import catalog, plan_batch

        check_lang(lang)
        fmts = parse_formats(formats)
        specs = plan_batch(catalog(data), years=years, townships=townships, lang=lang,
                           directory=data)
        result = run_batch(specs, out, formats=fmts, jobs=jobs, force=force)
        typer.echo(result.summary())
        if result.failed:
            raise typer.Exit(1)
