"""What one briefing reads of each input table (its *slice*), and the hash of that slice.

A briefing is built for a :class:`Scope` — county or township, a year, a township — and reads
only part of each processed table: its year's rows (and, for time series, the earlier years'),
its township's, the county's. :func:`slice_table` cuts a table down to exactly that part; the
briefing is built from the cut tables only (:meth:`ReportData.scoped
<huachi_analysis.reports.data.ReportData.scoped>`), so nothing outside a slice can reach the page.
The batch runner's skip key hashes the slices (:func:`frame_sha256`), not the files: a new year's
export, or a poverty line added for one year, re-renders only the briefings whose slices change.

The slices follow what the sections of :mod:`~huachi_analysis.reports.briefing` read. A section
that starts reading more must widen its slice here; ``tests/test_reports_slices.py`` builds every
briefing of the test data from the full tables and from the slices and requires the same pages.

>>> s = Scope("township", 2016, "柔远镇")
>>> s.id
'township:2016:柔远镇'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from huachi_analysis.county import COUNTY

if TYPE_CHECKING:
    import pandas as pd

#: Registry indicators a township briefing shows as series over the years (``over_time``,
#: ``exits``); every other registry figure is read for the briefing's year only.
SERIES_INDICATORS = ("registered_poor_households", "registered_poor_persons",
                     "poverty_exits_persons", "poverty_exits_households",
                     "returns_to_poverty_persons")
#: Registry indicators a county briefing's plan-against-actual panels draw through the year
#: (the plan's milestones of exits and village exits stop at 2017; the registry does not).
TRAJECTORY_INDICATORS = ("poverty_exits_persons", "poor_villages_exited", "poverty_incidence",
                         "poor_income_per_capita", "registered_poor_persons",
                         "registered_poor_households", "registered_poor_villages")
#: Read for the first registry year too (the reduction since the baseline: league, compare)
#: and for the year before (page 1: last year's poor persons, the year's flows, this year's).
BASE_INDICATOR = "registered_poor_persons"


@dataclass(frozen=True)
class Scope:
    """One briefing's view of the data: ``kind`` county or township, a year, a township."""

    kind: str
    year: int
    township: str | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.year}:{self.township or ''}"


def _year_col(df: pd.DataFrame) -> str | None:
    for c in ("year", "finding_year"):
        if c in df.columns:
            return c
    return None


def _none(df: pd.DataFrame) -> pd.DataFrame:
    return df.iloc[0:0]


def county_townships(plan_townships: pd.DataFrame) -> list[str]:
    return plan_townships["township"].astype(str).tolist()


def _geographies(scope: Scope, townships: list[str]) -> list[str]:
    """Geographies a briefing reads besides the county: the county's townships, or its own."""
    return list(townships) if scope.kind == "county" else [str(scope.township)]


