"""A synthetic poverty registry calibrated to the plan (县委发〔2015〕44号), the bundled default data.

Everything here is **generated**: no row describes a real person, household or village outside
the plan's own list of 56 poor villages. Files and frames carry that label in their names, title
rows and metadata.

The generator is split in two:

* :func:`generate_registry` is pure: a seed and the plan geography in, frames out
  (:class:`SyntheticRegistry`). The same seed gives byte-identical frames.
* :func:`write_exports` does the I/O: one ``.xlsx`` per year in the format of the national
  information system's person-level export (``../shared/docs/registry_export.md``), plus rural
  population tables, a README and a metadata file.

Calibration (what the plan says, clause by clause, and what the generator does with it):

* clause 1: 56 poor villages, 7,283 households, 27,800 poor people at the end of 2014 — the
  baseline is drawn around these figures;
* clause 4: exits of 9,897 (2015), 7,400 (2016) and 4,200 (2017) people, poverty incidence
  15.55 % / 9.12 % / 5.47 %, incomes of the registered population 3,201 / 3,666 / 4,200 /
  7,500 yuan (2015/16/17/20) — each year's figure is met within a few per cent, never exactly;
  the rest of the poor exit in 2018-2020;
* clause 4 implies a rural population of (27,800 − 9,897) / 15.55 % ≈ 115,132 at the end of
  2014: the township and village populations add up to it;
* clause 5: the exit year of each poor village — most villages fall below the exit threshold
  (3 % incidence) in their year, a few are late and one is early;
* clause 7(3): 3,950 dangerous houses to rebuild by 2017 — about 54 % of households start with
  a dangerous house, and the flag falls to almost nothing by 2018.

So that the exit audit has something to find, some records are deliberately imperfect: about
1.5 % of each year's exits have an income below the line, about 1 % of exits still live in a
dangerous house or lack safe water in their exit year, 1.5 % of poor households are above the
line, and 5-10 households are recorded as 未脱贫 once after having exited (not as 返贫). About
1 % of exited households return to poverty (返贫) each year 2016-2019, and 100-180 households
are newly identified in 2016-2018.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis import io, paths
from huachi_analysis.errors import InputFileError, ParameterError

# --- what the plan says (quoted figures, clause 1, 4, 5) ----------------------------------
BASELINE_YEAR = 2014
YEARS: tuple[int, ...] = tuple(range(2014, 2021))
PLAN_HOUSEHOLDS = 7283  # clause 1: 7283户
PLAN_PERSONS = 27800  # clause 1: 2.78万贫困人口
PLAN_EXITS = {2015: 9897, 2016: 7400, 2017: 4200}  # clause 4: 脱贫9897人 / 7400人 / 4200人
PLAN_INCIDENCE = {2015: 0.1555, 2016: 0.0912, 2017: 0.0547}  # clause 4: 贫困面下降到…
PLAN_INCOME = {2015: 3201.0, 2016: 3666.0, 2017: 4200.0, 2020: 7500.0}  # 扶贫对象可支配收入
#: End-2014 rural population the plan implies: (27,800 − 9,897) / 15.55 % ≈ 115,132.
IMPLIED_RURAL_POPULATION = (PLAN_PERSONS - PLAN_EXITS[2015]) / PLAN_INCIDENCE[2015]
PLAN_DANGEROUS_HOUSES = 3950  # clause 7(3): 共改造危窑房3950户
#: A poor village exits when its incidence falls below this (the progress engine's default).
VILLAGE_EXIT_THRESHOLD = 0.03
#: Huachi has 111 administrative villages; the 55 that are not poor get generated names.
TOTAL_VILLAGES = 111
COUNTY = "华池县"

#: Poverty lines the *generator* assumes (yuan, current prices). 2014-2016 and ≈2020 are the
#: documented national lines; 2017-2019 are geometric interpolations, used only to place
#: synthetic incomes around the line. The analyst's input table is ``poverty_lines.csv``.
DOCUMENTED_LINES = {2014: 2800.0, 2015: 2855.0, 2016: 2952.0, 2020: 4000.0}

SYNTHETIC_LABEL = "合成数据 SYNTHETIC — 非真实数据"
SOURCE = "synthetic"
GENERATOR = "huachi_analysis.registry.synth"

#: Region code of every synthetic resident ID. GB/T 2260 province codes run 11-82 (71 Taiwan,
#: 81/82 Hong Kong/Macau); 99 is assigned to no province, so 990000 is no real county and a
#: synthetic ID can never be mistaken for, or collide with, a real person's ID.
FAKE_REGION_CODE = "990000"
#: Phone prefix of synthetic numbers: Chinese mobile numbers start 13-19 and landlines with 0;
#: 100 is a service-number prefix, never a subscriber's number.
FAKE_PHONE_PREFIX = "100"

#: The standard person-level export columns (registry_export.md, in export order) + two extras.
EXPORT_COLUMNS: tuple[str, ...] = (
    "县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名", "证件号码", "人数",
    "与户主关系", "民族", "文化程度", "在校生状况", "健康状况", "劳动技能", "务工状况",
    "务工时间（月）", "参加大病医疗", "脱贫属性", "贫困户属性", "主要致贫原因", "危房户",
    "饮水安全", "饮水困难", "人均纯收入", "联系电话", "脱贫年度", "年度",
)
_TEXT_COLUMNS = frozenset({"户编号", "人编号", "证件号码", "联系电话"})

# --- realistic proportions ----------------------------------------------------------------
#: Main cause of poverty. 因病 dominates in Gansu's registers (30-40 %), then lack of capital,
#: skills and labour.
CAUSE_SHARES = {
    "因病": 0.36, "缺资金": 0.18, "缺技术": 0.12, "缺劳力": 0.10, "因学": 0.08, "因残": 0.06,
    "因灾": 0.03, "自身发展动力不足": 0.02, "缺土地": 0.015, "缺水": 0.015,
    "交通条件落后": 0.015, "其它": 0.005,
}
#: Household sizes; mean ≈ 3.81 = 27,800 / 7,283.
HOUSEHOLD_SIZE_SHARES = {1: 0.07, 2: 0.13, 3: 0.19, 4: 0.285, 5: 0.195, 6: 0.09, 7: 0.03,
                         8: 0.005}
SURNAMES = tuple("张王李刘杨马高白郭赵冯贾曹陈孙胡朱何罗徐吴周黄石薛任乔田贺路慕雷")
GIVEN_MALE = tuple("军强伟刚明亮平东海林峰宏志勇建国华文斌兵辉成忠全福贵生春荣治学")
GIVEN_FEMALE = tuple("芳娟霞丽梅英兰花琴秀艳红燕玲萍珍凤云小桂翠彩娥莉婷慧")
_VILLAGE_HEADS = tuple("高马杨刘王李白石柳杏枣红黑东西南大小上下新老张赵郭冯贾曹")
_VILLAGE_TAILS = ("家湾", "家沟", "家塬", "家岔", "家庄", "塬", "湾", "岔", "庄", "川", "台", "咀",
                  "畔", "掌", "砭", "洼", "峁", "梁", "沟门", "河")
_GROUP_NUMERALS = "一二三四五六七八"
_GRADES = ("一", "二", "三")


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
    """

    seed: int
    exports: dict[int, pd.DataFrame]
    households: pd.DataFrame
    rural_population: pd.DataFrame
    village_population: pd.DataFrame
    villages: pd.DataFrame
    metadata: dict[str, Any] = field(default_factory=dict)


