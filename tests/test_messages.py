"""The CLI message catalogue: every message the code uses is there, in Chinese and English,
with the same placeholders in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from huachi_analysis import messages

SRC = Path(messages.__file__).resolve().parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _placeholders(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def used_keys() -> set[str]:
    """Keys passed to messages.both / text / msg anywhere under src/."""
    pat = re.compile(r"\b(?:both|text|msg|MSG|HuachiError\.from_key|m)\(\s*\"([a-z0-9_]+)\"")
    keys: set[str] = set()
    for p in SRC.rglob("*.py"):
        src = p.read_text(encoding="utf-8")
        if "messages" in src:
            keys |= set(pat.findall(src))
    return keys


def test_every_used_message_is_catalogued():
    keys = used_keys()
    assert keys, "no use of the catalogue found"
    missing = sorted(keys - set(messages.catalogue()))
    assert not missing, f"messages.yml lacks {missing}"


@pytest.mark.parametrize("key", sorted(messages.catalogue()))
def test_each_message_in_both_languages_with_the_same_placeholders(key):
    entry = messages.catalogue()[key]
    assert CJK.search(entry["zh"]), key
    assert re.search(r"[a-z]{2}", entry["en"]), key
    assert _placeholders(entry["zh"]) == _placeholders(entry["en"]), key


def test_both_gives_chinese_then_english():
    out = messages.both("nothing_to_render")
    zh, en = out.split("\n")
    assert CJK.search(zh) and en.startswith("nothing to render")
    with pytest.raises(KeyError, match="messages.yml"):
        messages.text("no_such_message")
