"""The generator: a seed, the plan's geography and its figures in, a synthetic registry out.

:func:`generate_registry` is pure (no file is read when a calibration is passed) and
deterministic: the same seed gives byte-identical frames.

What it draws around the plan's figures (:mod:`.calibration`): the baseline households
(the plan's count ± 45) with their members, ~70 % of them in the plan's poor villages; 105-177
households newly identified in 2016-2018 (in non-poor villages); the county's rural population
as clause 4 implies it; about the plan's share of dangerous houses at baseline, falling to
almost nothing by 2018. The yearly dynamics are in :mod:`.dynamics`. For the exit audit, 5-10
exited households are recorded once as 未脱贫 the year after (not as 返贫).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis.synthetic import dynamics, ids
from huachi_analysis.synthetic.calibration import (
    BASELINE_YEAR,
    YEARS,
    Calibration,
    load_calibration,
)
from huachi_analysis.synthetic.export_rows import export_frame
from huachi_analysis.synthetic.geography import village_table
from huachi_analysis.synthetic.labels import GENERATOR, SOURCE, SYNTHETIC_LABEL
from huachi_analysis.synthetic.measured import calibration_table
from huachi_analysis.synthetic.population import (
    make_households,
    member_attributes,
    village_population,
)
from huachi_analysis.synthetic.poverty_lines import generator_poverty_lines


@dataclass(frozen=True)
class SyntheticRegistry:
    """Everything one seed generates. All frames are plain pandas frames.

    Attributes:
        seed: The seed.
        exports: Year → export rows (one per person; Chinese headers in export order).
        households: The generator's truth, one row per household and year (English columns):
            what the exports encode, for calibration checks.
        rural_population: ``year, township, rural_population, source``.
        village_population: ``year, township, village, rural_population, source``.
        villages: Geography used: the plan's poor villages and the generated others.
        metadata: Seed, labels and the calibration figures measured on the frames.
        calibration: The plan figures the data were drawn around.
    """

    seed: int
    exports: dict[int, pd.DataFrame]
    households: pd.DataFrame
    rural_population: pd.DataFrame
    village_population: pd.DataFrame
    villages: pd.DataFrame
    metadata: dict[str, Any] = field(default_factory=dict)
    calibration: Calibration | None = None


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records (plain ints and floats, missing values as None)."""
    return json.loads(df.to_json(orient="records", force_ascii=False))


