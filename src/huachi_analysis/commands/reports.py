"""``huachi reports``: render the briefings (papermill → HTML and PDF) for years and townships."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis import paths

#: Briefings named one by one in the "made" line; the rest are counted.
MADE_SHOWN = 6


def made_line(ids: list[str], shown: int = MADE_SHOWN) -> str:
    """Which briefings this run made (their file names without .html/.pdf), so the analyst
    knows which PDFs are new: ``新生成 · made: county_2021, … township_2021_yuelezhen
    (共 16 份 16 in all)``.

    >>> made_line(["county_2021"])
    '新生成 · made: county_2021'
    >>> made_line([f"r{i}" for i in range(5)], shown=2)
    '新生成 · made: r0, … r4（共 5 份 5 in all）'
    """
    from huachi_analysis.messages import text

    if len(ids) <= shown:
        listed = ", ".join(ids)
    else:
        listed = ", ".join(ids[:max(shown - 1, 1)]) + ", … " + ids[-1]
    line = text("reports_made", "zh", listed=listed)
    if len(ids) > shown:
        line += text("reports_made_count", "zh", n=len(ids))
    return line


def register(app: typer.Typer) -> None:
    @app.command()
    def reports(
        years: Annotated[str, typer.Option(
            help="年份 years: all | 2016 | 2015-2017 | 2015,2017")] = "all",
        townships: Annotated[str, typer.Option(
            help="乡镇 townships: latest (每个乡镇，最新年份 every township, latest "
            "year) | all (每个乡镇每个年份 every township, every year) | none | 乡镇名 names, "
            "e.g. 南梁镇,柔远 or nanliang,rouyuan (中文或拼音，可不带镇/乡 Chinese or pinyin, "
            "with or without zhen/xiang); names alone make township briefings only")] = "latest",
        county: Annotated[bool | None, typer.Option(
            "--county/--no-county",
            help="全县简报 county briefings: by default made unless --townships names "
            "townships; --county adds them, --no-county leaves them out")] = None,
        formats: Annotated[str, typer.Option(
            help="格式 formats: html, pdf or html,pdf")] = "html,pdf",
        jobs: Annotated[int, typer.Option(
            min=1, help="并行进程数 worker processes (each keeps a warm kernel)")] = 2,
        lang: Annotated[str, typer.Option(help="语言 language: zh (default) or en")] = "zh",
        out: Annotated[Path, typer.Option(
            help="输出文件夹 output folder (manifest.json, index.html)")] = paths.REPORTS,
        data: Annotated[Path, typer.Option(
            help="数据表 processed tables (data/processed)")] = paths.PROCESSED,
        force: Annotated[bool, typer.Option(
            "--force", help="输入未变也重新生成 rerun reports whose inputs are unchanged")] = False,
    ) -> None:
        """Render the briefings: county per year, townships for the latest year. 生成简报。"""
        from huachi_analysis.messages import both, text
        from huachi_analysis.reports.labels import check_lang
        from huachi_analysis.reports.runner import parse_formats, run_batch
        from huachi_analysis.reports.selection import catalog, plan_batch

        check_lang(lang)
        fmts = parse_formats(formats)
        specs = plan_batch(catalog(data), years=years, townships=townships, lang=lang,
                           directory=data, county=county)
        from huachi_analysis.reports.data import INPUTS, find_input

        absent = [s for s in INPUTS if find_input(Path(data), s) is None]
        if absent:  # a build older than this version, or a partial one: say so before rendering
            typer.echo(both("reports_tables_missing", n=len(absent), tables=", ".join(absent)),
                       err=True)
        result = run_batch(specs, out, formats=fmts, jobs=jobs, force=force)
        typer.echo(text("reports_done", "zh", made=len(result.ran) - len(result.failed),
                        skipped=len(result.skipped), failed=len(result.failed),
                        seconds=f"{result.seconds:.1f}", out=out))
        typer.echo(result.summary())
        order = {spec.id: i for i, spec in enumerate(specs)}  # the batch's order, not finishing
        made = sorted((r["id"] for r in result.ran if r["status"] == "ok"),
                      key=lambda i: order.get(i, len(order)))
        if made:
            typer.echo(made_line(made))
        if result.failed:
            raise typer.Exit(1)
