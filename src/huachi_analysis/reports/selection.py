"""Which reports a batch makes: ``--years`` and ``--townships`` resolved against the data.

* years: ``all`` (every year with registry data), ``2016``, ``2015-2017``, ``2015,2017``;
* townships: ``latest`` (default: every township, for the latest selected year), ``all`` (every
  township for every selected year), ``none``, or names (``柔远镇,南梁镇``; Chinese with or
  without 镇/乡, aliases, pinyin with or without zhen/xiang in any case, English names: see
  :mod:`.township_names`) for every selected year;
* county: county reports are made unless township *names* are asked for (then only those
  townships' reports), or as ``county`` says when it is given (``--county`` / ``--no-county``).

The default batch is therefore a county report for every year with data and a report for every
township for the latest year. Unknown values raise :class:`ParameterError` naming the allowed
ones (for a township, with a "did you mean").

>>> parse_years("2015-2017", [2014, 2015, 2016, 2017, 2018])
[2015, 2016, 2017]
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from huachi_analysis import catalog as tables
from huachi_analysis import paths
from huachi_analysis.errors import ParameterError
from huachi_analysis.messages import both
from huachi_analysis.reports.data import data_dir, registry_years
from huachi_analysis.reports.labels import check_lang
from huachi_analysis.reports.township_names import TownshipNames, split_names

COUNTY_TEMPLATE = "county_year.ipynb"
TOWNSHIP_TEMPLATE = "township.ipynb"


@dataclass(frozen=True)
class ReportSpec:
    """One report of a batch."""

    kind: str  # "county" or "township"
    year: int
    lang: str
    data_dir: str
    township: str | None = None
    slug: str = ""
    parameters: dict = field(default_factory=dict, compare=False, hash=False)
    #: A template notebook other than ``notebooks/<template>`` (tests, custom reports).
    template_file: str | None = None

    @property
    def template(self) -> str:
        if self.template_file:
            return Path(self.template_file).name
        return COUNTY_TEMPLATE if self.kind == "county" else TOWNSHIP_TEMPLATE

    @property
    def template_path(self) -> Path:
        return Path(self.template_file) if self.template_file else paths.NOTEBOOKS / self.template

    @property
    def stem(self) -> str:
        """File stem of the outputs: ``county_2016``, ``township_2020_rouyuan`` (+ ``.en``)."""
        base = f"county_{self.year}" if self.kind == "county" else f"township_{self.year}_{self.slug}"
        return base if self.lang == "zh" else f"{base}.{self.lang}"

    @property
    def id(self) -> str:
        return self.stem


def slugify(text: str) -> str:
    """ASCII file-name part: ``Rouyuan Zhen`` → ``rouyuanzhen``."""
    s = re.sub(r"[^0-9a-z]+", "", str(text).lower())
    return s


@dataclass(frozen=True)
class Catalog:
    """What the data location offers: years with data, townships with their names (rows of
    ``plan_townships`` as dicts)."""

    years: list[int]
    townships: list[dict]

    @property
    def names(self) -> list[str]:
        return [str(r["township"]) for r in self.townships]

    def resolve_township(self, name: str) -> str:
        """Canonical name of ``name`` (see :mod:`.township_names`); raises
        :class:`ParameterError` with a "did you mean" for a near miss."""
        return TownshipNames(self.townships).resolve(name)

    def slug(self, township: str) -> str:
        for row in self.townships:
            if row["township"] == township and isinstance(row.get("township_pinyin"), str):
                s = slugify(row["township_pinyin"])
                if s:
                    return s
        return township


def _csv_rows(path: Path, columns: list[str] | None = None) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [{k: (v if v != "" else None) for k, v in r.items() if columns is None or k in columns}
            for r in rows]


def _rows(directory: Path, stem: str, columns: list[str] | None = None) -> list[dict] | None:
    """Rows of a table, from its CSV with the csv module when there is one (no pandas needed,
    which keeps a no-change rerun fast), else from Parquet."""
    csv_path = tables.find(stem, directory, "csv")
    if csv_path is not None:
        return _csv_rows(csv_path, columns)
    p = tables.find(stem, directory, "parquet")
    if p is None:
        return None
    import pandas as pd

    df = pd.read_parquet(p, columns=columns)
    return df.astype(object).where(df.notna(), None).to_dict("records")


def catalog(directory: str | Path | None = None) -> Catalog:
    """Years with registry data and the plan's townships, read from the data location."""
    from huachi_analysis.errors import InputFileError

    d = data_dir(directory)
    townships = _rows(d, "plan_townships")
    if townships is None:
        raise InputFileError(tables.path("plan_townships", d, "csv"),
                             both("plan_townships_missing"))
    return Catalog(years=registry_years(d), townships=townships)


def parse_years(spec: str, available: list[int]) -> list[int]:
    """Resolve ``all`` / ``2016`` / ``2015-2017`` / ``2015,2017`` against ``available``."""
    allowed = ", ".join(map(str, available)) or "none (run `huachi build`)"
    spec = (spec or "all").strip()
    if spec == "all":
        if not available:
            raise ParameterError(both("no_year_has_data", allowed=allowed))
        return list(available)
    years: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise ParameterError(both("year_range_backwards", part=part))
            years += list(range(a, b + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.append(int(part))
        else:
            raise ParameterError(both("year_unreadable", part=part, allowed=allowed))
    unknown = [y for y in years if y not in available]
    if unknown:
        raise ParameterError(both("years_without_data", years=", ".join(map(str, unknown)),
                                  allowed=allowed))
    return sorted(set(years))


def plan_batch(cat: Catalog, years: str = "all", townships: str = "latest", lang: str = "zh",
               directory: str | Path | None = None, county: bool | None = None
               ) -> list[ReportSpec]:
    """The reports of a batch, county reports first.

    ``county``: ``None`` (default) makes county reports unless ``townships`` names townships;
    ``True`` / ``False`` makes them or not whatever ``townships`` says."""
    check_lang(lang)
    ys = parse_years(years, cat.years)
    d = str(data_dir(directory).resolve())
    tw = (townships or "latest").strip()
    named = tw not in ("none", "latest", "all")
    with_county = (not named) if county is None else county
    specs = [ReportSpec("county", y, lang, d, parameters={"year": y, "lang": lang, "data_dir": d})
             for y in ys] if with_county else []
    all_names = cat.names
    if tw == "none":
        pairs: list[tuple[str, int]] = []
    elif tw == "latest":
        pairs = [(t, ys[-1]) for t in all_names]
    elif tw == "all":
        pairs = [(t, y) for y in ys for t in all_names]
    else:
        resolver = TownshipNames(cat.townships)
        names = [resolver.resolve(n) for n in split_names(tw)]
        pairs = [(t, y) for y in ys for t in dict.fromkeys(names)]
    specs += [ReportSpec("township", y, lang, d, township=t, slug=cat.slug(t),
                         parameters={"township": t, "year": y, "lang": lang, "data_dir": d})
              for t, y in pairs]
    if not specs:
        raise ParameterError(both("nothing_to_render"))
    return specs
