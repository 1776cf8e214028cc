"""Row-level checks of one export file: every rule of :data:`.validate.RULES` that looks at one
row, the normalisation of what is kept (townships, villages, codes, numbers) and the
pseudonyms. Pure: a :class:`~.read.RawFile` in, a frame of checked rows and findings out.

Every mapping runs once per distinct value of a column (or pair of columns) and is broadcast
back by integer codes; no Python work per row. What is kept is never the text as typed where
it could be personal data: coded columns keep their codes (:mod:`.vocab`), numbers are parsed
and bounded, IDs only give sex and an age band.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from huachi_analysis.county import COUNTY, COUNTY_SHORT
from huachi_analysis.masking import digit_runs
from huachi_analysis.registry.findings import Findings
from huachi_analysis.registry.masking import Masker
from huachi_analysis.registry.pseudonym import KeyIndex
from huachi_analysis.registry.read import YEAR_RANGE, RawFile
from huachi_analysis.registry.validate import (
    ABSURD_INCOME,
    CAUSE_MAP,
    ERROR_RULES,
    EXIT_STATUS_MAP,
    EXIT_YEAR_RANGE,
    FLAG_MAP,
    HOUSEHOLD_TYPE_MAP,
    MAX_HOUSEHOLD_SIZE,
    RULES,
    age_band,
    broadcast,
    factorize,
    map_category,
    map_unique,
    nfkc,
    normalise_codes,
    normalise_village,
    parse_number,
    resident_id_table,
)
from huachi_analysis.registry.vocab import CODES, OTHER, code_of

COUNTY_NAMES = (COUNTY, COUNTY_SHORT)
FLAG_FIELDS = ("critical_illness_insurance", "dangerous_house", "safe_water", "water_difficulty")
MEMBER_CODED_FIELDS = tuple(CODES)  # relation, ethnicity, education, schooling, health, …


class Geography(Protocol):
    """What ingest needs from the plan geography (``huachi_analysis.geography``)."""

    def resolve_township(self, name: str) -> str | None: ...
    def resolve_village(self, township: str, name: str) -> str | None: ...
    def is_poor_village(self, township: str, village: str) -> bool: ...


def map_pairs(a: pd.Series, b: pd.Series, func) -> tuple[np.ndarray, list]:
    """``func(a, b)`` once per distinct pair → ``(codes, results)``: code ``-1`` where either
    is null, else the index of the pair's result."""
    ca, ua = factorize(a)
    cb, ub = factorize(b)
    both = (ca >= 0) & (cb >= 0)
    combined = np.where(both, ca.astype(np.int64) * (len(ub) + 1) + cb, -1)
    codes, uniq = pd.factorize(combined)
    codes = np.asarray(codes, dtype=np.intp)
    results = [None if u < 0 else func(ua[u // (len(ub) + 1)], ub[u % (len(ub) + 1)])
               for u in uniq.tolist()]
    null = np.array([r is None for r in results] + [True], dtype=bool)
    codes = np.where(null[codes], -1, codes) if len(codes) else codes
    return codes, results


def take(lookup: np.ndarray, codes: np.ndarray, missing) -> np.ndarray:
    """``lookup[codes]`` with ``missing`` where the code is ``-1``."""
    ext = np.append(lookup, np.array([missing], dtype=lookup.dtype))
    return ext[np.where(codes < 0, len(lookup), codes)]


def _per_value_message(rule_id: str, extra):
    msg = RULES[rule_id].message

    def describe(first_rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
        return np.array([f"{msg} ({extra(r)}{c} row(s) in this file)"
                         for r, c in zip(first_rows, counts, strict=True)], dtype=object)

    return describe


def _villages(geo: Geography, town: pd.Series, vraw: pd.Series, masker: Masker) -> tuple[np.ndarray, list, np.ndarray]:
    """Resolve (township, village) once per distinct pair → ``(codes, placed, invalid)``:
    ``placed[code] = (village, is_poor, in_plan)``; ``invalid`` marks rows whose village the
    plan does not name and which holds personal data (a digit run, a name, ID or phone of the
    files) instead of a place."""

    def place(t: str, v: str) -> tuple[str, bool, bool, str]:
        canon = geo.resolve_village(t, nfkc(v))
        village = canon or normalise_village(v)
        return village, bool(geo.is_poor_village(t, village)), canon is not None, nfkc(v)

    codes, placed = map_pairs(town, vraw, place)
    bad = np.zeros(len(placed), dtype=bool)
    unplanned = [i for i, p in enumerate(placed) if p is not None and not p[2]]
    if unplanned:
        looks = {i: [placed[i][3], placed[i][0], placed[i][0].removesuffix("村")]
                 for i in unplanned}
        personal = masker.is_personal([t for ts in looks.values() for t in ts])
        for i, texts in looks.items():
            bad[i] = digit_runs(texts[0]) or any(t in personal for t in texts)
    return codes, placed, take(bad, codes, False)


def check_file(raw: RawFile, geo: Geography, persons: KeyIndex, households: KeyIndex,
               masker: Masker) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Row-level checks, normalisation and pseudonyms of one file → (checked rows, findings
    with unmasked values)."""
    f = raw.frame
    n = len(f)
    idx = f.index
    col = lambda name: f[name] if name in f else pd.Series(np.nan, index=idx, dtype="str")  # noqa: E731
    out = pd.DataFrame(index=idx)
    errors: dict[str, np.ndarray] = {}

    # year: 年度 column, else the file's year
    if "year" in f:
        ynum, ybad = parse_number(f["year"])
        yv = ynum.where(ynum % 1 == 0)
        yv = yv.fillna(raw.year) if raw.year is not None else yv
    else:
        yv = pd.Series(raw.year, index=idx, dtype="Float64")
    year_ok = yv.between(*YEAR_RANGE).fillna(False).to_numpy(dtype=bool)
    out["year"] = yv.where(year_ok).astype("Int64")
    errors["invalid_year"] = ~year_ok
    # a finding's year: the row's, else the file's, else unknown (NA, never a made-up 0)
    fnd = Findings(raw, out["year"].fillna(raw.year) if raw.year is not None else out["year"])

    if "county" in f:
        county = map_unique(f["county"], nfkc, "str")
        ours = county.isin(COUNTY_NAMES) | county.str.endswith(COUNTY_NAMES[0])
        errors["wrong_county"] = (county.notna() & ~ours.fillna(False)).to_numpy(bool)

    # geography: resolve once per distinct name and per distinct (township, village)
    town = map_unique(col("township"), lambda t: geo.resolve_township(nfkc(t)), "str")
    errors["unknown_township"] = town.isna().to_numpy(dtype=bool)
    vraw = col("village")
    errors["missing_village"] = vraw.isna().to_numpy(dtype=bool)
    pcodes, placed, errors["invalid_village"] = _villages(geo, town, vraw, masker)
    out["township"] = town
    out["village"] = broadcast(pcodes, [p and p[0] for p in placed], "str", idx)
    poor = broadcast(pcodes, [bool(p and p[1]) for p in placed], "boolean", idx)
    out["village_is_poor"] = poor.fillna(False)
    in_plan_arr = take(np.array([p is None or p[2] for p in placed], dtype=bool), pcodes, True)

    # identifiers normalised before identity: 'x, spaces, full-width digits, lower-case x
    hid = normalise_codes(col("household_id"))
    errors["missing_household_id"] = hid.isna().to_numpy(dtype=bool)
    hcodes, huniq = factorize(hid)
    out["_hcode"] = take(households.code_values([str(u) for u in huniq]), hcodes, -1)

    # identity: each distinct 证件号码 checked once; persons keyed by a pseudonym of the
    # resident ID, else of 户编号 + 人编号
    idcol = col("id_number")
    icodes, iuniq = factorize(idcol)
    ids = resident_id_table(iuniq)
    id18_u = ids["id18"].tolist()
    valid_u = ids["id18"].notna().to_numpy(dtype=bool)
    out["sex"] = broadcast(icodes, ids["sex"].tolist(), "str", idx)
    birth = broadcast(icodes, ids["birth_year"].tolist(), "Int64", idx)
    out["age_band"] = age_band(out["year"], birth)
    has_id = take(valid_u, icodes, False)
    pid = normalise_codes(col("person_id"))
    errors["person_unidentifiable"] = ~has_id & pid.isna().to_numpy(dtype=bool)
    pcode = np.full(n, -1, dtype=np.int64)
    id_codes_u = np.full(len(iuniq), -1, dtype=np.int64)
    if valid_u.any():
        id_codes_u[valid_u] = persons.code_values(
            ["id:" + v for v, ok in zip(id18_u, valid_u, strict=True) if ok])
        pcode[has_id] = id_codes_u[icodes[has_id]]
    fallback = ~has_id & pid.notna().to_numpy(dtype=bool)
    if fallback.any():
        src = "pid:" + hid[fallback].fillna("") + "/" + pid[fallback]
        fc, fu = factorize(src)
        pcode[fallback] = persons.code_values([str(u) for u in fu])[fc]
    out["_pcode"] = pcode
    out["_id_text"] = idcol  # shown (masked) only where a finding needs it

    # exit status (error), categories (warnings); the code kept is the code, not the text
    status, bad = map_category(col("exit_status"), EXIT_STATUS_MAP, "str")
    errors["unknown_exit_status"] = bad | status.isna().to_numpy(dtype=bool)
    out["exit_status"] = status
    code = map_unique(col("exit_status"), nfkc, "str")
    out["exit_status_code"] = code if not errors["unknown_exit_status"].any() else \
        code.where(status.notna())

    income, bad_income = parse_number(col("income_per_capita"))
    errors["income_not_a_number"] = bad_income
    errors["negative_income"] = (income < 0).fillna(False).to_numpy(dtype=bool)
    errors["absurd_income"] = (income > ABSURD_INCOME).fillna(False).to_numpy(dtype=bool)
    out["income_per_capita"] = income

    # primary (first) error of each row, in rule order
    err_any = np.zeros(n, dtype=bool)
    primary = np.full(n, None, dtype=object)
    shown_src = {"invalid_year": col("year"), "wrong_county": col("county"),
                 "unknown_township": col("township"), "missing_village": vraw,
                 "invalid_village": vraw, "missing_household_id": col("household_id"),
                 "person_unidentifiable": idcol, "unknown_exit_status": col("exit_status")}
    for rule_id in ERROR_RULES:
        m = errors.get(rule_id)
        if m is None:
            continue
        if m.any():
            primary[m & ~err_any] = rule_id
            err_any |= m
        fnd.add(rule_id, m, None, shown_src.get(rule_id, col("income_per_capita")))
    out["_error"] = primary
    ok = ~err_any  # warnings only for rows that are kept

    fnd.add("missing_id_number", ok & idcol.isna().to_numpy(bool) & ("id_number" in f), None, None)
    fnd.add("invalid_id_number", ok & idcol.notna().to_numpy(bool) & ~has_id, None, idcol)

    # village not in the plan: one finding per (township, village) of the file, on its first row
    towns = town.to_numpy(dtype=object)
    fnd.add_per_value("village_not_in_plan", ~in_plan_arr & ok, pcodes, out["village"], None,
                      _per_value_message("village_not_in_plan", lambda r: f"{towns[r]}; "))

    htype, bad = map_category(col("household_type"), HOUSEHOLD_TYPE_MAP, "str")
    fnd.add("unknown_household_type", ok & bad, None, col("household_type"))
    out["household_type"] = htype
    cause, bad = map_category(col("main_cause"), CAUSE_MAP, "str")
    fnd.add("unknown_main_cause", ok & bad, None, col("main_cause"))
    out["main_cause"] = cause
    for flag in FLAG_FIELDS:
        vals, bad = map_category(col(flag), FLAG_MAP, "boolean")
        fnd.add("unknown_flag", ok & bad, flag, col(flag))
        out[flag] = vals

    size, bad = parse_number(col("household_size"))
    bad_size = bad | ~(size.isna() | ((size >= 1) & (size <= MAX_HOUSEHOLD_SIZE)
                                      & (size % 1 == 0))).fillna(False).to_numpy(bool)
    fnd.add("invalid_household_size", ok & bad_size, None, col("household_size"))
    out["household_size"] = size.mask(bad_size).astype("Int64") if n else size.astype("Int64")

    ey, bad = parse_number(col("registry_exit_year"))
    bad_ey = bad | ~(ey.isna() | ey.between(*EXIT_YEAR_RANGE) & (ey % 1 == 0)).fillna(False).to_numpy(bool)
    fnd.add("invalid_exit_year", ok & bad_ey, None, col("registry_exit_year"))
    out["registry_exit_year"] = ey.mask(bad_ey).astype("Int64") if n else ey.astype("Int64")

    months, bad = parse_number(col("months_away"))
    bad_m = bad | ~(months.isna() | months.between(0, 12)).fillna(False).to_numpy(bool)
    fnd.add("invalid_months_away", ok & bad_m, None, col("months_away"))
    out["months_away"] = months.mask(bad_m)

    if "income_per_capita" in f:
        fnd.add("missing_income", ok & income.isna().to_numpy(bool) & ~bad_income, None, None)

    # coded member columns: the code, or 其他 (never the text as typed)
    for name in MEMBER_CODED_FIELDS:
        if name not in f:
            out[name] = col(name)
            continue
        codes, uniq = factorize(f[name])
        mapped = [code_of(name, u) for u in uniq]
        if mapped == uniq and f[name].dtype == "str":
            out[name] = f[name]  # every value is a code already (the usual case): no copy
            continue
        unknown = take(np.array([m is None for m in mapped], dtype=bool), codes, False)
        out[name] = broadcast(codes, [m or OTHER for m in mapped], "str", idx)
        fnd.add_per_value("unknown_code", ok & unknown, codes, f[name], name,
                          _per_value_message("unknown_code", lambda r: ""))
    out["is_head"] = (out["relation"] == "户主").fillna(False).to_numpy(bool)

    out["source_file"] = broadcast(np.zeros(n, dtype=np.intp), [raw.source_file], "str", idx)
    out["source_row"] = raw.excel_rows
    out["is_synthetic"] = np.full(n, raw.is_synthetic, dtype=bool)
    return out, fnd.parts
