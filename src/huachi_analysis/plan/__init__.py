"""The plan (县委发〔2015〕44号) as data: targets, geography, derived facts, audit, numbers.

>>> from huachi_analysis import plan
>>> len(plan.townships()), int(plan.villages()["is_poor_village"].sum())
(15, 56)

Each function reads ``data/raw/plan`` (or ``<raw>/plan``) and returns a validated frame
(:func:`huachi_analysis.metadata.conform`). The transforms themselves are pure and live in
:mod:`~huachi_analysis.plan.derive`, :mod:`~huachi_analysis.plan.consistency`,
:mod:`~huachi_analysis.plan.numbers`; name resolution in :mod:`~huachi_analysis.plan.geography`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from huachi_analysis.plan import load
from huachi_analysis.plan.derive import interpolate_milestones
from huachi_analysis.plan.geography import (
    is_poor_village,
    resolve_township,
    resolve_village,
)
from huachi_analysis.plan.numbers import unaccounted_numbers

__all__ = [
    "audit", "derived", "interpolate_milestones", "is_poor_village", "number_ledger",
    "provenance", "resolve_township", "resolve_village", "targets", "text", "townships",
    "unaccounted", "unaccounted_numbers", "villages",
]


def text(raw: Path | None = None) -> str:
    """The plan text, verbatim."""
    return load.text(raw)


def provenance(raw: Path | None = None) -> dict:
    """The plan text's provenance sidecar (title, document number, date, issuer, sha256)."""
    return load.provenance(raw)


def targets(raw: Path | None = None) -> pd.DataFrame:
    """``plan_targets``: one row per target, quotes checked against the text."""
    return load.targets(raw)


def townships(raw: Path | None = None) -> pd.DataFrame:
    """``plan_townships``: the 15 townships with their aliases."""
    return load.townships(raw)


def villages(raw: Path | None = None) -> pd.DataFrame:
    """``plan_villages``: the 56 poor villages of clause 5 and the other villages named."""
    return load.villages(raw)


def number_ledger(raw: Path | None = None) -> pd.DataFrame:
    """``plan_number_ledger``: numbers of the text that are not targets, with the reason."""
    return load.number_ledger(raw)


def derived(raw: Path | None = None) -> pd.DataFrame:
    """``plan_derived``: facts computed from the targets."""
    from huachi_analysis.plan.derive import derived as _derived

    return _derived(load.targets(raw))


def audit(raw: Path | None = None) -> pd.DataFrame:
    """``plan_audit``: every inconsistency found in the plan, with both quotes."""
    from huachi_analysis.plan.consistency import audit as _audit

    t = load.text(raw)
    return _audit(t, load.targets(raw, plan_text=t), load.townships(raw), load.villages(raw))


def unaccounted(raw: Path | None = None) -> pd.DataFrame:
    """Numbers of the text covered neither by a target quote nor by a ledger context."""
    t = load.text(raw)
    return unaccounted_numbers(t, load.targets(raw, plan_text=t)["quote"],
                               load.number_ledger(raw, plan_text=t)["context"])
