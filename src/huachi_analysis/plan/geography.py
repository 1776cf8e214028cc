"""Townships and villages of the plan: name resolution and the clause-5 exit schedule.

:class:`Gazetteer` is built from the two curated tables (``plan_townships``,
``plan_villages``) and resolves the spellings found in the plan and in registry exports:
full-width or ASCII spaces, aliases (五蛟乡 → 五蛟镇, 紫坊 → 紫坊畔乡), a missing 乡/镇 suffix
(乔川 → 乔川乡), a missing 村 suffix (王沟门 → 王沟门村). Villages are keyed by
(township, village) because two villages can share a name (张岔村 in 林镇乡 and in 乔河乡).

The module-level functions (:func:`resolve_township`, :func:`resolve_village`,
:func:`is_poor_village`, :func:`townships`) use the gazetteer of ``data/raw/plan``; they are
re-exported by :mod:`huachi_analysis.geography`.

>>> g = Gazetteer.from_frames(
...     pd.DataFrame({"township": ["五蛟镇"], "aliases": ["五蛟乡|五蛟"]}),
...     pd.DataFrame({"township": ["五蛟镇"], "village": ["南湾村"], "is_poor_village": [True]}))
>>> g.resolve_township(" 五蛟乡 "), g.resolve_township("五蛟"), g.resolve_township("华池")
('五蛟镇', '五蛟镇', None)
>>> g.resolve_village("五蛟乡", "南湾"), g.is_poor_village("五蛟镇", "南湾村")
('南湾村', True)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from huachi_analysis.county import COUNTY_PREFIXES
from huachi_analysis.errors import InputFileError
from huachi_analysis.messages import both

TOWNSHIP_SUFFIXES = ("乡", "镇")
_SPACE_RE = re.compile(r"\s+")


def normalise_name(name: object) -> str:
    """NFKC-fold (full-width → ASCII), drop every kind of space; ``""`` for missing values.

    >>> normalise_name("　乔川 乡 ")
    '乔川乡'
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", str(name)))


def _stem(name: str) -> str:
    for suffix in ("乡(镇)", *TOWNSHIP_SUFFIXES):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _split_aliases(aliases: object) -> list[str]:
    if not isinstance(aliases, str):
        return []
    return [a for a in (normalise_name(x) for x in aliases.split("|")) if a]


@dataclass
class Gazetteer:
    """Name lookups built from the township and village tables (pure; no I/O)."""

    townships: tuple[str, ...]
    _exact: dict[str, str] = field(default_factory=dict)
    _stems: dict[str, str] = field(default_factory=dict)
    _villages: dict[tuple[str, str], bool] = field(default_factory=dict)

    @classmethod
    def from_frames(cls, townships: pd.DataFrame, villages: pd.DataFrame | None = None
                    ) -> Gazetteer:
        """Build from ``plan_townships``-like and ``plan_villages``-like frames.

        Raises:
            ValueError: one spelling would resolve to two townships.
        """
        g = cls(tuple(townships["township"]))
        aliases_col = townships["aliases"] if "aliases" in townships else [None] * len(townships)
        for canon, aliases in zip(townships["township"], aliases_col, strict=True):
            keyed = [(g._exact, s) for s in [normalise_name(canon), *_split_aliases(aliases)]]
            keyed.append((g._stems, _stem(normalise_name(canon))))
            for table, key in keyed:
                if table.get(key, canon) != canon:
                    raise ValueError(
                        f"township spelling {key!r} is claimed by {table[key]!r} and {canon!r}")
                table[key] = canon
        if villages is not None:
            for t, v, poor in zip(villages["township"], villages["village"],
                                  villages["is_poor_village"], strict=True):
                g._villages[(t, v)] = bool(poor)
        return g

    def resolve_township(self, name: object) -> str | None:
        """Canonical township for a spelling, or ``None`` if it names none of the 15."""
        n = normalise_name(name)
        for prefix in COUNTY_PREFIXES:
            if n.startswith(prefix) and len(n) > len(prefix):
                n = n[len(prefix):]
        if not n:
            return None
        return (self._exact.get(n) or self._exact.get(_stem(n)) or self._stems.get(n)
                or self._stems.get(_stem(n)))

    def resolve_village(self, township: object, name: object) -> str | None:
        """Canonical plan village (with 村) in ``township``, or ``None`` if the plan names none."""
        t = self.resolve_township(township)
        n = normalise_name(name)
        if t is None or not n:
            return None
        if n.endswith("村委会"):
            n = n[:-2]
        candidates = [n] if n.endswith("村") else [n + "村", n]
        for c in candidates:
            if (t, c) in self._villages:
                return c
        return None

    def is_poor_village(self, township: object, village: object) -> bool:
        """True if (township, village) is one of the 56 poor villages of clause 5."""
        t = self.resolve_township(township)
        v = self.resolve_village(township, village)
        return bool(t and v and self._villages.get((t, v), False))


# --- the default gazetteer of data/raw/plan ----------------------------------------------------

def _raw_plan(raw: Path | None) -> Path:
    from huachi_analysis import paths

    return (Path(raw) if raw is not None else paths.RAW) / "plan"


@cache
def _gazetteer(plan_dir: Path) -> Gazetteer:
    from huachi_analysis.plan import load

    try:
        return Gazetteer.from_frames(load.townships(plan_dir.parent), load.villages(plan_dir.parent))
    except ValueError as exc:
        raise InputFileError(plan_dir / "townships.csv",
                             both("township_table_invalid", detail=str(exc))) from exc


def gazetteer(raw: Path | None = None) -> Gazetteer:
    """The gazetteer of ``<raw>/plan`` (``data/raw/plan`` by default), cached per folder."""
    return _gazetteer(_raw_plan(raw).resolve())


def resolve_township(name: str) -> str | None:
    """Canonical township name for ``name`` (alias, short form, odd spaces), or ``None``.

    >>> resolve_township("五蛟乡"), resolve_township("乔川"), resolve_township("紫坊")
    ('五蛟镇', '乔川乡', '紫坊畔乡')
    """
    return gazetteer().resolve_township(name)


def resolve_village(township: str, name: str) -> str | None:
    """Canonical plan village (with 村) of ``township``, or ``None`` if the plan does not name it.

    >>> resolve_village("乔河乡", "张岔"), resolve_village("林镇乡", "张岔村")
    ('张岔村', '张岔村')
    """
    return gazetteer().resolve_village(township, name)


def is_poor_village(township: str, village: str) -> bool:
    """True if the village is one of the 56 poor villages of clause 5.

    >>> is_poor_village("五蛟乡", "杜右手"), is_poor_village("山庄乡", "尚湾村")
    (True, False)
    """
    return gazetteer().is_poor_village(township, village)


def townships() -> tuple[str, ...]:
    """The 15 canonical township names in the order of ``townships.csv``."""
    return gazetteer().townships


def __getattr__(name: str):  # TOWNSHIPS is read lazily from data/raw/plan/townships.csv
    if name == "TOWNSHIPS":
        return townships()
    raise AttributeError(name)
