"""`huachi export`: per-year CSV copies of the registry tables, on request."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis import paths


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        data: Annotated[Path, typer.Option(
            help="Processed folder holding registry_persons/ and registry_households/.")
        ] = paths.PROCESSED,
        years: Annotated[str, typer.Option(
            help="all, 2016, 2015-2017 or 2015,2017.")] = "all",
        tables: Annotated[str, typer.Option(
            help="registry_persons, registry_households or both (comma-separated).")
        ] = "registry_persons,registry_households",
        out: Annotated[Path | None, typer.Option(
            help="Write the CSVs here (default: into the processed folder itself).")] = None,
    ) -> None:
        """Write per-year CSV copies of the pseudonymised registry tables (for Excel).
        导出分年度CSV（假名化）。"""
        from huachi_analysis.errors import ParameterError, display_path
        from huachi_analysis.messages import both
        from huachi_analysis.registry.csv_copies import PARTITIONED, write_copies, years_of
        from huachi_analysis.reports.selection import parse_years
        from huachi_analysis.staging import staged_output

        names = [t.strip() for t in tables.split(",") if t.strip()]
        if not names or any(t not in PARTITIONED for t in names):
            raise ParameterError(both("export_unknown_tables", tables=repr(tables),
                                      choices=", ".join(PARTITIONED)))
        if not data.is_dir() or not any(years_of(data, t) for t in names):
            raise ParameterError(both("export_no_tables", data=display_path(data)))
        available = sorted({y for t in names for y in years_of(data, t)})
        wanted = parse_years(years, available)
        if out is None or out.resolve() == data.resolve():
            # into the processed folder: as a whole, under its lock, like a build
            with staged_output(data, what="export") as stage:
                written = write_copies(stage, stage, names, wanted)
            shown = [data / p.name for p in written]
        else:
            shown = write_copies(data, out, names, wanted)
        for p in shown:
            typer.echo(f"[export] {display_path(p)}")
