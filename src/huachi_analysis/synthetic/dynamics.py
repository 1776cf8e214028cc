"""Population dynamics: who exits poverty when, who returns to it, when dangerous houses and
unsafe water are fixed, and every household's status and income in every year.

Calibration (figures from :class:`~huachi_analysis.synthetic.calibration.Calibration`):

* county exits of the plan's years: the plan's figure × (1 ± 3-10 %), never equal to it; the
  rest of the poor exit in the following years, all but a handful by the last year;
* poor villages: most fall below the exit threshold in their clause-5 year, 3-5 are late and
  one is early; three townships lag behind, three are ahead;
* income of registered households: the plan's figure of each year (geometric between its
  years) × (1 − 4 % … + 5 %).

So that the exit audit has something to find, some records are deliberately imperfect: about
1.5 % of each year's exits have an income below the line, about 1 % of exits still live in a
dangerous house or lack safe water in their exit year, 1.5 % of poor households are above the
line. About 1 % of exited households return to poverty (返贫) each year 2016-2019.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from huachi_analysis.synthetic.calibration import BASELINE_YEAR, YEARS, interpolate_geometric
from huachi_analysis.synthetic.population import categorical
from huachi_analysis.synthetic.poverty_lines import generator_poverty_lines

#: ``first_exit`` / ``reexit_year`` of a household that has not (yet) exited by the last year.
NEVER = 9999


@dataclass
class Dynamics:
    """Per household (positions as in the household frame): exit, return and re-exit years."""

    first_exit: np.ndarray  # year of first exit; NEVER = not by the last year
    return_year: np.ndarray  # 0 = never returned
    reexit_year: np.ndarray  # NEVER = not (yet) again
    village_kind: dict[int, str]  # poor village position → on_time / late / early
    township_pace: dict[str, str]  # township → behind / on_pace / ahead
    exit_targets: dict[int, int]  # year → persons the generator aimed to exit

    def reordered(self, order: np.ndarray) -> Dynamics:
        """The same dynamics with households taken in ``order``."""
        return Dynamics(self.first_exit[order], self.return_year[order],
                        self.reexit_year[order], self.village_kind, self.township_pace,
                        self.exit_targets)


def schedule(hh: pd.DataFrame, vinfo: pd.DataFrame, vpop: pd.DataFrame,
             townships: Sequence[str], plan_exits: Mapping[int, int],
             rng: np.random.Generator) -> Dynamics:
    """Year of exit, return to poverty and re-exit of every household.

    Args:
        hh: Households with ``identified_year, size, township, v``.
        vinfo: The village table (:func:`~huachi_analysis.synthetic.geography.village_table`).
        vpop: Village populations (``v, year, rural_population``).
        townships: The township names.
        plan_exits: Year → persons the plan says exit that year.
        rng: The generator's random generator.
    """
    n = len(hh)
    first_exit = np.full(n, NEVER)
    earliest = np.where(hh["identified_year"].to_numpy() > BASELINE_YEAR,
                        hh["identified_year"].to_numpy() + 1, BASELINE_YEAR + 1)
    sizes = hh["size"].to_numpy()
    tw = hh["township"].to_numpy()
    # townships: three behind, three ahead, the rest in between
    order = rng.permutation(len(townships))
    pace = {t: "on_pace" for t in townships}
    effect = {t: float(rng.normal(0, 0.3)) for t in townships}
    for i in order[:3]:
        pace[townships[i]], effect[townships[i]] = "behind", -1.2
    for i in order[3:6]:
        pace[townships[i]], effect[townships[i]] = "ahead", 1.2
    score = np.array([effect[t] for t in tw]) + rng.normal(0, 1, n)

    # poor villages: kind of each (on time, late, early)
    poor_v = vinfo[vinfo["is_poor_village"]].index.to_numpy()
    w_late = np.array([3.0 if pace[vinfo.at[v, "township"]] == "behind" else 1.0 for v in poor_v])
    n_late = int(rng.integers(3, 6))
    late = rng.choice(poor_v, size=n_late, replace=False, p=w_late / w_late.sum())
    kind = {int(v): "on_time" for v in poor_v}
    for v in late:
        kind[int(v)] = "late"
    early_pool = [int(v) for v in poor_v if kind[int(v)] == "on_time"
                  and vinfo.at[v, "exit_year"] >= 2016
                  and pace[vinfo.at[v, "township"]] != "behind"]
    kind[int(rng.choice(early_pool))] = "early"

    # a poor village's residual poor stay below the exit threshold (0.4-1.8 % of its people);
    # a late village keeps 5-8 % poor in its planned year (above the threshold)
    structural = np.zeros(n, dtype=bool)
    village = hh["v"].to_numpy()
    baseline = hh["identified_year"].to_numpy() == BASELINE_YEAR
    pop = vpop.set_index(["v", "year"])["rural_population"]
    for v in poor_v:
        v = int(v)
        y_plan = int(vinfo.at[v, "exit_year"])
        y_eff = y_plan + {"on_time": 0, "late": 1, "early": -1}[kind[v]]
        members = np.flatnonzero((village == v) & baseline)
        members = members[rng.permutation(len(members))]
        cum = np.cumsum(sizes[members])
        residual_cap = rng.uniform(0.004, 0.018) * pop[(v, y_eff)]
        n_res = int(np.searchsorted(cum, residual_cap, side="right"))
        rest = members[n_res:]
        if kind[v] == "late":  # still above the threshold in the planned year
            cum_rest = np.cumsum(sizes[rest])
            late_cap = rng.uniform(0.05, 0.08) * pop[(v, y_plan)]
            n_late_hh = int(np.searchsorted(cum_rest, late_cap, side="right")) + 1
            first_exit[rest[:n_late_hh]] = y_eff
            structural[rest[:n_late_hh]] = True
            rest = rest[n_late_hh:]
            y_main = y_plan
        else:
            y_main = y_eff
        years = np.full(len(rest), y_main)
        if y_main > 2015:  # a few households leave before their village's year
            early_hh = rng.random(len(rest)) < 0.06
            years[early_hh] = rng.integers(2015, y_main, size=int(early_hh.sum()))
        first_exit[rest] = years
        structural[rest] = True
        earliest[members[:n_res]] = y_eff + 1
        score[members[:n_res]] -= 0.5

    # county exits per year: plan figure × (1 ± 3-10 %), never equal to it
    targets: dict[int, int] = {}
    for y, planned in plan_exits.items():
        delta = rng.uniform(0.03, 0.10) * (1 if rng.random() < 0.5 else -1)
        targets[y] = round(planned * (1 + delta))

    return_year = np.zeros(n, dtype=int)
    reexit_year = np.full(n, NEVER)
    identified = hh["identified_year"].to_numpy()
    for y in range(BASELINE_YEAR + 1, YEARS[-1] + 1):
        # returns to poverty (返贫): about 1 % of households that had exited
        if 2016 <= y <= 2019:
            exited = (first_exit < y) & (return_year == 0)
            ret = exited & (rng.random(n) < 0.01)
            return_year[ret] = y
            reexit_year[ret] = np.minimum(y + np.where(rng.random(n) < 0.7, 1, 2), YEARS[-1])[ret]
        present = identified <= y
        done = structural | (first_exit != NEVER)
        struct_y = sizes[(first_exit == y) & structural].sum() + sizes[reexit_year == y].sum()
        poor_start = present & (first_exit >= y) & (identified < y) | (
            (return_year > 0) & (return_year < y) & (reexit_year >= y))
        if y in targets:
            want = targets[y] - struct_y
        elif y < YEARS[-1]:
            share = {2018: 0.5, 2019: 0.62}.get(y, 0.5)
            want = round(share * sizes[poor_start].sum()) - struct_y
            targets[y] = int(round(share * sizes[poor_start].sum()))
        else:
            want = None
        cand = np.flatnonzero(~done & present & (earliest <= y))
        cand = cand[np.argsort(-score[cand], kind="stable")]
        if want is None:  # the last year: everyone left exits except a handful of hard cases
            keep = int(rng.integers(6, 16))
            chosen = cand[: max(len(cand) - keep, 0)]
        else:
            cum = np.cumsum(sizes[cand])
            chosen = cand[: int(np.searchsorted(cum, max(want, 0), side="right"))]
        first_exit[chosen] = y
    targets[YEARS[-1]] = int(sizes[first_exit == YEARS[-1]].sum()
                             + sizes[reexit_year == YEARS[-1]].sum())
    return Dynamics(first_exit, return_year, reexit_year, kind, pace, targets)


def fix_years(flag: np.ndarray, first_exit: np.ndarray, shares: dict[int, float],
              audit_share: float, rng: np.random.Generator,
              identified: np.ndarray) -> np.ndarray:
    """Year a household's dangerous house / unsafe water is fixed (0: never flagged).

    Fixed by the exit year at the latest, except ``audit_share`` of exits, fixed a year late.
    """
    n = len(flag)
    fix = categorical(rng, shares, n).astype(int)
    fix = np.maximum(fix, identified + 1)
    fix = np.minimum(fix, first_exit)
    late = flag & (first_exit < NEVER) & (rng.random(n) < audit_share)
    fix[late] = first_exit[late] + 1
    return np.where(flag, fix, 0)


def income_targets(plan_income: Mapping[int, float], rng: np.random.Generator) -> dict[int, float]:
    """Mean per-capita income of registered households per year: the plan's figure (years
    between the plan's geometric) × (1 − 4 % … + 5 %)."""
    t = dict(plan_income)
    for y in range(min(plan_income), max(plan_income) + 1):
        if y not in t:
            t[y] = interpolate_geometric(plan_income, y)
    return {y: v * (1 + rng.uniform(-0.04, 0.05)) for y, v in sorted(t.items())}


