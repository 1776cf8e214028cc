"""Row-level checks of one export file: a loop over the rules of :data:`.validate.RULES` that
hold a check, then the rows kept. Pure: a :class:`~.read.RawFile` in, a frame of checked rows
and findings out.

Every column is normalised once, per distinct value (:class:`~.file_check.FileCheck`), and
shared by the rules that look at it and by what is kept; no Python work per row. What is kept
is never the text as typed where it could be personal data: coded columns keep their codes
(:mod:`.vocab`), numbers are parsed and bounded, IDs only give sex and an age band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis.registry.file_check import FileCheck, Geography
from huachi_analysis.registry.findings import Findings
from huachi_analysis.registry.masking import Masker
from huachi_analysis.registry.pseudonym import KeyIndex
from huachi_analysis.registry.read import RawFile
from huachi_analysis.registry.validate import RULES, Check

__all__ = ["Geography", "check_file"]


def _row_rules(severity: str) -> tuple[tuple[str, Check], ...]:
    """(rule id, check) of the rules with a row check of ``severity``, in precedence order."""
    return tuple((r.id, r.check) for r in RULES.values()
                 if r.severity == severity and r.check is not None)


#: Rules with a row check: errors (a row's first error is its reason), then warnings.
ROW_ERRORS = _row_rules("error")
ROW_WARNINGS = _row_rules("warning")


def check_file(raw: RawFile, geo: Geography, persons: KeyIndex, households: KeyIndex,
               masker: Masker) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Every row check of every rule, normalisation and pseudonyms of one file → (checked
    rows, findings with unmasked values)."""
    fc = FileCheck(raw, geo, persons, households, masker)
    fnd = Findings(raw, fc.finding_year)
    err_any = np.zeros(fc.n, dtype=bool)
    primary = np.full(fc.n, None, dtype=object)
    flagged: set[str] = set()
    for rule_id, check in ROW_ERRORS:
        for hit in check(fc):
            if hit.mask.any():
                primary[hit.mask & ~err_any] = rule_id
                err_any |= hit.mask
                flagged.add(rule_id)
            fnd.add(rule_id, hit.mask, hit.field, hit.shown)
    ok = ~err_any  # warnings only for rows that are kept
    for rule_id, check in ROW_WARNINGS:
        for hit in check(fc):
            if hit.per_value is not None:
                codes, describe = hit.per_value
                fnd.add_per_value(rule_id, ok & hit.mask, codes, hit.shown, hit.field, describe)
            else:
                fnd.add(rule_id, ok & hit.mask, hit.field, hit.shown)
    return fc.kept(primary, flagged.__contains__), fnd.parts
