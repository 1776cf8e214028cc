"""Numbers the plan writes in words: Chinese numerals (一, 两, 三, 十, 半年 …) and the
"all"-type commitments (全部, 全覆盖, 所有, 每个 …) that the digit-only number check misses.

Both are counted by :mod:`huachi_analysis.plan.numbers`: every occurrence must lie inside a
target ``quote`` or a ledger ``context``.

>>> cn_to_number("两"), cn_to_number("十"), cn_to_number("十三"), cn_to_number("半")
(2, 10, 13, 0.5)
>>> sorted(value_spellings(2))
['2', '两', '二']
>>> [t for t, _, _ in numeral_occurrences("统一标准，一年建设，两年实现搬迁，三相动力电")]
['一', '两']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from huachi_analysis.plan.source_text import format_value, occurrences

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

#: A run of Chinese numeral characters (a trailing 万 belongs to it: 百万亩).
NUMERAL_RE = re.compile(r"[一二两三四五六七八九十百千半]+万?")

#: Words in which numeral characters do not count anything (an idiom, a name, a unit or an
#: ordinal). Every other run of numeral characters in the plan is a number to account for.
NOT_NUMERALS = (
    "统一", "一道", "一批", "进一步", "一体化", "一定", "一般", "一起", "一线", "一把手",
    "第一", "合一", "一票否决", "半农半牧", "五蛟", "三相", "千伏安", "百分点",
)

#: Words that commit to *every* unit (全部, 全覆盖 …) or to a yearly repetition: each
#: occurrence is a target or a ledger row, like a number.
COMMITMENT_WORDS = (
    "全部", "全覆盖", "所有", "户户通", "村村通", "每个", "每户", "每年", "每一名", "每半年",
    "应搬尽搬", "都有",
)


def cn_to_number(s: str) -> float:
    """The value of a Chinese numeral (一 … 九十九, 百, 千, 百万, 半).

    Raises:
        ValueError: ``s`` is not a numeral this function reads.
    """
    if s == "半":
        return 0.5
    if not s or any(c not in _DIGITS and c not in _UNITS for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    total, current = 0, 0
    for c in s:
        if c in _DIGITS:
            current = _DIGITS[c]
        else:
            unit = _UNITS[c]
            if unit == 10000:
                total = (total + current) * unit
            else:
                total += (current or 1) * unit
            current = 0
    return total + current


def cn_spellings(n: int) -> set[str]:
    """How the plan may write the whole number ``n`` (1–99) in Chinese numerals."""
    if not 1 <= n <= 99:
        return set()
    names = {1: ["一"], 2: ["二", "两"], 3: ["三"], 4: ["四"], 5: ["五"], 6: ["六"], 7: ["七"],
             8: ["八"], 9: ["九"]}
    if n < 10:
        return set(names[n])
    tens, ones = divmod(n, 10)
    head = ["十"] if tens == 1 else [f"{t}十" for t in names[tens] if t != "两"]
    tail = [""] if ones == 0 else names[ones][:1]
    return {h + t for h in head for t in tail}


def value_spellings(value: float) -> set[str]:
    """Every way a target value may appear in its quote: digits, or Chinese numerals."""
    out = {format_value(float(value))}
    if float(value).is_integer():
        out |= cn_spellings(int(value))
    return out


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    return [(p, p + len(w)) for w in NOT_NUMERALS for p in occurrences(text, w)]


def numeral_occurrences(text: str) -> Iterator[tuple[str, int, int]]:
    """``(numeral, start, end)`` of every Chinese numeral that counts something."""
    excluded = _excluded_spans(text)
    for m in NUMERAL_RE.finditer(text):
        # drop the characters that belong to an excluded word; what is left counts
        keep = [i for i in range(m.start(), m.end())
                if not any(a <= i < b for a, b in excluded)]
        if not keep:
            continue
        runs: list[list[int]] = []
        for i in keep:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for r in runs:
            token = text[r[0]:r[-1] + 1]
            if token != "万":
                yield token, r[0], r[-1] + 1


def commitment_occurrences(text: str) -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` of every 全部-type commitment word."""
    for w in COMMITMENT_WORDS:
        for p in occurrences(text, w):
            yield w, p, p + len(w)
