"""The synthetic population: households and their members (ages, relations, IDs, names,
health, schooling traits) and the rural population of every village and year.

Proportions are realistic for Gansu's registers, not plan figures; the plan's figures come in
through :class:`~huachi_analysis.synthetic.calibration.Calibration`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis.synthetic.calibration import BASELINE_YEAR, YEARS
from huachi_analysis.synthetic.ids import SURNAMES, person_names, resident_ids

#: Main cause of poverty. 因病 dominates in Gansu's registers (30-40 %), then lack of capital,
#: skills and labour.
CAUSE_SHARES = {
    "因病": 0.36, "缺资金": 0.18, "缺技术": 0.12, "缺劳力": 0.10, "因学": 0.08, "因残": 0.06,
    "因灾": 0.03, "自身发展动力不足": 0.02, "缺土地": 0.015, "缺水": 0.015,
    "交通条件落后": 0.015, "其它": 0.005,
}
#: Household sizes; mean ≈ 3.81, the plan's poor persons ÷ poor households (27,800 / 7,283).
HOUSEHOLD_SIZE_SHARES = {1: 0.07, 2: 0.13, 3: 0.19, 4: 0.285, 5: 0.195, 6: 0.09, 7: 0.03,
                         8: 0.005}
_MALE_RELATIONS = {"之子": True, "之女": False, "之儿媳": False, "之孙子": True, "之孙女": False,
                   "之父": True, "之母": False}


def categorical(rng: np.random.Generator, shares: dict[Any, float], n: int) -> np.ndarray:
    """``n`` draws of the keys of ``shares`` with those (normalised) probabilities."""
    keys = list(shares)
    p = np.array([shares[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _members(size: int, rng: np.random.Generator) -> list[tuple[str, int]]:
    """Relations and ages (at the end of 2014) of one household's members, head first."""
    if size == 1:
        return [("户主", int(rng.integers(52, 86)))]
    head = int(np.clip(rng.normal(49, 11), 26, 80))
    out = [("户主", head)]
    if size == 2 and rng.random() < 0.35:
        out.append(("之子" if rng.random() < 0.5 else "之女", max(head - int(rng.integers(20, 36)), 0)))
        return out
    out.append(("配偶", int(np.clip(head + rng.normal(-2, 3), 20, 90))))
    left = size - 2
    if left >= 3 and head >= 46 and rng.random() < 0.35:  # three generations: son, his wife, kids
        son = head - int(rng.integers(21, 28))
        out += [("之子", son), ("之儿媳", int(np.clip(son + rng.normal(-1, 2), 18, 60)))]
        left -= 2
        for _ in range(left):
            out.append(("之孙子" if rng.random() < 0.52 else "之孙女",
                        max(son - int(rng.integers(20, 30)), 0)))
        return out
    if left >= 2 and head <= 55 and rng.random() < 0.3:  # the head's parents live with them
        parents = ["之父", "之母"] if left >= 3 and rng.random() < 0.5 else [
            "之母" if rng.random() < 0.6 else "之父"]
        for p in parents:
            out.append((p, min(head + int(rng.integers(22, 34)), 94)))
        left -= len(parents)
    for _ in range(left):
        out.append(("之子" if rng.random() < 0.52 else "之女",
                    max(head - int(rng.integers(20, 38)), 0)))
    return out


