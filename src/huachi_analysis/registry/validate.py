"""Validation rules of registry ingest, each with its own vectorised check.

Each :class:`Rule` is either an *error* (the row is quarantined: it is not in the processed
tables, and ``registry_findings`` says why) or a *warning* (the row is kept; a finding is
recorded). Rules are listed in precedence order: a quarantined row is counted in
``quarantine_reasons`` under its first error. ``docs/validation_rules.md`` is generated from
:data:`RULES` by :func:`rules_markdown`.

A rule that looks at the rows of one file holds its ``check``: a function of the file's
normalised columns (:class:`~.file_check.FileCheck`, each computed once) returning the
:class:`~.file_check.Hit` s it flags; :func:`.checks.check_file` is a loop over the rules.
Rules that compare rows (duplicates, household consistency: :mod:`.households`, :mod:`.ingest`)
or whole files (:mod:`.findings`, :mod:`.required_columns`) have no row check here. The
normalisers behind the checks are :mod:`.normalise` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from huachi_analysis.county import COUNTY
from huachi_analysis.metadata.fields_registry import CAUSES, HOUSEHOLD_TYPES
from huachi_analysis.registry.file_check import (
    FLAG_FIELDS,
    FileCheck,
    Hit,
)
from huachi_analysis.registry.normalise import (  # noqa: F401  (re-exported)
    ABSURD_INCOME,
    BIRTH_YEAR_RANGE,
    CAUSE_MAP,
    EXIT_STATUS_MAP,
    EXIT_YEAR_RANGE,
    FLAG_MAP,
    HOUSEHOLD_TYPE_MAP,
    MAX_HOUSEHOLD_SIZE,
    age_band,
    broadcast,
    check_resident_ids,
    factorize,
    map_category,
    map_unique,
    needs_normalising,
    nfkc,
    normalise_codes,
    normalise_ids,
    normalise_village,
    parse_number,
    resident_id_table,
)

#: A rule's row check: the file's columns in, what it flags out.
Check = Callable[[FileCheck], list[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" (row quarantined) or "warning" (row kept)
    column: str | None  # canonical field the rule looks at (None: file level)
    message: str  # what was expected; never contains a value from the data
    why: str  # why this severity
    #: the rule's vectorised check of one file's rows (None: checked across rows or files)
    check: Check | None = None


# ---- the checks (one a rule; a warning's rows are cut to the rows kept by the loop) -------

def _wrong_county(fc: FileCheck) -> list[Hit]:
    wrong = fc.county_wrong
    return [] if wrong is None else [Hit(wrong, fc.col("county"))]


def _unknown_township(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.township.isna().to_numpy(dtype=bool), fc.col("township"))]


def _missing_village(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.col("village").isna().to_numpy(dtype=bool), fc.col("village"))]


def _invalid_village(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.villages.invalid, fc.col("village"))]


def _missing_household_id(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.household_id.isna().to_numpy(dtype=bool), fc.col("household_id"))]


def _invalid_year(fc: FileCheck) -> list[Hit]:
    return [Hit(~fc.year_ok, fc.col("year"))]


def _person_unidentifiable(fc: FileCheck) -> list[Hit]:
    return [Hit(~fc.has_id & fc.person_id.isna().to_numpy(dtype=bool), fc.col("id_number"))]


def _unknown_exit_status(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.exit_status[1], fc.col("exit_status"))]


def _income_not_a_number(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.income[1], fc.col("income_per_capita"))]


def _negative_income(fc: FileCheck) -> list[Hit]:
    return [Hit((fc.income[0] < 0).fillna(False).to_numpy(dtype=bool),
                fc.col("income_per_capita"))]


def _absurd_income(fc: FileCheck) -> list[Hit]:
    return [Hit((fc.income[0] > ABSURD_INCOME).fillna(False).to_numpy(dtype=bool),
                fc.col("income_per_capita"))]


def _invalid_id_number(fc: FileCheck) -> list[Hit]:
    ids = fc.col("id_number")
    return [Hit(ids.notna().to_numpy(bool) & ~fc.has_id, ids)]


def _missing_id_number(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.col("id_number").isna().to_numpy(bool) & fc.has("id_number"))]


def _per_value_message(rule_id: str, extra: Callable[[int], str]
                       ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def describe(first_rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
        msg = RULES[rule_id].message
        return np.array([f"{msg} ({extra(r)}{c} row(s) in this file)"
                         for r, c in zip(first_rows, counts, strict=True)], dtype=object)

    return describe


def _village_not_in_plan(fc: FileCheck) -> list[Hit]:
    """One finding per (township, village) of the file, on its first row."""
    towns = fc.township.to_numpy(dtype=object)
    return [Hit(~fc.village_in_plan, fc.village, per_value=(
        fc.villages.codes, _per_value_message("village_not_in_plan", lambda r: f"{towns[r]}; ")))]


def _unknown_household_type(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.household_type[1], fc.col("household_type"))]


def _unknown_main_cause(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.main_cause[1], fc.col("main_cause"))]


def _unknown_flag(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.flags[flag][1], fc.col(flag), field=flag) for flag in FLAG_FIELDS]


def _invalid_household_size(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.household_size[1], fc.col("household_size"))]


def _invalid_exit_year(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.registry_exit_year[1], fc.col("registry_exit_year"))]


def _invalid_months_away(fc: FileCheck) -> list[Hit]:
    return [Hit(fc.months_away[1], fc.col("months_away"))]


def _missing_income(fc: FileCheck) -> list[Hit]:
    if not fc.has("income_per_capita"):
        return []
    income, bad = fc.income
    return [Hit(income.isna().to_numpy(bool) & ~bad)]


def _unknown_code(fc: FileCheck) -> list[Hit]:
    """One finding per file, coded column and value that is none of its codes."""
    return [Hit(c.unknown, fc.col(name), field=name,
                per_value=(c.codes, _per_value_message("unknown_code", lambda r: "")))
            for name, c in fc.coded.items() if c.unknown is not None and c.codes is not None]


_R = [
    Rule("wrong_county", "error", "county", f"县 must be {COUNTY}",
         "a row of another county would be counted in Huachi's totals",
         check=_wrong_county),
    Rule("unknown_township", "error", "township",
         "乡(镇) must be one of the county's 15 townships (aliases such as 五蛟乡 accepted)",
         "every figure is reported by township; a row that cannot be placed cannot be counted",
         check=_unknown_township),
    Rule("missing_village", "error", "village", "行政村 must not be empty",
         "village exit (the plan's unit) cannot be measured for a row without a village",
         check=_missing_village),
    Rule("invalid_village", "error", "village",
         "行政村 must name a village: a village the plan does not name must not hold a run of "
         "6 or more digits or a value of the file's 姓名, 证件号码 or 联系电话 column",
         "such a value is personal data typed into the wrong column, not a place; kept, it "
         "would be written into the processed tables as a village name",
         check=_invalid_village),
    Rule("missing_household_id", "error", "household_id", "户编号 must not be empty",
         "households are counted and linked across years by 户编号; subtotal and note rows in "
         "the middle of an export also end here",
         check=_missing_household_id),
    Rule("invalid_year", "error", "year",
         "年度 must be a year 2010-2035 (or the file name, title or --year must give one)",
         "the row cannot be placed in a yearly table",
         check=_invalid_year),
    Rule("person_unidentifiable", "error", "id_number",
         "a person needs a valid 证件号码 or a 人编号",
         "without either the person cannot be keyed, de-duplicated or followed across years",
         check=_person_unidentifiable),
    Rule("unknown_exit_status", "error", "exit_status",
         "脱贫属性 must be 未脱贫, 已脱贫, 返贫 or a system code 0, 1, 3, 4",
         "exit status is the outcome the whole analysis measures; guessing it would bias it",
         check=_unknown_exit_status),
    Rule("income_not_a_number", "error", "income_per_capita",
         "人均纯收入 must be a number (yuan per person and year)",
         "income decides exit against the poverty line; a date or text there is a broken row",
         check=_income_not_a_number),
    Rule("negative_income", "error", "income_per_capita", "人均纯收入 must be ≥ 0",
         "net income per capita below zero is a typing error in the registry",
         check=_negative_income),
    Rule("absurd_income", "error", "income_per_capita",
         f"人均纯收入 above {ABSURD_INCOME:,} yuan per person and year is not credible for a "
         "registered household",
         "a misplaced digit would lift mean incomes and exits; the row needs checking",
         check=_absurd_income),
    Rule("duplicate_person", "error", "id_number",
         "the same person (证件号码, else 户编号+人编号) appears more than once in one year; the "
         "first row is kept",
         "a person counted twice inflates poverty headcounts"),
    Rule("invalid_id_number", "warning", "id_number",
         "证件号码 must be an 18-character resident ID with a valid check digit and birth date, "
         "or a 20-character disability-certificate number (ID + category 1-7 + grade 1-4)",
         "the person is still identified by 人编号; only sex and birth year are left empty",
         check=_invalid_id_number),
    Rule("missing_id_number", "warning", "id_number", "证件号码 is empty",
         "the person is identified by 人编号; sex and birth year are left empty",
         check=_missing_id_number),
    Rule("village_not_in_plan", "warning", "village",
         "行政村 is not one of the villages the plan names; kept with its name normalised "
         "(trimmed, 村 suffix) and counted as a non-poor village",
         "the plan names only its poor villages and a few others, while the registry has "
         "households in every village; one finding per township and village, not per row",
         check=_village_not_in_plan),
    Rule("unknown_household_type", "warning", "household_type",
         "贫困户属性 must be " + ", ".join(HOUSEHOLD_TYPES) + " (or 低保户, 五保户)",
         "the household still counts; its type is left empty",
         check=_unknown_household_type),
    Rule("unknown_main_cause", "warning", "main_cause",
         "主要致贫原因 must be one of " + ", ".join(CAUSES),
         "the household still counts; its cause is left empty",
         check=_unknown_main_cause),
    Rule("unknown_flag", "warning", None, "a 是/否 column must hold 是 or 否 (or 1/0, Y/N)",
         "the household still counts; the flag is left empty",
         check=_unknown_flag),
    Rule("invalid_household_size", "warning", "household_size",
         f"人数 must be a whole number from 1 to {MAX_HOUSEHOLD_SIZE}",
         "members are counted from member rows; the stated size is only compared (a larger "
         "figure is a phone or ID number typed into the column, and is not kept)",
         check=_invalid_household_size),
    Rule("invalid_exit_year", "warning", "registry_exit_year",
         f"脱贫年度 must be a year {EXIT_YEAR_RANGE[0]}-{EXIT_YEAR_RANGE[1]}",
         "exit timing is also derived from yearly status; the registry's own year is left empty",
         check=_invalid_exit_year),
    Rule("invalid_months_away", "warning", "months_away", "务工时间（月） must be a number 0-12",
         "a member-level detail; left empty",
         check=_invalid_months_away),
    Rule("missing_income", "warning", "income_per_capita", "人均纯收入 is empty",
         "the household counts but cannot be compared with the poverty line",
         check=_missing_income),
    Rule("household_size_mismatch", "warning", "household_size",
         "人数 differs from the number of accepted member rows of the household",
         "exports filtered by status legitimately drop members; members_listed keeps the count "
         "of rows, household_size the stated figure. One finding per household"),
    Rule("household_fields_disagree", "warning", None,
         "a household-level column differs between member rows of one household; the value on "
         "the head's row (户主), else the first row, is used",
         "a disagreement is a data-quality finding, not something to average away; one finding "
         "per household and column"),
    Rule("unknown_code", "warning", None,
         "a coded member column (与户主关系, 民族, 文化程度, 在校生状况, 健康状况, 劳动技能, "
         "务工状况) holds a value that is none of its codes; it is stored as 其他",
         "the text as typed never reaches a table (it may be a name or phone number typed into "
         "the wrong column); one finding per file, column and value, with its number of rows",
         check=_unknown_code),
    Rule("unknown_column", "warning", None, "a column the ingest does not know; it is ignored",
         "extra columns are common in exports; their content is never written anywhere"),
    Rule("missing_column", "warning", None,
         "a column some indicators need (人均纯收入, 主要致贫原因, 危房户, 饮水安全) is missing "
         "after header aliases; those indicators have no data for the file's year(s)",
         "the rows still count persons and households; the build summary, "
         "registry_summary.json and the briefing's data section say so loudly, with the "
         "header found closest and how to map it (data/raw/header_aliases.csv)"),
    Rule("duplicate_file", "warning", None,
         "the file has the same content as another input; its rows are quarantined as "
         "duplicate_person",
         "the same export copied twice must not double the counts"),
]
RULES: dict[str, Rule] = {r.id: r for r in _R}
ERROR_RULES = [r.id for r in _R if r.severity == "error"]


def rules_markdown() -> str:
    """The rules as the Markdown table of ``docs/validation_rules.md``."""
    lines = ["| # | rule | severity | column | what is expected | why this severity |",
             "|---|---|---|---|---|---|"]
    for i, r in enumerate(_R, 1):
        lines.append(f"| {i} | `{r.id}` | {r.severity} | {r.column or '(several)'} | "
                     f"{r.message} | {r.why} |")
    return "\n".join(lines)
