"""A synthetic, province-size poverty registry already in processed form (benchmark input).

SYNTHETIC DATA: every row is generated; nothing here comes from a real export. The sizes follow
Gansu, which registered about 5.5 million poor people in 2013: by default 5,500,000 persons in
about 1.35 million households, each present in every year 2014–2020 (exited households stay
registered with status 已脱贫), i.e. 38.5 million person-years and 9.5 million household-years.

Layout written under ``out`` (hive partitions by year, the columns of the ``registry_persons``
and ``registry_households`` contracts in ``huachi_analysis.metadata.fields_registry``; ``year`` is
the partition key)::

    registry_households/year=2014/part-0000.parquet …
    registry_persons/year=2014/part-0000.parquet …
    poverty_lines.parquet  rural_population.parquet  village_population.parquet
    plan_villages.parquet (the province's poor villages, synthetic exit schedule)
    plan_targets.parquet  plan_derived.parquet (copied from a plan build; see copy_plan_tables)
    plan_townships.parquet (one synthetic county's townships, for a county briefing; see
                            write_briefing_townships)
    province.json

Geography: 86 synthetic counties × 15 townships (1,290 townships named ``合成NN县MM乡``), 13
administrative villages each (16,770 villages), 37 % of them poor villages. The progress engine
reports every township and every poor village, so the benchmark exercises its per-geography
work at province scale.

Rows are generated in chunks of households with numpy (seeded per chunk, so a chunk is the same
whatever the chunk count before it) and streamed to one ``pyarrow.parquet.ParquetWriter`` per
table and year; memory stays at one chunk (about 0.5 GB at the default chunk size).

Usage::

    python benchmarks/province.py generate OUT [--persons N] [--seed S]
    python benchmarks/province.py generate OUT --plan PLAN_DIR  # + the plan's targets
    python benchmarks/province.py progress OUT [--profile FILE]  # product progress in-process
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from huachi_analysis.metadata.fields_registry import AGE_BANDS  # noqa: E402

YEARS = tuple(range(2014, 2021))
COUNTIES = 86
TOWNSHIPS_PER_COUNTY = 15
VILLAGES_PER_TOWNSHIP = 13
POOR_VILLAGE_SHARE = 0.37
SIZE_VALUES = np.arange(1, 9)
SIZE_PROBS = np.array([0.06, 0.12, 0.18, 0.26, 0.20, 0.10, 0.05, 0.03])
#: Planned exit year of a household (all exit by 2020, most in 2016–2019).
EXIT_YEAR_PROBS = np.array([0.06, 0.10, 0.18, 0.20, 0.20, 0.16, 0.10])
RETURN_SHARE = 0.03  # exited households returning to poverty for one year
POVERTY_LINES = {2014: 2800.0, 2015: 2855.0, 2016: 2952.0, 2017: 2952.0, 2018: 2995.0,
                 2019: 3218.0, 2020: 4000.0}
GENERATOR_VERSION = 2

STATUSES = np.array(["未脱贫", "已脱贫", "返贫"], dtype=object)
HOUSEHOLD_TYPES = np.array(["一般贫困户", "低保贫困户", "特困供养贫困户"], dtype=object)
HOUSEHOLD_TYPE_P = [0.78, 0.19, 0.03]
CAUSES = np.array(["因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金",
                   "交通条件落后", "自身发展动力不足", "其它"], dtype=object)
CAUSE_P = [0.24, 0.08, 0.07, 0.03, 0.04, 0.05, 0.16, 0.11, 0.14, 0.04, 0.03, 0.01]
RELATIONS = np.array(["户主", "配偶", "之子", "之女", "之儿媳", "之孙子", "之孙女", "之父", "之母",
                      "其他"], dtype=object)
ETHNICITIES = np.array(["汉族", "回族", "东乡族", "藏族"], dtype=object)
ETHNICITY_P = [0.90, 0.06, 0.02, 0.02]
EDUCATIONS = np.array(["文盲或半文盲", "小学", "初中", "高中", "大专及以上", "学龄前儿童"], dtype=object)
EDUCATION_P = [0.18, 0.34, 0.30, 0.10, 0.03, 0.05]
SCHOOLING = np.array(["非在校生", "学前教育", "小学", "七年级", "八年级", "九年级", "高中一年级"],
                     dtype=object)
SCHOOLING_P = [0.78, 0.03, 0.10, 0.03, 0.02, 0.02, 0.02]
HEALTH = np.array(["健康", "长期慢性病", "患有大病", "残疾"], dtype=object)
HEALTH_P = [0.78, 0.12, 0.04, 0.06]
LABOUR = np.array(["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"],
                  dtype=object)
LABOUR_P = [0.45, 0.05, 0.15, 0.10, 0.25]
MIGRANT = np.array(["乡（镇）内务工", "乡（镇）外县内务工", "县外省内务工", "省外务工", "其他"],
                   dtype=object)
MIGRANT_P = [0.10, 0.08, 0.10, 0.12, 0.60]


# --- geography -------------------------------------------------------------------------------

def geography(seed: int = 2013, counties: int = COUNTIES) -> dict[str, np.ndarray]:
    """Synthetic townships and villages: names, township of each village, poor-village flag."""
    n_town = counties * TOWNSHIPS_PER_COUNTY
    towns = np.array([f"合成{c + 1:02d}县{t + 1:02d}乡" for c in range(counties)
                      for t in range(TOWNSHIPS_PER_COUNTY)], dtype=object)
    village_town = np.repeat(np.arange(n_town), VILLAGES_PER_TOWNSHIP)
    villages = np.array([f"合成{v % VILLAGES_PER_TOWNSHIP + 1:02d}村"
                         for v in range(village_town.size)], dtype=object)
    rng = np.random.default_rng([seed, 0])
    poor = rng.random(village_town.size) < POOR_VILLAGE_SHARE
    # Households live mostly in poor villages: weight 3 : 1.
    weight = np.where(poor, 3.0, 1.0)
    return {"townships": towns, "villages": villages, "village_town": village_town,
            "village_poor": poor, "village_p": weight / weight.sum()}


# --- fast columns ----------------------------------------------------------------------------

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection of uint64 that looks random."""
    x = x.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


