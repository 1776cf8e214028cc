"""Messages of the command line in Chinese with English alongside, from one catalogue.

Every sentence the ``huachi`` commands print for a person to read — errors, warnings, the
build's account — is an entry of ``messages.yml`` (``key: {zh: …, en: …}``, the same two
placeholders in both). :func:`both` gives the Chinese line followed by the English one, which
is what the CLI prints; :func:`text` one language. ``tests/test_messages.py`` checks that every
key the code uses exists, with the same placeholders in both languages.

>>> text("unknown_township_hint", "en", name="nanlian", suggestions="南梁镇 (Nanliang Zhen)")
"unknown township 'nanlian'; did you mean 南梁镇 (Nanliang Zhen)?"
>>> both("unknown_township_hint", name="x", suggestions="南梁镇").splitlines()[0]
'未知的乡镇“x”；是否指 南梁镇？'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).with_name("messages.yml")
LANGS = ("zh", "en")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """key → {"zh": …, "en": …}."""
    from huachi_analysis import yaml_files

    data = yaml_files.load(CATALOGUE)
    for key, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != set(LANGS):
            raise ValueError(f"{CATALOGUE}: message {key!r} must have exactly zh and en")
    return data


def has(key: str) -> bool:
    """Whether the catalogue has message ``key``."""
    return key in catalogue()


def text(key: str, lang: str = "zh", /, **fmt: object) -> str:
    """Message ``key`` in ``lang`` with its placeholders filled. A value given as
    ``{"zh": …, "en": …}`` fills the placeholder with its ``lang`` part.

    Raises:
        KeyError: no such message (add it to messages.yml, zh and en).
    """
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in {CATALOGUE.name}: add it (zh and en)")
    values = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in fmt.items()}
    return entry[lang].format(**values) if values else entry[lang]


def both(key: str, /, **fmt: object) -> str:
    """The Chinese message, then the English one on the next line."""
    zh, en = text(key, "zh", **fmt), text(key, "en", **fmt)
    return zh if zh == en else f"{zh}\n{en}"


def one_line(key: str, /, **fmt: object) -> str:
    """The Chinese message, `` · ``, then the English one, on one line (the build's and the
    ingest's account lines)."""
    return text(key, "zh", **fmt) + " · " + text(key, "en", **fmt)


#: How each language joins the parts of a build line: clauses, list items, years.
SEPARATORS = {"clause": {"zh": "；", "en": "; "}, "list": {"zh": "，", "en": ", "},
              "enum": {"zh": "、", "en": ", "}}


def join(items: Iterable[object], lang: str, kind: str = "clause") -> str:
    """``items`` joined as ``lang`` joins that ``kind`` of part (:data:`SEPARATORS`)."""
    return SEPARATORS[kind][lang].join(map(str, items))


def step_lines(zh: str, en: str) -> str:
    """A build step's summary: the Chinese line, then the English one, indented (``huachi
    build`` prints it after the step's label and adds the time at the end)."""
    return f"{zh}\n  {en}"


_CJK = re.compile(r"[\u4e00-\u9fff]")


def split_languages(message: str) -> tuple[str, str, str] | None:
    """``(zh, en, rest)`` of a message made by :func:`both` (a Chinese line, an English line,
    then detail lines, which are indented), or ``None`` for a message in one language."""
    lines = str(message).split("\n")
    if len(lines) >= 2 and _CJK.search(lines[0]) and lines[1] and not lines[1][0].isspace():
        return lines[0], lines[1], "\n".join(lines[2:])
    return None