# --- poverty lines ------------------------------------------------------------------------
def generator_poverty_lines(years: Sequence[int] = YEARS) -> dict[int, float]:
    """Poverty line the generator assumes per year (documented where known, else geometric
    interpolation between the documented years).

    Example: 2016 → 2,952 (documented); 2018 → 2,952 × (4,000 / 2,952) ** (2 / 4) ≈ 3,436.
    """
    known = sorted(DOCUMENTED_LINES)
    out: dict[int, float] = {}
    for y in years:
        if y in DOCUMENTED_LINES:
            out[y] = DOCUMENTED_LINES[y]
            continue
        lo = max(k for k in known if k < y)
        hi = min(k for k in known if k > y)
        f = (y - lo) / (hi - lo)
        out[y] = round(DOCUMENTED_LINES[lo] * (DOCUMENTED_LINES[hi] / DOCUMENTED_LINES[lo]) ** f)
    return out


def poverty_lines_table() -> pd.DataFrame:
    """The documented national rural poverty lines (input table ``poverty_lines``).

    Only documented values: 2014-2016 exactly, 2020 approximately (labelled so in ``source``);
    2017-2019 are left for the analyst.
    """
    nbs = "国家农村贫困标准（现价），国家统计局 National rural poverty line, current prices, NBS"
    return pd.DataFrame({
        "year": [2014, 2015, 2016, 2020],
        "poverty_line": [2800.0, 2855.0, 2952.0, 4000.0],
        "source": [nbs, nbs, nbs,
                   "约4000元（近似值，approximate）; 2010年不变价2300元标准的现价 "
                   "2,300 yuan at 2010 prices, about 4,000 in current prices (approximate)"],
    })


