"""Registry ingest as a pure transform: raw export frames in; persons, households and findings
out. No file is read or written here (see :mod:`.read` and :mod:`.build`).

Every row read is accepted or quarantined (``rows_read == rows_accepted + rows_quarantined``,
asserted). Personal data (姓名, 证件号码, 联系电话) never reaches an output: sex and birth
year are derived from the ID, then persons and households are keyed by HMAC pseudonyms, and
findings show masked values only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from huachi_analysis import metadata
from huachi_analysis.registry.headers import HOUSEHOLD_FIELDS, standard_header
from huachi_analysis.registry.pseudonym import pseudonyms
from huachi_analysis.registry.read import YEAR_RANGE, RawFile
from huachi_analysis.registry.validate import (
    ABSURD_INCOME,
    CAUSE_MAP,
    ERROR_RULES,
    EXIT_STATUS_MAP,
    EXIT_YEAR_RANGE,
    FLAG_MAP,
    HOUSEHOLD_TYPE_MAP,
    RULES,
    broadcast,
    factorize,
    map_category,
    map_unique,
    mask_values,
    nfkc,
    normalise_village,
    parse_number,
    resident_id_table,
)

COUNTY_NAMES = ("华池县", "华池")
FLAG_FIELDS = ("critical_illness_insurance", "dangerous_house", "safe_water", "water_difficulty")
MEMBER_TEXT_FIELDS = ("relation", "ethnicity", "education", "schooling", "health", "labour",
                      "migrant_work")
FINDING_COLUMNS = list(metadata.TABLES["registry_findings"].fields)


class Geography(Protocol):
    """What ingest needs from the plan geography (``huachi_analysis.geography``)."""

    def resolve_township(self, name: str) -> str | None: ...
    def resolve_village(self, township: str, name: str) -> str | None: ...
    def is_poor_village(self, township: str, village: str) -> bool: ...


def default_geography() -> Geography:
    from huachi_analysis import geography

    return geography  # type: ignore[return-value]


@dataclass
class IngestResult:
    """What ingest produced; :meth:`summary` is the ``--json`` summary."""

    persons: pd.DataFrame
    households: pd.DataFrame
    findings: pd.DataFrame
    inputs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(i["rows_read"] for i in self.inputs)

    @property
    def rows_quarantined(self) -> int:
        return sum(i["rows_quarantined"] for i in self.inputs)

    @property
    def rows_accepted(self) -> int:
        return sum(i["rows_accepted"] for i in self.inputs)

    def summary(self) -> dict[str, Any]:
        f = self.findings
        err = f[(f["severity"] == "error") & f["primary"]] if "primary" in f else f.iloc[:0]
        warn = f[f["severity"] == "warning"]
        years = sorted(int(y) for y in self.persons["year"].dropna().unique())
        return {
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_quarantined": self.rows_quarantined,
            "households": int(len(self.households)),
            "persons": int(len(self.persons)),
            "quarantine_reasons": dict(Counter(err["rule"]).most_common()),
            "warnings": dict(Counter(warn["rule"]).most_common()),
            "years": years,
            "by_year": {
                str(y): {"persons": int((self.persons["year"] == y).sum()),
                         "households": int((self.households["year"] == y).sum())}
                for y in years},
            "is_synthetic": bool(any(i["is_synthetic"] for i in self.inputs)),
            "inputs": self.inputs,
        }


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


class KeyIndex:
    """Pseudonyms of one domain, each with a small integer code shared by every file of one
    ingest (so persons and households are grouped by integers, not strings)."""

    def __init__(self, key: bytes, domain: str):
        self.key, self.domain = key, domain
        self.names: list[str] = []
        self._index = pd.Index([], dtype=object)

    def code_values(self, values: list[str]) -> np.ndarray:
        """Codes of the pseudonyms of ``values`` (one HMAC per value given)."""
        names = np.empty(len(values), dtype=object)
        names[:] = pseudonyms(values, self.key, self.domain)
        codes = (self._index.get_indexer(names) if self.names
                 else np.full(len(names), -1, dtype=np.intp))
        new = codes < 0
        if new.any():
            nc, nu = pd.factorize(names[new])
            codes[new] = nc + len(self.names)
            self.names.extend(nu.tolist())
            self._index = pd.Index(self.names, dtype=object)
        return codes.astype(np.int64)

    def strings(self, codes: np.ndarray, index: pd.Index) -> pd.Series:
        """The pseudonyms of ``codes`` as a text column (``-1`` → NA)."""
        return broadcast(codes, self.names, "str", index)


def _take(lookup: np.ndarray, codes: np.ndarray, missing) -> np.ndarray:
    """``lookup[codes]`` with ``missing`` where the code is ``-1``."""
    ext = np.append(lookup, np.array([missing], dtype=lookup.dtype))
    return ext[np.where(codes < 0, len(lookup), codes)]


class _Findings:
    """Collects findings of one file as small frames (vectorised, no per-row loop)."""

    def __init__(self, raw: RawFile, year: pd.Series):
        self.raw, self.year, self.parts = raw, year, []

    def add(self, rule_id: str, mask: np.ndarray, field: str | None, values: pd.Series | None,
            *, column: str | None = None, message: str | np.ndarray | None = None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rule = RULES[rule_id]
        field = field or rule.column
        col = column or (self.raw.headers.get(field) or standard_header(field) if field else None)
        shown = (mask_values(values[mask], field).to_numpy() if values is not None
                 else np.full(int(mask.sum()), None, dtype=object))
        self.parts.append(pd.DataFrame({
            "finding_year": self.year[mask].to_numpy(), "source_file": self.raw.source_file,
            "source_row": self.raw.excel_rows[mask], "column": col, "masked_value": shown,
            "rule": rule_id, "severity": rule.severity,
            "message": message if message is not None else rule.message,
            "is_synthetic": self.raw.is_synthetic,
        }))


def _check_file(raw: RawFile, geo: Geography, persons: KeyIndex, households: KeyIndex
                ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Row-level checks, normalisation and pseudonyms of one file → (clean rows, findings).

    Every mapping runs once per distinct value of a column (or pair of columns) and is
    broadcast back by integer codes; no Python work per row.
    """
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
    fnd = _Findings(raw, out["year"].fillna(raw.year) if raw.year is not None else out["year"])

    if "county" in f:
        county = map_unique(f["county"], nfkc, "str")
        ours = county.isin(COUNTY_NAMES) | county.str.endswith(COUNTY_NAMES[0])
        errors["wrong_county"] = (county.notna() & ~ours.fillna(False)).to_numpy(bool)

    # geography: resolve once per distinct name and per distinct (township, village)
    town = map_unique(col("township"), lambda t: geo.resolve_township(nfkc(t)), "str")
    errors["unknown_township"] = town.isna().to_numpy(dtype=bool)
    vraw = col("village")
    errors["missing_village"] = vraw.isna().to_numpy(dtype=bool)

    def place(t: str, v: str) -> tuple[str, bool, bool]:
        canon = geo.resolve_village(t, nfkc(v))
        village = canon or normalise_village(v)
        return village, bool(geo.is_poor_village(t, village)), canon is not None

    pcodes, placed = map_pairs(town, vraw, place)
    out["township"] = town
    out["village"] = broadcast(pcodes, [p and p[0] for p in placed], "str", idx)
    poor = broadcast(pcodes, [bool(p and p[1]) for p in placed], "boolean", idx)
    out["village_is_poor"] = poor.fillna(False)
    in_plan_arr = _take(np.array([p is None or p[2] for p in placed], dtype=bool), pcodes, True)

    hid = col("household_id").str.lstrip("'")
    hid = hid.mask(hid == "")
    errors["missing_household_id"] = hid.isna().to_numpy(dtype=bool)
    hcodes, huniq = factorize(hid)
    out["_hcode"] = _take(households.code_values([str(u) for u in huniq]), hcodes, -1)
    out["household_id"] = hid

    # identity: each distinct 证件号码 checked once; persons keyed by a pseudonym of the
    # resident ID, else of 户编号 + 人编号
    idcol = col("id_number")
    icodes, iuniq = factorize(idcol)
    ids = resident_id_table(iuniq)
    id18_u = ids["id18"].tolist()
    valid_u = ids["id18"].notna().to_numpy(dtype=bool)
    out["sex"] = broadcast(icodes, ids["sex"].tolist(), "str", idx)
    out["birth_year"] = broadcast(icodes, ids["birth_year"].tolist(), "Int64", idx)
    has_id = _take(valid_u, icodes, False)
    pid = col("person_id").str.lstrip("'")
    pid = pid.mask(pid == "")
    out["person_id"] = pid
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
    out["_id_text"] = idcol  # masked only where a finding shows it

    # exit status (error), categories (warnings)
    status, bad = map_category(col("exit_status"), EXIT_STATUS_MAP, "str")
    errors["unknown_exit_status"] = bad | status.isna().to_numpy(dtype=bool)
    out["exit_status"], out["exit_status_code"] = status, col("exit_status")

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
                 "missing_household_id": hid, "person_unidentifiable": idcol,
                 "unknown_exit_status": col("exit_status")}
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
    notplan = ~in_plan_arr & ok
    if notplan.any():
        codes = pcodes[notplan]
        rows = np.flatnonzero(notplan)
        _, first_pos, counts = np.unique(codes, return_index=True, return_counts=True)
        order = np.argsort(first_pos, kind="stable")
        first_rows, counts = rows[first_pos[order]], counts[order]
        m = np.zeros(n, dtype=bool)
        m[first_rows] = True
        msg = RULES["village_not_in_plan"].message
        towns = town.to_numpy(dtype=object)[first_rows]
        fnd.add("village_not_in_plan", m, None, out["village"],
                message=np.array([f"{msg} ({t}; {c} row(s) in this file)"
                                  for t, c in zip(towns, counts, strict=True)], dtype=object))

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
    bad_size = bad | ~(size.isna() | ((size >= 1) & (size % 1 == 0))).fillna(False).to_numpy(bool)
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

    for name in MEMBER_TEXT_FIELDS:
        out[name] = map_unique(col(name), nfkc, "str") if name in f else col(name)
    out["is_head"] = out["relation"].isin(["户主", "本人"]).to_numpy(bool)

    out["source_file"] = broadcast(np.zeros(n, dtype=np.intp), [raw.source_file], "str", idx)
    out["source_row"] = raw.excel_rows
    out["is_synthetic"] = np.full(n, raw.is_synthetic, dtype=bool)
    return out, fnd.parts


