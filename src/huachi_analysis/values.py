"""What a single cell holds: missing or blank, true or false — defined once for every stage.

* :func:`missing` — no value at all: None, NaN, pandas' NA (and ``"<NA>"``, the text ``str``
  gives for it once a column went through text);
* :func:`blank` — missing, or a text that holds nothing: ``""``, and ``"nan"``/``"<NA>"``
  (what a missing value becomes when a frame is written as text);
* :data:`TRUE_WORDS` / :data:`FALSE_WORDS` — the one true/false vocabulary of the project's
  inputs (plan tables, registry exports, department returns, processed CSVs), compared after
  NFKC folding, trimming and lower-casing (:func:`bool_of`).

This module imports nothing heavy: the briefings' light paths use it.

>>> missing(None), missing(float("nan")), missing(""), blank(""), blank(" x")
(True, True, False, True, False)
>>> bool_of("是"), bool_of(" TRUE "), bool_of("×"), bool_of("maybe")
(True, True, False, None)
"""

from __future__ import annotations

import math
import unicodedata

#: Text read as true (after NFKC folding, trimming and lower-casing).
TRUE_WORDS = ("true", "1", "yes", "y", "t", "是", "√")
#: Text read as false (likewise).
FALSE_WORDS = ("false", "0", "no", "n", "f", "否", "×")
#: word → bool, for vectorised mapping (``Series.map``).
BOOL_WORDS: dict[str, bool] = {**dict.fromkeys(TRUE_WORDS, True),
                               **dict.fromkeys(FALSE_WORDS, False)}
#: Texts that stand for a missing value once a frame went through text.
_MISSING_TEXTS = ("<NA>",)
_BLANK_TEXTS = ("", "nan", "<NA>")


def missing(x: object) -> bool:
    """True for None, NaN and pandas NA."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))  # type: ignore[arg-type]  # raises TypeError for non-numbers
    except (TypeError, ValueError):
        return str(x) in _MISSING_TEXTS


def blank(x: object) -> bool:
    """True for a missing value and for a text holding nothing (``""``, ``"nan"``, ``"<NA>"``)."""
    return missing(x) or str(x) in _BLANK_TEXTS


def number(x: object) -> float | None:
    """``x`` as a float, or None where it is missing (None, NaN, NA).

    >>> number("2.5"), number(float("nan")), number(None)
    (2.5, None, None)
    """
    return None if missing(x) else float(x)  # type: ignore[arg-type]  # a number or its text


def bool_word(text: str) -> str:
    """The form a true/false word is compared in: NFKC-folded, trimmed, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def bool_of(x: object) -> bool | None:
    """True or False for a word of the vocabulary (or a bool, or 1/0); None for anything else
    (a blank cell included): callers decide whether that is an error."""
    if isinstance(x, bool):
        return x
    if blank(x):
        return None
    return BOOL_WORDS.get(bool_word(str(x)))