def generate_registry(seed: int, villages: pd.DataFrame, townships: Sequence[str],
                      years: Sequence[int] = YEARS,
                      calibration: Calibration | None = None) -> SyntheticRegistry:
    """Generate a synthetic registry calibrated to the plan (deterministic for a seed).

    Args:
        seed: Seed of the numpy random generator.
        villages: The plan's villages (township, village, is_poor_village, exit_year): its
            poor villages and the others it names; the rest of the county's administrative
            villages get generated names.
        townships: The canonical township names.
        years: Export years (a subset of :data:`YEARS`). The simulation, ``households`` and the
            population tables always cover every year of :data:`YEARS`.
        calibration: The plan's figures; read from ``data/raw/plan`` when ``None``
            (:func:`~huachi_analysis.synthetic.calibration.load_calibration`).

    Returns:
        A :class:`SyntheticRegistry`.

    Raises:
        ParameterError: a village lies in a township not in ``townships``.
        CalibrationError: a plan figure is missing (only when ``calibration`` is ``None``).
    """
    cal = calibration if calibration is not None else load_calibration()
    rng = np.random.Generator(np.random.PCG64(seed))
    townships = list(townships)
    vinfo = village_table(villages, townships, cal.villages, rng)

    # households: baseline (end 2014) and newly identified ones (2016-2018)
    n_base = cal.households + int(rng.integers(-45, 46))
    n_new = {2016: int(rng.integers(50, 80)), 2017: int(rng.integers(35, 60)),
             2018: int(rng.integers(20, 40))}
    n_all = n_base + sum(n_new.values())
    hh, pe = make_households(n_all, rng)
    hh["identified_year"] = np.concatenate(
        [np.full(n_base, BASELINE_YEAR)] + [np.full(k, y) for y, k in n_new.items()])

    # where they live: ~70 % of baseline households in the poor villages
    is_poor = vinfo["is_poor_village"].to_numpy(bool)
    cohort_w = {2015: 1.0, 2016: 0.88, 2017: 0.62}
    w_poor = np.array([cohort_w.get(int(y), 0) if p else 0.0
                       for y, p in zip(vinfo["exit_year"].fillna(0), is_poor, strict=True)])
    w_poor = w_poor * rng.lognormal(0, 0.25, len(vinfo))
    w_other = np.where(is_poor, 0.0, rng.lognormal(0, 0.35, len(vinfo)))
    share_poor = rng.uniform(0.69, 0.72)
    in_poor = rng.random(n_all) < share_poor
    in_poor[n_base:] = False  # newly identified households: non-poor villages
    v_of = np.where(in_poor, rng.choice(len(vinfo), n_all, p=w_poor / w_poor.sum()),
                    rng.choice(len(vinfo), n_all, p=w_other / w_other.sum()))
    hh["v"] = v_of
    hh["township"] = vinfo["township"].to_numpy()[v_of]
    hh["village"] = vinfo["village"].to_numpy()[v_of]
    hh["village_is_poor"] = is_poor[v_of]

    # rural population per village and year
    vpop = village_population(hh, vinfo, cal.implied_rural_population, rng)

    dyn = dynamics.schedule(hh, vinfo, vpop, townships, cal.exits, rng)

    # identifiers and contact data (synthetic)
    hh = hh.sort_values(["v", "identified_year", "h"], kind="stable").reset_index(drop=True)
    order = hh["h"].to_numpy()
    dyn = dyn.reordered(order)
    seq = hh.groupby("v").cumcount().to_numpy() + 1
    tt = vinfo["t"].to_numpy()[hh["v"].to_numpy()] + 1
    vv = vinfo["v_in_t"].to_numpy()[hh["v"].to_numpy()]
    hh["household_id"] = ids.household_ids(tt, vv, seq)
    hh["phone"] = ids.phone_numbers(len(hh), rng)
    hh["natural_village"] = ids.natural_village_names(len(hh), rng)
    hh["z"] = rng.normal(0, 1, len(hh))
    h_new = np.empty(n_all, dtype=int)
    h_new[order] = np.arange(n_all)
    pe["h"] = h_new[pe["h"].to_numpy()]
    pe = pe.sort_values(["h", "k"], kind="stable").reset_index(drop=True)
    pe = member_attributes(pe, hh.assign(h=np.arange(n_all)), rng)
    hh_ids = hh["household_id"].to_numpy()[pe["h"].to_numpy()]
    pe["person_id"] = ids.person_ids(hh_ids, pe["k"])
    hh["h"] = np.arange(n_all)

    # dangerous houses (the plan's share of baseline households) and water, fixed over time
    identified = hh["identified_year"].to_numpy()
    in_poor_v = hh["village_is_poor"].to_numpy(bool)
    dangerous = rng.random(n_all) < np.where(identified == BASELINE_YEAR,
                                             cal.dangerous_house_share, 0.2)
    house_fix = dynamics.fix_years(dangerous, dyn.first_exit,
                                   {2015: .40, 2016: .35, 2017: .22, 2018: .03}, 0.012, rng,
                                   identified)
    unsafe = rng.random(n_all) < np.where(in_poor_v, 0.45, 0.30)
    water_fix = dynamics.fix_years(unsafe, dyn.first_exit,
                                   {2015: .30, 2016: .35, 2017: .30, 2018: .05}, 0.008, rng,
                                   identified)
    difficulty = np.where(unsafe, rng.random(n_all) < 0.65, rng.random(n_all) < 0.04)
    difficulty_fix = np.where(unsafe, water_fix, dynamics.fix_years(
        difficulty, dyn.first_exit, {2015: .4, 2016: .4, 2017: .2}, 0.0, rng, identified))
    difficulty_fix = np.where(difficulty, difficulty_fix, 0)

    # a few exited households are recorded once as 未脱贫 the year after (a contradictory
    # status history the exit audit should find), then as 已脱贫 again
    eligible = np.flatnonzero((dyn.first_exit <= 2017) & (dyn.return_year == 0))
    glitch = rng.choice(eligible, size=int(rng.integers(5, 11)), replace=False)
    glitch_year = np.zeros(n_all, dtype=int)
    glitch_year[glitch] = dyn.first_exit[glitch] + rng.integers(1, 3, len(glitch))
    hy = dynamics.household_years(hh, dyn, house_fix, water_fix, difficulty_fix, glitch_year,
                                  dynamics.income_targets(cal.poor_income, rng), rng)
    exports = {y: export_frame(y, hh, pe, hy[hy["year"] == y], rng) for y in years}
    households = hy.drop(columns="h").reset_index(drop=True)

    t_index = {t: i for i, t in enumerate(townships)}
    rural = (vpop.groupby(["year", "township"], sort=False)["rural_population"].sum()
             .reset_index())
    rural["t"] = rural["township"].map(t_index)
    rural = rural.sort_values(["year", "t"]).drop(columns="t").reset_index(drop=True)
    rural["source"] = SOURCE
    vpop_out = vpop.merge(vinfo[["village"]], left_on="v", right_index=True)
    vpop_out = vpop_out.sort_values(["year", "v"])[["year", "township", "village",
                                                    "rural_population"]]
    vpop_out = vpop_out.reset_index(drop=True).assign(source=SOURCE)
    villages_out = vinfo[["township", "village", "is_poor_village", "exit_year", "is_generated"]]
    villages_out = villages_out.assign(exit_kind=[dyn.village_kind.get(i, "") for i in vinfo.index])
    villages_out = villages_out.reset_index(drop=True)
    reg = SyntheticRegistry(seed, exports, households, rural, vpop_out, villages_out,
                            calibration=cal)
    meta = {
        "synthetic": True,
        "label": SYNTHETIC_LABEL,
        "seed": seed,
        "generator": GENERATOR,
        "region_code_of_ids": ids.FAKE_REGION_CODE,
        "phone_prefix": ids.FAKE_PHONE_PREFIX,
        "township_pace": dyn.township_pace,
        "late_villages": _records(villages_out.loc[villages_out["exit_kind"] == "late",
                                                   ["township", "village", "exit_year"]]),
        "early_villages": _records(villages_out.loc[villages_out["exit_kind"] == "early",
                                                    ["township", "village", "exit_year"]]),
        "generator_poverty_lines": generator_poverty_lines(),
        "calibration": _records(calibration_table(reg)),
    }
    return SyntheticRegistry(seed, exports, households, rural, vpop_out, villages_out, meta,
                             cal)
