"""Fields and tables of the plan dataset (县委发〔2015〕44号 as data)."""

from __future__ import annotations

from huachi_analysis.metadata.registry import register_field as F
from huachi_analysis.metadata.registry import register_table as T

DOMAINS = (
    "population", "income", "roads", "water", "housing", "electricity", "telecom",
    "relocation", "farmland", "ecology", "environment", "agriculture", "processing",
    "labour", "services", "cooperatives", "education", "health", "culture", "science",
    "social_security", "finance", "governance",
)
SCOPES = (
    "county", "poor_villages", "poor_households", "poor_population", "townships", "township",
    "village", "natural_villages", "other",
)
#: ``=`` a planned quantity written without 以上/以下 (met at or beyond it in the direction of
#: improvement); ``≈`` an approximate figure (约 …), met within the tolerance of
#: ``progress.status.APPROX_TOLERANCE``.
COMPARATORS = ("=", ">=", ">", "<=", "<", "≈")
DIRECTIONS = ("higher", "lower")
#: Target kinds (contract C1; what each means: ``huachi_analysis.plan.kinds``).
TARGET_KINDS = ("baseline", "level", "flow", "cumulative", "yearly_rate", "standing_rule",
                "per_unit", "deadline")
#: The units a per-unit minimum applies to (每户, 每村, 每生 …).
PER_UNITS = ("household", "village", "township", "person", "student", "village_doctor",
             "cadre", "project")
#: Income concepts: the plan's 可支配收入 (disposable) and the registry's 人均纯收入 (net).
INCOME_CONCEPTS = ("disposable", "net", "gross")
AUDIT_KINDS = ("contradiction", "tension", "arithmetic", "naming")
LEDGER_CATEGORIES = ("document_number", "date", "clause_number", "programme_name", "list_count",
                     "policy_parameter", "description", "restatement", "not_measurable",
                     "other")

# --- shared geography -------------------------------------------------------------------
F("township", "string", "Canonical township name (乡/镇) as in plan_townships", nullable=False)
F("village", "string", "Canonical administrative-village name with 村 suffix", nullable=False)
F("township_type", "string", "乡 (xiang) or 镇 (zhen)", allowed=("乡", "镇"), nullable=False)
F("township_pinyin", "string", "Pinyin of the canonical township name", nullable=False)
F("township_en", "string", "English label of the township", nullable=False)
F("aliases", "string", "Every other spelling the plan or exports use, '|'-separated")
F("is_poor_village", "bool", "One of the 56 poor villages of clause 5", nullable=False)
F("exit_year", "int", "Year the plan schedules the village to exit poverty (clause 5)")
F("village_as_written", "string", "The village name exactly as the plan writes it")
F("township_as_written", "string", "The township name exactly as the plan writes it")
F("geography", "string", "华池县, a canonical township, or 'township/village'", nullable=False)

# --- targets ----------------------------------------------------------------------------
F("target_id", "string", "Stable id of one plan target (T-<clause>-<nn>)", nullable=False)
F("indicator_id", "string", "The series a target belongs to; its milestones share it", nullable=False)
F("clause", "string", "Clause of the plan, e.g. 7(3)", nullable=False)
F("domain", "string", "Policy domain", allowed=DOMAINS, nullable=False)
F("indicator_zh", "string", "Indicator name in Chinese", nullable=False)
F("indicator_en", "string", "Indicator name in English", nullable=False)
F("scope", "string", "Population the target is about", allowed=SCOPES, nullable=False)
F("period_start", "int", "First year the target covers")
F("period_end", "int", "Deadline year", nullable=False)
F("target_kind", "string", "What kind of commitment: baseline (a registered fact, never graded), "
  "level, flow (within one year), cumulative (yearly amounts summed), yearly_rate (met in every "
  "year), standing_rule (holds every year from period_start), per_unit (a minimum for every "
  "household/village/…), deadline (done or not done)", allowed=TARGET_KINDS, nullable=False)
F("comparator", "string", "How the actual must compare with value ('=': a planned quantity, "
  "met at or beyond it in the direction of improvement; '≈': approximate, 约)",
  allowed=COMPARATORS)
F("value", "float", "A figure in `unit` (for plan targets: the number as the plan writes it)")
F("unit", "string", "Unit of `value` (for plan targets: as the plan writes it: 万亩, %, 人 …)")
F("value_base", "float", "value converted to unit_base")
F("unit_base", "string", "Normalised unit (mu, people, yuan, percent, kVA, km …)")
F("direction", "string", "Whether a higher or lower actual is better", allowed=DIRECTIONS)
F("per_unit", "string", "per_unit targets: the unit every one of which must meet the minimum "
  "(the actual is the share of these units meeting it, in percent)", allowed=PER_UNITS)