def make_households(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` households (no geography yet) and their members.

    Returns:
        (households ``h, size, main_cause, household_type``; members ``h, k, relation,
        age2014, male``).
    """
    sizes = categorical(rng, HOUSEHOLD_SIZE_SHARES, n).astype(int)
    causes = categorical(rng, CAUSE_SHARES, n)
    hh_rows, p_rows = [], []
    for h in range(n):
        members = _members(int(sizes[h]), rng)
        head_male = rng.random() < (0.7 if members[0][1] >= 70 and len(members) == 1 else 0.88)
        if len(members) == 1:
            htype = "特困供养贫困户" if rng.random() < 0.35 else ("低保贫困户" if rng.random() < 0.5
                                                          else "一般贫困户")
        else:
            htype = "低保贫困户" if rng.random() < 0.2 else "一般贫困户"
        hh_rows.append((h, len(members), causes[h], htype))
        for k, (rel, age) in enumerate(members):
            if rel == "户主":
                male = head_male
            elif rel == "配偶":
                male = not head_male
            else:
                male = _MALE_RELATIONS.get(rel, bool(rng.random() < 0.5))
            p_rows.append((h, k, rel, age, male))
    hh = pd.DataFrame(hh_rows, columns=["h", "size", "main_cause", "household_type"])
    pe = pd.DataFrame(p_rows, columns=["h", "k", "relation", "age2014", "male"])
    return hh, pe


def member_attributes(pe: pd.DataFrame, hh: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Birth dates, IDs, names, health and lasting traits of every member."""
    n = len(pe)
    pe = pe.copy()
    birth_year = BASELINE_YEAR - pe["age2014"].to_numpy()
    day = rng.integers(0, 365, size=n)
    # datetime64[Y] counts years from 1970
    birth = ((birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
             + day.astype("timedelta64[D]"))
    pe["birth"] = birth
    pe["birth_year"] = birth_year
    male = pe["male"].to_numpy(bool)
    pe["id_number"] = resident_ids(birth, male, rng)
    # surnames: children and grandchildren share the head's (the head's father too), wives differ
    hh_surname = np.array(SURNAMES, dtype=object)[rng.integers(len(SURNAMES), size=len(hh))]
    own = np.array(SURNAMES, dtype=object)[rng.integers(len(SURNAMES), size=n)]
    family = pe["relation"].isin(["户主", "之子", "之女", "之孙子", "之孙女", "之父"]).to_numpy()
    surnames = np.where(family, hh_surname[pe["h"].to_numpy()], own)
    pe["name"] = person_names(n, surnames, male, rng)
    pe["ethnicity"] = categorical(rng, {"汉族": 0.995, "回族": 0.004, "满族": 0.001}, n)
    # health, tied to the household's main cause
    health = np.where(rng.random(n) < np.where(pe["age2014"] >= 50, 0.10, 0.02), "长期慢性病", "健康")
    health = health.astype(object)
    cause = hh["main_cause"].to_numpy()[pe["h"].to_numpy()]
    adult = pe["age2014"].to_numpy() >= 18
    adults_so_far = pe.assign(a=adult.astype(int)).groupby("h")["a"].cumsum().to_numpy()
    first_adult = adult & (adults_so_far == 1)
    ill = (cause == "因病") & first_adult
    health[ill] = np.where(rng.random(ill.sum()) < 0.35, "患有大病", "长期慢性病")
    disabled = (cause == "因残") & first_adult
    health[disabled] = "残疾"
    extra_disabled = rng.random(n) < 0.01
    health[extra_disabled & (health == "健康")] = "残疾"
    pe["health"] = health
    # lasting traits: education of adults by birth cohort; school track; skills; migration
    edu = np.empty(n, dtype=object)
    cohorts = [(birth_year < 1955, {"文盲或半文盲": .55, "小学": .35, "初中": .09, "高中": .01}),
               ((birth_year >= 1955) & (birth_year < 1975),
                {"文盲或半文盲": .25, "小学": .40, "初中": .28, "高中": .06, "大专及以上": .01}),
               (birth_year >= 1975,
                {"文盲或半文盲": .05, "小学": .25, "初中": .50, "高中": .15, "大专及以上": .05})]
    for mask, shares in cohorts:
        edu[mask] = categorical(rng, shares, int(mask.sum()))
    pe["adult_education"] = edu
    pe["u_school"] = rng.random(n)  # propensity to stay in school
    pe["vocational"] = rng.random(n) < 0.35  # 中职 rather than 高中
    pe["skilled"] = rng.random(n) < 0.08
    pe["u_migrant"] = rng.random(n)
    pe["destination"] = categorical(
        rng, {"省外务工": .35, "县外省内务工": .30, "乡（镇）外县内务工": .20, "乡（镇）内务工": .15}, n)
    pe["u_insurance"] = rng.random(n)
    return pe


def village_population(hh: pd.DataFrame, vinfo: pd.DataFrame, county_total: float,
                       rng: np.random.Generator) -> pd.DataFrame:
    """Rural population of every village and year; the baseline county total is
    ``county_total`` (the plan's implied rural population) within a fraction of a per cent.
    Poor villages have 28-50 % incidence at baseline; the others share the rest.

    Returns:
        ``v, township, year, rural_population`` (``v``: position in ``vinfo``).
    """
    base = hh["identified_year"].to_numpy() == BASELINE_YEAR
    poor_persons = np.bincount(hh["v"].to_numpy()[base], weights=hh["size"].to_numpy()[base],
                               minlength=len(vinfo))
    is_poor = vinfo["is_poor_village"].to_numpy(bool)
    pop = np.zeros(len(vinfo))
    pop[is_poor] = poor_persons[is_poor] / rng.uniform(0.28, 0.50, is_poor.sum())
    total = county_total * (1 + rng.normal(0, 0.002))
    rest = total - pop[is_poor].sum()
    w = rng.lognormal(0, 0.3, (~is_poor).sum())
    pop[~is_poor] = rest * w / w.sum()
    pop[~is_poor] = np.maximum(pop[~is_poor], poor_persons[~is_poor] / 0.35)
    growth = {t: rng.normal(-0.004, 0.003) for t in vinfo["township"].unique()}
    rows = []
    for y in YEARS:
        for v in range(len(vinfo)):
            g = growth[vinfo.at[v, "township"]]
            rows.append((v, vinfo.at[v, "township"], y,
                         int(round(pop[v] * (1 + g) ** (y - BASELINE_YEAR)))))
    return pd.DataFrame(rows, columns=["v", "township", "year", "rural_population"])
