"""`huachi ingest`: read registry exports, validate, pseudonymise, summarise.

Everything it prints comes from the masked summary and findings (file names, values); with
``--out`` it writes like ``huachi build`` does: under the folder's lock, into a staging folder
swapped in only when everything was written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis.messages import both


def _print_summary(summary: dict, findings, findings_path: Path | None) -> None:
    """The ingest's account: totals, then per file rows read / accepted / quarantined, the top
    rules, missing columns and (with --out) where the findings table is; then the first
    quarantined rows. Chinese with English alongside."""
    from huachi_analysis.messages import one_line, text
    from huachi_analysis.registry.account import account_lines, rule_label

    fmt = dict(read=f"{summary['rows_read']:,}", accepted=f"{summary['rows_accepted']:,}",
               quarantined=f"{summary['rows_quarantined']:,}",
               persons=f"{summary['persons']:,}", households=f"{summary['households']:,}",
               years=", ".join(map(str, summary["years"])) or "-")
    for lang in ("zh", "en"):
        synthetic = ("（合成数据 SYNTHETIC）" if lang == "zh" else " (SYNTHETIC)") \
            if summary["is_synthetic"] else ""
        typer.echo(text("ingest_title", lang, synthetic=synthetic, **fmt))
    for line in account_lines(summary, findings, findings_path):
        typer.echo("  " + line)
    errs = findings[findings["severity"] == "error"].head(10)
    if len(errs):
        typer.echo(one_line("ingest_first_rows"))
        for r in errs.itertuples():
            value = r.masked_value if isinstance(r.masked_value, str) else "（空 empty）"
            typer.echo(text("ingest_row", "zh", file=r.source_file, row=r.source_row,
                            column=r.column, value=value, rule=rule_label(r.rule)))
    if findings_path is None:
        typer.echo(text("ingest_no_out", "zh"))
        typer.echo(text("ingest_no_out", "en"))


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        files: Annotated[list[Path], typer.Argument(
            help="Registry exports (.xlsx, .xls, .csv).")],
        year: Annotated[int | None, typer.Option(
            help="Data year of files that do not say it (overrides the file name/title; a "
                 "年度 column wins).")] = None,
        out: Annotated[Path | None, typer.Option(
            help="Write registry tables, findings and summary here (same layout as huachi "
                 "build; year partitions not in these files are removed).")] = None,
        json_path: Annotated[Path | None, typer.Option(
            "--json", help="Write the summary as JSON here.")] = None,
    ) -> None:
        """Ingest registry exports: validate, pseudonymise, count every row. 导入建档立卡数据。"""
        from huachi_analysis import catalog, io, paths
        from huachi_analysis.errors import ParameterError, display_path
        from huachi_analysis.plan.geography import gazetteer
        from huachi_analysis.policy import YEAR_RANGE
        from huachi_analysis.registry.build import check_not_mixed, read_exports, write_registry
        from huachi_analysis.registry.header_aliases import load_aliases
        from huachi_analysis.registry.headers import use_aliases
        from huachi_analysis.registry.ingest import ingest as run_ingest
        from huachi_analysis.registry.pseudonym import load_key
        from huachi_analysis.staging import staged_output

        if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise ParameterError(both("registry_year_range", year=year, first=YEAR_RANGE[0],
                                      last=YEAR_RANGE[1]))
        if json_path is not None and json_path.is_dir():
            raise ParameterError(both("json_is_folder", path=display_path(json_path)))
        if out is not None and out.exists() and not out.is_dir():
            raise ParameterError(both("out_is_file", path=display_path(out)))
        if out is not None and out.expanduser().resolve() == paths.PROCESSED.resolve():
            # the build's folder: ingest would keep only these files' years of the registry
            # tables beside progress tables built from every year
            raise ParameterError(both("ingest_out_is_processed", path=display_path(out)))
        key = load_key(out)
        with use_aliases(load_aliases()):  # the analyst's header spellings, if any
            raws = read_exports(list(files), year)
        check_not_mixed(raws)
        result = run_ingest(raws, key, gazetteer())
        if out is not None:
            with staged_output(out, what="ingest") as stage:
                summary = write_registry(result, stage, key)
        else:
            summary = result.summary()
        if json_path is not None:
            io.write_json(json_path, summary)
        _print_summary(summary, result.findings,
                       catalog.path("registry_findings", out, "csv") if out is not None
                       else None)
