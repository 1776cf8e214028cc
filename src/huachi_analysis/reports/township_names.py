"""Township names as a person types them on the command line (``--townships``).

Accepted, for each township of ``plan_townships``: the Chinese name with or without 镇/乡
(``南梁镇``, ``南梁``) and its aliases (``五蛟乡``); the pinyin with or without ``zhen``/``xiang``,
in any case and spacing (``nanliang``, ``Nanliang Zhen``, ``nanliang-zhen``); the English name
with or without ``Town``/``Township`` (``Nanliang Town``). A near miss raises
:class:`~huachi_analysis.errors.ParameterError` with a "did you mean" naming the Chinese and the
pinyin; anything else lists every township.

>>> rows = [{"township": "南梁镇", "township_pinyin": "Nanliang Zhen",
...          "township_en": "Nanliang Town", "aliases": "南梁"},
...         {"township": "五蛟镇", "township_pinyin": "Wujiao Zhen",
...          "township_en": "Wujiao Town", "aliases": "五蛟乡|五蛟"}]
>>> n = TownshipNames(rows)
>>> [n.resolve(x) for x in ("nanliang", "NANLIANG ZHEN", "南梁", "Nanliang Town", "五蛟乡")]
['南梁镇', '南梁镇', '南梁镇', '南梁镇', '五蛟镇']
>>> n.resolve("nanlian")
Traceback (most recent call last):
...
huachi_analysis.errors.ParameterError: 未知的乡镇“nanlian”；是否指 南梁镇（Nanliang Zhen）？
unknown township 'nanlian'; did you mean 南梁镇 (Nanliang Zhen)?
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from huachi_analysis.errors import ParameterError
from huachi_analysis.messages import both

CJK_SUFFIXES = ("乡(镇)", "镇", "乡")
LATIN_SUFFIXES = ("township", "xiang", "zhen", "town")
#: Separators between names in ``--townships`` (ASCII and Chinese commas, 、, semicolons).
SEPARATORS = re.compile(r"[,，、;；]")
#: How close a near miss must be to be suggested (difflib ratio).
CUTOFF = 0.6
#: Near misses suggested besides the closest: at most this much less close.
MARGIN = 0.1


def normalise(name: object) -> str:
    """NFKC, lower case, no spaces, hyphens, apostrophes or dots: ``Huai'an Xiang`` →
    ``huaianxiang``."""
    s = unicodedata.normalize("NFKC", str(name or "")).lower()
    return re.sub(r"[\s\-'’.·_]+", "", s)


def _stems(key: str) -> set[str]:
    out = {key}
    for suffix in (*CJK_SUFFIXES, *LATIN_SUFFIXES):
        if key.endswith(suffix) and len(key) > len(suffix):
            out.add(key[: -len(suffix)])
    return out


def split_names(spec: str) -> list[str]:
    """``"柔远镇，nanliang"`` → ``["柔远镇", "nanliang"]`` (empty parts dropped)."""
    return [p.strip() for p in SEPARATORS.split(spec or "") if p.strip()]


class TownshipNames:
    """Every accepted spelling of each township (rows like ``plan_townships``)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.keys: dict[str, str] = {}
        for row in rows:
            canonical = str(row["township"])
            names = [canonical, row.get("township_pinyin"), row.get("township_en")]
            aliases = row.get("aliases")
            if isinstance(aliases, str):
                names += aliases.split("|")
            for n in names:
                if n is None or (isinstance(n, float)) or not str(n).strip():
                    continue
                for key in _stems(normalise(n)):
                    # a spelling shared by two townships resolves to neither
                    if self.keys.get(key, canonical) != canonical:
                        self.keys[key] = ""
                    else:
                        self.keys[key] = canonical

    def display(self, township: str, lang: str = "zh") -> str:
        """``南梁镇（Nanliang Zhen）`` (zh) / ``南梁镇 (Nanliang Zhen)`` (en)."""
        for row in self.rows:
            if row["township"] == township and isinstance(row.get("township_pinyin"), str):
                p = row["township_pinyin"]
                return f"{township}（{p}）" if lang == "zh" else f"{township} ({p})"
        return township

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """Townships whose spellings are close to ``name``, closest first."""
        key = normalise(name)
        scored = sorted(((difflib.SequenceMatcher(None, key, k).ratio(), k)
                         for k, v in self.keys.items() if v), reverse=True)
        best = scored[0][0] if scored else 0.0
        out: list[str] = []
        for score, k in scored:  # the closest, and those nearly as close
            if score < max(CUTOFF, best - MARGIN):
                break
            if self.keys[k] not in out:
                out.append(self.keys[k])
        return out[:n]

    def resolve(self, name: str) -> str:
        """The canonical name of the township ``name`` spells.

        Raises:
            ParameterError: no township is spelt so; says which ones come close, or lists all.
        """
        key = normalise(name)
        found = self.keys.get(key)
        if found:
            return found
        near = self.suggestions(name)
        if near:
            listed = {lang: ("、" if lang == "zh" else ", ").join(self.display(t, lang)
                                                                 for t in near)
                      for lang in ("zh", "en")}
            raise ParameterError(both("unknown_township_hint", name=name.strip(),
                                      suggestions=listed))
        allowed = {lang: ("、" if lang == "zh" else ", ").join(
            self.display(str(r["township"]), lang) for r in self.rows) for lang in ("zh", "en")}
        raise ParameterError(both("unknown_township", name=name.strip(), allowed=allowed))
