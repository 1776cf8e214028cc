"""Page 1 when the year has no poverty line: the income checks were not done.

Without a poverty line for the year (none in the analyst's poverty-line input table,
``data/raw/inputs/poverty_lines.csv``) the progress step cannot count households below the
line and skips the two exit-audit checks that need it (``INCOME_FINDINGS``). Page 1 says so,
so that a small exit-audit count is not read as "incomes are fine". No poverty-line figure is
ever made up here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from huachi_analysis.reports import tables as T

if TYPE_CHECKING:
    from huachi_analysis.reports.briefing import Briefing

#: Exit-audit findings that compare an income with the year's poverty line.
INCOME_FINDINGS = ("exited_below_line", "above_line_not_exited")


def has_line(b: Briefing) -> bool:
    """The briefing's year has a poverty line."""
    return T.poverty_line(b.data["poverty_lines"], b.year) is not None


def concern(b: Briefing) -> str | None:
    """The 需要关注 line of a year without a poverty line (None when the year has one)."""
    if has_line(b):
        return None
    L = b.L
    checks = L("quoted_sep").join(L("quoted", text=L.inline(L.code("finding", f)))
                                  for f in INCOME_FINDINGS)
    return L("concern_no_poverty_line", year=b.year, checks=checks)

