"""Labels of the briefings in Chinese (default) and English, from ``labels.yml``.

Every word a briefing prints comes from the catalogue: section titles, column headers, and the
label of every *code* the data holds — units (``unit_natural_villages``), statuses
(``status_on_track``), ingest rules (``rule_village_not_in_plan``), severities, exit-audit
findings (``finding_…``), plan-audit kinds (``audit_…``), domains, causes, comparators. A code
without a label raises :class:`LabelError`; it never falls back to the code, so an English code
cannot slip into a Chinese page. ``tests/test_reports_labels.py`` lists every code the project's
data can hold (from the field registry, the rule table, the plan tables) and checks each one.

>>> label("status_achieved"), label("status_achieved", "en")
('已实现', 'Achieved')
>>> label("county_title", "en", year=2016)
'Huachi County poverty-alleviation briefing · 2016'
>>> Labels("zh").quantity(9.12, "percent", 2), Labels("en").quantity(56, "villages")
('9.12%', '56 villages')
>>> Labels("en").quantity(1, "natural_villages"), Labels("en").target(">=", 1, "people")
('1 natural village', '≥ 1 person')
>>> Labels("zh").target(">=", 600_000_000, "yuan"), Labels("zh").target("=", 115_550, "mu")
('≥6亿元', '11.555万亩')
>>> Labels("zh").target(">=", 100, "percent"), Labels("zh").quantity(84_300, "mu", scale="万")
('100%', '8.43万亩')
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from huachi_analysis.errors import HuachiError, ParameterError
from huachi_analysis.messages import both
from huachi_analysis.values import blank
from huachi_analysis.values import number as as_float

LANGS = ("zh", "en")
#: English units in the singular (after the number 1).
SINGULAR = {"persons": "person", "households": "household", "villages": "village",
            "natural villages": "natural village", "townships": "township",
            "person-times": "person-time", "percentage points": "percentage point",
            "years": "year", "months": "month", "times a year": "time a year"}
#: First words of English labels that stay capitalised inside a sentence (names).
KEEP_CAPITAL = frozenset({"Huachi", "Nanliang", "Rouyuan", "Yuele", "Qingyang", "Gansu",
                          "China", "Chinese", "Dafengchuan", "Internet", "I"})
CATALOGUE = Path(__file__).with_name("labels.yml")


class LabelError(HuachiError, KeyError):
    """A key (or a code of a vocabulary) has no label in the catalogue."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else ""


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """The label catalogue: key → {lang → text}."""
    from huachi_analysis import yaml_files

    data = yaml_files.load(CATALOGUE)
    for key, entry in data.items():
        missing = [lang for lang in LANGS if lang not in entry]
        if missing:
            raise ValueError(f"{CATALOGUE}: label {key!r} lacks {missing}")
    return data


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`ParameterError` naming the allowed ones."""
    if lang not in LANGS:
        raise ParameterError(both("unknown_language", lang=lang, allowed=", ".join(LANGS)))
    return lang


def has_label(key: str) -> bool:
    return key in catalogue()


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt``.

    Raises:
        LabelError: ``key`` is not in the catalogue.
    """
    entry = catalogue().get(key)
    if entry is None:
        raise LabelError(both("no_label", key=key, catalogue=CATALOGUE.name))
    text = entry[check_lang(lang)]
    return text.format(**fmt) if fmt else text



def status_label(status: object, lang: str = "zh") -> str:
    """Label of a progress status (``achieved`` → 已实现); a missing status is ``no_data``."""
    return label(f"status_{'no_data' if blank(status) else status}", lang)


def decimals_of(value: object) -> int:
    """Decimals of a number as written (``9.12`` → 2, ``56.0`` → 0, ``886.1`` → 1).

    >>> decimals_of(9.12), decimals_of(56.0), decimals_of("0.50"), decimals_of(None)
    (2, 0, 2, 0)
    """
    if blank(value):
        return 0
    if isinstance(value, str):
        text = value.strip()
    else:
        x = as_float(value)
        if x is None:
            return 0
        text = repr(x)  # shortest round-trip form: 9.12 → '9.12'
        if "e" in text or "E" in text:
            text = f"{x:f}".rstrip("0")
        if text.endswith(".0"):
            return 0
    return len(text.split(".", 1)[1]) if "." in text else 0


def plan_decimals(value: object, value_base: object) -> int:
    """Decimals that show ``value_base`` at the precision the plan wrote ``value`` with.

    ``value`` is the number as the plan writes it in its own unit (2.78 万人), ``value_base``
    the same in the base unit (27,800 people): the scale between them removes decimals.

    >>> plan_decimals(9.12, 9.12), plan_decimals(2.78, 27800.0), plan_decimals(886.1, 886.1)
    (2, 0, 1)
    """
    d = decimals_of(value)
    try:
        v, b = float(value), float(value_base)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return d
    if blank(v) or blank(b) or v == 0 or b == 0:
        return d
    shift = round(math.log10(abs(b / v)))
    return max(0, d - shift)


def number(value: object, decimals: int = 0) -> str:
    """``value`` with thousands separators and ``decimals`` decimals; '—' when missing."""
    if blank(value):
        return "—"
    try:
        return f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


