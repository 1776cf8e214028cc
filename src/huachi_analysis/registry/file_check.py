"""One export file under check: each of its columns normalised once (vectorised, once per
distinct value), shared by the rules' checks (:data:`.validate.RULES`) and by the rows kept
(:meth:`FileCheck.kept`).

A rule's check is a function of a :class:`FileCheck` returning :class:`Hit` s (the rows it
flags and the values its findings show); :func:`.checks.check_file` loops over the rules.
Nothing here decides what is an error: the rules do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np
import pandas as pd

from huachi_analysis.county import COUNTY, COUNTY_SHORT
from huachi_analysis.masking import digit_runs
from huachi_analysis.policy import YEAR_RANGE
from huachi_analysis.registry.masking import Masker
from huachi_analysis.registry.normalise import (
    CAUSE_MAP,
    EXIT_STATUS_MAP,
    EXIT_YEAR_RANGE,
    FLAG_MAP,
    HOUSEHOLD_TYPE_MAP,
    MAX_HOUSEHOLD_SIZE,
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
from huachi_analysis.registry.pseudonym import KeyIndex
from huachi_analysis.registry.read import RawFile
from huachi_analysis.registry.vocab import CODES, OTHER, code_of

COUNTY_NAMES = (COUNTY, COUNTY_SHORT)
FLAG_FIELDS = ("critical_illness_insurance", "dangerous_house", "safe_water", "water_difficulty")
MEMBER_CODED_FIELDS = tuple(CODES)  # relation, ethnicity, education, schooling, health, …


class Geography(Protocol):
    """What ingest needs from the plan geography (``huachi_analysis.geography``)."""

    def resolve_township(self, name: str) -> str | None: ...
    def resolve_village(self, township: str, name: str) -> str | None: ...
    def is_poor_village(self, township: str, village: str) -> bool: ...


@dataclass(frozen=True)
class Hit:
    """What one check of a rule flags in a file.

    Attributes:
        mask: the rows flagged (a warning's are cut to the rows kept by the caller).
        shown: the values its findings show (masked later), or None.
        field: the column named in the findings, when not the rule's own (a flag, a code).
        per_value: ``(codes, describe)``: one finding per distinct code among the flagged
            rows, on its first row, ``describe(first_rows, counts)`` giving the messages.
    """

    mask: np.ndarray
    shown: pd.Series | np.ndarray | None = None
    field: str | None = None
    per_value: tuple[np.ndarray, Callable[[np.ndarray, np.ndarray], np.ndarray]] | None = None


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


@dataclass(frozen=True)
class Villages:
    """(township, village) resolved once per distinct pair."""

    codes: np.ndarray
    #: ``placed[code] = (village, is_poor, in_plan, as typed)`` (None for a null pair)
    placed: list
    #: rows whose village the plan does not name and which holds personal data
    invalid: np.ndarray


@dataclass(frozen=True)
class Coded:
    """A coded member column: the codes kept, and where a value is none of them."""

    values: pd.Series
    codes: np.ndarray | None = None
    unknown: np.ndarray | None = None


class FileCheck:
    """The columns of one export file, normalised once each on first use."""

    def __init__(self, raw: RawFile, geo: Geography, persons: KeyIndex, households: KeyIndex,
                 masker: Masker):
        self.raw, self.geo, self.persons, self.households, self.masker = (
            raw, geo, persons, households, masker)
        self.f = raw.frame
        self.n = len(self.f)
        self.idx = self.f.index

    def has(self, name: str) -> bool:
        """The file has column ``name`` (a canonical field)."""
        return name in self.f

    def col(self, name: str) -> pd.Series:
        """Column ``name`` as read (all missing when the file lacks it)."""
        return self.f[name] if name in self.f else pd.Series(np.nan, index=self.idx, dtype="str")

    # ---- year --------------------------------------------------------------------------
    @cached_property
    def _year(self) -> tuple[pd.Series, np.ndarray]:
        """(year of each row: 年度, else the file's; whether it is a year of the range)."""
        if "year" in self.f:
            ynum, _ = parse_number(self.f["year"])
            yv = ynum.where(ynum % 1 == 0)
            yv = yv.fillna(self.raw.year) if self.raw.year is not None else yv
        else:
            yv = pd.Series(self.raw.year, index=self.idx, dtype="Float64")
        ok = yv.between(*YEAR_RANGE).fillna(False).to_numpy(dtype=bool)
        return yv.where(ok).astype("Int64"), ok

    @property
    def year(self) -> pd.Series:
        return self._year[0]

    @property
    def year_ok(self) -> np.ndarray:
        return self._year[1]

    @property
    def finding_year(self) -> pd.Series:
        """A finding's year: the row's, else the file's, else unknown (NA, never a made-up 0)."""
        return self.year.fillna(self.raw.year) if self.raw.year is not None else self.year

    # ---- geography ---------------------------------------------------------------------
    @cached_property
    def county_wrong(self) -> np.ndarray | None:
        """Rows whose 县 names another county (None: the file has no 县 column)."""
        if "county" not in self.f:
            return None
        county = map_unique(self.f["county"], nfkc, "str")
        ours = county.isin(COUNTY_NAMES) | county.str.endswith(COUNTY_NAMES[0])
        return (county.notna() & ~ours.fillna(False)).to_numpy(bool)

    @cached_property
    def township(self) -> pd.Series:
        """The canonical township (NA where it cannot be resolved)."""
        geo = self.geo
        return map_unique(self.col("township"), lambda t: geo.resolve_township(nfkc(t)), "str")

    @cached_property
    def villages(self) -> Villages:
        """Resolve (township, village) once per distinct pair; ``invalid`` marks rows whose
        village the plan does not name and which holds personal data (a digit run, a name, ID
        or phone of the files) instead of a place."""
        geo = self.geo

        def place(t: str, v: str) -> tuple[str, bool, bool, str]:
            canon = geo.resolve_village(t, nfkc(v))
            village = canon or normalise_village(v)
            return village, bool(geo.is_poor_village(t, village)), canon is not None, nfkc(v)

        codes, placed = map_pairs(self.township, self.col("village"), place)
        bad = np.zeros(len(placed), dtype=bool)
        unplanned = [i for i, p in enumerate(placed) if p is not None and not p[2]]
        if unplanned:
            looks = {i: [placed[i][3], placed[i][0], placed[i][0].removesuffix("村")]
                     for i in unplanned}
            personal = self.masker.is_personal([t for ts in looks.values() for t in ts])
            for i, texts in looks.items():
                bad[i] = digit_runs(texts[0]) or any(t in personal for t in texts)
        return Villages(codes, placed, take(bad, codes, False))

    @cached_property
    def village(self) -> pd.Series:
        """The village kept: the plan's name, else the name normalised (NA without one)."""
        v = self.villages
        return broadcast(v.codes, [p and p[0] for p in v.placed], "str", self.idx)

    @cached_property
    def village_in_plan(self) -> np.ndarray:
        v = self.villages
        return take(np.array([p is None or p[2] for p in v.placed], dtype=bool), v.codes, True)

    # ---- identifiers -------------------------------------------------------------------
    @cached_property
    def household_id(self) -> pd.Series:
        """户编号 normalised ('x, spaces, full-width digits, lower-case x)."""
        return normalise_codes(self.col("household_id"))

    @cached_property
    def person_id(self) -> pd.Series:
        return normalise_codes(self.col("person_id"))

    @cached_property
    def _ids(self) -> tuple[np.ndarray, list, pd.DataFrame]:
        """Each distinct 证件号码 checked once: (codes, distinct values, their table)."""
        icodes, iuniq = factorize(self.col("id_number"))
        return icodes, iuniq, resident_id_table(iuniq)

    @cached_property
    def has_id(self) -> np.ndarray:
        """Rows with a valid resident ID."""
        icodes, _, ids = self._ids
        return take(ids["id18"].notna().to_numpy(dtype=bool), icodes, False)

    # ---- categories and numbers --------------------------------------------------------
    @cached_property
    def exit_status(self) -> tuple[pd.Series, np.ndarray]:
        """(脱贫属性 canonical, unknown or missing)."""
        status, bad = map_category(self.col("exit_status"), EXIT_STATUS_MAP, "str")
        return status, bad | status.isna().to_numpy(dtype=bool)

    @cached_property
    def income(self) -> tuple[pd.Series, np.ndarray]:
        """(人均纯收入 as a number, not a number)."""
        return parse_number(self.col("income_per_capita"))

    @cached_property
    def household_type(self) -> tuple[pd.Series, np.ndarray]:
        return map_category(self.col("household_type"), HOUSEHOLD_TYPE_MAP, "str")

    @cached_property
    def main_cause(self) -> tuple[pd.Series, np.ndarray]:
        return map_category(self.col("main_cause"), CAUSE_MAP, "str")

    @cached_property
    def flags(self) -> dict[str, tuple[pd.Series, np.ndarray]]:
        """Each 是/否 column: (values, unknown)."""
        return {flag: map_category(self.col(flag), FLAG_MAP, "boolean") for flag in FLAG_FIELDS}

    def _bounded(self, name: str, ok: Callable[[pd.Series], pd.Series]
                 ) -> tuple[pd.Series, np.ndarray]:
        values, bad = parse_number(self.col(name))
        return values, bad | ~(values.isna() | ok(values)).fillna(False).to_numpy(bool)

    @cached_property
    def household_size(self) -> tuple[pd.Series, np.ndarray]:
        return self._bounded("household_size", lambda s: (s >= 1) & (s <= MAX_HOUSEHOLD_SIZE)
                             & (s % 1 == 0))

    @cached_property
    def registry_exit_year(self) -> tuple[pd.Series, np.ndarray]:
        return self._bounded("registry_exit_year",
                             lambda s: s.between(*EXIT_YEAR_RANGE) & (s % 1 == 0))

    @cached_property
    def months_away(self) -> tuple[pd.Series, np.ndarray]:
        return self._bounded("months_away", lambda s: s.between(0, 12))

    @cached_property
    def coded(self) -> dict[str, Coded]:
        """Coded member columns: the code, or 其他 (never the text as typed)."""
        out = {}
        for name in MEMBER_CODED_FIELDS:
            if name not in self.f:
                out[name] = Coded(self.col(name))
                continue
            codes, uniq = factorize(self.f[name])
            mapped = [code_of(name, u) for u in uniq]
            if mapped == uniq and self.f[name].dtype == "str":
                out[name] = Coded(self.f[name])  # every value is a code already: no copy
                continue
            unknown = take(np.array([m is None for m in mapped], dtype=bool), codes, False)
            out[name] = Coded(broadcast(codes, [m or OTHER for m in mapped], "str", self.idx),
                              codes, unknown)
        return out

    # ---- the rows kept -----------------------------------------------------------------
    def kept(self, primary: np.ndarray, any_error_of: Callable[[str], bool]) -> pd.DataFrame:
        """The checked rows: every column normalised, pseudonym codes, the primary error of
        each row (``_error``; None for a row kept) and where it came from.

        Args:
            primary: each row's first error rule (None: kept).
            any_error_of: whether a rule flagged any row of the file.
        """
        idx, n = self.idx, self.n
        out = pd.DataFrame(index=idx)
        out["year"] = self.year
        out["township"] = self.township
        out["village"] = self.village
        v = self.villages
        poor = broadcast(v.codes, [bool(p and p[1]) for p in v.placed], "boolean", idx)
        out["village_is_poor"] = poor.fillna(False)
        hcodes, huniq = factorize(self.household_id)
        out["_hcode"] = take(self.households.code_values([str(u) for u in huniq]), hcodes, -1)
        # persons keyed by a pseudonym of the resident ID, else of 户编号 + 人编号
        icodes, iuniq, ids = self._ids
        out["sex"] = broadcast(icodes, ids["sex"].tolist(), "str", idx)
        birth = broadcast(icodes, ids["birth_year"].tolist(), "Int64", idx)
        out["age_band"] = age_band(out["year"], birth)
        valid_u = ids["id18"].notna().to_numpy(dtype=bool)
        id18_u = ids["id18"].tolist()
        has_id = self.has_id
        pcode = np.full(n, -1, dtype=np.int64)
        id_codes_u = np.full(len(iuniq), -1, dtype=np.int64)
        if valid_u.any():
            id_codes_u[valid_u] = self.persons.code_values(
                ["id:" + v for v, ok in zip(id18_u, valid_u, strict=True) if ok])
            pcode[has_id] = id_codes_u[icodes[has_id]]
        pid = self.person_id
        fallback = ~has_id & pid.notna().to_numpy(dtype=bool)
        if fallback.any():
            src = "pid:" + self.household_id[fallback].fillna("") + "/" + pid[fallback]
            fc, fu = factorize(src)
            pcode[fallback] = self.persons.code_values([str(u) for u in fu])[fc]
        out["_pcode"] = pcode
        out["_id_text"] = self.col("id_number")  # shown (masked) only where a finding needs it
        # exit status: the code kept is the code, not the text
        status, _ = self.exit_status
        out["exit_status"] = status
        code = map_unique(self.col("exit_status"), nfkc, "str")
        out["exit_status_code"] = (code.where(status.notna())
                                   if any_error_of("unknown_exit_status") else code)
        out["income_per_capita"] = self.income[0]
        out["_error"] = primary
        out["household_type"] = self.household_type[0]
        out["main_cause"] = self.main_cause[0]
        for flag, (vals, _) in self.flags.items():
            out[flag] = vals
        for name in ("household_size", "registry_exit_year"):
            values, bad = getattr(self, name)
            out[name] = values.mask(bad).astype("Int64") if n else values.astype("Int64")
        months, bad_m = self.months_away
        out["months_away"] = months.mask(bad_m)
        for name, coded in self.coded.items():
            out[name] = coded.values
        out["is_head"] = (out["relation"] == "户主").fillna(False).to_numpy(bool)
        out["source_file"] = broadcast(np.zeros(n, dtype=np.intp), [self.raw.source_file],
                                       "str", idx)
        out["source_row"] = self.raw.excel_rows
        out["is_synthetic"] = np.full(n, self.raw.is_synthetic, dtype=bool)
        return out
