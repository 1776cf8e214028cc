"""A department's 是 that the registry contradicts (no poor person left, every dangerous house
renovated) is named on page 1 under "needs attention"; where the two agree nothing is said."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from huachi_analysis.reports import cross_checks as XC


def _targets(actual: float, year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame({"target_id": ["T-04-16"], "year": [year], "geography": ["华池县"],
                         "actual": [actual], "status": ["achieved" if actual else "missed"]})


def _registry(poor: float, year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": ["registered_poor_persons", "registered_poor_persons"],
                         "year": [year, year], "geography": ["华池县", "华池县"],
                         "breakdown": [None, "因病"], "value": [poor, 999.0]})


@pytest.mark.parametrize(("actual", "poor", "found"), [
    (1.0, 56.0, True),    # done by the department, 56 still poor: a contradiction
    (1.0, 0.0, False),    # done and none left: they agree
    (0.0, 56.0, False),   # not done: nothing to contradict
])
def test_contradiction_only_where_done_meets_a_nonzero_count(actual, poor, found):
    got = XC.contradictions(_targets(actual), _registry(poor), 2020, "华池县")
    assert bool(got) is found
    if found:
        assert got[0][2] == 56.0  # the total, not a breakdown row


def test_other_years_and_places_do_not_count():
    assert XC.contradictions(_targets(1.0), _registry(56.0, 2019), 2020, "华池县") == []
    assert XC.contradictions(_targets(1.0), _registry(56.0), 2020, "南梁镇") == []


def test_every_check_has_its_words_in_both_languages():
    from huachi_analysis.reports.labels import has_label, label

    for c in XC.CHECKS:
        for lang in ("zh", "en"):
            assert has_label(f"xcheck_{c.indicator}")
            assert "{" not in label(f"xcheck_{c.indicator}", lang, name="x", year=2020,
                                    value="1")


def test_the_default_county_briefing_names_the_disagreement():
    from huachi_analysis import paths
    from huachi_analysis.reports.briefing import CountyBriefing

    if not (paths.PROCESSED / "progress_targets.parquet").exists():
        pytest.skip("data/processed is not built here (run `make build`)")
    html = CountyBriefing(2020, "zh").summary()._repr_html_()
    said = re.findall(r"部门填报“([^”]*(?:’[^”]*)?)”已实现，但建档立卡数据2020年末仍有未脱贫人口([\d,]+)人", html)
    data = CountyBriefing(2020, "zh").data
    reg = data["progress_registry"]
    poor = reg[(reg["indicator_id"] == "registered_poor_persons") & (reg["year"] == 2020)
               & (reg["geography"] == "华池县") & reg["breakdown"].isna()]["value"]
    done = data["progress_targets"]
    done = done[(done["target_id"] == "T-04-16") & (done["year"] == 2020)
                & (done["geography"] == "华池县")]["actual"]
    if float(poor.iloc[0]) > 0 and float(done.iloc[0]) == 1:
        assert said and said[0][1].replace(",", "") == f"{float(poor.iloc[0]):.0f}"
        assert "‘两不愁、三保障’" in said[0][0]  # inner quotes, not “ inside “
    else:
        assert not said
