"""Synthetic department returns: the fill-in workbook of ``huachi template`` filled in, one
workbook per department, for every target the registry cannot measure (issue 10, item 6).

Everything here is **generated** from the plan's own targets (``plan_targets``: value, unit,
comparator, period), never from typed figures, and labelled 合成数据 in the file name, on the
说明 sheet, in every sheet title and in every row's 数据来源. The same seed gives the same values
(and byte-identical files).

Calibration, so that the default briefings show every status: each series (an indicator at a
geography; targets sharing it share its figures) gets a profile —

* ``achieved`` (most): on a straight path to slightly above the target;
* ``late``: behind the path (at risk / off track in the years before the deadline), caught up
  in the deadline year;
* ``missed``: ends 5–20 % short of the target;
* ``blank``: never reported (``no_data``); ``gap``: one year in the middle not reported (an
  incomplete series);
* done/not-done series are done by their deadline, except one that is never done (missed).

County targets reported as yearly amounts also get a township breakdown (乡镇分报 sheet): the
county figure split among the townships it can apply to (:func:`township_weights`) — never a
county ratio or a count of townships (专项扶贫预算占比, 乡（镇）数), never a county facility
(县建成…), and a figure about poor villages only in townships that have poor villages (in
proportion to them; a count of poor villages never above the township's own).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huachi_analysis import io, paths
from huachi_analysis.actuals import kinds
from huachi_analysis.actuals.departments import DEPARTMENTS
from huachi_analysis.actuals.template import (
    DEFAULT_YEARS,
    SYNTHETIC_LABEL,
    Filled,
    template_rows,
    write_workbook,
)
from huachi_analysis.county import COUNTY

FILE_NAME = "华池县精准扶贫部门数据填报表_{sheet}_{first}-{last}_合成数据.xlsx"
FILE_GLOB = "华池县精准扶贫部门数据填报表_*_合成数据.xlsx"
README = "SYNTHETIC_README.txt"
#: Base units counted in whole numbers.
WHOLE_UNITS = ("people", "households", "count", "villages", "townships", "natural_villages",
               "person_times", "times_per_year")
#: Counts of a fixed set (the county's townships, villages): never above the plan's figure.
FIXED_SETS = ("townships", "villages", "natural_villages")
#: Units no township figure can have: the county's ratios and rates, counts of townships.
COUNTY_ONLY_UNITS = ("percent", "percentage_points", "yuan_per_month", "years",
                     "times_per_year", "townships")
#: Target scopes whose units are the townships themselves (counted for the county only).
COUNTY_ONLY_SCOPES = ("townships",)
#: Indicator names of a county facility or total (县建成…, 全县…): no township share.
COUNTY_ONLY_PREFIXES = ("县", "全县")


@dataclass(frozen=True)
class Calibration:
    """How many series get each profile (shares of the eligible series, or counts)."""

    late_share: float = 0.12
    missed_share: float = 0.07
    blank: int = 3
    gap: int = 3
    yes_no_missed: int = 1


def _decimals(t: dict) -> int:
    unit, base = kinds.expected_unit(t), kinds.base_unit(t)
    if unit.startswith(("万", "亿")):
        return 2 if unit.startswith("万") else 3
    if base in (*WHOLE_UNITS, "yuan", "yuan_per_month"):
        return 0
    return 1 if base in ("km", "percent", "years", "mu") else 2


def _target_in(t: dict, unit: str) -> float | None:
    """The target's figure in ``unit`` (the series' unit)."""
    v = kinds.target_value(t)
    if v is None or unit == kinds.expected_unit(t):
        return v
    to_base = kinds.to_base_factor(t, unit)
    own = kinds.to_base_factor(t, kinds.expected_unit(t)) or 1.0
    return v * own / to_base if to_base else v


def _round(x: float, d: int, how: str = "round") -> float:
    q = 10 ** d
    f = {"ceil": math.ceil, "floor": math.floor}.get(how, round)
    return f(round(x * q, 6)) / q


def _meet(v: float, k: float, d: int, lower: bool = False) -> float:
    """A value at ``d`` decimals near ``k`` that meets the target ``v``."""
    return (min(_round(v, d, "floor"), _round(k, d)) if lower
            else max(_round(v, d, "ceil"), _round(k, d)))


def _miss(v: float, k: float, d: int, lower: bool = False) -> float:
    """A value at ``d`` decimals near ``k`` that misses the target ``v``."""
    step = 10 ** -d
    if lower:
        m = _round(k, d, "ceil")
        return m if m > v else _round(_round(v, d, "floor") + step, d)
    m = _round(k, d, "floor")
    return m if m < v else _round(_round(v, d, "ceil") - step, d)


def _allocate(total_units: int, weights: np.ndarray) -> list[int]:
    """Split whole ``total_units`` by ``weights`` (largest remainder)."""
    raw = weights / weights.sum() * total_units
    out = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - out), kind="stable")[: total_units - out.sum()]:
        out[i] += 1
    return out.tolist()


@dataclass
class Series:
    key: tuple[str, str, str]  # indicator_id, geography, value_type
    years: list[int]
    targets: list[dict]  # every target the series' rows serve
    row: dict  # a template row (unit, target_id of the first year)
    year_target: dict[int, str]  # the target_id of each year's row

    @property
    def amounts(self) -> bool:
        return any(kinds.yearly_amount(t) for t in self.targets)

    @property
    def multi_year(self) -> bool:
        return all(kinds.period(t)[0] < kinds.period(t)[1] for t in self.targets)

    @property
    def lower(self) -> bool:
        return all(t.get("direction") == "lower" and not kinds.is_share(t)
                   for t in self.targets)

    @property
    def rule(self) -> bool:
        """A standard in force every year (C1's standing rules): the same value throughout."""
        return all(kinds.kind(t) == "standing_rule" for t in self.targets)

    @property
    def fixed_set(self) -> bool:
        return self.row.get("unit_base") in FIXED_SETS


def series_of(rows: pd.DataFrame, targets: pd.DataFrame) -> list[Series]:
    """The template's rows grouped by indicator, geography and kind of value."""
    by_id = {t["target_id"]: t for t in targets.to_dict("records")}
    out = []
    for key, g in rows.groupby(["indicator_id", "geography", "value_type"], sort=False):
        ids = list(dict.fromkeys(i for s in g["target_ids"] for i in s.split("|")))
        out.append(Series(tuple(key), sorted(g["year"].astype(int)), [by_id[i] for i in ids],
                          g.iloc[0].to_dict(),
                          dict(zip(g["year"].astype(int), g["target_id"], strict=True))))
    return out


def assign_profiles(series: list[Series], rng: np.random.Generator,
                    cal: Calibration = Calibration()) -> dict[tuple, str]:
    """A profile for each series (see the module docstring); deterministic given ``rng``."""
    profile = {s.key: "achieved" for s in series}
    one = [s for s in series if len(s.targets) == 1 and s.key[1] == COUNTY]

    def pick(pool: list[Series], n: int, label: str) -> None:
        pool = [s for s in pool if profile[s.key] == "achieved"]
        for i in rng.permutation(len(pool))[:n]:
            profile[pool[int(i)].key] = label

    yes_no = [s for s in one if s.key[2] == kinds.YES_NO and len(s.years) >= 2]
    numbers = [s for s in series if s.key[2] == kinds.NUMBER]
    pick(yes_no, cal.yes_no_missed, "missed")
    pick([s for s in one if s.key[2] == kinds.NUMBER and s.amounts and len(s.years) >= 3],
         cal.gap, "gap")
    pick([s for s in one if s.key[2] == kinds.NUMBER], cal.blank, "blank")
    eligible = [s for s in numbers if s.multi_year and len(s.years) >= 3 and not s.rule]
    pick(eligible, round(cal.late_share * len(numbers)), "late")
    pick(numbers, round(cal.missed_share * len(numbers)), "missed")
    return profile


def _amounts(s: Series, profile: str, rng: np.random.Generator) -> dict[int, float]:
    """Yearly amounts (in the series' unit) of flows, yearly rates and cumulative totals."""
    unit = s.row["unit"]
    d = _decimals(s.targets[0])
    q = 10 ** d
    low, high = {"missed": (0.8, 0.92)}.get(profile, (1.0, 1.06))
    if s.fixed_set:
        high = low if profile == "missed" else 1.0

    def value(v: float, m: float) -> float:
        return _miss(v, v * m, d) if profile == "missed" else _meet(v, v * m, d)

    out: dict[int, float] = {}
    for t in s.targets:  # flows and yearly rates: each year's amount must reach the figure
        v = _target_in(t, unit)
        if kinds.kind(t) == "cumulative" or v is None:
            continue
        for y in kinds.reporting_years(t):
            if profile == "late" and y != s.years[-1]:
                out[y] = _round(v * rng.uniform(0.5, 0.7), d)
            else:
                out[y] = max(out.get(y, 0.0), value(v, rng.uniform(low, high)))
    for t in sorted((t for t in s.targets if kinds.kind(t) == "cumulative"), key=kinds.period):
        v = _target_in(t, unit)
        if v is None:
            continue
        years = [y for y in kinds.reporting_years(t) if y in s.years]
        free = [y for y in years if y not in out]
        rest = round(value(v, rng.uniform(low, high)) * q) - round(
            sum(out.get(y, 0.0) for y in years) * q)
        if free and rest > 0:
            w = (np.arange(1, len(free) + 1) * rng.uniform(0.8, 1.2, len(free))
                 if profile == "late" else rng.dirichlet(np.full(len(free), 8.0)))
            for y, u in zip(free, _allocate(int(rest), w), strict=True):
                out[y] = u / q
        elif rest > 0 and profile != "missed":  # per-year figures fall short of the total
            out[years[-1]] = (round(out[years[-1]] * q) + rest) / q
        for y in free:
            out.setdefault(y, 0.0)
    return out


def _levels(s: Series, profile: str, rng: np.random.Generator) -> dict[int, float]:
    """Year-end values (in the series' unit) of a rate, area or standard."""
    ref = s.row
    d = _decimals(s.targets[0])
    figures = {t["target_id"]: _target_in(t, ref["unit"]) for t in s.targets}
    if not any(v is not None for v in figures.values()):
        return {}
    if d == 0 and not s.fixed_set and max(v for v in figures.values() if v is not None) < 20:
        d = 1  # a small level (per village, per household): an average, not a count
    knots: dict[int, float] = {}
    lower = s.lower
    lo, hi = (0.0, 100.0) if ref.get("unit_base") == "percent" else (None, None)
    for t in sorted(s.targets, key=kinds.period):
        v = figures[t["target_id"]]
        if v is None:
            continue
        if profile == "missed":
            k = _miss(v, v * (rng.uniform(1.05, 1.15) if lower else rng.uniform(0.82, 0.95)),
                      d, lower)
        elif s.fixed_set or (s.rule and (t.get("comparator") == "=" or lower)):
            k = v  # a count of a fixed set, a standard: exactly the plan's figure
        else:
            k = _meet(v, v * (rng.uniform(0.95, 1.0) if lower else rng.uniform(1.0, 1.05)),
                      d, lower)
        if hi is not None:
            k = min(k, hi)
        end = kinds.period(t)[1]
        knots[end] = k if end not in knots else (min if lower else max)(knots[end], k)
    first = s.years[0]
    rule = s.rule
    if rule:  # a standard in force every year: the same value throughout
        value = knots[min(knots)]
        return {y: value for y in s.years}
    if first not in knots:
        k0 = knots[min(knots)]
        start = k0 * (rng.uniform(1.15, 1.3) if lower else rng.uniform(0.7, 0.88))
        knots[first] = _round(start, d)
    xs = sorted(knots)
    out = {}
    for y in s.years:
        if y in knots:
            out[y] = knots[y]
            continue
        a = max(x for x in xs if x < y)
        b = min((x for x in xs if x > y), default=None)
        if b is None:
            out[y] = knots[a]
            continue
        f = (y - a) / (b - a)
        if profile == "late":
            f = f ** 2.5
        out[y] = _round(knots[a] + (knots[b] - knots[a]) * f, d)
    return out


def _yes_no(s: Series, profile: str, rng: np.random.Generator) -> dict[int, str]:
    if profile == "missed":
        return {y: "否" for y in s.years}
    deadline = min(kinds.period(t)[1] for t in s.targets)
    choices = [y for y in s.years if y <= deadline] or [s.years[0]]
    w = np.arange(1, len(choices) + 1, dtype=float)
    done = choices[int(rng.choice(len(choices), p=w / w.sum()))]
    return {y: ("是" if y >= done else "否") for y in s.years}


@dataclass
class Returns:
    """What :func:`generate_returns` gives: the template rows with values, and the filled
    workbook content."""

    rows: pd.DataFrame  # template rows + value, profile
    filled: Filled
    seed: int
    years: tuple[int, int]
    townships: list[str]


def source_text(sheet: str, seed: int) -> str:
    name = next(d.name for d in DEPARTMENTS if d.sheet == sheet)
    return f"{SYNTHETIC_LABEL}（模拟{name}报送，seed {seed}）"


def township_weights(s: Series, townships: list[str], w: np.ndarray,
                     poor_villages: dict[str, int] | None) -> tuple[np.ndarray, dict] | None:
    """How a county series splits among townships (``w``: the drawn shares), or None when no
    township figure makes sense. A series about poor villages goes only to townships with poor
    villages, in proportion to their number (``poor_villages``: township → poor villages; all
    townships when unknown); a count of poor villages is capped at the township's own
    (returned as ``caps``)."""
    unit = s.row.get("unit_base")
    if (unit in COUNTY_ONLY_UNITS
            or any(t.get("scope") in COUNTY_ONLY_SCOPES for t in s.targets)
            or str(s.row.get("indicator_zh") or "").startswith(COUNTY_ONLY_PREFIXES)):
        return None
    about_poor = any(t.get("scope") == "poor_villages" for t in s.targets)
    if not about_poor or poor_villages is None:
        return w, {}
    n = np.array([poor_villages.get(t, 0) for t in townships], dtype=float)
    if not n.sum():
        return None
    caps = ({t: int(c) for t, c in zip(townships, n, strict=True)}
            if unit in ("villages",) else {})
    return w * n, caps


def _allocate_capped(total_units: int, weights: np.ndarray, caps: list[int | None]
                     ) -> list[int]:
    """:func:`_allocate` with an upper bound per part (the excess goes to parts with room)."""
    out = _allocate(total_units, weights)
    for _ in range(len(out)):
        excess = sum(max(0, o - c) for o, c in zip(out, caps, strict=True) if c is not None)
        if not excess:
            break
        out = [min(o, c) if c is not None else o for o, c in zip(out, caps, strict=True)]
        room = np.array([(c - o) if c is not None else excess for o, c in
                         zip(out, caps, strict=True)], dtype=float)
        room = np.where(room > 0, room * np.where(weights > 0, weights, 0), 0)
        if not room.sum():
            break
        out = [o + a for o, a in zip(out, _allocate(excess, room), strict=True)]
    return out


def generate_returns(targets: pd.DataFrame, seed: int, *, measured: Iterable[str],
                     townships: list[str], years: tuple[int, int] = DEFAULT_YEARS,
                     calibration: Calibration = Calibration(),
                     poor_villages: dict[str, int] | None = None) -> Returns:
    """Synthetic values for every row of the template (pure, deterministic by ``seed``).

    Args:
        targets: ``plan_targets``.
        seed: the generator's seed.
        measured: indicator ids the registry measures (not in the template).
        townships: the county's townships (for the township breakdown).
        years: the template's years.
        calibration: how many series get each profile.
        poor_villages: township → number of the plan's poor villages (figures about poor
            villages go only to townships that have some); None: every township.
    """
    rng = np.random.Generator(np.random.PCG64([seed, 10]))
    rows = template_rows(targets, years, measured=measured)
    series = series_of(rows, targets)
    profiles = assign_profiles(series, rng, calibration)
    filled = Filled()
    values: dict[tuple, object] = {}
    for s in series:
        p = profiles[s.key]
        vals: dict[int, Any]
        if s.key[2] == kinds.YES_NO:
            vals = dict(_yes_no(s, p, rng))
        else:
            vals = dict(_amounts(s, p, rng) if s.amounts else _levels(s, p, rng))
        if p == "blank":
            vals = {}
        elif p == "gap":
            vals.pop(s.years[len(s.years) // 2], None)
        for y in s.years:
            values[(*s.key, y)] = vals.get(y)
        if s.amounts and s.key[1] == COUNTY and p not in ("blank", "gap"):
            _breakdown(filled, s, vals, townships, rng, seed, poor_villages)
    rows["value"] = [values[(r.indicator_id, r.geography, r.value_type, int(r.year))]
                     for r in rows.itertuples()]
    rows["profile"] = [profiles[(r.indicator_id, r.geography, r.value_type)]
                       for r in rows.itertuples()]
    for r in rows.itertuples():
        key = (r.target_id, r.geography, int(r.year))
        filled.values[key] = r.value
        filled.sources[key] = source_text(r.sheet, seed)
        if r.value is None:
            filled.notes[key] = f"{SYNTHETIC_LABEL}：模拟未上报"
    return Returns(rows, filled, seed, years, list(townships))


def _breakdown(filled: Filled, s: Series, vals: dict[int, Any], townships: list[str],
               rng: np.random.Generator, seed: int,
               poor_villages: dict[str, int] | None = None) -> None:
    d = _decimals(s.targets[0])
    w = rng.dirichlet(np.full(len(townships), 2.0))  # drawn always: the same stream of values
    split = township_weights(s, townships, w, poor_villages)
    if split is None:
        return
    w, caps = split
    # a count of poor villages: over the years never more than the township's own
    cap: list[int | None] = ([caps.get(t) for t in townships] if caps
                             else [None] * len(townships))
    for y in s.years:
        v = vals.get(y)
        if v is None:
            continue
        parts = _allocate_capped(round(float(v) * 10 ** d), w, cap)
        cap = [None if c is None else c - u for c, u in zip(cap, parts, strict=True)]
        for town, u in zip(townships, parts, strict=True):
            if not u and w[townships.index(town)] == 0:
                continue  # a township the figure cannot apply to: no row at all
            filled.breakdown.append({
                "sheet": s.row["sheet"], "target_id": s.year_target[y],
                "indicator_id": s.key[0], "indicator_zh": s.row["indicator_zh"],
                "geography": town, "year": y, "unit": s.row["unit"], "value": u / 10 ** d,
                "source": source_text(s.row["sheet"], seed)})


def as_actuals(returns: Returns) -> pd.DataFrame:
    """The returns as ``indicator_actuals`` rows would read them back (without writing the
    workbooks; provenance columns omitted): for tests and notebooks."""
    rows = returns.rows[returns.rows["value"].notna()]
    yes_no = rows["value_type"] == kinds.YES_NO
    value = rows["value"].where(~yes_no, rows["value"].map({"是": 1.0, "否": 0.0}))
    df = pd.DataFrame({
        "indicator_id": rows["indicator_id"], "year": rows["year"].astype(int),
        "geography": rows["geography"], "value": value.astype(float),
        "unit": rows["unit"].where(~yes_no, kinds.YES_NO_UNIT),
        "source": [source_text(s, returns.seed) for s in rows["sheet"]],
        "origin": "department", "is_synthetic": True})
    extra = pd.DataFrame(returns.filled.breakdown)
    if len(extra):
        extra = extra.assign(origin="department", is_synthetic=True)[list(df.columns)]
        df = pd.concat([df, extra], ignore_index=True)
    return df.reset_index(drop=True)


def file_name(sheet: str, years: tuple[int, int]) -> str:
    return FILE_NAME.format(sheet=sheet, first=years[0], last=years[1])


def readme_text(returns: Returns) -> str:
    counts = returns.rows.drop_duplicates(["indicator_id", "geography", "value_type"])[
        "profile"].value_counts().to_dict()
    return "\n".join([
        f"{SYNTHETIC_LABEL} SYNTHETIC — 非真实数据 / NOT REAL DATA", "",
        f"Generated by `huachi synth --seed {returns.seed}` "
        "(huachi_analysis.synthetic.departments): one filled department workbook per "
        f"department, {returns.years[0]}-{returns.years[1]}, for every target the registry "
        "cannot measure. Values are drawn from the plan's own targets (县委发〔2015〕44号).",
        f"Series by profile: {counts}.",
        "To use real returns instead: delete this folder and put the departments' filled "
        "workbooks (from `huachi template`) into data/raw/actuals/.", ""])


def write_returns(returns: Returns, out_dir: str | Path) -> list[Path]:
    """Write one workbook per department (atomically) and a README; remove workbooks of an
    earlier run that this one does not write. Returns the paths written."""
    out = Path(out_dir)
    written = []
    for sheet in dict.fromkeys(returns.rows["sheet"]):
        rows = returns.rows[returns.rows["sheet"] == sheet]
        filled = Filled(returns.filled.values, returns.filled.sources, returns.filled.notes,
                        [b for b in returns.filled.breakdown if b["sheet"] == sheet])
        path = out / file_name(sheet, returns.years)
        written.append(write_workbook(
            path, rows, years=returns.years, townships=returns.townships, sheets=[sheet],
            filled=filled, synthetic=f"合成数据 SYNTHETIC — 非真实数据：模拟部门报送，seed "
                                     f"{returns.seed}；每行“数据来源”均标明{SYNTHETIC_LABEL}。"))
    for old in out.glob(FILE_GLOB):
        if old not in written:
            old.unlink()
    written.append(io.write_text(out / README, readme_text(returns)))
    return written


def default_folder(registry_out: Path | None) -> Path | None:
    """Where ``huachi synth`` writes the returns: ``data/raw/actuals/synthetic`` by default,
    ``<raw>/actuals/synthetic`` when the registry goes to ``<raw>/registry/<folder>``, else
    nowhere (None)."""
    if registry_out is None:
        return paths.ACTUALS_RAW / "synthetic"
    registry_out = Path(registry_out)
    if registry_out.parent.name == "registry":
        return registry_out.parent.parent / "actuals" / "synthetic"
    return None


def synth_returns(seed: int, raw: Path | None, folder: Path | None) -> str:
    """``huachi synth``'s department returns: generate, write, and say what was written."""
    from huachi_analysis import plan
    from huachi_analysis.plan.geography import gazetteer
    from huachi_analysis.progress.registry_indicators import INDICATORS

    if folder is None:
        return ("SYNTHETIC department returns not written: --out is not a folder under "
                "<raw>/registry/; give --returns-out")
    ret = generate_returns(plan.targets(raw), seed, measured=INDICATORS,
                           townships=list(gazetteer(raw).townships),
                           poor_villages=poor_village_counts(plan.villages(raw)))
    written = write_returns(ret, folder)
    counts = ret.rows.drop_duplicates(["indicator_id", "geography", "value_type"])[
        "profile"].value_counts().to_dict()
    return (f"SYNTHETIC department returns, seed {seed}: {len(written) - 1} workbooks, "
            f"{len(ret.rows)} rows ({ret.rows['value'].isna().sum()} blank), "
            f"{len(ret.filled.breakdown)} township rows in {folder}; series {counts}")


def poor_village_counts(villages: pd.DataFrame) -> dict[str, int]:
    """Township → number of the plan's poor villages (clause 5)."""
    poor = villages[villages["is_poor_village"].astype("boolean").fillna(False)]
    return {str(k): int(v) for k, v in poor["township"].value_counts().items()}