# --- resident IDs -------------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """GB 11643 check character of the first 17 digits of a resident ID.

    Example: ``11010519491231002`` → ``X`` (the standard's own example ID 11010519491231002X).
    """
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(value: str) -> bool:
    """True when ``value`` is 18 characters, 17 digits plus the right GB 11643 check character."""
    return (isinstance(value, str) and len(value) == 18 and value[:17].isdigit()
            and value[17] == id_check_character(value[:17]))


def _resident_ids(birth: np.ndarray, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unique synthetic IDs: fake region, birth date, sequence (odd male, even female), check."""
    dates = pd.to_datetime(birth).strftime("%Y%m%d").to_numpy()
    frame = pd.DataFrame({"d": dates, "m": male})
    groups = frame.groupby(["d", "m"], sort=False)
    rank = groups.cumcount().to_numpy()
    gid = groups.ngroup().to_numpy()
    start = rng.integers(0, 200, size=gid.max() + 1)  # sequences do not all start at 000
    seq = (start[gid] + rank) * 2 + np.where(male, 1, 0)  # odd: male, even: female
    if seq.max() >= 1000:
        raise ValueError("more than 400 synthetic people share a birth date and sex")
    first17 = [f"{FAKE_REGION_CODE}{d}{s:03d}" for d, s in zip(dates, seq, strict=True)]
    ids = np.array([f + id_check_character(f) for f in first17], dtype=object)
    return ids


# --- geography ----------------------------------------------------------------------------
def load_geography(raw: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Read the plan geography through the plan package: (villages, townships).

    Args:
        raw: Folder of raw inputs (``data/raw`` when ``None``); the plan lives in ``raw/plan``.

    Raises:
        InputFileError: the plan's village or township list cannot be read.
    """
    from huachi_analysis import plan

    try:
        villages = plan.villages(raw)
        townships = list(plan.townships(raw)["township"])
    except FileNotFoundError as exc:
        raise InputFileError(exc.filename or (raw or paths.RAW), "the plan's village or "
                             "township list is missing (data/raw/plan/villages.csv, "
                             "townships.csv)") from None
    return villages, townships


def _split_villages(villages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(poor villages with exit year, other villages the plan names)."""
    for col in ("township", "village", "is_poor_village", "exit_year"):
        if col not in villages.columns:
            raise ParameterError(f"the village list lacks column {col!r}")
    flag = villages["is_poor_village"].astype(str).str.lower().isin(["true", "1", "yes"])
    poor = villages.loc[flag, ["township", "village", "exit_year"]].copy()
    poor["exit_year"] = pd.to_numeric(poor["exit_year"]).astype(int)
    named = villages.loc[~flag, ["township", "village"]].copy()
    return poor.reset_index(drop=True), named.reset_index(drop=True)


def _generated_villages(poor: pd.DataFrame, named: pd.DataFrame, townships: Sequence[str],
                        rng: np.random.Generator) -> pd.DataFrame:
    """Non-poor villages with generated names, spread so that every township has some; with
    the non-poor villages the plan names, they make up the county's 111 villages."""
    n_extra = TOTAL_VILLAGES - len(poor) - len(named)
    n_poor = pd.concat([poor, named]).groupby("township").size()
    weights = np.array([max(9 - int(n_poor.get(t, 0)), 2) for t in townships], dtype=float)
    quota = weights / weights.sum() * n_extra
    counts = np.floor(quota).astype(int)
    for i in np.argsort(-(quota - counts), kind="stable")[: n_extra - counts.sum()]:
        counts[i] += 1
    taken = set(poor["village"]) | set(named["village"])
    rows = []
    for t, k in zip(townships, counts, strict=True):
        made = 0
        while made < k:
            name = (_VILLAGE_HEADS[rng.integers(len(_VILLAGE_HEADS))]
                    + _VILLAGE_TAILS[rng.integers(len(_VILLAGE_TAILS))] + "村")
            if name in taken:
                continue
            taken.add(name)
            rows.append((t, name))
            made += 1
    return pd.DataFrame(rows, columns=["township", "village"])


# --- households and members ---------------------------------------------------------------
def _names(n: int, surnames: np.ndarray, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g1 = np.where(male, rng.integers(len(GIVEN_MALE), size=n), rng.integers(len(GIVEN_FEMALE), size=n))
    g2 = np.where(male, rng.integers(len(GIVEN_MALE), size=n), rng.integers(len(GIVEN_FEMALE), size=n))
    two = rng.random(n) < 0.7
    out = []
    for s, m, a, b, t in zip(surnames, male, g1, g2, two, strict=True):
        pool = GIVEN_MALE if m else GIVEN_FEMALE
        out.append(s + pool[a] + (pool[b] if t else ""))
    return np.array(out, dtype=object)


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


_MALE_RELATIONS = {"之子": True, "之女": False, "之儿媳": False, "之孙子": True, "之孙女": False,
                   "之父": True, "之母": False}


def _categorical(rng: np.random.Generator, shares: dict[Any, float], n: int) -> np.ndarray:
    keys = list(shares)
    p = np.array([shares[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _make_households(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` households (no geography yet) and their members."""
    sizes = _categorical(rng, HOUSEHOLD_SIZE_SHARES, n).astype(int)
    causes = _categorical(rng, CAUSE_SHARES, n)
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


def _member_attributes(pe: pd.DataFrame, hh: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
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
    pe["id_number"] = _resident_ids(birth, male, rng)
    # surnames: children and grandchildren share the head's (the head's father too), wives differ
    hh_surname = np.array(SURNAMES, dtype=object)[rng.integers(len(SURNAMES), size=len(hh))]
    own = np.array(SURNAMES, dtype=object)[rng.integers(len(SURNAMES), size=n)]
    family = pe["relation"].isin(["户主", "之子", "之女", "之孙子", "之孙女", "之父"]).to_numpy()
    surnames = np.where(family, hh_surname[pe["h"].to_numpy()], own)
    pe["name"] = _names(n, surnames, male, rng)
    pe["ethnicity"] = _categorical(rng, {"汉族": 0.995, "回族": 0.004, "满族": 0.001}, n)
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
        edu[mask] = _categorical(rng, shares, int(mask.sum()))
    pe["adult_education"] = edu
    pe["u_school"] = rng.random(n)  # propensity to stay in school
    pe["vocational"] = rng.random(n) < 0.35  # 中职 rather than 高中
    pe["skilled"] = rng.random(n) < 0.08
    pe["u_migrant"] = rng.random(n)
    pe["destination"] = _categorical(
        rng, {"省外务工": .35, "县外省内务工": .30, "乡（镇）外县内务工": .20, "乡（镇）内务工": .15}, n)
    pe["u_insurance"] = rng.random(n)
    return pe


# --- dynamics -----------------------------------------------------------------------------
@dataclass
class _Dynamics:
    first_exit: np.ndarray  # year of first exit; 9999 = not by 2020
    return_year: np.ndarray  # 0 = never returned
    reexit_year: np.ndarray  # 9999 = not (yet) again
    village_kind: dict[int, str]
    township_pace: dict[str, str]
    exit_targets: dict[int, int]


def _schedule(hh: pd.DataFrame, vinfo: pd.DataFrame, vpop: pd.DataFrame,
              townships: Sequence[str], rng: np.random.Generator) -> _Dynamics:
    """Year of exit, return to poverty and re-exit of every household."""
    n = len(hh)
    first_exit = np.full(n, 9999)
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
    for y, planned in PLAN_EXITS.items():
        delta = rng.uniform(0.03, 0.10) * (1 if rng.random() < 0.5 else -1)
        targets[y] = round(planned * (1 + delta))

    return_year = np.zeros(n, dtype=int)
    reexit_year = np.full(n, 9999)
    identified = hh["identified_year"].to_numpy()
    for y in range(BASELINE_YEAR + 1, YEARS[-1] + 1):
        # returns to poverty (返贫): about 1 % of households that had exited
        if 2016 <= y <= 2019:
            exited = (first_exit < y) & (return_year == 0)
            ret = exited & (rng.random(n) < 0.01)
            return_year[ret] = y
            reexit_year[ret] = np.minimum(y + np.where(rng.random(n) < 0.7, 1, 2), YEARS[-1])[ret]
        present = identified <= y
        done = structural | (first_exit != 9999)
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
        if want is None:  # 2020: everyone left exits except a handful of hard cases
            keep = int(rng.integers(6, 16))
            chosen = cand[: max(len(cand) - keep, 0)]
        else:
            cum = np.cumsum(sizes[cand])
            chosen = cand[: int(np.searchsorted(cum, max(want, 0), side="right"))]
        first_exit[chosen] = y
    targets[YEARS[-1]] = int(sizes[first_exit == YEARS[-1]].sum()
                             + sizes[reexit_year == YEARS[-1]].sum())
    return _Dynamics(first_exit, return_year, reexit_year, kind, pace, targets)


def _fix_years(flag: np.ndarray, first_exit: np.ndarray, shares: dict[int, float],
               audit_share: float, rng: np.random.Generator,
               identified: np.ndarray) -> np.ndarray:
    """Year a household's dangerous house / unsafe water is fixed (0: never flagged).

    Fixed by the exit year at the latest, except ``audit_share`` of exits, fixed a year late.
    """
    n = len(flag)
    fix = _categorical(rng, shares, n).astype(int)
    fix = np.maximum(fix, identified + 1)
    fix = np.minimum(fix, first_exit)
    late = flag & (first_exit < 9999) & (rng.random(n) < audit_share)
    fix[late] = first_exit[late] + 1
    return np.where(flag, fix, 0)


# --- the generator ------------------------------------------------------------------------
def generate_registry(seed: int, villages: pd.DataFrame, townships: Sequence[str],
                      years: Sequence[int] = YEARS) -> SyntheticRegistry:
    """Generate a synthetic registry calibrated to the plan (pure; deterministic for a seed).

    Args:
        seed: Seed of the numpy random generator.
        villages: The plan's villages (township, village, is_poor_village, exit_year): its 56
            poor villages and the others it names; the rest of the county's 111 villages get
            generated names.
        townships: The 15 canonical township names.
        years: Export years (a subset of 2014-2020). The simulation, ``households`` and the
            population tables always cover 2014-2020.

    Returns:
        A :class:`SyntheticRegistry`.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    townships = list(townships)
    poor, named = _split_villages(villages)
    unknown = sorted((set(poor["township"]) | set(named["township"])) - set(townships))
    if unknown:
        raise ParameterError(f"villages in townships not in the township list: {unknown}; "
                             f"the townships are {townships}")
    extra = _generated_villages(poor, named, townships, rng)
    vinfo = pd.concat([
        poor.assign(is_poor_village=True, is_generated=False),
        named.assign(is_poor_village=False, exit_year=pd.NA, is_generated=False),
        extra.assign(is_poor_village=False, exit_year=pd.NA, is_generated=True),
    ], ignore_index=True)
    t_index = {t: i for i, t in enumerate(townships)}
    vinfo["t"] = vinfo["township"].map(t_index)
    vinfo = vinfo.sort_values(["t", "is_poor_village", "village"], ascending=[True, False, True],
                              kind="stable").reset_index(drop=True)
    vinfo["v_in_t"] = vinfo.groupby("t").cumcount() + 1

    # households: baseline (end 2014) and newly identified ones (2016-2018)
    n_base = PLAN_HOUSEHOLDS + int(rng.integers(-45, 46))
    n_new = {2016: int(rng.integers(50, 80)), 2017: int(rng.integers(35, 60)),
             2018: int(rng.integers(20, 40))}
    n_all = n_base + sum(n_new.values())
    hh, pe = _make_households(n_all, rng)
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
    vpop = _village_population(hh, vinfo, rng)

    dyn = _schedule(hh, vinfo, vpop, townships, rng)

    # identifiers and contact data (synthetic)
    hh = hh.sort_values(["v", "identified_year", "h"], kind="stable").reset_index(drop=True)
    order = hh["h"].to_numpy()
    dyn = _Dynamics(dyn.first_exit[order], dyn.return_year[order], dyn.reexit_year[order],
                    dyn.village_kind, dyn.township_pace, dyn.exit_targets)
    seq = hh.groupby("v").cumcount().to_numpy() + 1
    tt = vinfo["t"].to_numpy()[hh["v"].to_numpy()] + 1
    vv = vinfo["v_in_t"].to_numpy()[hh["v"].to_numpy()]
    hh["household_id"] = [f"00{a:02d}{b:03d}{c:05d}" for a, b, c in zip(tt, vv, seq, strict=True)]
    hh["phone"] = [FAKE_PHONE_PREFIX + f"{x:08d}" for x in rng.integers(0, 10**8, len(hh))]
    hh["natural_village"] = [_GROUP_NUMERALS[i] + "组" for i in rng.integers(0, 8, len(hh))]
    hh["z"] = rng.normal(0, 1, len(hh))
    h_new = np.empty(n_all, dtype=int)
    h_new[order] = np.arange(n_all)
    pe["h"] = h_new[pe["h"].to_numpy()]
    pe = pe.sort_values(["h", "k"], kind="stable").reset_index(drop=True)
    pe = _member_attributes(pe, hh.assign(h=np.arange(n_all)), rng)
    hh_ids = hh["household_id"].to_numpy()[pe["h"].to_numpy()]
    pe["person_id"] = [f"{i}{k + 1:02d}" for i, k in zip(hh_ids, pe["k"], strict=True)]
    hh["h"] = np.arange(n_all)

    identified = hh["identified_year"].to_numpy()
    in_poor_v = hh["village_is_poor"].to_numpy(bool)
    dangerous = rng.random(n_all) < np.where(identified == BASELINE_YEAR, 0.54, 0.2)
    house_fix = _fix_years(dangerous, dyn.first_exit,
                           {2015: .40, 2016: .35, 2017: .22, 2018: .03}, 0.012, rng, identified)
    unsafe = rng.random(n_all) < np.where(in_poor_v, 0.45, 0.30)
    water_fix = _fix_years(unsafe, dyn.first_exit,
                           {2015: .30, 2016: .35, 2017: .30, 2018: .05}, 0.008, rng, identified)
    difficulty = np.where(unsafe, rng.random(n_all) < 0.65, rng.random(n_all) < 0.04)
    difficulty_fix = np.where(unsafe, water_fix, _fix_years(
        difficulty, dyn.first_exit, {2015: .4, 2016: .4, 2017: .2}, 0.0, rng, identified))
    difficulty_fix = np.where(difficulty, difficulty_fix, 0)

    # a few exited households are recorded once as 未脱贫 the year after (a contradictory
    # status history the exit audit should find), then as 已脱贫 again
    eligible = np.flatnonzero((dyn.first_exit <= 2017) & (dyn.return_year == 0))
    glitch = rng.choice(eligible, size=int(rng.integers(5, 11)), replace=False)
    glitch_year = np.zeros(n_all, dtype=int)
    glitch_year[glitch] = dyn.first_exit[glitch] + rng.integers(1, 3, len(glitch))
    hy = _household_years(hh, dyn, house_fix, water_fix, difficulty_fix, glitch_year,
                          _income_targets(rng), rng)
    exports = {y: _export_frame(y, hh, pe, hy[hy["year"] == y], rng) for y in years}
    households = hy.drop(columns="h").reset_index(drop=True)

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
    reg = SyntheticRegistry(seed, exports, households, rural, vpop_out,
                            villages_out.reset_index(drop=True))
    meta = {
        "synthetic": True,
        "label": SYNTHETIC_LABEL,
        "seed": seed,
        "generator": GENERATOR,
        "region_code_of_ids": FAKE_REGION_CODE,
        "phone_prefix": FAKE_PHONE_PREFIX,
        "township_pace": dyn.township_pace,
        "late_villages": _records(villages_out.loc[villages_out["exit_kind"] == "late",
                                                   ["township", "village", "exit_year"]]),
        "early_villages": _records(villages_out.loc[villages_out["exit_kind"] == "early",
                                                    ["township", "village", "exit_year"]]),
        "generator_poverty_lines": generator_poverty_lines(),
        "calibration": _records(calibration_table(reg)),
    }
    return SyntheticRegistry(seed, exports, households, rural, vpop_out,
                             reg.villages, meta)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records (plain ints and floats, missing values as None)."""
    return json.loads(df.to_json(orient="records", force_ascii=False))


def _village_population(hh: pd.DataFrame, vinfo: pd.DataFrame,
                        rng: np.random.Generator) -> pd.DataFrame:
    """Rural population of every village and year; the 2014 county total is the plan's
    implied ≈115,132 (poor villages: 28-50 % incidence; others share the rest)."""
    base = hh["identified_year"].to_numpy() == BASELINE_YEAR
    poor_persons = np.bincount(hh["v"].to_numpy()[base], weights=hh["size"].to_numpy()[base],
                               minlength=len(vinfo))
    is_poor = vinfo["is_poor_village"].to_numpy(bool)
    pop = np.zeros(len(vinfo))
    pop[is_poor] = poor_persons[is_poor] / rng.uniform(0.28, 0.50, is_poor.sum())
    total = IMPLIED_RURAL_POPULATION * (1 + rng.normal(0, 0.002))
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


def _household_years(hh: pd.DataFrame, dyn: _Dynamics, house_fix: np.ndarray,
                     water_fix: np.ndarray, difficulty_fix: np.ndarray,
                     glitch_year: np.ndarray, income_targets: dict[int, float],
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
        last_exit = np.where(exited, exit_year, 9999)
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
        if y in income_targets:
            target = income_targets[y] * n.sum()
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


def _income_targets(rng: np.random.Generator) -> dict[int, float]:
    """Mean per-capita income of registered households per year: the plan's figure (2018 and
    2019 geometric between 2017 and 2020) × (1 − 4 % … + 5 %)."""
    t = dict(PLAN_INCOME)
    for y in (2018, 2019):
        t[y] = PLAN_INCOME[2017] * (PLAN_INCOME[2020] / PLAN_INCOME[2017]) ** ((y - 2017) / 3)
    return {y: v * (1 + rng.uniform(-0.04, 0.05)) for y, v in sorted(t.items())}


# --- person rows of one year's export -----------------------------------------------------
_INSURANCE_COVERAGE = {2014: 0.88, 2015: 0.93, 2016: 0.97}


def _export_frame(year: int, hh: pd.DataFrame, pe: pd.DataFrame, hy: pd.DataFrame,
                  rng: np.random.Generator) -> pd.DataFrame:
    """The person-level export of one year (Chinese headers, export order)."""
    p = pe[pe["h"].isin(hy["h"])]
    hrow = hy.set_index("h").loc[p["h"].to_numpy()]
    age = year - p["birth_year"].to_numpy()
    u = p["u_school"].to_numpy()
    voc = p["vocational"].to_numpy(bool)
    n = len(p)
    school = np.full(n, "非在校生", dtype=object)
    school[(age >= 3) & (age <= 5) & (u < 0.6)] = "学前教育"
    school[(age >= 6) & (age <= 11)] = "小学"
    for a, grade in ((12, "七年级"), (13, "八年级"), (14, "九年级")):
        school[age == a] = grade
    upper = (age >= 15) & (age <= 17) & (u < 0.85)
    school[upper] = [("中职" if v else "高中") + _GRADES[a - 15] + "年级"
                     for a, v in zip(age[upper], voc[upper], strict=True)]
    college = (age >= 18) & (age <= 21) & (u < 0.3)
    school[college] = "大专及以上"
    in_school = school != "非在校生"
    # education: by age for the young; cohorts born from 1993 on follow their school track
    edu = p["adult_education"].to_numpy().copy()
    young = p["birth_year"].to_numpy() >= 1993
    edu[young] = np.where(u[young] < 0.3, "大专及以上", np.where(u[young] < 0.85, "高中", "初中"))
    edu[(age >= 15) & (age <= 17)] = np.where(upper[(age >= 15) & (age <= 17)], "高中", "初中")
    edu[(age >= 12) & (age <= 14)] = "初中"
    edu[(age >= 6) & (age <= 11)] = "小学"
    edu[age < 6] = "学龄前儿童"
    # labour capacity
    health = p["health"].to_numpy()
    labour = np.where(p["skilled"].to_numpy(bool), "技能劳动力", "普通劳动力").astype(object)
    labour[(health == "长期慢性病") & (p["u_migrant"].to_numpy() < 0.5)] = "弱劳动力或半劳动力"
    labour[(age >= 60) & (age < 75)] = "弱劳动力或半劳动力"
    labour[age >= 75] = "丧失劳动力"
    labour[np.isin(health, ["残疾", "患有大病"])] = "丧失劳动力"
    labour[(age < 16) | in_school] = "无劳动力"
    # migrant work: able workers with a propensity that rises slowly over the years
    worker = np.isin(labour, ["普通劳动力", "技能劳动力"])
    away = worker & (p["u_migrant"].to_numpy() < 0.40 + 0.01 * (year - BASELINE_YEAR))
    migrant = np.where(away, p["destination"].to_numpy(), None)
    months = np.where(away, rng.integers(3, 13, n), 0)
    insured = p["u_insurance"].to_numpy() < _INSURANCE_COVERAGE.get(year, 0.995)
    yes_no = np.array(["否", "是"], dtype=object)
    return pd.DataFrame({
        "县(市、区、旗)": COUNTY,
        "乡(镇)": hrow["township"].to_numpy(),
        "行政村": hrow["village"].to_numpy(),
        "自然村": hh["natural_village"].to_numpy()[p["h"].to_numpy()],
        "户编号": hrow["household_id"].to_numpy(),
        "人编号": p["person_id"].to_numpy(),
        "姓名": p["name"].to_numpy(),
        "证件号码": p["id_number"].to_numpy(),
        "人数": hrow["household_size"].to_numpy(),
        "与户主关系": p["relation"].to_numpy(),
        "民族": p["ethnicity"].to_numpy(),
        "文化程度": edu,
        "在校生状况": school,
        "健康状况": health,
        "劳动技能": labour,
        "务工状况": migrant,
        "务工时间（月）": months,
        "参加大病医疗": yes_no[insured.astype(int)],
        "脱贫属性": hrow["exit_status"].to_numpy(),
        "贫困户属性": hrow["household_type"].to_numpy(),
        "主要致贫原因": hrow["main_cause"].to_numpy(),
        "危房户": yes_no[hrow["dangerous_house"].to_numpy(bool).astype(int)],
        "饮水安全": yes_no[hrow["safe_water"].to_numpy(bool).astype(int)],
        "饮水困难": yes_no[hrow["water_difficulty"].to_numpy(bool).astype(int)],
        "人均纯收入": hrow["income_per_capita"].to_numpy(),
        "联系电话": hh["phone"].to_numpy()[p["h"].to_numpy()],
        "脱贫年度": hrow["registry_exit_year"].array,
        "年度": year,
    }, columns=list(EXPORT_COLUMNS))


# --- measured calibration -----------------------------------------------------------------
def calibration_table(reg: SyntheticRegistry) -> pd.DataFrame:
    """County figures per year measured on the generated households, beside the plan's.

    Exits of a year are the persons of households marked 已脱贫 with 脱贫年度 = that year (first
    exits and re-exits after a return); incidence is poor persons (未脱贫 + 返贫) ÷ rural
    population; mean income is person-weighted over all registered households.
    """
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
            "plan_exits": PLAN_EXITS.get(int(y)),
            "returned_households": int((g["exit_status"] == "返贫").sum()),
            "new_households": int((g["identified_year"] == y).sum()) if y > BASELINE_YEAR else 0,
            "mean_income": round(float((g["income_per_capita"] * n).sum() / n.sum()), 1),
            "plan_income": PLAN_INCOME.get(int(y)),
            "exited_below_line": int((exited & (g["income_per_capita"] < lines[y])).sum()),
            "dangerous_house_households": int(g["dangerous_house"].sum()),
            "unsafe_water_households": int((~g["safe_water"].astype(bool)).sum()),
            "rural_population": int(rural[y]),
            "incidence": round(float(n[poor].sum() / rural[y]), 4),
            "plan_incidence": PLAN_INCIDENCE.get(int(y)),
        })
    return pd.DataFrame(rows)


def village_exit_table(reg: SyntheticRegistry,
                       threshold: float = VILLAGE_EXIT_THRESHOLD) -> pd.DataFrame:
    """Each poor village's incidence by year, the first year below ``threshold`` and how that
    compares with the plan's schedule (on_schedule, early, late, not_yet)."""
    hy = reg.households
    poor = hy[hy["exit_status"] != "已脱贫"]
    persons = poor.groupby(["year", "township", "village"])["household_size"].sum()
    vp = reg.village_population.set_index(["year", "township", "village"])["rural_population"]
    pv = reg.villages[reg.villages["is_poor_village"]]
    rows = []
    for t, v, sched in pv[["township", "village", "exit_year"]].itertuples(index=False):
        inc = {y: float(persons.get((y, t, v), 0)) / vp[(y, t, v)] for y in YEARS}
        below = [y for y in YEARS if inc[y] < threshold]
        first = below[0] if below else None
        status = ("not_yet" if first is None else "on_schedule" if first == sched
                  else "early" if first < sched else "late")
        rows.append({"township": t, "village": v, "exit_year": int(sched),
                     "first_year_below": first, "status": status,
                     **{f"incidence_{y}": round(inc[y], 4) for y in YEARS}})
    return pd.DataFrame(rows)


# --- indicator actuals (synthetic example) ------------------------------------------------
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


#: Indicators of the synthetic actuals file, with the plan figures they are drawn around.
ACTUAL_SPECS: tuple[ActualSpec, ...] = (
    # clause 4: 农村居民可支配收入达到6049元 / 6654元 / 7300元; 到2020年底 … 11000元以上
    ActualSpec("rural_income_per_capita", "元", "level", tuple(range(2015, 2021)),
               {2015: 6049.0, 2016: 6654.0, 2017: 7300.0, 2020: 11000.0}),
    # clause 7(1): 2015年建成建制村通畅工程270公里
    ActualSpec("admin_village_access_road_km", "公里", "flow", (2015,), total=270.0),
    # clause 7(1): 从2016年起，利用5年时间重点实施农村路网改善工程886.1公里
    ActualSpec("rural_road_network_improvement_km", "公里", "flow", tuple(range(2016, 2021)),
               total=886.1),
    # clause 7(1): 新建联户砂石路1460公里 (2016-2020)
    ActualSpec("household_link_gravel_road_km", "公里", "flow", tuple(range(2016, 2021)),
               total=1460.0),
    # clause 7(8): 2015-2017年，造林45万亩以上
    ActualSpec("afforestation_mu", "万亩", "flow", (2015, 2016, 2017), total=45.0),
    # clause 7(8): 到2017年森林覆盖率达到30%以上，到2020年达到35.1%以上
    ActualSpec("forest_coverage_rate", "%", "level", (2017, 2018, 2019, 2020),
               {2017: 30.0, 2020: 35.1}),
)


def _planned_path(spec: ActualSpec, year: int) -> float:
    if spec.kind == "flow":
        return spec.total / len(spec.years)
    m = spec.milestones
    if year in m:
        return m[year]
    lo = max(k for k in m if k < year)
    hi = min(k for k in m if k > year)
    return m[lo] * (m[hi] / m[lo]) ** ((year - lo) / (hi - lo))


def generate_indicator_actuals(seed: int,
                               specs: Sequence[ActualSpec] = ACTUAL_SPECS) -> pd.DataFrame:
    """Synthetic department-reported figures (long form, county level, source 'synthetic').

    Each value is the plan's path for the year (see :class:`ActualSpec`) times
    (1 − 8 % … + 5 %): some years fall short of the plan, some beat it. Pure and deterministic.
    """
    rng = np.random.Generator(np.random.PCG64([seed, 4]))
    rows = []
    for spec in specs:
        digits = 0 if spec.unit == "元" else 1 if spec.unit in ("公里", "%") else 2
        for y in spec.years:
            value = _planned_path(spec, y) * (1 + rng.uniform(-0.08, 0.05))
            rows.append({"indicator_id": spec.indicator_id, "year": y, "geography": COUNTY,
                         "value": round(value, digits), "unit": spec.unit, "source": SOURCE})
    return pd.DataFrame(rows, columns=["indicator_id", "year", "geography", "value", "unit",
                                       "source"])


# --- writing ------------------------------------------------------------------------------
def export_file_name(year: int) -> str:
    """``huachi_registry_<year>_SYNTHETIC.xlsx``."""
    return f"huachi_registry_{year}_SYNTHETIC.xlsx"


def export_title(year: int) -> str:
    """The title row of a year's export, labelled synthetic."""
    return f"华池县建档立卡贫困人口信息表（{year}年）【{SYNTHETIC_LABEL}】"


#: Fixed workbook timestamp, so that the same seed writes byte-identical files.
_FIXED_CREATED = _dt.datetime(2021, 1, 1, 0, 0, 0)
_WIDTHS = {"户编号": 14, "人编号": 17, "证件号码": 20, "联系电话": 13, "行政村": 10, "姓名": 8}


def _write_xlsx(path: Path, df: pd.DataFrame, year: int, seed: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False})
    wb.set_properties({
        "title": export_title(year),
        "subject": f"SYNTHETIC registry export (合成数据，非真实数据), seed {seed}",
        "author": GENERATOR,
        "keywords": "synthetic, 合成数据, SYNTHETIC, not real data, 非真实数据",
        "comments": (f"Generated by {GENERATOR} with seed {seed}. Every name, ID number and "
                     f"phone number is synthetic; ID region code {FAKE_REGION_CODE} belongs to "
                     "no county."),
        "created": _FIXED_CREATED,
    })
    wb.set_custom_property("synthetic", True)
    wb.set_custom_property("seed", str(seed))
    ws = wb.add_worksheet("贫困人口信息")
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    head_fmt = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cols = list(df.columns)
    for j, c in enumerate(cols):
        ws.set_column(j, j, _WIDTHS.get(c, 9))
    ws.merge_range(0, 0, 0, len(cols) - 1, export_title(year), title_fmt)
    for j, c in enumerate(cols):
        ws.write_string(1, j, c, head_fmt)
    ws.freeze_panes(2, 0)
    data = []
    for c in cols:
        s = df[c]
        if c in _TEXT_COLUMNS or not pd.api.types.is_numeric_dtype(s):
            vals = [None if (v is None or v is pd.NA or (isinstance(v, float) and v != v))
                    else str(v) for v in s.tolist()]
            data.append((ws.write_string, vals))
        else:
            vals = [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v))
                    for v in s.astype(object).tolist()]
            data.append((ws.write_number, vals))
    for i in range(len(df)):
        r = i + 2
        for j, (write, vals) in enumerate(data):
            v = vals[i]
            if v is not None:
                write(r, j, v)
    wb.close()


def readme_text(reg: SyntheticRegistry) -> str:
    """What the folder holds and how it was made."""
    cal = calibration_table(reg)
    first = cal.iloc[0]
    return "\n".join([
        f"{SYNTHETIC_LABEL}",
        "",
        "SYNTHETIC DATA — NOT REAL. 本文件夹中的数据全部为程序生成的合成数据，不是真实的建档立卡数据。",
        "",
        f"Generated by `huachi synth --seed {reg.seed}` ({GENERATOR}).",
        "Files: one person-level registry export per year (huachi_registry_<year>_SYNTHETIC.xlsx, "
        "format of the national poverty information system), rural_population_synthetic.csv, "
        "village_population_synthetic.csv, synthetic_metadata.json.",
        "",
        "Calibrated to 县委发〔2015〕44号: 7,283 households and 27,800 poor people at the end of "
        "2014 in 15 townships, most in the plan's 56 poor villages (clause 1); yearly exits near "
        "the plan's 9,897 / 7,400 / 4,200 (clause 4) but never equal; poor villages exit around "
        "their clause-5 year, a few late; county rural population ≈ 115,132 (implied by clause 4).",
        f"Baseline generated: {int(first['households'])} households, "
        f"{int(first['persons'])} persons.",
        "",
        "Names are generated from common characters. Resident ID numbers pass the GB 11643 "
        f"checksum but use region code {FAKE_REGION_CODE}, which belongs to no county. Phone "
        f"numbers start with {FAKE_PHONE_PREFIX}, a prefix no subscriber has. Villages outside "
        "the plan's list of 56 poor villages have generated names; any resemblance to a real "
        "village is coincidental. Household and village figures describe no real household.",
        "",
    ])


def _write_export(target: Path, df: pd.DataFrame, year: int, seed: int) -> Path:
    return io.write_with(target, lambda tmp: _write_xlsx(tmp, df, year, seed))


def write_exports(reg: SyntheticRegistry, out_dir: str | Path,
                  progress: Callable[[Path], None] | None = None,
                  workers: int = 1) -> list[Path]:
    """Write the synthetic registry to ``out_dir`` (atomic writes through ``huachi_analysis.io``).

    Args:
        reg: What :func:`generate_registry` returned.
        out_dir: Target folder (created if needed).
        progress: Called with each path once it is written.
        workers: Processes writing workbooks at once (the files are the same either way).

    Returns:
        The paths written.
    """
    out = Path(out_dir)
    written: list[Path] = []

    def done(p: Path) -> None:
        written.append(p)
        if progress is not None:
            progress(p)

    jobs = [(out / export_file_name(y), df, y, reg.seed) for y, df in reg.exports.items()]
    if workers > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for path in pool.map(_write_export, *zip(*jobs, strict=True)):
                done(path)
    else:
        for job in jobs:
            done(_write_export(*job))
    done(io.write_csv(out / "rural_population_synthetic.csv", reg.rural_population))
    done(io.write_csv(out / "village_population_synthetic.csv", reg.village_population))
    done(io.write_text(out / "SYNTHETIC_README.txt", readme_text(reg)))
    done(io.write_json(out / "synthetic_metadata.json", reg.metadata))
    return written