def _registry(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
    y, year = scope.year, df["year"]
    if not len(df):
        return df
    first = int(year[year <= y].min()) if (year <= y).any() else y
    geo = df["geography"].astype("string")
    ind = df["indicator_id"].astype("string")
    own = geo.isin(_geographies(scope, townships)).fillna(False)
    county = (geo == COUNTY).fillna(False)
    # the first year (reduction since the baseline) and the year before (how last year's poor
    # persons became this year's: reports/reconcile.py)
    base = (year.isin([first, y - 1]) & (ind == BASE_INDICATOR).fillna(False)
            & (own | county))
    keep = ((year == y) & (own | county)) | base
    if scope.kind == "county":  # the trajectory panels: the county's figures to the year
        keep |= county & (year <= y) & ind.isin(TRAJECTORY_INDICATORS).fillna(False)
    if scope.kind == "township":
        keep |= own & (year <= y) & ind.isin(SERIES_INDICATORS).fillna(False)
    return df[keep.to_numpy(dtype=bool)]


def _trajectory(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
    """The county's lines; actuals and statuses after the briefing's year are not read."""
    if scope.kind != "county":
        return _none(df)
    out = df[(df["geography"] == COUNTY).fillna(False).to_numpy(dtype=bool)]
    later = (out["year"] > scope.year).fillna(False).to_numpy(dtype=bool)
    if later.any():
        out = out.copy()
        out.loc[later, ["actual", "status"]] = None
    return out


def _year_rows(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    col = _year_col(df)
    return df if col is None else df[(df[col] == scope.year).fillna(False).to_numpy(dtype=bool)]


def _of(col: str, county_level: bool = True) -> Callable:
    """Rows of the briefing's year in its geographies (``col``): the county's townships for a
    county briefing (all of them when ``county_level`` is False), its own for a township's."""

    def cut(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
        df = _year_rows(df, scope)
        if scope.kind == "county" and not county_level:
            return df
        values = _geographies(scope, townships)
        return df[df[col].isin(values).fillna(False).to_numpy(dtype=bool)]

    return cut


def _county_only(cut: Callable | None = None) -> Callable:
    def f(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
        if scope.kind != "county":
            return _none(df)
        return cut(df, scope, townships) if cut else df

    return f


def _township_only(cut: Callable) -> Callable:
    def f(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
        return _none(df) if scope.kind != "township" else cut(df, scope, townships)

    return f


def _targets(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
    """Target evaluations of the briefing's year — and of the first evaluated year, which a
    briefing of an earlier year (the 2014 base year) shows its baselines from — for the county
    and, in a township briefing, for the township and its villages (``乡镇/村``)."""
    if not len(df):
        return df
    year = df["year"]
    first = year.min()
    years = (year == scope.year) | (year == first)
    geo = df["geography"].astype("string")
    places = geo == COUNTY
    if scope.kind == "township":
        t = str(scope.township)
        places |= (geo == t) | geo.str.startswith(f"{t}/")
    return df[(years & places).fillna(False).to_numpy(dtype=bool)]


def _whole(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
    return df


def _the_year(df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
    return _year_rows(df, scope)


#: Stem → function (frame, scope, the county's townships) → the rows and columns read.
SLICES: dict[str, Callable] = {
    "plan_townships": _whole,
    "plan_villages": _whole,
    "plan_targets": _whole,
    "plan_audit": _county_only(),
    "registry_findings": _the_year,  # county-wide (the findings record no township)
    "progress_targets": _targets,
    "progress_trajectory": _trajectory,
    "progress_registry": _registry,
    "village_exits": _of("township"),
    "income_summary": _of("geography"),
    "income_outliers": _county_only(_of("geography")),  # the county's box plot
    "income_distribution": _township_only(_of("geography")),
    "exit_audit_counts": _of("township", county_level=False),
    "poverty_lines": _the_year,
}


def slice_table(stem: str, df: pd.DataFrame, scope: Scope, townships: list[str]) -> pd.DataFrame:
    """The part of table ``stem`` a briefing of ``scope`` reads (index reset)."""
    cut = SLICES.get(stem, _whole)
    return cut(df, scope, townships).reset_index(drop=True)


def slice_summary(summary: dict, scope: Scope | None = None) -> dict:
    """What a briefing reads of ``registry_summary``: whether the data are synthetic, and the
    export columns missing for its year (``missing_columns``, see
    :mod:`~huachi_analysis.reports.missing_columns`)."""
    from huachi_analysis.reports.missing_columns import for_year

    out: dict = {"is_synthetic": bool(summary.get("is_synthetic", False))}
    missing = (summary.get("missing_columns") or [] if scope is None
               else for_year(summary, scope.year))
    if missing:
        out["missing_columns"] = missing
    return out


def frame_sha256(df: pd.DataFrame | dict) -> str:
    """SHA-256 of a frame's column names, dtypes and values, row by row in order (pandas'
    row hashes, which are stable across processes); of a dict, of its JSON."""
    import pandas as pd

    h = hashlib.sha256()
    if isinstance(df, dict):
        h.update(json.dumps(df, sort_keys=True, ensure_ascii=False, default=str).encode())
        return h.hexdigest()
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()],
                        ensure_ascii=False).encode())
    h.update(len(df).to_bytes(8, "little"))
    if len(df.columns) and len(df):
        h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def prefilter(stem: str, scope: Scope, townships: list[str]):
    """A coarse row filter (a pyarrow expression, or None for the whole table) keeping at least
    every row of the slice (``townships``: the county's, from ``plan_townships``);
    :func:`slice_table` then cuts exactly. Large Parquet tables are read through it, so a
    briefing never loads the rows of other years or places."""
    import pyarrow.compute as pc

    y, year = scope.year, pc.field("year")
    places = _geographies(scope, townships)

    def within(col: str, county: bool = False):
        return pc.field(col).isin(places + ([COUNTY] if county else []))

    if stem == "registry_findings":
        return pc.field("finding_year") == y
    if stem == "progress_registry":
        return (year <= y) & within("geography", county=True)
    if stem == "progress_trajectory":
        return pc.field("geography") == COUNTY
    if stem == "progress_targets":  # also the first evaluated year's rows (see _targets)
        return pc.field("geography") == COUNTY if scope.kind == "county" else None
    if stem in ("income_summary", "income_outliers", "income_distribution"):
        return (year == y) & within("geography")
    if stem == "village_exits":
        return (year == y) & within("township")
    if stem == "exit_audit_counts":
        return year == y if scope.kind == "county" else (year == y) & within("township")
    if stem == "poverty_lines":
        return year == y
    return None
