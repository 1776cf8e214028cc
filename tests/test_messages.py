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
    bare = re.sub(r"\{[^}]*\}", "", entry["zh"])  # without its placeholders
    assert CJK.search(bare) or not re.search(r"[A-Za-z]{2}", bare), key
    assert re.search(r"[a-z]{2}", entry["en"]), key
    assert _placeholders(entry["zh"]) == _placeholders(entry["en"]), key


def test_both_gives_chinese_then_english():
    out = messages.both("nothing_to_render")
    zh, en = out.split("\n")
    assert CJK.search(zh) and en.startswith("nothing to render")
    with pytest.raises(KeyError, match="messages.yml"):
        messages.text("no_such_message")


def _error_classes() -> set[str]:
    import contextlib
    import importlib
    import pkgutil

    import huachi_analysis
    from huachi_analysis.errors import HuachiError

    for m in pkgutil.walk_packages(huachi_analysis.__path__, "huachi_analysis."):
        if m.name.endswith(("__main__", "cli")):
            continue
        with contextlib.suppress(Exception):  # optional modules; the raise check still sees them
            importlib.import_module(m.name)
    out, todo = set(), [HuachiError]
    while todo:
        c = todo.pop()
        out.add(c.__name__)
        todo += c.__subclasses__()
    return out


def _unlocalised_raises() -> list[str]:
    """``raise SomeHuachiError(…)`` whose message does not come from the catalogue."""
    import ast

    classes = _error_classes()
    bad = []
    for p in sorted(SRC.rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in classes:
                continue
            args = list(node.exc.args) + [k.value for k in node.exc.keywords
                                          if k.arg == "message"]
            uses = any(isinstance(n, ast.Call)
                       and getattr(n.func, "id", "") in ("both", "disk_full_message")
                       for a in args for n in ast.walk(a))
            if not uses:
                bad.append(f"{p.relative_to(SRC)}:{node.lineno} {name}")
    return bad


def test_every_huachi_error_message_comes_from_the_catalogue():
    bad = _unlocalised_raises()
    assert not bad, "raise these with messages.both(key, …):\n" + "\n".join(bad)
