"""Fields and tables of the progress engine (owned by the progress engine; see issue 4).

Reused from other files (never redefined here): ``year``, ``township``, ``village``,
``geography``, ``indicator_id``, ``target_id``, ``exit_year``, ``value``, ``unit``,
``unit_base``, ``household_key``, ``exit_status``, ``income_per_capita``, ``poverty_line``,
``description``, ``is_synthetic``.
"""

from __future__ import annotations

from huachi_analysis.metadata import fields_plan, fields_registry  # noqa: F401  (fields reused)
from huachi_analysis.metadata.fields_plan import TARGET_FK, TOWNSHIP_FK
from huachi_analysis.metadata.registry import register_field as F
from huachi_analysis.metadata.registry import register_table as T

#: Statuses of a target or trajectory point (rules: ``huachi_analysis.progress.status``).
STATUSES = ("achieved", "on_track", "at_risk", "off_track", "missed", "incomplete", "no_data",
            "not_due", "baseline")
LEVELS = ("county", "township", "village")
SCHEDULE_STATUSES = ("on_schedule", "early", "late", "not_yet", "no_data")
AUDIT_FINDINGS = (
    "exited_below_line", "exited_dangerous_house", "exited_unsafe_water",
    "above_line_not_exited", "exited_then_poor_without_return", "return_without_prior_exit",
    "exit_year_in_future", "exit_year_changed",
)

F("level", "string", "Geographic level of the row", allowed=LEVELS, nullable=False)
F("breakdown", "string", "Category the value is broken down by (main cause for the cause mix); "
  "empty for totals")
F("note", "string", "Why a value is missing or how it was obtained, in words")
F("actual", "float", "The actual used, in the target's unit_base (cumulative targets: sum of "
  "yearly actuals from period_start to the evaluation year, empty while a year is missing; "
  "per-unit targets: share of units meeting the minimum, percent; done/not done: 1 = 是, "
  "0 = 否; baseline: the registry's figure for the base year)")
F("target", "float", "The target value in unit_base (value_base of the plan target)")
F("pct_achieved", "float", "完成度: actual ÷ target × 100, for higher-is-better numeric targets "
  "only (empty for lower-is-better, done/not-done, baseline and incomplete rows); bounded to "
  "0 … 1,000", unit="percent")
F("progress_ratio", "float", "Observed ÷ required progress on a straight path from the baseline "
  "(the plan's base-year figure where it states one) to the target; decides on_track (≥ 0.95), "
  "at_risk (≥ 0.5) or off_track before the deadline; bounded to −1 … 10")
F("gap", "float", "Distance still to go in unit_base (percentage points for rates), in the "
  "direction of improvement (higher-is-better: target − actual; lower-is-better: actual − "
  "target); ≤ 0 when met. Baseline rows: registry figure − plan figure")
F("status", "string", "Progress status (rules in docs/progress_method.md)", allowed=STATUSES)
F("years_missing", "string", "Years of a summed or yearly series without a reported figure, "
  "'|'-separated (e.g. 2016|2017)")
F("years_not_met", "string", "Yearly rates and standing rules: years whose figure did not meet "
  "the target, '|'-separated")
F("actual_origin", "string", "Where the figures used came from: registry, department or "
  "published ('|'-separated when mixed)")
F("actual_is_synthetic", "bool", "Any figure used is synthetic (generated) data")
F("actual_provenance", "string", "数据来源 of the figures used, with file, sheet and row where "
  "known")
F("series", "string", "Which series of the indicator the row belongs to: milestones (level and "
  "flow targets, stated or interpolated), yearly (a yearly rate or standing rule), or "
  "cumulative_<start>_<end> (one cumulative target's path from zero)", nullable=False)
F("share_of_county", "float", "Township actual as a percent of the county actual (additive "
  "indicators under a county-only target)", unit="percent")
F("planned", "float", "Planned value for the year in unit_base (stated or interpolated)")
F("planned_is_derived", "bool", "The planned value is interpolated, not stated in the plan")
F("incidence", "float", "Poverty incidence: poor persons ÷ rural population × 100",
  unit="percent")
F("exit_threshold", "float", "Incidence below which a poor village counts as exited",
  unit="percent", nullable=False)
F("actual_exit_year", "int", "First year the village's incidence fell below the threshold")
F("exited", "bool", "The village has exited (incidence below threshold) by the row's year",
  nullable=False)
F("relapsed", "bool", "After exiting, the incidence rose to the threshold or above again")
F("schedule_status", "string", "Exit compared with the plan's schedule", allowed=SCHEDULE_STATUSES,
  nullable=False)
F("finding", "string", "Kind of exit-audit finding", allowed=AUDIT_FINDINGS, nullable=False)

T("progress_registry", "Registry indicators by year and geography (county, each township, each "
  "poor village), long form; values computed from registry_households (persons = members_listed).",
  ["indicator_id", "year", "level", "geography", "breakdown", "value", "unit", "note",
   "is_synthetic"],
  primary_key=["indicator_id", "year", "geography", "breakdown"])