def hex_keys(ids: np.ndarray, salt: int, width: int = 20) -> pa.Array:
    """Pseudonym-like keys: ``width`` lowercase hex characters per id, built without Python
    loops (the product's keys are 20 hex characters of an HMAC; these are not HMACs)."""
    ids = ids.astype(np.uint64)
    with np.errstate(over="ignore"):
        a = _mix(ids ^ np.uint64(salt))
        b = _mix(a + np.uint64(0x9E3779B97F4A7C15))
    raw = np.stack([a, b], axis=1).view(np.uint8).reshape(ids.size, 16)
    nib = np.empty((ids.size, 32), dtype=np.uint8)
    nib[:, 0::2] = raw >> 4
    nib[:, 1::2] = raw & 15
    chars = np.ascontiguousarray(_HEX[nib[:, :width]])
    offsets = np.arange(0, width * (ids.size + 1), width, dtype=np.int32)
    return pa.StringArray.from_buffers(ids.size, pa.py_buffer(offsets), pa.py_buffer(chars))


def _strings(values: np.ndarray, codes: np.ndarray) -> pa.Array:
    """Plain (not dictionary) string column ``values[codes]``, built through Arrow's take."""
    return pa.array(values.tolist(), pa.string()).take(pa.array(codes.astype(np.int32)))


def _choice(rng: np.random.Generator, n: int, p: list[float]) -> np.ndarray:
    return rng.choice(len(p), size=n, p=np.asarray(p) / np.sum(p)).astype(np.int32)


# --- one chunk of households ------------------------------------------------------------------

def _household_sizes(persons: int, seed: int) -> np.ndarray:
    """Household sizes summing to exactly ``persons``."""
    rng = np.random.default_rng([seed, 1])
    mean = float(SIZE_VALUES @ SIZE_PROBS)
    sizes = rng.choice(SIZE_VALUES, size=int(persons / mean * 1.05) + 10, p=SIZE_PROBS)
    cum = np.cumsum(sizes)
    n = int(np.searchsorted(cum, persons)) + 1
    sizes = sizes[:n].copy()
    sizes[-1] -= int(cum[n - 1] - persons)
    return sizes.astype(np.int64)


