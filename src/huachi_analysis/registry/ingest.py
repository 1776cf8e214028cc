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
from huachi_analysis.registry.pseudonym import pseudonymise
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
    check_resident_ids,
    map_category,
    map_unique,
    mask_values,
    nfkc,
    normalise_village,
    parse_number,
)

COUNTY_NAMES = ("华池县", "华池")
FLAG_FIELDS = ("critical_illness_insurance", "dangerous_house", "safe_water", "water_difficulty")
MEMBER_TEXT_FIELDS = ("relation", "ethnicity", "education", "schooling", "health", "labour",
                      "migrant_work")
#: Year of a finding about a row whose year cannot be told (findings.year is not nullable).
UNKNOWN_YEAR = 0
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


def map_pairs(a: pd.Series, b: pd.Series, func) -> np.ndarray:
    """``func(a, b)`` once per distinct non-null pair, broadcast to an object array (``None``
    where either is null)."""
    ca, ua = pd.factorize(a, use_na_sentinel=True)
    cb, ub = pd.factorize(b, use_na_sentinel=True)
    both = (ca >= 0) & (cb >= 0)
    combined = np.where(both, ca.astype(np.int64) * (len(ub) + 1) + cb, -1)
    uniq, inv = np.unique(combined, return_inverse=True)
    results = [None if u < 0 else func(ua[u // (len(ub) + 1)], ub[u % (len(ub) + 1)])
               for u in uniq]
    arr = np.empty(len(uniq), dtype=object)
    arr[:] = results
    return arr[inv.reshape(-1)] if len(inv) else np.empty(0, dtype=object)


class _Findings:
    """Collects findings of one file as small frames (vectorised, no per-row loop)."""

    def __init__(self, raw: RawFile, year: pd.Series):
        self.raw, self.year, self.parts = raw, year, []

    def add(self, rule_id: str, mask: np.ndarray, field: str | None, values: pd.Series | None,
            *, column: str | None = None, message: str | None = None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rule = RULES[rule_id]
        field = field or rule.column
        col = column or (self.raw.headers.get(field) or standard_header(field) if field else None)
        shown = (mask_values(values[mask], field).to_numpy() if values is not None
                 else np.full(int(mask.sum()), None, dtype=object))
        self.parts.append(pd.DataFrame({
            "year": self.year[mask].to_numpy(), "source_file": self.raw.source_file,
            "source_row": self.raw.excel_rows[mask], "column": col, "masked_value": shown,
            "rule": rule_id, "severity": rule.severity, "message": message or rule.message,
        }))


def _check_file(raw: RawFile, geo: Geography) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Row-level checks and normalisation of one file → (clean rows, findings)."""
    f = raw.frame
    n = len(f)
    col = lambda name: f[name] if name in f else pd.Series(pd.NA, index=f.index, dtype="str")  # noqa: E731
    out = pd.DataFrame(index=f.index)
    errors: dict[str, np.ndarray] = {}

    # year: 年度 column, else the file's year
    if "year" in f:
        ynum, ybad = parse_number(f["year"])
        yv = ynum.where(ynum % 1 == 0)
        yv = yv.fillna(raw.year) if raw.year is not None else yv
    else:
        yv = pd.Series(raw.year, index=f.index, dtype="Float64")
    year_ok = yv.between(*YEAR_RANGE).fillna(False).to_numpy(dtype=bool)
    out["year"] = yv.where(year_ok).astype("Int64")
    errors["invalid_year"] = ~year_ok
    # findings need a year (the field is not nullable): the file's year, else 0 = unknown
    fnd = _Findings(raw, out["year"].fillna(raw.year or UNKNOWN_YEAR))

    if "county" in f:
        county = map_unique(f["county"], nfkc, "str")
        ours = county.isin(COUNTY_NAMES) | county.str.endswith(COUNTY_NAMES[0])
        errors["wrong_county"] = (county.notna() & ~ours.fillna(False)).to_numpy(bool)

    # geography: resolve once per distinct name
    town = map_unique(col("township"), lambda t: geo.resolve_township(nfkc(t)), "str")
    errors["unknown_township"] = town.isna().to_numpy(dtype=bool)
    vraw = col("village")
    errors["missing_village"] = vraw.isna().to_numpy(dtype=bool)
    def place(t: str, v: str) -> tuple[str, bool, bool]:
        canon = geo.resolve_village(t, nfkc(v))
        village = canon or normalise_village(v)
        return village, bool(geo.is_poor_village(t, village)), canon is not None

    placed = map_pairs(town, vraw, place)
    out["township"] = town
    out["village"] = pd.Series([p[0] if p else None for p in placed], index=f.index, dtype="str")
    out["village_is_poor"] = pd.Series([bool(p and p[1]) for p in placed], index=f.index,
                                       dtype="boolean")
    in_plan_arr = np.array([bool(p is None or p[2]) for p in placed], dtype=bool)

    hid = col("household_id").str.lstrip("'")
    errors["missing_household_id"] = hid.isna().to_numpy(dtype=bool)
    out["household_id"] = hid

    # identity
    ids = check_resident_ids(col("id_number"))
    out["id18"], out["sex"], out["birth_year"] = ids["id18"], ids["sex"], ids["birth_year"]
    pid = col("person_id").str.lstrip("'")
    out["person_id"] = pid
    has_id = ids["id18"].notna().to_numpy(dtype=bool)
    errors["person_unidentifiable"] = ~has_id & pid.isna().to_numpy(dtype=bool)
    out["_id_text"] = col("id_number")  # masked only where a finding shows it

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
    for rule_id in ERROR_RULES:
        m = errors.get(rule_id)
        if m is None:
            continue
        primary[m & ~err_any] = rule_id
        err_any |= m
        src = {"invalid_year": col("year"), "wrong_county": col("county"),
               "unknown_township": col("township"), "missing_village": vraw,
               "missing_household_id": hid, "person_unidentifiable": col("id_number"),
               "unknown_exit_status": col("exit_status")}.get(rule_id, col("income_per_capita"))
        fnd.add(rule_id, m, None, src)
    out["_error"] = primary
    ok = ~err_any  # warnings only for rows that are kept

    idcol = col("id_number")
    fnd.add("missing_id_number", ok & idcol.isna().to_numpy(bool) & ("id_number" in f), None, None)
    fnd.add("invalid_id_number", ok & idcol.notna().to_numpy(bool) & ~has_id, None, idcol)

    # village not in the plan: one finding per (township, village) of the file
    notplan = ~in_plan_arr & ok
    if notplan.any():
        sub = pd.DataFrame({"t": town[notplan], "v": out["village"][notplan]})
        counts = sub.groupby(["t", "v"], sort=False).size()
        first = ~sub.duplicated(["t", "v"]).to_numpy()
        m = np.zeros(n, dtype=bool)
        m[np.flatnonzero(notplan)[first]] = True
        msg = RULES["village_not_in_plan"].message
        for (t, v), c in counts.items():
            mm = m & (town == t).to_numpy(bool) & (out["village"] == v).fillna(False).to_numpy(bool)
            fnd.add("village_not_in_plan", mm, None, out["village"],
                    message=f"{msg} ({t}; {c} row(s) in this file)")

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

    out["source_file"] = raw.source_file
    out["source_row"] = raw.excel_rows
    out["is_synthetic"] = raw.is_synthetic
    return out, fnd.parts


def _file_level_findings(raw: RawFile, duplicate_of: str | None) -> list[pd.DataFrame]:
    rows = []
    for header in raw.unknown_columns:
        r = RULES["unknown_column"]
        rows.append((raw.year or UNKNOWN_YEAR, raw.source_file, raw.header_row, header, None,
                     r.id, r.severity, r.message))
    if duplicate_of:
        r = RULES["duplicate_file"]
        rows.append((raw.year or UNKNOWN_YEAR, raw.source_file, raw.header_row, None, None,
                     r.id, r.severity,
                     f"{r.message} (same content as {duplicate_of})"))
    return [pd.DataFrame(rows, columns=FINDING_COLUMNS)] if rows else []


def _household_table(acc: pd.DataFrame, findings: list[pd.DataFrame],
                     headers: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One row per (year, household): values from the head's row, else the first row."""
    if acc.empty:
        return metadata.empty("registry_households")
    order = acc.assign(_not_head=~acc["is_head"], _pos=np.arange(len(acc)))
    order = order.sort_values(["year", "household_key", "_not_head", "_pos"], kind="stable")
    gkeys = ["year", "household_key"]
    hh = order.drop_duplicates(gkeys, keep="first").set_index(gkeys)
    hh["members_listed"] = order.groupby(gkeys, sort=False).size()
    check = [c for c in HOUSEHOLD_FIELDS if c in order]
    nun = order.groupby(gkeys, sort=False)[check].nunique(dropna=False)
    for c in check:
        bad = nun.index[nun[c] > 1]
        if len(bad) == 0:
            continue
        rows = hh.loc[bad]
        vals = (order.set_index(gkeys).loc[bad, c].astype("str").fillna("(empty)")
                .groupby(level=[0, 1]).agg(lambda s: " | ".join(dict.fromkeys(s))))
        findings.append(pd.DataFrame({
            "year": rows.index.get_level_values(0), "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "column": [headers.get(sf, {}).get(c) or standard_header(c)
                       for sf in rows["source_file"]],
            "masked_value": mask_values(vals.reindex(bad), c).to_numpy(),
            "rule": "household_fields_disagree", "severity": "warning",
            "message": RULES["household_fields_disagree"].message}))
    mism = hh["household_size"].notna() & (hh["household_size"] != hh["members_listed"])
    if mism.any():
        rows = hh[mism.fillna(False)]
        findings.append(pd.DataFrame({
            "year": rows.index.get_level_values(0), "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "column": [headers.get(sf, {}).get("household_size") or "人数"
                       for sf in rows["source_file"]],
            "masked_value": [f"{s} (member rows: {m})" for s, m in
                             zip(rows["household_size"], rows["members_listed"], strict=True)],
            "rule": "household_size_mismatch", "severity": "warning",
            "message": RULES["household_size_mismatch"].message}))
    return hh.reset_index()


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

    Args:
        files: what :func:`huachi_analysis.registry.read.read_export` returned.
        key: the pseudonym key (:func:`huachi_analysis.registry.pseudonym.load_key`).
        geography: township/village resolution (default: the plan geography).

    Returns:
        Conformed ``registry_persons`` and ``registry_households``, ``registry_findings`` with a
        ``primary`` column (the error a quarantined row is counted under), and per-file counts.
    """
    geo = geography or default_geography()
    _unique_source_names(files)
    frames, findings, inputs = [], [], []
    seen_sha: dict[str, str] = {}
    for raw in files:
        rows, parts = _check_file(raw, geo)
        frames.append(rows)
        findings += parts
        dup = seen_sha.get(raw.sha256) if raw.sha256 else None
        seen_sha.setdefault(raw.sha256, raw.source_file)
        findings += _file_level_findings(raw, dup if dup != raw.source_file else None)
    allrows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["_error", "id18", "person_id", "household_id", "year"])

    # keys: persons by resident ID, else household id + person id
    pkey_src = ("id:" + allrows["id18"]).fillna(
        "pid:" + allrows["household_id"].fillna("") + "/" + allrows["person_id"])
    allrows["person_key"] = pseudonymise(pkey_src, key, "person")
    allrows["household_key"] = pseudonymise(allrows["household_id"], key, "household")

    ok = allrows["_error"].isna().to_numpy(dtype=bool)
    dup = np.zeros(len(allrows), dtype=bool)
    if ok.any():
        dup[ok] = allrows.loc[ok].duplicated(["year", "person_key"], keep="first").to_numpy()
    if dup.any():
        d = allrows[dup]
        r = RULES["duplicate_person"]
        findings.append(pd.DataFrame({
            "year": d["year"].to_numpy(), "source_file": d["source_file"].to_numpy(),
            "source_row": d["source_row"].to_numpy(),
            "column": "证件号码", "masked_value": mask_values(d["_id_text"], "id_number").to_numpy(),
            "rule": r.id,
            "severity": r.severity, "message": r.message}))
        allrows.loc[dup, "_error"] = "duplicate_person"
    accepted_mask = allrows["_error"].isna().to_numpy(dtype=bool)
    acc = allrows[accepted_mask]

    headers = {raw.source_file: raw.headers for raw in files}
    households = _household_table(acc, findings, headers)
    persons = metadata.conform(acc.reset_index(drop=True), "registry_persons")
    households = metadata.conform(households, "registry_households")

    fcat = pd.concat([p for p in findings if len(p)], ignore_index=True) if findings else None
    if fcat is None or fcat.empty:
        fcat = metadata.empty("registry_findings")
    fcat = metadata.conform(fcat, "registry_findings")
    # the primary reason of each quarantined row (its first error in rule order)
    prim = allrows.loc[~accepted_mask, ["source_file", "source_row", "_error"]]
    pk = pd.MultiIndex.from_frame(prim.rename(columns={"_error": "rule"}).astype(
        {"source_row": "Int64", "rule": "str", "source_file": "str"}))
    fk = pd.MultiIndex.from_frame(fcat[["source_file", "source_row", "rule"]])
    fcat["primary"] = (fcat["severity"] == "error").to_numpy(bool) & fk.isin(pk)
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
