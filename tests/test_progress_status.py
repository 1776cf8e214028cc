"""Status rule and thresholds (huachi_analysis.progress.status), hand-computed cases."""

import pytest

from huachi_analysis.progress.status import (
    AT_RISK_RATIO,
    ON_TRACK_RATIO,
    gap,
    meets,
    ratio_status,
    target_status,
)


def test_thresholds_are_the_documented_ones():
    assert (ON_TRACK_RATIO, AT_RISK_RATIO) == (0.95, 0.5)


@pytest.mark.parametrize("actual,target,comp,direction,expected", [
    (15.0, 15.55, "<", "lower", True),
    (15.55, 15.55, "<", "lower", False),
    (15.55, 15.55, "<=", "lower", True),
    (6049, 6049, ">=", "higher", True),
    (6048, 6049, ">=", "higher", False),
    (6049, 6049, ">", "higher", False),
    (9900, 9897, "=", "higher", True),   # exact quantity: at or beyond in the good direction
    (9800, 9897, "=", "higher", False),
    (5.0, 5.47, "=", "lower", True),
    (6.0, 5.47, None, "lower", False),
])
def test_meets(actual, target, comp, direction, expected):
    assert meets(actual, target, comp, direction) is expected


def test_gap_sign_follows_direction():
    assert gap(3000, 3201, "higher") == 201
    assert gap(16.0, 15.55, "lower") == pytest.approx(0.45)
    assert gap(3300, 3201, "higher") == -99


@pytest.mark.parametrize("ratio,expected", [
    (0.95, "on_track"), (1.4, "on_track"), (0.9499, "at_risk"), (0.5, "at_risk"),
    (0.4999, "off_track"), (-0.3, "off_track"), (None, "no_data"),
])
def test_ratio_status(ratio, expected):
    assert ratio_status(ratio) == expected


@pytest.mark.parametrize("as_of,actual,ratio,expected", [
    (2014, 3000, None, "not_due"),     # before the period
    (2016, None, 0.9, "no_data"),      # no actual
    (2016, 7600, 0.2, "achieved"),     # met early
    (2020, 7000, 0.99, "missed"),      # deadline reached, not met
    (2016, 4000, 0.97, "on_track"),
    (2016, 4000, 0.6, "at_risk"),
    (2016, 4000, 0.1, "off_track"),
])
def test_target_status(as_of, actual, ratio, expected):
    assert target_status(as_of=as_of, period_start=2015, period_end=2020, actual=actual,
                         target=7500, comparator=">=", direction="higher",
                         ratio=ratio) == expected