def _chunk(seed: int, chunk: int, hh0: int, sizes: np.ndarray, person0: int,
           geo: dict[str, np.ndarray]
           ) -> tuple[dict[int, pa.Table], dict[int, pa.Table], np.ndarray]:
    """Households ``hh0 …`` with the given sizes, for every year.

    Returns:
        ({year: households}, {year: persons}, village index of each household).
    """
    rng = np.random.default_rng([seed, 100 + chunk])
    n = sizes.size
    hh_ids = np.arange(hh0, hh0 + n, dtype=np.uint64)
    village = rng.choice(geo["village_p"].size, size=n, p=geo["village_p"])
    town = geo["village_town"][village]
    poor_v = geo["village_poor"][village]

    exit_year = YEARS[0] + _choice(rng, n, list(EXIT_YEAR_PROBS))
    returns = (rng.random(n) < RETURN_SHARE) & (exit_year < YEARS[-1])
    return_year = np.where(returns, exit_year + 1 + rng.integers(0, 3, n), 9999)
    base_income = rng.lognormal(np.log(2300.0), 0.35, n)
    growth = rng.normal(0.09, 0.03, n)
    danger0 = rng.random(n) < 0.25
    unsafe0 = rng.random(n) < 0.20
    hh_type = _choice(rng, n, HOUSEHOLD_TYPE_P)
    cause = _choice(rng, n, CAUSE_P)
    missing_income = rng.random(n) < 0.002

    hh_key = hex_keys(hh_ids, salt=seed * 7919 + 1)
    town_s = _strings(geo["townships"], town)
    vill_s = _strings(geo["villages"], village)
    poor_a = pa.array(poor_v)
    size_a = pa.array(sizes)
    type_s = _strings(HOUSEHOLD_TYPES, hh_type)
    cause_s = _strings(CAUSES, cause)
    synth = pa.array(np.ones(n, dtype=bool))

    hh_tables: dict[int, pa.Table] = {}
    for year in YEARS:
        exited = year >= exit_year
        returned = (year == return_year)
        re_exited = year > return_year
        status = np.where(returned, 2, np.where(exited, 1, 0))
        rec_exit = np.where(re_exited, np.minimum(return_year + 1, year), exit_year)
        rec_exit_a = pa.array(rec_exit.astype(np.int64), mask=status != 1)
        line = POVERTY_LINES[year]
        income = base_income * (1 + growth) ** (year - YEARS[0])
        income = np.where(status == 1, np.maximum(income, line * rng.uniform(1.05, 1.6, n)),
                          np.minimum(income, line * rng.uniform(0.6, 0.99, n)))
        income_a = pa.array(np.round(income, 0), mask=missing_income)
        danger = danger0 & (status != 1)
        unsafe = unsafe0 & (status != 1)
        status_s = _strings(STATUSES, status)
        hh_tables[year] = pa.table({
            "household_key": hh_key, "township": town_s, "village": vill_s,
            "village_is_poor": poor_a, "household_size": size_a, "members_listed": size_a,
            "household_type": type_s, "main_cause": cause_s, "exit_status": status_s,
            "exit_status_code": status_s, "registry_exit_year": rec_exit_a,
            "income_per_capita": income_a, "dangerous_house": pa.array(danger),
            "safe_water": pa.array(~unsafe), "water_difficulty": pa.array(unsafe),
            "is_synthetic": synth,
        })

    # Persons: the same people every year (static attributes), repeated per year.
    m = int(sizes.sum())
    owner = np.repeat(np.arange(n), sizes)
    first = np.zeros(m, dtype=bool)
    first[np.concatenate([[0], np.cumsum(sizes)[:-1]])] = True
    rel = np.where(first, 0, 1 + _choice(rng, m, [0.25, 0.25, 0.2, 0.08, 0.07, 0.06, 0.03, 0.03,
                                                  0.03]))
    p_ids = np.arange(person0, person0 + m, dtype=np.uint64)
    months = rng.integers(0, 13, m).astype(np.float64)
    persons_static = {
        "person_key": hex_keys(p_ids, salt=seed * 7919 + 2),
        "household_key": hh_key.take(pa.array(owner)),
        "township": town_s.take(pa.array(owner)),
        "village": vill_s.take(pa.array(owner)),
        "village_is_poor": poor_a.take(pa.array(owner)),
        "sex": _strings(np.array(["男", "女"], dtype=object), rng.integers(0, 2, m)),
        "relation": _strings(RELATIONS, rel),
        "ethnicity": _strings(ETHNICITIES, _choice(rng, m, ETHNICITY_P)),
        "education": _strings(EDUCATIONS, _choice(rng, m, EDUCATION_P)),
        "schooling": _strings(SCHOOLING, _choice(rng, m, SCHOOLING_P)),
        "health": _strings(HEALTH, _choice(rng, m, HEALTH_P)),
        "labour": _strings(LABOUR, _choice(rng, m, LABOUR_P)),
        "migrant_work": _strings(MIGRANT, _choice(rng, m, MIGRANT_P)),
        "months_away": pa.array(months),
        "critical_illness_insurance": pa.array(rng.random(m) < 0.9),
        "is_synthetic": pa.array(np.ones(m, dtype=bool)),
    }
    rows = pa.array((p_ids + np.uint64(3)).astype(np.int64))  # header in row 2 of the export
    birth = rng.integers(1935, 2014, m)
    bands = np.array([b for _, _, b in AGE_BANDS], dtype=object)
    p_tables = {}
    for year in YEARS:
        cols = dict(persons_static)
        age = year - birth
        band = np.zeros(m, dtype=np.int64)
        for i, (lo, _, _) in enumerate(AGE_BANDS):
            band[age >= lo] = i
        cols["age_band"] = _strings(bands, band)
        cols["source_file"] = pa.array([f"synthetic_province_{year}.csv"]).take(
            pa.array(np.zeros(m, dtype=np.int32)))
        cols["source_row"] = rows
        p_tables[year] = pa.table(cols)
    return hh_tables, p_tables, village