def household_years(hh: pd.DataFrame, dyn: Dynamics, house_fix: np.ndarray,
                    water_fix: np.ndarray, difficulty_fix: np.ndarray,
                    glitch_year: np.ndarray, income_target: Mapping[int, float],
                    rng: np.random.Generator) -> pd.DataFrame:
    """Status, income and flags of every household in every year it is registered."""
    lines = generator_poverty_lines()
    frames = []
    sizes = hh["size"].to_numpy()
    z = hh["z"].to_numpy()
    for y in YEARS:
        idx = np.flatnonzero(hh["identified_year"].to_numpy() <= y)
        fe, ry, re_ = dyn.first_exit[idx], dyn.return_year[idx], dyn.reexit_year[idx]
        returned = (ry > 0) & (ry <= y) & (re_ > y)
        exited = (fe <= y) & ~returned
        status = np.where(returned, "返贫", np.where(exited, "已脱贫", "未脱贫")).astype(object)
        exit_year = np.where(exited, np.where(re_ <= y, re_, fe), np.where(returned, fe, 0))
        last_exit = np.where(exited, exit_year, NEVER)
        line = lines[y]
        eps = 0.7 * z[idx] + math.sqrt(1 - 0.49) * rng.normal(0, 1, len(idx))
        n = sizes[idx]
        # poor households: mostly 60-95 % of the line; 1.5 % above it without having exited
        ratio = np.clip(np.exp(np.log(0.80) + 0.18 * eps), 0.12, 0.985)
        above = ~exited & (rng.random(len(idx)) < 0.015)
        ratio[above] = rng.uniform(1.0, 1.12, above.sum())
        income = line * ratio
        # exited households: margin over the line growing with years since exit; 1.5 % of the
        # year's exits (0.4 % of earlier ones) below the line — the exit audit must find them
        below = exited & (rng.random(len(idx)) < np.where(last_exit == y, 0.015, 0.004))
        free = exited & ~below
        income[below] = line * rng.uniform(0.86, 0.995, below.sum())
        a = np.exp(0.45 * eps + 0.12 * np.minimum(y - last_exit, 4).clip(0))
        if y in income_target:
            target = income_target[y] * n.sum()
            fixed = (income[~free] * n[~free]).sum() + line * n[free].sum()
            k = max((target - fixed) / (line * (n[free] * a[free]).sum()), 0.05) if free.any() else 0
        else:
            k = 0.6
        income[free] = line * (1 + k * a[free])
        contradiction = glitch_year[idx] == y
        status[contradiction] = "未脱贫"
        exit_year[contradiction] = 0
        frames.append(pd.DataFrame({
            "year": y,
            "h": idx,
            "household_id": hh["household_id"].to_numpy()[idx],
            "township": hh["township"].to_numpy()[idx],
            "village": hh["village"].to_numpy()[idx],
            "village_is_poor": hh["village_is_poor"].to_numpy()[idx],
            "household_size": n,
            "household_type": hh["household_type"].to_numpy()[idx],
            "main_cause": hh["main_cause"].to_numpy()[idx],
            "exit_status": status,
            "registry_exit_year": pd.array(np.where(exit_year > 0, exit_year, 0), dtype="Int64"),
            "income_per_capita": np.round(income, 2),
            "dangerous_house": house_fix[idx] > y,
            "safe_water": water_fix[idx] <= y,
            "water_difficulty": difficulty_fix[idx] > y,
            "identified_year": hh["identified_year"].to_numpy()[idx],
            "first_exit_year": fe,
            "return_year": ry,
            "status_contradiction": contradiction,
        }))
    out = pd.concat(frames, ignore_index=True)
    out.loc[out["registry_exit_year"] == 0, "registry_exit_year"] = pd.NA
    return out
