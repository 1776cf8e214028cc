"""Actuals grouped by indicator and geography, with their provenance, and unit conversion.

A :class:`Series` holds one indicator's yearly figures for one geography, each with its unit as
reported and where it came from (origin, synthetic or not, a provenance text: 数据来源 and the
file, sheet and row when the actuals table has them). :func:`in_base` converts a series to a
target's unit (:func:`huachi_analysis.plan.kinds.to_base_factor`, the one unit conversion).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from huachi_analysis.plan import kinds
from huachi_analysis.plan.kinds import unit_factor  # noqa: F401  (re-exported)
from huachi_analysis.values import missing


@dataclass(frozen=True)
class Point:
    """Where one yearly figure came from."""

    origin: str
    is_synthetic: bool
    provenance: str


@dataclass(frozen=True)
class Series:
    """The actuals of one indicator and geography: year → value as reported, its unit and its
    provenance."""

    values: dict[int, float]
    units: dict[int, str | None]
    points: dict[int, Point]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({p.provenance for p in self.points.values() if p.provenance}))


def in_base(series: Series | None, target: dict) -> tuple[dict[int, float], str | None]:
    """The series' values in the unit a target is measured in, and a note on left-out years.

    A yes/no target takes 1/0 in ``yes_no`` (or 是/否); a per-unit target takes the share of
    units meeting it in percent; any other target takes its ``unit_base`` or, scaled, its
    written ``unit``. A figure in any other unit is left out (the note says which).
    """
    if series is None or not series.values:
        return {}, None
    accepted = kinds.accepted_units(target)
    out: dict[int, float] = {}
    bad: dict[str, list[int]] = {}
    for y, v in sorted(series.values.items()):
        u = series.units.get(y)
        factor = kinds.to_base_factor(target, u)
        if factor is None:
            bad.setdefault(str(u), []).append(y)
        else:
            out[y] = float(v) * factor
    if not bad:
        return out, None
    what = "; ".join(f"{u} ({', '.join(map(str, ys))})" for u, ys in bad.items())
    want = " or ".join(accepted) or "the target's unit"
    if kinds.kind_of(target) == "per_unit":
        pu = target.get("per_unit") or "unit"
        note = (f"per-{pu} minimum: measured as the share (%) of {pu}s meeting it; figures in "
                f"{what} are totals that cannot show that every {pu} meets it")
    else:
        note = f"actual unit {what} not comparable with {want}"
    return out, note


def provenance(series: Series | None, years: list[int]) -> tuple[str | None, bool | None,
                                                                   str | None]:
    """(origin, is_synthetic, provenance text) of the figures of ``years``: origins joined with
    ``|``, synthetic when any is, provenance texts joined with ``; ``."""
    if series is None:
        return None, None, None
    pts = [series.points[y] for y in years if y in series.points]
    if not pts:
        return None, None, None
    origin = "|".join(dict.fromkeys(p.origin for p in pts))
    texts = "; ".join(dict.fromkeys(p.provenance for p in pts if p.provenance)) or None
    return origin, any(p.is_synthetic for p in pts), texts


def actual_series(actuals: pd.DataFrame, targets: pd.DataFrame | None = None
                  ) -> dict[tuple[str, str], Series]:
    """Group long actuals by (indicator_id, geography) in one pass (no per-group pandas work:
    a province has about a million registry rows).

    Args:
        actuals: ``targets.combine_actuals`` output (``origin``, ``is_synthetic`` and
            ``provenance`` are optional: defaults ``department``, ``source == 'synthetic'``,
            the source text).
        targets: keep only what these ``plan_targets`` can use: their indicators, for the
            county, townships and the geographies the targets name (None: keep everything).
    """
    a = actuals
    if targets is not None:
        geo = a["geography"].astype("string")
        a = a[a["indicator_id"].isin(set(targets["indicator_id"]))
              & (~geo.str.contains("/", regex=False).fillna(False)
                 | geo.isin(set(targets["geography"])))]
    a = a.sort_values(["indicator_id", "geography", "year"], kind="stable")
    n = len(a)
    src = a["source"].tolist() if "source" in a else [None] * n
    origin = a["origin"].tolist() if "origin" in a else ["department"] * n
    synth = (a["is_synthetic"].astype("boolean").fillna(False).tolist() if "is_synthetic" in a
             else [s == "synthetic" for s in src])
    prov = a["provenance"].tolist() if "provenance" in a else src
    values: dict[tuple[str, str], dict[int, float]] = {}
    units: dict[tuple[str, str], dict[int, str | None]] = {}
    points: dict[tuple[str, str], dict[int, Point]] = {}
    for ind, g, y, v, u, o, s, p in zip(a["indicator_id"].tolist(), a["geography"].tolist(),
                                        a["year"].astype(int).tolist(),
                                        a["value"].astype(float).tolist(), a["unit"].tolist(),
                                        origin, synth, prov, strict=True):
        k = (ind, g)
        values.setdefault(k, {})[y] = v
        units.setdefault(k, {})[y] = None if missing(u) else str(u)
        points.setdefault(k, {})[y] = Point("department" if missing(o) else str(o), bool(s),
                                            "" if missing(p) else str(p))
    return {k: Series(v, units[k], points[k]) for k, v in values.items()}
