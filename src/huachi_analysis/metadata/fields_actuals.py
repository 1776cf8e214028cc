"""Fields and tables of the department figures and published statistics (issue 10, contract C4).

Reused from other files (never redefined here): ``indicator_id``, ``year``, ``geography``,
``value``, ``unit``, ``source``, ``is_synthetic``, ``source_file``, ``source_row``, ``column``,
``masked_value``, ``rule``, ``severity``, ``message``, ``finding_year``.
"""

from __future__ import annotations

from huachi_analysis.metadata import fields_plan, fields_registry  # noqa: F401  (fields reused)
from huachi_analysis.metadata.registry import register_field as F
from huachi_analysis.metadata.registry import register_table as T

#: Where an actual comes from: a department's return (workbook or long CSV) or a published
#: statistic (``public_statistics.csv``, contract C5).
ORIGINS = ("department", "published")

F("origin", "string", "department (a department's return) or published (an official "
  "published statistic, public_statistics.csv)", allowed=ORIGINS, nullable=False)
F("source_sheet", "string", "Worksheet the row was read from (empty for a CSV)")
F("finding_row", "int", "Row of the finding as Excel or a text editor shows it (a CSV's header "
  "is row 1); empty for a finding about the whole file")
F("finding_subject", "string", "The row's target_id (workbooks) or indicator_id (long CSV), as "
  "written")

T("indicator_actuals", "Figures reported by departments (fill-in workbooks, long CSVs) and "
  "published statistics, long form, validated against the plan. Done/not-done values are 1 (是) "
  "or 0 (否) with unit yes_no. Each row keeps its file, sheet and row.",
  ["indicator_id", "year", "geography", "value", "unit", "source", "origin", "is_synthetic",
   "source_file", "source_sheet", "source_row"],
  primary_key=["indicator_id", "year", "geography", "unit", "origin", "is_synthetic"])
T("actuals_findings", "Every problem found in data/raw/actuals/: errors (the cell or row is "
  "quarantined, the build goes on) and warnings (the value is kept).",
  ["source_file", "source_sheet", "finding_row", "column", "masked_value", "finding_subject",
   "finding_year", "rule", "severity", "message", "is_synthetic"])
