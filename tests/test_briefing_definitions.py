"""A briefing says which definition it shows where two are reasonable (income over every
registered household or over the still poor; returns by transition or by status)."""

from __future__ import annotations

import pytest

from huachi_analysis.reports.briefing import CountyBriefing, TownshipBriefing
from huachi_analysis.reports.data import load
from huachi_analysis.reports.labels import label
from test_reports_fixture import build_fixture


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load(build_fixture(tmp_path_factory.mktemp("definitions")))


def _texts(section) -> str:
    return section._repr_html_()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sections_name_the_definition_they_show(data, lang):
    county = CountyBriefing(2016, lang, data=data)
    town = TownshipBriefing("柔远镇", 2016, lang, data=data)
    income = label("income_over_registered_note", lang)
    assert income in _texts(county.league())
    assert income in _texts(town.compare())
    assert label("income_households_note", lang) in _texts(county.income_by_township())
    assert label("returns_by_transition_note", lang) in _texts(town.exits())
