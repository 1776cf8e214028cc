"""`huachi` commands of the synthetic-data domain: ``huachi synth``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from huachi_analysis.messages import both


def register(app: typer.Typer) -> None:
    """Add ``huachi synth`` to ``app``."""

    @app.command()
    def synth(
        seed: Annotated[int, typer.Option(
            min=0, max=2**63 - 1,
            help="Seed of the generator; the same seed gives the same data.")] = 2015,
        out: Annotated[Path | None, typer.Option(
            help="Target folder (default: data/raw/registry/synthetic).")] = None,
        raw: Annotated[Path | None, typer.Option(
            help="Raw-data folder holding plan/ (default: data/raw).")] = None,
        year: Annotated[list[int] | None, typer.Option(
            help="Write only these years (repeatable; default 2014-2020).")] = None,
        workers: Annotated[int, typer.Option(
            min=1, max=64, help="Processes writing workbooks at once.")] = 2,
        returns_out: Annotated[Path | None, typer.Option(
            help="Folder of the synthetic department returns (default: data/raw/actuals/"
                 "synthetic, or <raw>/actuals/synthetic for --out <raw>/registry/…).")] = None,
        returns_only: Annotated[bool, typer.Option(
            help="Write only the department returns, not the registry.")] = False,
    ) -> None:
        """Write a SYNTHETIC registry calibrated to the plan (one .xlsx per year 2014-2020).
        生成合成（非真实）建档立卡数据。"""
        from huachi_analysis import paths
        from huachi_analysis import synthetic as sy
        from huachi_analysis.console import progress_bar
        from huachi_analysis.errors import ParameterError
        from huachi_analysis.synthetic import departments as dep

        returns = returns_out or dep.default_folder(out)
        if returns_only:
            typer.echo(dep.synth_returns(seed, raw, returns))
            return
        years = sorted(set(year)) if year else list(sy.YEARS)
        bad = [y for y in years if y not in sy.YEARS]
        if bad:
            raise ParameterError(both("synth_year_range", year=bad[0], first=sy.YEARS[0],
                                      last=sy.YEARS[-1]))
        target = Path(out) if out is not None else paths.SYNTHETIC_REGISTRY_RAW
        if target.exists() and not target.is_dir():
            from huachi_analysis.errors import display_path

            raise ParameterError(both("synth_out_not_folder", path=display_path(target)))
        t0 = time.perf_counter()
        with progress_bar("synth") as bar:
            task = bar.add_task("generating", total=1 + len(years) + 4)
            villages, townships = sy.load_geography(raw)
            reg = sy.generate_registry(seed, villages, townships, years=years,
                                       calibration=sy.load_calibration(raw))
            bar.update(task, advance=1)

            def step(path: Path) -> None:
                bar.update(task, advance=1, description=path.name)

            written = sy.write_exports(reg, target, progress=step, workers=workers)
        base = sy.calibration_table(reg).iloc[0]
        typer.echo(f"SYNTHETIC registry, seed {seed}: {int(base['households'])} households, "
                   f"{int(base['persons'])} persons at baseline; {len(written)} files in "
                   f"{target} ({time.perf_counter() - t0:.1f} s)")
        typer.echo(dep.synth_returns(seed, raw, returns))