def _file_level_findings(raw: RawFile, duplicate_of: str | None) -> list[pd.DataFrame]:
    rows = []
    for header in raw.unknown_columns:
        r = RULES["unknown_column"]
        rows.append((raw.year, raw.source_file, raw.header_row, header, None,
                     r.id, r.severity, r.message, raw.is_synthetic))
    if duplicate_of:
        r = RULES["duplicate_file"]
        rows.append((raw.year, raw.source_file, raw.header_row, None, None,
                     r.id, r.severity,
                     f"{r.message} (same content as {duplicate_of})", raw.is_synthetic))
    cols = [c for c in FINDING_COLUMNS if c != "primary"]
    return [pd.DataFrame(rows, columns=cols)] if rows else []


def _household_table(acc: pd.DataFrame, findings: list[pd.DataFrame],
                     headers: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One row per (year, household): values from the head's row, else the first row.

    Rows are grouped by integer codes (year, household code) with one stable sort; a
    household-level column disagrees within a household when its smallest and largest value
    code differ (``NA`` is a value of its own, as in ``nunique(dropna=False)``)."""
    if acc.empty:
        return metadata.empty("registry_households")
    year = acc["year"].to_numpy(dtype=np.int64)
    hcode = acc["_hcode"].to_numpy(dtype=np.int64)
    group = (year - YEAR_RANGE[0]) * (int(hcode.max()) + 1) + hcode
    not_head = ~acc["is_head"].to_numpy(dtype=bool)
    order = np.lexsort((not_head, group))  # stable: file order within (group, head first)
    gs = group[order]
    starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
    first = order[starts]
    members = np.diff(np.r_[starts, len(gs)])
    keep = [c for c in metadata.TABLES["registry_households"].fields if c in acc] + [
        "source_file", "source_row", "_hcode"]
    hh = acc[keep].iloc[first].reset_index(drop=True)
    hh["members_listed"] = members
    file_col = hh["source_file"].to_numpy(dtype=object)
    for c in [c for c in HOUSEHOLD_FIELDS if c in acc]:
        codes, _ = factorize(acc[c])
        cs = codes[order]
        bad = np.minimum.reduceat(cs, starts) != np.maximum.reduceat(cs, starts)
        if not bad.any():
            continue
        bad_groups = np.flatnonzero(bad)
        # the distinct values of each disagreeing household, head's first
        seg = np.concatenate([order[starts[g]:starts[g] + members[g]] for g in bad_groups])
        owner = np.repeat(np.arange(len(bad_groups)), members[bad_groups])
        text = acc[c].iloc[seg].astype("str").fillna("(empty)").to_numpy(dtype=object)
        joined = pd.Series(text).groupby(owner, sort=True).agg(
            lambda v: " | ".join(dict.fromkeys(v)))
        rows = hh.iloc[bad_groups]
        findings.append(pd.DataFrame({
            "finding_year": rows["year"].to_numpy(), "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "column": [headers.get(sf, {}).get(c) or standard_header(c)
                       for sf in file_col[bad_groups]],
            "masked_value": mask_values(pd.Series(joined.to_numpy(), dtype="str"), c).to_numpy(),
            "rule": "household_fields_disagree", "severity": "warning",
            "message": RULES["household_fields_disagree"].message,
            "is_synthetic": rows["is_synthetic"].to_numpy()}))
    mism = (hh["household_size"].notna() & (hh["household_size"] != hh["members_listed"])
            ).fillna(False).to_numpy(dtype=bool)
    if mism.any():
        rows = hh[mism]
        findings.append(pd.DataFrame({
            "finding_year": rows["year"].to_numpy(), "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "column": [headers.get(sf, {}).get("household_size") or "人数"
                       for sf in rows["source_file"]],
            "masked_value": [f"{s} (member rows: {m})" for s, m in
                             zip(rows["household_size"], rows["members_listed"], strict=True)],
            "rule": "household_size_mismatch", "severity": "warning",
            "message": RULES["household_size_mismatch"].message,
            "is_synthetic": rows["is_synthetic"].to_numpy()}))
    return hh


def _unique_source_names(files: list[RawFile]) -> None:
    """Make ``source_file`` unique: ``2016/export.xlsx`` when two folders hold ``export.xlsx``,
    ``export.xlsx (2)`` when the same file is given twice."""
    names = Counter(f.source_file for f in files)
    for f in files:
        if names[f.source_file] > 1:
            f.source_file = f"{f.path.parent.name}/{f.source_file}"
    seen: Counter[str] = Counter()
    for f in files:
        seen[f.source_file] += 1
        if seen[f.source_file] > 1:
            f.source_file = f"{f.source_file} ({seen[f.source_file]})"


def ingest(files: list[RawFile], key: bytes, geography: Geography | None = None) -> IngestResult:
    """Validate, pseudonymise and shape raw exports into the registry tables.

    This is what the ingest benchmark times (``benchmarks/run.py``, issue 7): reading the
    files (:func:`huachi_analysis.registry.read.read_export`) plus this function, which
    returns the conformed tables; writing them (:func:`huachi_analysis.registry.build.
    write_registry`) is not part of it. See ``docs/validation_rules.md`` (Performance).

    Args:
        files: what :func:`huachi_analysis.registry.read.read_export` returned.
        key: the pseudonym key (:func:`huachi_analysis.registry.pseudonym.load_key`).
        geography: township/village resolution (default: the plan geography).

    Returns:
        Conformed ``registry_persons`` and ``registry_households``, ``registry_findings`` (with
        ``primary``: the error a quarantined row is counted under), and per-file counts.
    """
    geo = geography or default_geography()
    _unique_source_names(files)
    persons_ix, households_ix = KeyIndex(key, "person"), KeyIndex(key, "household")
    frames, findings, inputs = [], [], []
    seen_sha: dict[str, str] = {}
    for raw in files:
        rows, parts = _check_file(raw, geo, persons_ix, households_ix)
        frames.append(rows)
        findings += parts
        dup = seen_sha.get(raw.sha256) if raw.sha256 else None
        seen_sha.setdefault(raw.sha256, raw.source_file)
        findings += _file_level_findings(raw, dup if dup != raw.source_file else None)
    if len(frames) == 1:
        allrows = frames[0].reset_index(drop=True)
    elif frames:
        allrows = pd.concat(frames, ignore_index=True)
    else:
        allrows = pd.DataFrame({"_error": pd.Series(dtype=object),
                                "_pcode": pd.Series(dtype=np.int64),
                                "_hcode": pd.Series(dtype=np.int64),
                                "year": pd.Series(dtype="Int64"),
                                "source_file": pd.Series(dtype="str"),
                                "source_row": pd.Series(dtype=np.int64),
                                "_id_text": pd.Series(dtype="str")})

    # the same person twice in one year (also across files): keep the first row
    ok = allrows["_error"].isna().to_numpy(dtype=bool)
    dup = np.zeros(len(allrows), dtype=bool)
    if ok.any():
        year = allrows["year"].to_numpy(dtype=np.int64, na_value=0)[ok]
        pkey = (year - YEAR_RANGE[0]) * (len(persons_ix.names) + 1) + \
            allrows["_pcode"].to_numpy(dtype=np.int64)[ok]
        dup[ok] = pd.Series(pkey).duplicated(keep="first").to_numpy()
    if dup.any():
        d = allrows[dup]
        r = RULES["duplicate_person"]
        findings.append(pd.DataFrame({
            "finding_year": d["year"].to_numpy(), "source_file": d["source_file"].to_numpy(),
            "source_row": d["source_row"].to_numpy(),
            "column": "证件号码", "masked_value": mask_values(d["_id_text"], "id_number").to_numpy(),
            "rule": r.id, "severity": r.severity, "message": r.message,
            "is_synthetic": d["is_synthetic"].to_numpy()}))
        allrows.loc[dup, "_error"] = "duplicate_person"
    accepted_mask = allrows["_error"].isna().to_numpy(dtype=bool)
    acc = allrows if accepted_mask.all() else allrows[accepted_mask].reset_index(drop=True)
    if len(acc):
        acc = acc.assign(person_key=persons_ix.strings(acc["_pcode"].to_numpy(), acc.index),
                         household_key=households_ix.strings(acc["_hcode"].to_numpy(), acc.index))

    headers = {raw.source_file: raw.headers for raw in files}
    households = _household_table(acc, findings, headers)
    persons = metadata.conform(acc, "registry_persons")
    households = metadata.conform(households, "registry_households")

    fcat = pd.concat([p for p in findings if len(p)], ignore_index=True) if findings else None
    if fcat is None or fcat.empty:
        fcat = metadata.empty("registry_findings")
    # the primary reason of each quarantined row (its first error in rule order)
    prim = allrows.loc[~accepted_mask, ["source_file", "source_row", "_error"]]
    pk = pd.MultiIndex.from_frame(prim.rename(columns={"_error": "rule"}).astype(
        {"source_row": "Int64", "rule": "str", "source_file": "str"}))
    fk = pd.MultiIndex.from_frame(fcat[["source_file", "source_row", "rule"]].astype(
        {"source_row": "Int64", "rule": "str", "source_file": "str"}))
    fcat["primary"] = (fcat["severity"] == "error").to_numpy(bool) & fk.isin(pk)
    fcat = metadata.conform(fcat, "registry_findings")
    fcat = fcat.sort_values(["source_file", "source_row", "severity"], kind="stable",
                            na_position="first").reset_index(drop=True)

    by_file = allrows.groupby("source_file", sort=False)["_error"]
    for raw in files:
        if raw.source_file in by_file.groups:
            err = by_file.get_group(raw.source_file)
            read, quarantined = len(err), int(err.notna().sum())
        else:
            read = quarantined = 0
        assert read == raw.rows_read
        inputs.append({"file": raw.source_file, "sha256": raw.sha256, "rows_read": read,
                       "rows_accepted": read - quarantined, "rows_quarantined": quarantined,
                       "header_row": raw.header_row, "encoding": raw.encoding,
                       "year": raw.year, "year_source": raw.year_source,
                       "is_synthetic": raw.is_synthetic, "skipped": raw.skipped})
    result = IngestResult(persons, households, fcat, inputs)
    assert result.rows_read == result.rows_accepted + result.rows_quarantined == len(allrows)
    assert result.rows_accepted == len(persons)
    assert int(fcat["primary"].sum()) == result.rows_quarantined
    return result