F("year_is_inferred", "bool", "The plan states no year for this target here: period_end is taken "
  "from another sentence, a duration or the plan horizon (2020); see ambiguity", nullable=False)
F("is_approximate", "bool", "The plan writes the figure as approximate (约 …)", nullable=False)
F("income_concept", "string", "Income targets: the concept the plan states (disposable = "
  "可支配收入, net = 纯收入); the registry measures 人均纯收入 (net)", allowed=INCOME_CONCEPTS)
F("quote", "string", "Shortest verbatim span of the plan holding the number", nullable=False)
F("ambiguity", "string", "Where the plan is ambiguous or contradicts itself about this target")

# --- derived facts ----------------------------------------------------------------------
F("derived_id", "string", "Stable id of a derived fact", nullable=False)
F("name_zh", "string", "Name in Chinese", nullable=False)
F("name_en", "string", "Name in English", nullable=False)
F("year", "int", "Calendar year", nullable=False)
F("derived_value", "float", "The computed value", nullable=False)
F("derived_unit", "string", "Unit of derived_value", nullable=False)
F("method", "string", "How the value is computed (formula in words)", nullable=False)
F("inputs", "string", "target_ids the value is computed from, '|'-separated", nullable=False)
F("is_derived", "bool", "Always true: computed by code, not stated in the plan", nullable=False)

# --- audit ------------------------------------------------------------------------------
F("finding_id", "string", "Stable id of an audit finding", nullable=False)
F("kind", "string", "Kind of audit finding: contradiction (two statements that cannot both "
  "hold), tension (statements hard to reconcile), arithmetic (figures that do not add up), "
  "naming (one place written two ways)", allowed=AUDIT_KINDS, nullable=False)
F("description", "string", "What is inconsistent, in words", nullable=False)
F("description_zh", "string", "The description in Chinese", nullable=False)
F("quote_a", "string", "Verbatim plan text of one side", nullable=False)
F("quote_b", "string", "Verbatim plan text of the other side")

# --- non-target numbers ledger ----------------------------------------------------------
F("number", "string", "A number (digits or Chinese numerals) or an all-type commitment word "
  "(全部, 全覆盖, 每个 …) exactly as written in the plan", nullable=False)
F("context", "string", "Verbatim span of the plan around the number", nullable=False)
F("category", "string", "Why the number is not a target",
  allowed=LEDGER_CATEGORIES, nullable=False)
F("reason", "string", "The reason in words", nullable=False)

#: Foreign key of every table with a ``township`` column: one of the plan's 15 townships.
TOWNSHIP_FK = {"township": ("plan_townships", "township")}
#: Foreign key of the tables that evaluate plan targets.
TARGET_FK = {"target_id": ("plan_targets", "target_id")}

T("plan_townships", "The 15 townships of Huachi County with every spelling the plan uses.",
  ["township", "township_type", "township_pinyin", "township_en", "aliases"],
  primary_key=["township"])
T("plan_villages", "Villages the plan names: the 56 poor villages of clause 5 with their "
  "scheduled exit year, and the other villages it names. Keyed by (township, village).",
  ["township", "village", "is_poor_village", "exit_year", "township_as_written",
   "village_as_written", "clause", "quote"],
  primary_key=["township", "village"], foreign_keys=TOWNSHIP_FK)
T("plan_targets", "One row per commitment of the plan (a quantity, a yearly rate, a rule, a "
  "per-unit minimum, a deadline, or a clause-1 baseline), with its kind.",
  ["target_id", "indicator_id", "clause", "domain", "indicator_zh", "indicator_en", "scope",
   "geography", "period_start", "period_end", "target_kind", "comparator", "value", "unit",
   "value_base", "unit_base", "direction", "per_unit", "year_is_inferred", "is_approximate",
   "income_concept", "quote", "ambiguity"],
  primary_key=["target_id"])
T("plan_derived", "Facts computed from the plan's targets by code (never typed in).",
  ["derived_id", "indicator_id", "name_zh", "name_en", "geography", "year", "derived_value",
   "derived_unit", "method", "inputs", "is_derived"],
  primary_key=["derived_id"])
T("plan_audit", "Where the plan is at odds with itself (contradictions, tensions, arithmetic, "
  "naming), with both quotes; ambiguities of single targets stay on the target rows.",
  ["finding_id", "kind", "description", "description_zh", "quote_a", "quote_b"],
  primary_key=["finding_id"])
T("plan_number_ledger", "Numbers (digits, Chinese numerals) and all-type commitment words of "
  "the plan text that are not targets, and why.",
  ["number", "context", "category", "reason"], primary_key=["number", "context"], layer="raw")
