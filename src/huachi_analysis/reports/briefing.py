"""The two briefings as objects whose methods return one :class:`~.section.Section` each.

A notebook (``notebooks/county_year.ipynb``, ``notebooks/township.ipynb``) has a ``parameters``
cell, ``b = CountyBriefing(year, lang, data_dir)`` and one short cell per section::

    headline = b.headline()      # a Section: headline.frame (table), headline.figure (chart)
    headline                     # displays it (what the HTML and PDF show)

The sections of a briefing, in order, are listed in its ``SECTIONS``; ``b.sections()`` builds
them all. This module is the briefings' public entry point: the shared parts are
:mod:`~huachi_analysis.reports.briefing_base` (:class:`Briefing`), the sections of each
briefing :mod:`~huachi_analysis.reports.county_briefing` (:class:`CountyBriefing`) and
:mod:`~huachi_analysis.reports.township_briefing` (:class:`TownshipBriefing`). Numbers come
from :mod:`~huachi_analysis.reports.tables` (pure functions), words from the label catalogue (:mod:`~huachi_analysis.reports.labels`), charts from
:mod:`huachi_analysis.charts`. Every code the data holds is shown through its label.
Page 1 is a summary in sentences (:mod:`~huachi_analysis.reports.summary`, templates ``msg_…``
of the label catalogue); the sections listing targets are in
:mod:`~huachi_analysis.reports.target_sections`. Every figure shown beside a target says its
kind (建档立卡 / 部门填报 / 公开统计, 合成) or why there is none.
"""

from __future__ import annotations

from huachi_analysis.reports.briefing_base import Briefing
from huachi_analysis.reports.county_briefing import CountyBriefing
from huachi_analysis.reports.township_briefing import TownshipBriefing

__all__ = ["Briefing", "CountyBriefing", "TownshipBriefing"]
