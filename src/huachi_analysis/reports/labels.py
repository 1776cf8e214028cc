"""Labels of the briefings in Chinese (default) and English, from ``labels.yml``.

>>> label("status_achieved"), label("status_achieved", "en")
('已实现', 'Achieved')
>>> label("county_title", "en", year=2016)
'Huachi County poverty-alleviation briefing · 2016'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from huachi_analysis.errors import ParameterError

LANGS = ("zh", "en")
CATALOGUE = Path(__file__).with_name("labels.yml")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """The label catalogue: key → {lang → text}."""
    import yaml

    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for key, entry in data.items():
        missing = [lang for lang in LANGS if lang not in entry]
        if missing:
            raise ValueError(f"{CATALOGUE}: label {key!r} lacks {missing}")
    return data


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`ParameterError` naming the allowed ones."""
    if lang not in LANGS:
        raise ParameterError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt``; the key itself if not catalogued."""
    entry = catalogue().get(key)
    text = entry[check_lang(lang)] if entry else key
    return text.format(**fmt) if fmt else text


def status_label(status: object, lang: str = "zh") -> str:
    """Label of a progress status (``achieved`` → 已实现)."""
    return label(f"status_{status}", lang) if isinstance(status, str) else label("status_no_data", lang)


class Labels:
    """Bound to one language: ``L = Labels("en"); L("sec_headline")``."""

    def __init__(self, lang: str = "zh"):
        self.lang = check_lang(lang)

    def __call__(self, key: str, **fmt: object) -> str:
        return label(key, self.lang, **fmt)

    def status(self, status: object) -> str:
        return status_label(status, self.lang)

    def prefixed(self, prefix: str, value: object) -> str:
        """``prefixed("domain", "roads")`` → label of ``domain_roads`` (the value if absent)."""
        key = f"{prefix}_{value}"
        return self(key) if key in catalogue() else str(value)
