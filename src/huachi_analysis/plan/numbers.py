"""Number accounting: every number and every all-type commitment of the plan is a target or a
ledger entry, or it is reported.

Three forms are counted (``form`` column):

* ``digits`` — every match of ``\\d+(?:\\.\\d+)?`` (ASCII digits);
* ``numeral`` — every Chinese numeral that counts something (一年建设, 五个机构, 半年 …; the
  rule and its exceptions: :mod:`huachi_analysis.plan.numerals`);
* ``commitment`` — every all-type word (全部, 全覆盖, 所有, 每个, 每年 …).

An occurrence is *covered* when it lies wholly inside an occurrence of some target ``quote``
or some ledger ``context`` (both verbatim substrings of the text).

>>> t = "2015年脱贫9897人，贫困面下降到15.55%。三无老人全部纳入。"
>>> unaccounted_numbers(t, ["脱贫9897人"], ["2015年"])["number"].tolist()
['15.55', '三', '全部']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from huachi_analysis.plan.numerals import commitment_occurrences, numeral_occurrences
from huachi_analysis.plan.source_text import (
    NUMBER_RE,
    clause_at,
    clause_spans,
    occurrences,
    snippet,
)

COLUMNS = ["number", "form", "start", "end", "clause", "context"]


def _frame(text: str, found: Iterable[tuple[str, str, int, int]]) -> pd.DataFrame:
    spans = clause_spans(text)
    rows = [{"number": tok, "form": form, "start": s, "end": e,
             "clause": clause_at(text, s, spans), "context": snippet(text, s, e)}
            for tok, form, s, e in found]
    return pd.DataFrame(rows, columns=COLUMNS)


def number_occurrences(text: str) -> pd.DataFrame:
    """Every number written in digits: ``number``, ``form``, ``start``, ``end``, ``clause``,
    ``context``."""
    return _frame(text, ((m.group(0), "digits", m.start(), m.end())
                         for m in NUMBER_RE.finditer(text)))


def word_occurrences(text: str) -> pd.DataFrame:
    """Every Chinese numeral that counts something and every all-type commitment word."""
    found = [(tok, "numeral", s, e) for tok, s, e in numeral_occurrences(text)]
    found += [(w, "commitment", s, e) for w, s, e in commitment_occurrences(text)]
    return _frame(text, sorted(found, key=lambda f: (f[2], f[3])))


def all_occurrences(text: str) -> pd.DataFrame:
    """Digits, numerals and commitment words, in text order."""
    both = pd.concat([number_occurrences(text), word_occurrences(text)], ignore_index=True)
    return both.sort_values(["start", "end"], kind="stable").reset_index(drop=True)


def covered_spans(text: str, spans_text: Iterable[str]) -> list[tuple[int, int]]:
    """Every ``(start, end)`` at which one of ``spans_text`` occurs in ``text``."""
    out: list[tuple[int, int]] = []
    for s in {s for s in spans_text if isinstance(s, str) and s}:
        out.extend((i, i + len(s)) for i in occurrences(text, s))
    return sorted(out)


def unaccounted_numbers(text: str, quotes: Iterable[str], contexts: Iterable[str]
                        ) -> pd.DataFrame:
    """The numbers and commitment words of ``text`` covered neither by a target quote nor by a
    ledger context.

    Args:
        text: the plan text.
        quotes: the ``quote`` column of ``plan_targets``.
        contexts: the ``context`` column of ``plan_number_ledger``.

    Returns:
        The rows of :func:`all_occurrences` that are not covered, in text order.
    """
    spans = covered_spans(text, [*quotes, *contexts])
    occ = all_occurrences(text)
    if occ.empty:
        return occ
    covered = [any(a <= s and e <= b for a, b in spans) for s, e in zip(occ.start, occ.end,
                                                                        strict=True)]
    return occ[[not c for c in covered]].reset_index(drop=True)


def accounting(text: str, targets: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """:func:`unaccounted_numbers` for the plan's tables (``plan_targets``, ``plan_number_ledger``)."""
    return unaccounted_numbers(text, targets["quote"], ledger["context"])
