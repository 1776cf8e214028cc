"""`huachi ingest`: read registry exports, validate, pseudonymise, summarise.

Everything it prints comes from the masked summary and findings (file names, values); with
``--out`` it writes like ``huachi build`` does: under the folder's lock, into a staging folder
swapped in only when everything was written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _print_summary(summary: dict, findings) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    label = " [bold red](SYNTHETIC / 合成数据)[/]" if summary["is_synthetic"] else ""
    console.print(f"registry ingest{label}: {summary['rows_read']} rows read = "
                  f"{summary['rows_accepted']} accepted + {summary['rows_quarantined']} "
                  f"quarantined; {summary['persons']} person-years, {summary['households']} "
                  f"household-years; years {summary['years']}")
    t = Table("file", "year", "rows read", "accepted", "quarantined", "skipped")
    for i in summary["inputs"]:
        skipped = ", ".join(f"{k} {v}" for k, v in i["skipped"].items() if v) or "-"
        t.add_row(i["file"], str(i["year"] or "年度 column"), str(i["rows_read"]),
                  str(i["rows_accepted"]), str(i["rows_quarantined"]), skipped)
    console.print(t)
    for title, counts in (("quarantined (error)", summary["quarantine_reasons"]),
                          ("warnings", summary["warnings"])):
        if counts:
            console.print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    errs = findings[findings["severity"] == "error"].head(10)
    if len(errs):
        console.print("first quarantined rows (values masked):")
        for r in errs.itertuples():
            console.print(f"  {r.source_file} row {r.source_row}, {r.column}: "
                          f"{r.masked_value!s} — {r.rule}", markup=False)


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
        from huachi_analysis import io
        from huachi_analysis.errors import ParameterError, display_path
        from huachi_analysis.plan.geography import gazetteer
        from huachi_analysis.registry.build import check_not_mixed, read_exports, write_registry
        from huachi_analysis.registry.ingest import ingest as run_ingest
        from huachi_analysis.registry.pseudonym import load_key
        from huachi_analysis.registry.read import YEAR_RANGE
        from huachi_analysis.staging import staged_output

        if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise ParameterError(f"--year {year}: a registry year must be between "
                                 f"{YEAR_RANGE[0]} and {YEAR_RANGE[1]}")
        if json_path is not None and json_path.is_dir():
            raise ParameterError(f"--json {display_path(json_path)} is a folder; give a file "
                                 "name, e.g. {}/summary.json".format(display_path(json_path)))
        if out is not None and out.exists() and not out.is_dir():
            raise ParameterError(f"--out {display_path(out)} is a file, not a folder")
        key = load_key(out)
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
        _print_summary(summary, result.findings)
