"""Fields and tables of the processed poverty registry (建档立卡), the ingest quarantine and the
indicator actuals. Personal data (姓名, 证件号码, 联系电话) has no field here: it never leaves
ingest. Keys are keyed pseudonyms (HMAC-SHA256 with the project's secret key)."""

from __future__ import annotations

from huachi_analysis.metadata.fields_plan import TOWNSHIP_FK
from huachi_analysis.metadata.registry import register_field as F
from huachi_analysis.metadata.registry import register_table as T

EXIT_STATUSES = ("未脱贫", "已脱贫", "返贫")
HOUSEHOLD_TYPES = ("一般贫困户", "低保贫困户", "特困供养贫困户")
CAUSES = ("因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金",
          "交通条件落后", "自身发展动力不足", "其它")
#: Age bands of registry_persons (age in the data year): preschool, compulsory schooling,
#: working age, old age. The birth year itself is not kept (see the field).
AGE_BANDS = ((0, 5, "0-5"), (6, 15, "6-15"), (16, 59, "16-59"), (60, 150, "60+"))

F("household_key", "string", "Pseudonymous household key (from 户编号)", nullable=False)
F("person_key", "string", "Pseudonymous person key (from 证件号码, else 人编号)", nullable=False)
F("village_is_poor", "bool", "The village is one of the plan's 56 poor villages", nullable=False)
F("sex", "string", "Derived from the resident ID before pseudonymisation",
  allowed=("男", "女"))
F("age_band", "string", "Age in the data year, by band, derived from the resident ID before "
  "pseudonymisation (the birth year is not kept: with village, sex and relation to the head "
  "it singles out a third of the persons)", allowed=tuple(b for _, _, b in AGE_BANDS))
F("relation", "string", "与户主关系 (relation to head), as a code (其他 for a value outside "
  "the codes)")
F("ethnicity", "string", "民族, as a code (其他 for a value outside the codes)")
F("education", "string", "文化程度, as a code (其他 for a value outside the codes)")
F("schooling", "string", "在校生状况, as a code (其他 for a value outside the codes)")
F("health", "string", "健康状况, as a code (其他 for a value outside the codes)")
F("labour", "string", "劳动技能, as a code (其他 for a value outside the codes)")
F("migrant_work", "string", "务工状况, as a code (其他 for a value outside the codes)")
F("months_away", "float", "务工时间（月）", unit="months")
F("critical_illness_insurance", "bool", "参加大病医疗")
F("household_size", "int", "人数 as the export states it (1-50; empty otherwise)",
  unit="people")
F("members_listed", "int", "Member rows of the household in the export", unit="people")
F("household_type", "string", "贫困户属性 (older forms mapped: 低保户→低保贫困户, 五保户→特困供养贫困户)",
  allowed=HOUSEHOLD_TYPES)
F("main_cause", "string", "主要致贫原因", allowed=CAUSES)
F("exit_status", "string", "脱贫属性 normalised (codes 1 and 4 → 已脱贫)", allowed=EXIT_STATUSES,
  nullable=False)
F("exit_status_code", "string", "脱贫属性 as exported (text or system code), NFKC-folded")
F("registry_exit_year", "int", "脱贫年度 (exit year recorded in the registry)")
F("income_per_capita", "float", "人均纯收入, household per-capita net income", unit="yuan/year",
  minimum=0)
F("dangerous_house", "bool", "危房户")
F("safe_water", "bool", "饮水安全")
F("water_difficulty", "bool", "饮水困难")
F("is_synthetic", "bool", "Built from synthetic (generated) data, not a real export",
  nullable=False)
F("source_file", "string", "File name the row was read from (no folders; a person's name, ID "
  "or phone number in it masked)", nullable=False)
F("source_row", "int", "Spreadsheet row number in that file (1-based, as Excel shows it)",
  nullable=False)

T("registry_persons", "One row per registered person and year (member rows of the export).",
  ["year", "person_key", "household_key", "township", "village", "village_is_poor", "sex",
   "age_band", "relation", "ethnicity", "education", "schooling", "health", "labour",
   "migrant_work", "months_away", "critical_illness_insurance", "is_synthetic", "source_file",
   "source_row"],
  primary_key=["year", "person_key"], foreign_keys=TOWNSHIP_FK)
T("registry_households", "One row per registered household and year; household-level fields "
  "taken from its member rows (which must agree).",
  ["year", "household_key", "township", "village", "village_is_poor", "household_size",
   "members_listed", "household_type", "main_cause", "exit_status", "exit_status_code",
   "registry_exit_year", "income_per_capita", "dangerous_house", "safe_water",
   "water_difficulty", "is_synthetic"],
  primary_key=["year", "household_key"], foreign_keys=TOWNSHIP_FK)

# --- ingest findings (quarantine and warnings) -------------------------------------------
F("column", "string", "The column (export header) the finding is about")
F("masked_value", "string", "The offending value, masked when it is personal data")
F("rule", "string", "Validation rule id", nullable=False)
F("rule_zh", "string", "The rule in Chinese words, as the build's account and the briefings "
  "say it (e.g. 行政村为空)")
F("severity", "string", "error: row quarantined; warning: row kept, finding recorded",
  allowed=("error", "warning"), nullable=False)
F("message", "string", "What was expected, in words", nullable=False)
F("finding_year", "int", "Data year of the row the finding is about (its 年度, else the file's "
  "year); empty when neither can be told (never 0)")
F("primary", "bool", "This error is the one the quarantined row is counted under in the "
  "summary's quarantine_reasons (its first error in rule order); false for warnings and for "
  "further errors of the same row", nullable=False)
T("registry_findings", "Every ingest finding: errors (row quarantined) and warnings (row kept). "
  "Counting rows with primary = true by rule gives the summary's quarantine_reasons.",
  ["finding_year", "source_file", "source_row", "column", "masked_value", "rule", "rule_zh",
   "severity", "message", "primary", "is_synthetic"],
  personal_note="one row per finding on a row of an export (file, row, masked value)")

# --- sources (indicator actuals: metadata/fields_actuals.py) -----------------------------
F("source", "string", "Who reported it (department, document); 'synthetic' for generated data",
  nullable=False)

# --- inputs ------------------------------------------------------------------------------
F("poverty_line", "float", "National rural poverty line, current prices (empty: no line "
  "known for the year)", unit="yuan/year")
F("rural_population", "float", "Rural (agricultural registered) population", unit="people",
  nullable=False)
T("poverty_lines", "National rural poverty line by year, with sources (input table).",
  ["year", "poverty_line", "source"], primary_key=["year"], layer="raw",
  not_null=["poverty_line"])
T("rural_population", "Rural population by township and year (input table; the denominator "
  "of township and county poverty incidence).",
  ["year", "township", "rural_population", "source"], primary_key=["year", "township"],
  layer="raw", foreign_keys=TOWNSHIP_FK)
T("village_population", "Rural population by administrative village and year (input table; the "
  "denominator of village poverty incidence and so of village exit).",
  ["year", "township", "village", "rural_population", "source"],
  primary_key=["year", "township", "village"], layer="raw", foreign_keys=TOWNSHIP_FK)
