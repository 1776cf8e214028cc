"""``huachi template``: the departments' fill-in workbook."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis.messages import both

DEFAULT_NAME = "华池县精准扶贫部门数据填报表_{first}-{last}.xlsx"


def parse_years(text: str) -> tuple[int, int]:
    """``2015-2020`` or ``2016`` → ``(first, last)``; within the plan's years 2014–2020."""
    from huachi_analysis.errors import ParameterError

    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–—~]\s*(\d{4}))?\s*", text or "")
    if not m:
        raise ParameterError(both("template_years_unreadable", text=text))
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if not 2014 <= first <= last <= 2020:
        raise ParameterError(both("template_years_range", text=text))
    return first, last


def register(app: typer.Typer) -> None:
    @app.command()
    def template(
        years: Annotated[str, typer.Option(
            help="Years to report: a range (2015-2020) or one year.")] = "2015-2020",
        out: Annotated[Path | None, typer.Option(
            help="Workbook to write (default: 华池县精准扶贫部门数据填报表_<years>.xlsx "
                 "in the current folder).")] = None,
        department: Annotated[list[str] | None, typer.Option(
            help="Only these department sheets (repeatable, e.g. 交通).")] = None,
        raw: Annotated[Path | None, typer.Option(
            help="Raw-data folder holding plan/ (default: data/raw).")] = None,
    ) -> None:
        """Write the departments' fill-in workbook: every target the registry cannot measure,
        one sheet per department. 生成部门数据填报表。"""
        from huachi_analysis import plan
        from huachi_analysis.actuals.departments import DEPARTMENTS
        from huachi_analysis.actuals.template import template_rows, write_workbook
        from huachi_analysis.errors import ParameterError
        from huachi_analysis.plan.geography import gazetteer
        from huachi_analysis.progress.registry_indicators import INDICATORS

        first, last = parse_years(years)
        rows = template_rows(plan.targets(raw), (first, last), measured=INDICATORS)
        known = list(dict.fromkeys(rows["sheet"]))
        if department:
            bad = [d for d in department if d not in known]
            if bad:
                raise ParameterError(both("template_unknown_department", name=bad[0],
                                          known=", ".join(known)))
        path = out or Path(DEFAULT_NAME.format(first=first, last=last))
        write_workbook(path, rows, years=(first, last),
                       townships=list(gazetteer(raw).townships), sheets=department or None)
        shown = rows if not department else rows[rows["sheet"].isin(department)]
        names = {d.sheet: d.name for d in DEPARTMENTS}
        covered = {t for ids in shown["target_ids"] for t in ids.split("|")}
        typer.echo(f"{path}: {len(shown)} rows for {len(covered)} targets, "
                   f"{first}-{last}, {shown['sheet'].nunique()} department sheets "
                   f"({shown['value_type'].eq('yes_no').sum()} rows 是/否)")
        for s, n in shown.groupby("sheet", sort=False).size().items():
            typer.echo(f"  {s:<4} {n:>4} rows  {names[s]}")