class Labels:
    """Bound to one language: ``L = Labels("en"); L("sec_headline")``."""

    def __init__(self, lang: str = "zh"):
        self.lang = check_lang(lang)

    def __call__(self, key: str, **fmt: object) -> str:
        return label(key, self.lang, **fmt)

    def status(self, status: object) -> str:
        return status_label(status, self.lang)

    def code(self, prefix: str, value: object, missing: str = "—") -> str:
        """Label of a code of a vocabulary: ``code("unit", "natural_villages")`` → 个自然村.
        A missing value gives ``missing``; an uncatalogued code raises :class:`LabelError`."""
        if blank(value):
            return missing
        return self(f"{prefix}_{value}")

    #: Same as :meth:`code` (older name).
    prefixed = code

    def inline(self, text: str) -> str:
        """A label or name put inside an English sentence starts in lower case (``Poverty
        incidence`` → ``poverty incidence``) unless its first word is a proper name or an
        acronym (``Nanliang``, ``GDP``: a capital followed by a capital, or by a letter of a
        name listed in :data:`KEEP_CAPITAL`). Chinese is returned as it is.

        >>> Labels("en").inline("Poverty incidence"), Labels("en").inline("GDP growth")
        ('poverty incidence', 'GDP growth')
        """
        if self.lang != "en" or len(text) < 2 or not text[0].isupper() or not text[1].islower():
            return text
        if text.split(" ", 1)[0].strip(",;:'") in KEEP_CAPITAL:
            return text
        return text[0].lower() + text[1:]

    def unit(self, unit: object) -> str:
        """Label of a ``unit_base`` (empty for none)."""
        return self.code("unit", unit, missing="")

    def quantity(self, value: object, unit: object = None, decimals: int = 0,
                 exact: bool = False, scale: str | None = None) -> str:
        """A number with its unit as the language writes it: ``9.12%`` / ``56个村`` (zh),
        ``56 villages`` (en); done/not-done values as 是/否. '—' when missing.

        Chinese writes large amounts in 万 and 亿 as the plan does (``50万亩``, ``6亿元``):
        with ``exact`` (a plan figure) every digit of ``decimals`` is kept, so the plan's
        figure comes back as written (115,550 亩 → ``11.555万亩``); otherwise (a measured
        value) two decimals at most. ``scale`` (``万`` or ``亿``, Chinese only) writes a
        measured value in the unit the plan wrote its target in, whatever its size
        (84,300 亩 beside a target of 10万亩 → ``8.43万亩``; under one 万 it stays in the
        base unit: ``800亩``).
        """
        unit = None if blank(unit) else unit
        if blank(value):
            return "—"
        if unit in ("yes_no", "是/否"):
            return self("yes") if float(value) >= 1 else self("no")  # type: ignore[arg-type]
        shift = 4 if scale == "万" else 8
        if (scale in ("万", "亿") and self.lang == "zh" and unit not in self.UNSCALED
                and (exact or abs(float(value)) >= 10 ** shift)):  # type: ignore[arg-type]
            # (a plan figure as the plan wrote it; a measured value under one 万 stays in
            # the base unit: 800亩, not 0.08万亩)
            digits = decimals + shift if exact else 2
            text = f"{float(value) / 10 ** shift:.{digits}f}"  # type: ignore[arg-type]
            text = (text.rstrip("0").rstrip(".") if "." in text else text) + scale
        else:
            text = self._scaled(float(value), unit, decimals, exact)  # type: ignore[arg-type]
        u = self.unit(unit)
        if not u:
            return text
        if u == "%" or self.lang == "zh":
            return f"{text}{u}"
        if text in ("1", "1.0", "-1"):  # one person, one natural village
            u = SINGULAR.get(u, u)
        return f"{text} {u}"

    #: Units never written in 万/亿 (rates, prices, years).
    UNSCALED = ("percent", "percentage_points", "yuan_per_month", "years")

    def _scaled(self, value: float, unit: object, decimals: int, exact: bool) -> str:
        if self.lang != "zh" or unit in self.UNSCALED or abs(value) < 100_000:
            return number(value, decimals)
        shift, word = (8, "亿") if abs(value) >= 100_000_000 else (4, "万")
        digits = decimals + shift if exact else 2
        text = f"{value / 10 ** shift:.{digits}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + word

    def target(self, comparator: object, value: object, unit: object, decimals: int = 0,
               scale: str | None = None) -> str:
        """A plan target: ``≤9.12%``, ``约4,200人``, ``≥ 11,000 yuan``; '—' without a value."""
        unit = None if blank(unit) else unit
        if blank(value):
            return self("done") if unit in ("yes_no", "是/否") else "—"
        sign = self.code("comparator", comparator, missing="")
        if unit == "percent" and comparator in (">=", "=") and str(value) in ("100", "100.0"):
            sign = ""  # 100 % cannot be exceeded: "≥100%" reads as 100%
        q = self.quantity(value, unit, decimals, exact=True, scale=scale)
        if not sign:
            return q
        return f"{sign}{q}" if self.lang == "zh" else f"{sign} {q}"
