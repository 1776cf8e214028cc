"""Synthetic indicator actuals: figures a department might report for non-registry indicators,
drawn around the plan's own figures (read from ``plan_targets``), labelled ``synthetic``.

The bundled ``data/raw/actuals/synthetic_indicator_actuals.csv`` is
``generate_indicator_actuals(2015)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from huachi_analysis.messages import both
from huachi_analysis.synthetic.calibration import (
    COUNTY,
    CalibrationError,
    interpolate_geometric,
    plan_row,
)
from huachi_analysis.synthetic.labels import SOURCE

COLUMNS = ("indicator_id", "year", "geography", "value", "unit", "source")


@dataclass(frozen=True)
class ActualSpec:
    """One non-registry indicator of the synthetic actuals file.

    ``kind`` is ``level`` (a value per year, the plan's milestones interpolated
    geometrically) or ``flow`` (a yearly amount; the plan's cumulative ``total`` spread evenly
    over ``years``).
    """

    indicator_id: str
    unit: str
    kind: str
    years: tuple[int, ...]
    milestones: dict[int, float] = field(default_factory=dict)
    total: float = 0.0


#: Indicators of the synthetic actuals file: (indicator_id, kind, years of the plan's figures).
#: A ``level`` is reported every year from its first to its last figure; a ``flow`` every year
#: of its one figure's period (``period_start`` … ``period_end``). Figures and units are the
#: plan's (``value`` and ``unit`` of ``plan_targets``, as written).
ACTUAL_INDICATORS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    # clause 4: 农村居民可支配收入达到 … 元 (2015-2017); 到2020年底 … 元以上
    ("rural_income_per_capita", "level", (2015, 2016, 2017, 2020)),
    # clause 7(1): 2015年建成建制村通畅工程 … 公里
    ("admin_village_access_road_km", "flow", (2015,)),
    # clause 7(1): 从2016年起，利用5年时间重点实施农村路网改善工程 … 公里
    ("rural_road_network_improvement_km", "flow", (2020,)),
    # clause 7(1): 新建联户砂石路 … 公里 (2016-2020)
    ("household_link_gravel_road_km", "flow", (2020,)),
    # clause 7(8): 2015-2017年，造林 … 万亩以上
    ("afforestation_mu", "flow", (2017,)),
    # clause 7(8): 到2017年森林覆盖率达到 … %以上，到2020年达到 … %以上
    ("forest_coverage_rate", "level", (2017, 2020)),
)


def actual_specs(targets: pd.DataFrame) -> tuple[ActualSpec, ...]:
    """The :data:`ACTUAL_INDICATORS` as specs, figures and units read from ``plan_targets``.

    Raises:
        CalibrationError: a figure is missing, or an indicator's figures differ in unit.
    """
    specs = []
    for indicator_id, kind, plan_years in ACTUAL_INDICATORS:
        rows = [plan_row(targets, indicator_id, y, column="value") for y in plan_years]
        units = sorted({str(r["unit"]) for r in rows})
        if len(units) != 1:
            raise CalibrationError(both("calibration_units_differ", indicator_id=indicator_id,
                                        years=list(plan_years), units=units))
        if kind == "level":
            milestones = {y: float(r["value"]) for y, r in zip(plan_years, rows, strict=True)}
            years = tuple(range(min(plan_years), max(plan_years) + 1))
            specs.append(ActualSpec(indicator_id, units[0], kind, years, milestones))
        else:
            (row,) = rows
            start = row["period_start"]
            start = int(start) if pd.notna(start) else int(row["period_end"])
            years = tuple(range(start, int(row["period_end"]) + 1))
            specs.append(ActualSpec(indicator_id, units[0], kind, years,
                                    total=float(row["value"])))
    return tuple(specs)


def _planned_path(spec: ActualSpec, year: int) -> float:
    if spec.kind == "flow":
        return spec.total / len(spec.years)
    return interpolate_geometric(spec.milestones, year)


def generate_indicator_actuals(seed: int,
                               specs: Sequence[ActualSpec] | None = None) -> pd.DataFrame:
    """Synthetic department-reported figures (long form, county level, source 'synthetic').

    Each value is the plan's path for the year (see :class:`ActualSpec`) times
    (1 − 8 % … + 5 %): some years fall short of the plan, some beat it. Deterministic; pure
    when ``specs`` are given (``None``: :func:`actual_specs` of the plan in ``data/raw``).
    """
    if specs is None:
        from huachi_analysis import plan

        specs = actual_specs(plan.targets())
    rng = np.random.Generator(np.random.PCG64([seed, 4]))
    rows = []
    for spec in specs:
        digits = 0 if spec.unit == "元" else 1 if spec.unit in ("公里", "%") else 2
        for y in spec.years:
            value = _planned_path(spec, y) * (1 + rng.uniform(-0.08, 0.05))
            rows.append({"indicator_id": spec.indicator_id, "year": y, "geography": COUNTY,
                         "value": round(value, digits), "unit": spec.unit, "source": SOURCE})
    return pd.DataFrame(rows, columns=list(COLUMNS))
