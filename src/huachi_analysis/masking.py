"""The one masking function: every value shown to a user (findings, error messages, console
lines, file names in tables) goes through :func:`mask_text`.

It masks

* any run of 6 or more digits, however it is written: separated by spaces, hyphens, dots,
  slashes or brackets, in full-width digits, with ``+86`` in front, with a trailing ``X`` (a
  resident ID). Runs of 11 or more digits keep their first 3 and last 2 characters
  (``139******78``), shorter runs become ``*`` only;
* every personal value it is given (names, IDs, phone numbers seen in the 姓名 / 证件号码 /
  联系电话 columns of the file): kept are its first character and its length (``佘***``);
  a value that holds one only once spaces are removed is masked whole;

and cuts long text to :data:`MAX_SHOWN` characters. Light on purpose (no pandas): the CLI's
error path imports it. The vectorised form over a column, which finds which personal values a
column's values contain, is :class:`huachi_analysis.registry.masking.Masker`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Longest text shown (longer text is cut, with its length).
MAX_SHOWN = 40
#: A run needs this many digits to be masked.
MIN_DIGITS = 6
#: Personal values shorter than this are not looked for (a one-character name would mask
#: every occurrence of a common character).
MIN_PERSONAL = 2

_DIGIT = "0-9\uff10-\uff19"
# between two digits: one comma (3,200), or one or two of space, hyphen, dot, slash, bracket,
# apostrophe or plus (139-8765-4321, 139 8765 4321, (0934) 1234567, +86 139…). Dashes used
# for ranges (2015–2020) are not separators.
_SEP = r"(?:[,\uff0c]|[\s\-\uff0d.\uff0e\u00b7/_'()\uff08\uff09\[\]+\uff0b]{1,2})"
_RUN = re.compile(rf"[{_DIGIT}](?:{_SEP}?[{_DIGIT}])*(?:{_SEP}?[Xx\uff38\uff58](?![A-Za-z]))?")
_IS_DIGIT = re.compile(rf"[{_DIGIT}Xx\uff38\uff58]")
#: Spaces and invisible characters (zero-width spaces and joiners, BOM, soft hyphen) that can
#: hide a name from a comparison.
_SPACE = re.compile(r"[\s\u3000\xa0\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")


def _mask_run(m: re.Match[str]) -> str:
    run = m.group(0)
    chars = _IS_DIGIT.findall(run)
    digits = sum(c not in "Xx\uff38\uff58" for c in chars)
    if digits < MIN_DIGITS:
        return run
    if len(chars) >= 11:
        return "".join(chars[:3]) + "*" * (len(chars) - 5) + "".join(chars[-2:])
    return "*" * len(chars)


def mask_personal(value: str) -> str:
    """A personal value as shown: its first character, then ``*`` for the rest."""
    return value[:1] + "*" * (len(value) - 1)


def compact(text: str) -> str:
    """``text`` folded for comparison: NFKC, no whitespace or invisible characters."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def mask_text(text: object, personal: Iterable[str] = (), *, cut: bool = True) -> str:
    """``text`` safe to show: personal values and long digit runs masked, long text cut.

    Args:
        text: anything; ``None`` gives ``""``.
        personal: personal values (names, IDs, phones of the file) to mask wherever they occur.
        cut: cut text longer than :data:`MAX_SHOWN` characters.
    """
    if text is None:
        return ""
    s = str(text)
    found = sorted({p for p in personal if p and len(p) >= MIN_PERSONAL and len(p.strip()) >=
                    MIN_PERSONAL}, key=len, reverse=True)
    for p in found:
        if p in s:
            s = s.replace(p, mask_personal(p))
    if found:
        folded = compact(s)
        if any(compact(p) in folded for p in found if len(compact(p)) >= MIN_PERSONAL):
            return "*" * min(len(s), 8)  # only visible once spaces are removed: mask it all
    s = _RUN.sub(_mask_run, s)
    if cut and len(s) > MAX_SHOWN:
        s = s[:MAX_SHOWN] + f"…({len(s)} characters)"
    return s


def digit_runs(text: str) -> bool:
    """Whether ``text`` holds a run of :data:`MIN_DIGITS` or more digits (a phone, an ID …)."""
    return any(_mask_run(m) != m.group(0) for m in _RUN.finditer(text))


def safe_text(text: str) -> str:
    """Text that can be printed and written as UTF-8. A file name whose bytes are not UTF-8
    (Python keeps them as surrogate escapes) is decoded as GB18030 when it is that, else its
    undecodable bytes become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")