T("progress_targets", "Every plan target against its actual as of a report year (`year`), with "
  "status. Township rows under a county-only target carry actuals and shares, no target.",
  ["target_id", "indicator_id", "year", "geography", "actual", "target", "pct_achieved",
   "progress_ratio", "gap", "status", "years_missing", "years_not_met", "share_of_county",
   "note", "actual_origin", "actual_is_synthetic", "actual_provenance"],
  primary_key=["target_id", "year", "geography"], foreign_keys=TARGET_FK)
T("progress_trajectory", "Planned (stated or interpolated) against actual, per indicator, "
  "series, year and geography, with the status of each year as of the report year.",
  ["indicator_id", "year", "geography", "series", "target_id", "planned",
   "planned_is_derived", "actual", "status", "unit_base", "note"],
  primary_key=["indicator_id", "geography", "series", "year"], foreign_keys=TARGET_FK)
T("village_exits", "Each poor village's exit (incidence below the threshold) against the plan's "
  "schedule, as of each report year (`year`).",
  ["year", "township", "village", "geography", "exit_year", "actual_exit_year", "incidence",
   "exit_threshold", "exited", "relapsed", "schedule_status", "note", "is_synthetic"],
  primary_key=["year", "township", "village"], foreign_keys=TOWNSHIP_FK)
T("exit_audit", "Households whose registry status contradicts their income, housing, water or "
  "their own history (pseudonymous household keys only).",
  ["year", "household_key", "township", "village", "finding", "exit_status", "income_per_capita",
   "poverty_line", "description", "is_synthetic"],
  primary_key=["year", "household_key", "finding"], foreign_keys=TOWNSHIP_FK)

# ---- aggregates the briefings read instead of household rows (progress/briefing_tables.py) ----
F("households", "int", "Registered households counted (income tables: households with a "
  "per-capita income; exit_audit_counts: households with the finding)", nullable=False)
F("income_min", "float", "Lowest per-capita income among the households", unit="yuan/year")
F("income_max", "float", "Highest per-capita income among the households", unit="yuan/year")
F("income_p25", "float", "First quartile of per-capita income (exact, linear interpolation as "
  "numpy.percentile)", unit="yuan/year")
F("income_median", "float", "Median per-capita income of the households (unweighted; exact)",
  unit="yuan/year")
F("income_p75", "float", "Third quartile of per-capita income (exact, linear interpolation)",
  unit="yuan/year")
F("income_whisker_low", "float", "Lower end of the box-plot whisker: the lowest income not "
  "below p25 − 1.5 × IQR (matplotlib's rule)", unit="yuan/year")
F("income_whisker_high", "float", "Upper end of the box-plot whisker: the highest income not "
  "above p75 + 1.5 × IQR", unit="yuan/year")
F("outlier_households", "int", "Households whose income lies beyond the whiskers (listed in "
  "income_outliers)")
F("households_below_line", "int", "Households with per-capita income below the year's poverty "
  "line (empty for a year without a line in poverty_lines)")
F("bin", "int", "Histogram bin, 0 = lowest: equal-width bins from the lowest to the highest "
  "income, min(40, max(10, households ÷ 15)) of them", nullable=False)
F("income_lower", "float", "Lower edge of the bin (included)", unit="yuan/year", nullable=False)
F("income_upper", "float", "Upper edge of the bin (excluded, except for the last bin)",
  unit="yuan/year", nullable=False)

T("income_summary", "Per-capita income of the registered households by year and geography "
  "(county, each township): count, quartiles, box-plot whiskers, households below the poverty "
  "line. What the briefings' box plots and income tables read instead of registry_households.",
  ["year", "level", "geography", "households", "income_min", "income_whisker_low", "income_p25",
   "income_median", "income_p75", "income_whisker_high", "income_max", "outlier_households",
   "households_below_line", "poverty_line", "is_synthetic"],
  primary_key=["year", "geography"])
T("income_outliers", "The per-capita incomes beyond the box-plot whiskers by year and geography "
  "(the dots of the briefings' box plots): each distinct income once, with its households.",
  ["year", "level", "geography", "income_per_capita", "households", "is_synthetic"],
  primary_key=["year", "geography", "income_per_capita"])
T("income_distribution", "Histogram of registered households' per-capita income by year and "
  "geography (county, each township); every bin listed, empty ones with 0 households.",
  ["year", "level", "geography", "bin", "income_lower", "income_upper", "households",
   "is_synthetic"],
  primary_key=["year", "geography", "bin"])
T("exit_audit_counts", "Exit-audit findings counted by year, township and finding (households); "
  "what the briefings read instead of exit_audit.",
  ["year", "township", "finding", "households", "is_synthetic"],
  primary_key=["year", "township", "finding"], foreign_keys=TOWNSHIP_FK)
