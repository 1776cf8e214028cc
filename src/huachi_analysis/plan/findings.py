"""Shared helpers of the plan audit: one finding, and the verbatim phrase around a match.

A finding has a stable id ``A-<check>-<key>``, a ``kind`` (contradiction, tension, arithmetic,
naming), a description in English and in Chinese, and two verbatim spans of the plan.
"""

from __future__ import annotations

#: Characters that end a phrase of the plan (list separators 、 do not).
DELIMS = "，。；：\n（）"


def finding(check: str, key: str, kind: str, description: str, description_zh: str,
            quote_a: str, quote_b: str | None) -> dict:
    """One ``plan_audit`` row."""
    return {"finding_id": f"A-{check}-{key}", "kind": kind, "description": description,
            "description_zh": description_zh, "quote_a": quote_a, "quote_b": quote_b}


def phrase(text: str, start: int, end: int, min_len: int = 10) -> str:
    """The verbatim phrase around ``text[start:end]``: out to the nearest ，。；：newline or
    bracket on either side (list separators 、 and the 乡（镇） of a word do not end a phrase);
    a phrase shorter than ``min_len`` takes in the phrase before it.

    >>> phrase("甲，2015年完成乔川、元城等2个乡（镇），乙", 5, 7)
    '2015年完成乔川、元城等2个乡（镇）'
    """
    a = start
    while a > 0 and (text[a - 1] not in DELIMS or text[a - 2:a + 1] == "乡（镇"
                     or text[a - 3:a] == "（镇）"):
        a -= 1
    b = end
    while b < len(text) and (text[b] not in DELIMS or text[b - 1:b + 2] == "乡（镇"
                             or text[b - 2:b + 1] == "（镇）"):
        b += 1
    if b - a < min_len and a > 1:
        a -= 1
        while a > 0 and text[a - 1] not in DELIMS:
            a -= 1
    return text[a:b].strip()


def fmt(value: float, digits: int = 0) -> str:
    """A figure for a sentence: thousands separated, ``digits`` decimals, no trailing .0.

    >>> fmt(5761.3), fmt(5.47, 2), fmt(12000.0)
    ('5,761', '5.47', '12,000')
    """
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
