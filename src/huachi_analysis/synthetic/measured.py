"""Figures measured on the generated data, beside the plan's: how close the calibration came."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from huachi_analysis.policy import DEFAULT_EXIT_THRESHOLD
from huachi_analysis.synthetic.calibration import (
    BASELINE_YEAR,
    YEARS,
    load_calibration,
    percent_to_fraction,
)
from huachi_analysis.synthetic.poverty_lines import generator_poverty_lines

if TYPE_CHECKING:
    from huachi_analysis.synthetic.generator import SyntheticRegistry


def calibration_table(reg: SyntheticRegistry) -> pd.DataFrame:
    """County figures per year measured on the generated households, beside the plan's
    (``plan_exits``, ``plan_income``, ``plan_incidence``: the registry's calibration; empty for
    years the plan gives no figure).

    Exits of a year are the persons of households marked 已脱贫 with 脱贫年度 = that year (first
    exits and re-exits after a return); incidence is poor persons (未脱贫 + 返贫) ÷ rural
    population; mean income is person-weighted over all registered households.
    """
    cal = reg.calibration if reg.calibration is not None else load_calibration()
    hy = reg.households
    lines = generator_poverty_lines()
    rural = reg.rural_population.groupby("year")["rural_population"].sum()
    rows = []
    for y, g in hy.groupby("year", sort=True):
        n = g["household_size"]
        poor = g["exit_status"] != "已脱贫"
        exited_now = (g["exit_status"] == "已脱贫") & (g["registry_exit_year"] == y)
        exited = g["exit_status"] == "已脱贫"
        rows.append({
            "year": int(y),
            "households": len(g),
            "persons": int(n.sum()),
            "poor_households": int(poor.sum()),
            "poor_persons": int(n[poor].sum()),
            "exits_persons": int(n[exited_now].sum()),
            "plan_exits": cal.exits.get(int(y)),
            "returned_households": int((g["exit_status"] == "返贫").sum()),
            "new_households": int((g["identified_year"] == y).sum()) if y > BASELINE_YEAR else 0,
            "mean_income": round(float((g["income_per_capita"] * n).sum() / n.sum()), 1),
            "plan_income": cal.poor_income.get(int(y)),
            "exited_below_line": int((exited & (g["income_per_capita"] < lines[y])).sum()),
            "dangerous_house_households": int(g["dangerous_house"].sum()),
            "unsafe_water_households": int((~g["safe_water"].astype(bool)).sum()),
            "rural_population": int(rural[y]),
            "incidence": round(float(n[poor].sum() / rural[y]), 4),
            "plan_incidence": cal.incidence.get(int(y)),
        })
    return pd.DataFrame(rows)


def village_exit_table(reg: SyntheticRegistry,
                       threshold: float = DEFAULT_EXIT_THRESHOLD) -> pd.DataFrame:
    """Each poor village's incidence (a fraction) by year, the first year below ``threshold``
    and how that compares with the plan's schedule (on_schedule, early, late, not_yet).

    Args:
        reg: A generated registry.
        threshold: Exit threshold in **percent**, as in the progress engine
            (:data:`~huachi_analysis.progress.village_exits.DEFAULT_EXIT_THRESHOLD`).
    """
    below_fraction = percent_to_fraction(threshold)
    hy = reg.households
    poor = hy[hy["exit_status"] != "已脱贫"]
    persons = poor.groupby(["year", "township", "village"])["household_size"].sum()
    vp = reg.village_population.set_index(["year", "township", "village"])["rural_population"]
    pv = reg.villages[reg.villages["is_poor_village"]]
    rows = []
    for t, v, sched in pv[["township", "village", "exit_year"]].itertuples(index=False):
        inc = {y: float(persons.get((y, t, v), 0)) / vp[(y, t, v)] for y in YEARS}
        below = [y for y in YEARS if inc[y] < below_fraction]
        first = below[0] if below else None
        status = ("not_yet" if first is None else "on_schedule" if first == sched
                  else "early" if first < sched else "late")
        rows.append({"township": t, "village": v, "exit_year": int(sched),
                     "first_year_below": first, "status": status,
                     **{f"incidence_{y}": round(inc[y], 4) for y in YEARS}})
    return pd.DataFrame(rows)
