"""The synthetic generator's calibration is read from ``plan_targets``: every figure is the
plan's, a missing one stops the generator with a message naming it, and the selection does not
depend on ``target_kind`` or the ``cumulative`` column (both are being reworked)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from huachi_analysis import paths, plan
from huachi_analysis import synthetic as sy
from huachi_analysis.cli import app
from huachi_analysis.io import read_csv_text
from huachi_analysis.progress.village_exits import DEFAULT_EXIT_THRESHOLD
from huachi_analysis.synthetic.calibration import percent_to_fraction, plan_figures


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return plan.targets()


def _row(targets, indicator_id, year):
    hit = targets[(targets["indicator_id"] == indicator_id) & (targets["period_end"] == year)
                  & (targets["geography"] == "华池县")]
    assert len(hit) == 1, (indicator_id, year)
    return hit.iloc[0]


def test_every_figure_is_the_plans(targets):
    cal = sy.Calibration.from_targets(targets)

    def base(ind, year):
        return float(_row(targets, ind, year)["value_base"])

    assert cal.households == base("registered_poor_households", 2014)
    assert cal.persons == base("registered_poor_persons", 2014)
    assert cal.exits == {y: base("poverty_exits_persons", y) for y in (2015, 2016, 2017)}
    assert all(isinstance(v, int) for v in cal.exits.values())
    for y in (2015, 2016, 2017):  # the plan states percent; the calibration holds fractions
        assert cal.incidence[y] == pytest.approx(base("poverty_incidence", y) / 100, abs=1e-12)
    assert cal.poor_income == {y: base("poor_income_per_capita", y)
                               for y in (2015, 2016, 2017, 2020)}
    assert cal.dangerous_houses == base("dangerous_houses_renovated", 2017)
    assert cal.villages == base("village_stage_coverage", 2017)
    implied = (cal.persons - cal.exits[2015]) / cal.incidence[2015]
    assert cal.implied_rural_population == pytest.approx(implied)
    assert cal.dangerous_house_share == round(cal.dangerous_houses / cal.households, 2)


def test_percentages_become_the_exact_fractions():
    # one threshold, defined in percent by the progress engine; the generator holds its fraction
    assert abs(sy.VILLAGE_EXIT_THRESHOLD_FRACTION * 100 - DEFAULT_EXIT_THRESHOLD) < 1e-9
    # 9.12 / 100 is 0.09119999999999999 in floating point; the calibration holds 0.0912
    assert percent_to_fraction(9.12) == 0.0912 and percent_to_fraction(15.55) == 0.1555


def test_selection_ignores_target_kind_and_the_cumulative_column(targets):
    reworked = targets.drop(columns="cumulative", errors="ignore").assign(target_kind="level")
    assert sy.Calibration.from_targets(reworked) == sy.Calibration.from_targets(targets)


@pytest.mark.parametrize(("indicator_id", "year"), [
    ("poverty_exits_persons", 2016), ("registered_poor_households", 2014),
    ("village_stage_coverage", 2017)])
def test_a_missing_figure_is_named(targets, indicator_id, year):
    gone = targets[~((targets["indicator_id"] == indicator_id)
                     & (targets["period_end"] == year))]
    with pytest.raises(sy.CalibrationError, match=rf"'{indicator_id}'.*no figure for {year}"):
        sy.Calibration.from_targets(gone)


def test_a_figure_in_another_unit_or_stated_twice_is_refused(targets):
    wrong = targets.copy()
    wrong.loc[wrong["indicator_id"] == "poverty_incidence", "unit_base"] = "people"
    with pytest.raises(sy.CalibrationError, match="unit_base 'people', expected 'percent'"):
        sy.Calibration.from_targets(wrong)
    row = _row(targets, "poverty_exits_persons", 2015).copy()
    row["value_base"] = row["value_base"] + 1
    twice = pd.concat([targets, row.to_frame().T], ignore_index=True)
    with pytest.raises(sy.CalibrationError, match="2 different figures for 2015"):
        plan_figures(twice, "poverty_exits_persons", [2015])



def test_cli_stops_with_the_missing_figure_named(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.PLAN_RAW, raw / "plan")
    t = read_csv_text(raw / "plan" / "targets.csv")
    t = t[~((t["indicator_id"] == "poverty_exits_persons") & (t["period_end"] == "2016"))]
    t.to_csv(raw / "plan" / "targets.csv", index=False)
    result = CliRunner().invoke(app, ["synth", "--raw", str(raw), "--out", str(tmp_path / "out"),
                                      "--year", "2015", "--workers", "1"])
    assert result.exit_code != 0
    assert isinstance(result.exception, sy.CalibrationError)
    assert "poverty_exits_persons" in str(result.exception) and "2016" in str(result.exception)
    assert not (tmp_path / "out").exists()
