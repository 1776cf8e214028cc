"""Township and village names of Huachi County, resolved against the plan's gazetteer.

Thin public entry point for other stages (registry ingest, progress): the implementation and
the data are in :mod:`huachi_analysis.plan.geography` (``data/raw/plan/townships.csv`` and
``villages.csv``).

>>> from huachi_analysis.geography import resolve_township, resolve_village
>>> resolve_township("五蛟乡"), resolve_village("五蛟乡", "杜右手")
('五蛟镇', '杜右手村')
"""

from __future__ import annotations

from huachi_analysis.plan.geography import (  # noqa: F401  (re-exported API)
    Gazetteer,
    gazetteer,
    is_poor_village,
    normalise_name,
    resolve_township,
    resolve_village,
    townships,
)

__all__ = ["Gazetteer", "gazetteer", "is_poor_village", "normalise_name",
           "resolve_township", "resolve_village", "townships"]


def __getattr__(name: str):
    if name == "TOWNSHIPS":
        return townships()
    raise AttributeError(name)