# --- generate --------------------------------------------------------------------------------

def is_complete(out: Path, persons: int, seed: int, counties: int = COUNTIES) -> bool:
    """True if ``out`` holds a finished generation with these parameters."""
    meta = out / "province.json"
    if not meta.exists():
        return False
    m = json.loads(meta.read_text(encoding="utf-8"))
    return (m.get("persons") == persons and m.get("seed") == seed
            and m.get("counties") == counties
            and m.get("generator_version") == GENERATOR_VERSION)


def generate(out: Path, persons: int = 5_500_000, seed: int = 2013,
             chunk_households: int = 150_000, progress: bool = True,
             counties: int = COUNTIES) -> dict:
    """Write the synthetic province registry under ``out`` (skipped if already complete).

    Args:
        out: target folder (a cache folder, never committed).
        persons: registered persons (present in every year 2014–2020).
        seed: random seed.
        counties: synthetic counties of 15 townships × 13 villages each (86 by default;
            smaller provinces for --quick and tests).
        chunk_households: households generated and written per step.
        progress: print one line per chunk to stderr.

    Returns:
        The metadata written to ``out/province.json``.
    """
    out = Path(out)
    if is_complete(out, persons, seed, counties):
        return json.loads((out / "province.json").read_text(encoding="utf-8"))
    (out / "province.json").unlink(missing_ok=True)
    t0 = time.perf_counter()
    geo = geography(seed, counties)
    sizes = _household_sizes(persons, seed)
    writers: dict[tuple[str, int], pq.ParquetWriter] = {}
    n_villages = geo["village_p"].size
    registered = np.zeros(n_villages, dtype=np.int64)  # persons per village (2014)
    hh0 = person0 = 0
    n_chunks = -(-sizes.size // chunk_households)
    try:
        for c in range(n_chunks):
            s = sizes[c * chunk_households:(c + 1) * chunk_households]
            hh_t, p_t, village = _chunk(seed, c, hh0, s, person0, geo)
            for table, tables in (("registry_households", hh_t), ("registry_persons", p_t)):
                for year, t in tables.items():
                    key = (table, year)
                    if key not in writers:
                        folder = out / table / f"year={year}"
                        folder.mkdir(parents=True, exist_ok=True)
                        for old in folder.glob("*.parquet"):
                            old.unlink()
                        writers[key] = pq.ParquetWriter(folder / "part-0000.parquet", t.schema,
                                                        compression="snappy")
                    writers[key].write_table(t, row_group_size=1 << 20)
            registered += np.bincount(village, weights=s, minlength=n_villages).astype(np.int64)
            del hh_t, p_t
            hh0 += s.size
            person0 += int(s.sum())
            if progress:
                print(f"  province chunk {c + 1}/{n_chunks}: {person0:,} persons "
                      f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    finally:
        for w in writers.values():
            w.close()
    _write_inputs(out, geo, registered, seed)
    meta = {
        "synthetic": True,
        "description": "SYNTHETIC province-size registry for benchmarks (not real data)",
        "persons": persons, "households": int(sizes.size), "years": list(YEARS),
        "person_years": persons * len(YEARS), "household_years": int(sizes.size) * len(YEARS),
        "counties": counties, "townships": int(geo["townships"].size), "villages": int(n_villages),
        "poor_villages": int(geo["village_poor"].sum()), "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "seconds": round(time.perf_counter() - t0, 1),
        "bytes": sum(f.stat().st_size for f in out.rglob("*.parquet")),
    }
    (out / "province.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    return meta


def _write_inputs(out: Path, geo: dict[str, np.ndarray], registered: np.ndarray,
                  seed: int) -> None:
    """Input tables in processed form (Parquet, as ``huachi build`` leaves them in
    ``data/processed``): poverty_lines, rural_population (township × year), village_population
    (village × year), and plan_villages (the province's poor villages with a synthetic exit
    schedule)."""
    import pandas as pd

    rng = np.random.default_rng([seed, 2])
    src = "synthetic (benchmarks/province.py)"
    lines = pd.DataFrame({"year": list(POVERTY_LINES), "poverty_line": list(POVERTY_LINES.values()),
                          "source": src})
    # Village rural population: registered persons ÷ an initial incidence of 15–45 %
    # (villages with no registered household get 300–1,500 people).
    incidence0 = rng.uniform(0.15, 0.45, registered.size)
    vpop0 = np.where(registered > 0, np.ceil(registered / incidence0),
                     rng.integers(300, 1500, registered.size))
    rows_v, rows_t = [], []
    v_town = geo["townships"][geo["village_town"]]
    for k, year in enumerate(YEARS):
        vpop = np.round(vpop0 * (1 - 0.01 * k))
        rows_v.append(pd.DataFrame({"year": year, "township": v_town, "village": geo["villages"],
                                    "rural_population": vpop, "source": src}))
        tpop = np.bincount(geo["village_town"], weights=vpop, minlength=geo["townships"].size)
        rows_t.append(pd.DataFrame({"year": year, "township": geo["townships"],
                                    "rural_population": tpop, "source": src}))
    poor = geo["village_poor"]
    plan_villages = pd.DataFrame({
        "township": v_town[poor], "village": geo["villages"][poor],
        "is_poor_village": pd.array(np.ones(poor.sum(), dtype=bool), dtype="boolean"),
        "exit_year": pd.array(rng.choice([2015, 2016, 2017, 2018, 2019], poor.sum(),
                                         p=[0.15, 0.25, 0.3, 0.2, 0.1]), dtype="Int64"),
        "township_as_written": v_town[poor], "village_as_written": geo["villages"][poor],
        "clause": "synthetic", "quote": "SYNTHETIC province benchmark"})
    tables = {"poverty_lines": lines, "rural_population": pd.concat(rows_t),
              "village_population": pd.concat(rows_v), "plan_villages": plan_villages}
    for name, df in tables.items():
        df = df.reset_index(drop=True)
        for col in ("township", "village", "source", "township_as_written", "village_as_written",
                    "clause", "quote"):
            if col in df:
                df[col] = df[col].astype("string")
        if "year" in df:
            df["year"] = df["year"].astype("Int64")
        df.to_parquet(out / f"{name}.parquet", index=False)


def copy_plan_tables(plan_dir: Path, out: Path) -> None:
    """The plan's targets and derived facts (from ``huachi build --only plan``): the province
    is evaluated against the county plan's targets (its ``华池县`` level is the sum of every
    township), which exercises the target engine without inventing province targets."""
    import shutil

    for name in ("plan_targets", "plan_derived"):
        shutil.copyfile(Path(plan_dir) / f"{name}.parquet", Path(out) / f"{name}.parquet")


def write_province_townships(out: Path, counties: int = COUNTIES) -> Path:
    """``plan_townships`` holding every township of the province, written before ``huachi
    progress``: the build checks that every township of ``plan_villages`` is one of them (a
    foreign key). The county briefing then narrows it with :func:`write_briefing_townships`."""
    return write_briefing_townships(out, county=1, counties=counties)


def write_briefing_townships(out: Path, county: int = 1, counties: int | None = None) -> Path:
    """``plan_townships`` for a county briefing over the province folder: the 15 townships of
    synthetic county ``county`` (the briefing's league table, box plot and village-exit chart
    list a county's townships; its county totals, ``华池县`` in the product, are the province's
    sums here). Written beside the generated registry; cheap, so not part of the cache key."""
    import pandas as pd

    which = range(1, counties + 1) if counties else [county]
    pairs = [(c, t) for c in which for t in range(TOWNSHIPS_PER_COUNTY)]
    names = [f"合成{c:02d}县{t + 1:02d}乡" for c, t in pairs]
    df = pd.DataFrame({
        "township": pd.array(names, dtype="string"),
        "township_type": pd.array(["乡"] * len(names), dtype="string"),
        "township_pinyin": pd.array([f"Hecheng {c:02d} Xian {t + 1:02d} Xiang"
                                     for c, t in pairs], dtype="string"),
        "township_en": pd.array([f"Synthetic county {c:02d} township {t + 1:02d}"
                                 for c, t in pairs], dtype="string"),
        "aliases": pd.array([None] * len(names), dtype="string")})
    path = Path(out) / "plan_townships.parquet"
    df.to_parquet(path, index=False)
    return path


# --- progress over the processed registry ------------------------------------------------------

def run_progress(data: Path, profile: Path | None = None) -> dict:
    """Run the product's progress step over ``data`` in this process (what ``huachi progress
    --out DATA`` does); return timings. With ``profile``, write cProfile stats there."""
    from huachi_analysis import paths
    from huachi_analysis.progress.build import build_progress

    t0 = time.perf_counter()
    if profile is not None:
        import cProfile

        prof = cProfile.Profile()
        summary = prof.runcall(build_progress, paths.RAW, Path(data))
        prof.dump_stats(str(profile))
    else:
        summary = build_progress(paths.RAW, Path(data))
    return {"summary": summary, "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write the synthetic province registry")
    g.add_argument("out", type=Path)
    g.add_argument("--persons", type=int, default=5_500_000)
    g.add_argument("--seed", type=int, default=2013)
    g.add_argument("--chunk-households", type=int, default=150_000)
    g.add_argument("--counties", type=int, default=COUNTIES)
    p = sub.add_parser("progress", help="run the product's progress over a generated registry")
    p.add_argument("data", type=Path)
    p.add_argument("--json", type=Path)
    p.add_argument("--profile", type=Path, help="write cProfile stats here")
    g.add_argument("--plan", type=Path, help="folder with plan_targets/plan_derived.parquet")
    args = ap.parse_args(argv)
    if args.cmd == "generate":
        meta = generate(args.out, args.persons, args.seed, args.chunk_households,
                        counties=args.counties)
        if args.plan:
            copy_plan_tables(args.plan, args.out)
        write_province_townships(args.out, counties=args.counties)
        print(json.dumps(meta, ensure_ascii=False, indent=2))
        return 0
    result = run_progress(args.data, args.profile)
    result["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
