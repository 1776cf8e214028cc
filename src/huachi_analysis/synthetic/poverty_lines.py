"""Poverty lines the generator assumes, and the documented national lines they come from.

The analyst's input table is ``data/raw/inputs/poverty_lines.csv`` (documented years only);
the generator needs a line for every year, so it interpolates the years between.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from huachi_analysis.synthetic.calibration import YEARS, interpolate_geometric

#: National rural poverty lines (yuan, current prices): 2014-2016 as published by the NBS; 2020
#: approximate (2,300 yuan at 2010 prices). The years between are not documented.
DOCUMENTED_LINES = {2014: 2800.0, 2015: 2855.0, 2016: 2952.0, 2020: 4000.0}
_APPROXIMATE = {2020}
_NBS = "国家农村贫困标准（现价），国家统计局 National rural poverty line, current prices, NBS"
_APPROXIMATE_SOURCE = ("约4000元（近似值，approximate）; 2010年不变价2300元标准的现价 "
                       "2,300 yuan at 2010 prices, about 4,000 in current prices (approximate)")


def generator_poverty_lines(years: Sequence[int] = YEARS) -> dict[int, float]:
    """Poverty line the generator assumes per year (documented where known, else geometric
    interpolation between the documented years, rounded to the yuan). Used only to place
    synthetic incomes around the line.

    Example: 2016 → 2,952 (documented); 2018 → 2,952 × (4,000 / 2,952) ** (2 / 4) ≈ 3,436.
    """
    return {y: DOCUMENTED_LINES[y] if y in DOCUMENTED_LINES
            else round(interpolate_geometric(DOCUMENTED_LINES, y)) for y in years}


def poverty_lines_table() -> pd.DataFrame:
    """The documented national rural poverty lines (input table ``poverty_lines``).

    Only documented values: 2014-2016 exactly, 2020 approximately (labelled so in ``source``);
    2017-2019 are left for the analyst.
    """
    years = sorted(DOCUMENTED_LINES)
    return pd.DataFrame({
        "year": years,
        "poverty_line": [DOCUMENTED_LINES[y] for y in years],
        "source": [_APPROXIMATE_SOURCE if y in _APPROXIMATE else _NBS for y in years],
    })
