"""The plan text (县委发〔2015〕44号) as a string, and where its clauses begin and end.

Pure helpers over the text; reading the file is :func:`huachi_analysis.plan.load.text`.

>>> t = "4.明确阶段目标。2015年脱贫9897人。\\n5.确定脱贫时序。\\n(1)村道硬化。"
>>> [(c.label, t[c.start:c.start + 2]) for c in clause_spans(t)]
[('4', '4.'), ('5', '5.'), ('5(1)', '(1')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A number, as the targets brief defines it: every match of this pattern counts.
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

# A clause header starts a line (after spaces, including the full-width one): "4." / " 8." for a
# clause, "(3)" / "（3）" for an item of the clause before it.
_CLAUSE_RE = re.compile(r"^[ \t\u3000]*(\d{1,2})\.(?!\d)", re.M)
_ITEM_RE = re.compile(r"^[ \t\u3000]*[（(](\d{1,2})[）)]", re.M)


@dataclass(frozen=True)
class ClauseSpan:
    """One clause or item of the plan: its label (``"4"``, ``"7(3)"``) and character span."""

    label: str
    start: int
    end: int


def clause_spans(text: str) -> list[ClauseSpan]:
    """The clauses and items of the plan in text order, each with its character span.

    A clause runs from its header to the next header (clause or item). Text before the first
    header (title, preamble, 一、总体要求) has no span.
    """
    heads: list[tuple[int, str, str]] = []
    for m in _CLAUSE_RE.finditer(text):
        heads.append((m.start(), "clause", m.group(1)))
    for m in _ITEM_RE.finditer(text):
        heads.append((m.start(), "item", m.group(1)))
    heads.sort()
    spans: list[ClauseSpan] = []
    current = ""
    for i, (pos, kind, num) in enumerate(heads):
        if kind == "clause":
            current = num
            label = num
        else:
            label = f"{current}({num})" if current else f"({num})"
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        spans.append(ClauseSpan(label, pos, end))
    return spans


def clause_at(text: str, pos: int, spans: list[ClauseSpan] | None = None) -> str:
    """The label of the clause holding character ``pos`` ("" before the first clause)."""
    for span in spans if spans is not None else clause_spans(text):
        if span.start <= pos < span.end:
            return span.label
    return ""


def clause_text(text: str, label: str) -> str:
    """The text of one clause or item (``"5"``, ``"7(2)"``). A clause includes its items.

    Raises:
        KeyError: no clause has that label.
    """
    spans = clause_spans(text)
    hits = [s for s in spans if s.label == label]
    if not hits:
        raise KeyError(f"the plan has no clause {label!r}; clauses: {[s.label for s in spans]}")
    start = hits[0].start
    end = hits[0].end
    if "(" not in label:  # extend over the clause's items
        for s in spans:
            if s.start >= start and (s.label == label or s.label.startswith(f"{label}(")):
                end = max(end, s.end)
    return text[start:end]


def occurrences(text: str, needle: str) -> list[int]:
    """Every start position of ``needle`` in ``text`` (overlapping matches included)."""
    if not needle:
        return []
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def snippet(text: str, start: int, end: int, width: int = 12) -> str:
    """``text[start:end]`` with ``width`` characters either side, newlines shown as ⏎."""
    s = text[max(0, start - width): end + width]
    return s.replace("\n", "⏎")


def format_value(value: float) -> str:
    """A target value as the plan writes it: no trailing zeros, integers without ``.0``.

    >>> format_value(16.5), format_value(100.0), format_value(11.555)
    ('16.5', '100', '11.555')
    """
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".")
