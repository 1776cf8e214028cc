"""What the generator is calibrated to: the plan's figures, read from ``plan_targets``.

No plan figure is typed here. Each one is a row of ``plan_targets`` found by its
``indicator_id``, its year (``period_end``) and the county as ``geography`` (never by
``target_kind``, whose vocabulary may change); its ``value_base`` is used, after checking the
row's ``unit_base``. A missing row stops the generator with a message naming it.

=====================  ============================  ================  ==========================
attribute              indicator_id                  years             clause
=====================  ============================  ================  ==========================
``households``         registered_poor_households    2014              1: 7283户
``persons``            registered_poor_persons       2014              1: 2.78万贫困人口
``exits``              poverty_exits_persons         2015-2017         4: 脱贫 … 人
``incidence``          poverty_incidence             2015-2017         4: 贫困面下降到 … %
``poor_income``        poor_income_per_capita        2015-2017, 2020   4: 扶贫对象可支配收入
``dangerous_houses``   dangerous_houses_renovated    2017              7(3): 改造危窑房 … 户
``villages``           village_stage_coverage        2017              9(3): 全县 … 个行政村
=====================  ============================  ================  ==========================

The years are the generator's choice (which of the plan's figures it draws its data around);
the figures are the plan's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from huachi_analysis.county import COUNTY
from huachi_analysis.errors import HuachiError
from huachi_analysis.messages import both
from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD

__all__ = [
    "BASELINE_YEAR", "COUNTY", "Calibration", "CalibrationError", "PLAN_FIGURES",
    "VILLAGE_EXIT_THRESHOLD_FRACTION", "YEARS", "interpolate_geometric", "load_calibration",
    "percent_to_fraction", "plan_figures", "plan_row",
]

#: End of the baseline year: the plan's clause-1 figures describe the register at its end.
BASELINE_YEAR = 2014
#: Years the generator simulates and can export (the plan runs to the end of 2020).
YEARS: tuple[int, ...] = tuple(range(BASELINE_YEAR, 2021))


def percent_to_fraction(percent: float) -> float:
    """A percentage as a fraction, rounded to 12 decimals so that ``9.12 %`` gives the float
    ``0.0912`` (``9.12 / 100`` alone gives ``0.09119999999999999``).

    >>> percent_to_fraction(9.12), percent_to_fraction(3.0)
    (0.0912, 0.03)
    """
    return round(float(percent) / 100, 12)


#: A poor village exits when its poverty incidence (a fraction here) falls below this: the
#: progress engine's threshold, defined once in percent
#: (:data:`huachi_analysis.progress.village_exits.DEFAULT_EXIT_THRESHOLD`), converted.
VILLAGE_EXIT_THRESHOLD_FRACTION = percent_to_fraction(DEFAULT_EXIT_THRESHOLD)

#: Every plan figure the generator uses: attribute → (indicator_id, unit_base, years).
PLAN_FIGURES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "households": ("registered_poor_households", "households", (BASELINE_YEAR,)),
    "persons": ("registered_poor_persons", "people", (BASELINE_YEAR,)),
    "exits": ("poverty_exits_persons", "people", (2015, 2016, 2017)),
    "incidence": ("poverty_incidence", "percent", (2015, 2016, 2017)),
    "poor_income": ("poor_income_per_capita", "yuan", (2015, 2016, 2017, 2020)),
    "dangerous_houses": ("dangerous_houses_renovated", "households", (2017,)),
    "villages": ("village_stage_coverage", "villages", (2017,)),
}


class CalibrationError(HuachiError):
    """A plan figure the generator is calibrated to is missing from ``plan_targets`` or
    ambiguous there."""


def plan_row(targets: pd.DataFrame, indicator_id: str, year: int, column: str = "value_base",
             geography: str = COUNTY) -> pd.Series:
    """The ``plan_targets`` row stating ``indicator_id`` for ``year`` (its ``period_end``) in
    ``geography``, with a figure in ``column``.

    Raises:
        CalibrationError: no such row, or several rows with different figures.
    """
    rows = targets[(targets["indicator_id"] == indicator_id)
                   & (targets["geography"] == geography)]
    where = f"plan_targets (indicator_id {indicator_id!r}, geography {geography!r})"
    hit = rows[(rows["period_end"] == year) & rows[column].notna()]
    if hit.empty:
        stated = sorted(int(y) for y in rows["period_end"].dropna().unique())
        raise CalibrationError(both("calibration_no_figure", where=where, year=year,
                                    stated=stated or "none"))
    values = sorted({float(v) for v in hit[column]})
    if len(values) > 1:
        raise CalibrationError(both("calibration_several_figures", where=where, n=len(values),
                                    year=year, values=values, ids=sorted(hit["target_id"])))
    return hit.iloc[0]


def plan_figures(targets: pd.DataFrame, indicator_id: str, years: Sequence[int],
                 unit_base: str | None = None, geography: str = COUNTY) -> dict[int, float]:
    """The plan's figure (``value_base``) of ``indicator_id`` for each of ``years``.

    Args:
        targets: ``plan_targets``.
        indicator_id: The indicator (stable id of ``plan_targets``).
        years: The years wanted, each the ``period_end`` of one row.
        unit_base: When given, the rows' ``unit_base`` must be this (guards against reading a
            figure in another unit).
        geography: The rows' ``geography`` (the county by default).

    Returns:
        year → figure, in the order of ``years``.

    Raises:
        CalibrationError: no row, or rows with different figures, for a year; a wrong unit.

    >>> t = pd.DataFrame({"target_id": ["T-1", "T-2"], "indicator_id": ["x", "x"],
    ...                   "geography": [COUNTY, COUNTY], "period_end": [2015, 2016],
    ...                   "value_base": [1.0, 2.0], "unit_base": ["people", "people"]})
    >>> plan_figures(t, "x", [2016], "people")
    {2016: 2.0}
    """
    out: dict[int, float] = {}
    for year in years:
        row = plan_row(targets, indicator_id, year, geography=geography)
        if unit_base is not None and row["unit_base"] != unit_base:
            raise CalibrationError(both("calibration_wrong_unit", target_id=row["target_id"],
                                        indicator_id=indicator_id, year=year,
                                        unit=row["unit_base"], expected=unit_base))
        out[int(year)] = float(row["value_base"])
    return out


def _whole(value: float, what: str) -> int:
    if not float(value).is_integer():
        raise CalibrationError(both("calibration_not_whole", what=what, value=value))
    return int(value)


@dataclass(frozen=True)
class Calibration:
    """The plan's figures the generator draws its data around (see the module docstring).

    Attributes:
        households: Registered poor households at the end of the baseline year.
        persons: Registered poor persons at the end of the baseline year.
        exits: Year → persons the plan says exit poverty that year.
        incidence: Year → the plan's poverty incidence, as a **fraction** (plan: percent).
        poor_income: Year → disposable income per capita of the registered poor (yuan).
        dangerous_houses: Dangerous houses of poor households to rebuild (by 2017).
        villages: Administrative villages of the county.
    """

    households: int
    persons: int
    exits: Mapping[int, int]
    incidence: Mapping[int, float]
    poor_income: Mapping[int, float]
    dangerous_houses: int
    villages: int

    @classmethod
    def from_targets(cls, targets: pd.DataFrame) -> Calibration:
        """Read every figure of :data:`PLAN_FIGURES` from ``plan_targets`` (pure)."""
        got = {name: plan_figures(targets, ind, years, unit)
               for name, (ind, unit, years) in PLAN_FIGURES.items()}
        return cls(
            households=_whole(got["households"][BASELINE_YEAR], "registered_poor_households"),
            persons=_whole(got["persons"][BASELINE_YEAR], "registered_poor_persons"),
            exits={y: _whole(v, f"poverty_exits_persons {y}") for y, v in got["exits"].items()},
            incidence={y: percent_to_fraction(v) for y, v in got["incidence"].items()},
            poor_income=dict(got["poor_income"]),
            dangerous_houses=_whole(next(iter(got["dangerous_houses"].values())),
                                    "dangerous_houses_renovated"),
            villages=_whole(next(iter(got["villages"].values())), "village_stage_coverage"),
        )

    @property
    def implied_rural_population(self) -> float:
        """Rural population at the end of the baseline year that clause 4 implies: (poor persons
        − the first year's exits) ÷ that year's incidence, (27,800 − 9,897) / 15.55 % ≈ 115,132
        with the plan's figures."""
        first = BASELINE_YEAR + 1
        return (self.persons - self.exits[first]) / self.incidence[first]

    @property
    def dangerous_house_share(self) -> float:
        """Share of baseline households that start with a dangerous house: the plan's dangerous
        houses ÷ its poor households, to two decimals (3,950 / 7,283 → 0.54)."""
        return round(self.dangerous_houses / self.households, 2)


def load_calibration(raw: Path | None = None) -> Calibration:
    """The calibration read from ``<raw>/plan/targets.csv`` (``data/raw`` when ``None``).

    Raises:
        InputFileError: the plan's targets cannot be read.
        CalibrationError: a figure the generator needs is missing or ambiguous.
    """
    from huachi_analysis import plan

    return Calibration.from_targets(plan.targets(raw))


def interpolate_geometric(points: Mapping[int, float], year: int) -> float:
    """The value at ``year``: the point itself, else geometric interpolation between the nearest
    points before and after it.

    >>> round(interpolate_geometric({2016: 2952.0, 2020: 4000.0}, 2018), 1)  # 2952·(4000/2952)^½
    3436.3
    """
    if year in points:
        return points[year]
    lo = max(k for k in points if k < year)
    hi = min(k for k in points if k > year)
    return points[lo] * (points[hi] / points[lo]) ** ((year - lo) / (hi - lo))
