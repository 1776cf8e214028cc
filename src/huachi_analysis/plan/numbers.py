"""Number accounting: every number in the plan is a target or a ledger entry, or it is reported.

A *number* is every match of ``\\d+(?:\\.\\d+)?`` in the text (ASCII digits). An occurrence is
*covered* when it lies wholly inside an occurrence of some target ``quote`` or some ledger
``context`` (both verbatim substrings of the text).

>>> t = "2015年脱贫9897人，贫困面下降到15.55%。"
>>> unaccounted_numbers(t, ["脱贫9897人"], ["2015年"])["number"].tolist()
['15.55']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from huachi_analysis.plan.source_text import (
    NUMBER_RE,
    clause_at,
    clause_spans,
    occurrences,
    snippet,
)


def number_occurrences(text: str) -> pd.DataFrame:
    """Every number in ``text``: ``number``, ``start``, ``end``, ``clause``, ``context``."""
    spans = clause_spans(text)
    rows = [
        {"number": m.group(0), "start": m.start(), "end": m.end(),
         "clause": clause_at(text, m.start(), spans), "context": snippet(text, m.start(), m.end())}
        for m in NUMBER_RE.finditer(text)
    ]
    return pd.DataFrame(rows, columns=["number", "start", "end", "clause", "context"])


def covered_spans(text: str, spans_text: Iterable[str]) -> list[tuple[int, int]]:
    """Every ``(start, end)`` at which one of ``spans_text`` occurs in ``text``."""
    out: list[tuple[int, int]] = []
    for s in {s for s in spans_text if isinstance(s, str) and s}:
        out.extend((i, i + len(s)) for i in occurrences(text, s))
    return sorted(out)


def unaccounted_numbers(text: str, quotes: Iterable[str], contexts: Iterable[str]
                        ) -> pd.DataFrame:
    """The numbers of ``text`` covered neither by a target quote nor by a ledger context.

    Args:
        text: the plan text.
        quotes: the ``quote`` column of ``plan_targets``.
        contexts: the ``context`` column of ``plan_number_ledger``.

    Returns:
        The rows of :func:`number_occurrences` that are not covered, in text order.
    """
    spans = covered_spans(text, [*quotes, *contexts])
    nums = number_occurrences(text)
    if nums.empty:
        return nums
    covered = [any(a <= s and e <= b for a, b in spans) for s, e in zip(nums.start, nums.end,
                                                                        strict=True)]
    return nums[[not c for c in covered]].reset_index(drop=True)


def accounting(text: str, targets: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """:func:`unaccounted_numbers` for the plan's tables (``plan_targets``, ``plan_number_ledger``)."""
    return unaccounted_numbers(text, targets["quote"], ledger["context"])
