"""Synthetic department returns (``huachi synth``): generated from the plan's targets,
deterministic by seed, labelled 合成数据 everywhere, covering every template row, read back
without a finding, and calibrated so that every status shows."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from badinputs import run_cli
from huachi_analysis import plan
from huachi_analysis.actuals.build import collect
from huachi_analysis.actuals.precedence import choose
from huachi_analysis.actuals.template import BREAKDOWN_SHEET, INSTRUCTIONS_SHEET, template_rows
from huachi_analysis.hashing import sha256_file
from huachi_analysis.plan.geography import gazetteer
from huachi_analysis.progress.registry_indicators import INDICATORS
from huachi_analysis.progress.targets import progress_targets
from huachi_analysis.synthetic.departments import generate_returns, write_returns

TARGETS = plan.targets()
TOWNS = list(gazetteer().townships)


def returns(seed: int = 2015, targets: pd.DataFrame = TARGETS):
    return generate_returns(targets, seed, measured=INDICATORS, townships=TOWNS)


RET = returns()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("returns")
    write_returns(RET, out)
    return out


def test_every_template_row_deterministic_by_seed():
    rows = template_rows(TARGETS, (2015, 2020), measured=INDICATORS)
    assert RET.rows[rows.columns].equals(rows)
    again = returns()
    assert again.rows["value"].tolist() == RET.rows["value"].tolist()
    assert again.filled.breakdown == RET.filled.breakdown
    other = returns(7)
    assert other.rows["value"].tolist() != RET.rows["value"].tolist()
    blank = RET.rows["value"].isna()
    assert set(RET.rows.loc[blank, "profile"]) <= {"blank", "gap"}


def test_values_come_from_the_plans_targets():
    t = TARGETS.copy()
    i = t.index[t["target_id"] == "T-07.1-01"][0]
    t.loc[i, ["value", "value_base"]] = [540.0, 540.0]  # 270 km doubled
    r = returns(targets=t).rows
    v = r.loc[r["target_id"] == "T-07.1-01", "value"].iloc[0]
    p = r.loc[r["target_id"] == "T-07.1-01", "profile"].iloc[0]
    assert (v >= 540) if p != "missed" else (400 < v < 540)


def test_calibration_every_profile_and_one_done_not_done_missed():
    series = RET.rows.drop_duplicates(["indicator_id", "geography", "value_type"])
    counts = series["profile"].value_counts()
    assert counts["blank"] == 3 and counts["gap"] == 3
    assert counts["late"] >= 5 and counts["missed"] >= 4
    assert counts["achieved"] > 0.7 * len(series)
    yn = RET.rows[RET.rows["value_type"] == "yes_no"]
    never = yn.groupby(["indicator_id", "geography"])["value"].agg(lambda s: set(s) == {"否"})
    assert never.sum() == 1
    # every other done/not-done series is done by its deadline
    done_by_end = yn[~yn["indicator_id"].isin(never[never].index.get_level_values(0))]
    assert (done_by_end.groupby("target_id")["value"].last() == "是").all()


def test_labelled_synthetic_everywhere_and_byte_identical(folder, tmp_path):
    books = sorted(folder.glob("*.xlsx"))
    assert len(books) == RET.rows["sheet"].nunique()
    assert all("合成数据" in p.name for p in books)
    wb = openpyxl.load_workbook(books[0])
    assert "合成数据" in wb[INSTRUCTIONS_SHEET]["A1"].value
    for name in wb.sheetnames[1:]:
        assert "合成数据" in wb[name]["A1"].value
    sources = [s for ws in wb.worksheets[1:] for s in
               (ws.cell(r, 9).value for r in range(3, ws.max_row + 1)) if s]
    assert sources and all("合成数据" in s for s in sources)
    assert (folder / "SYNTHETIC_README.txt").read_text(encoding="utf-8").startswith("合成数据")
    write_returns(RET, tmp_path)
    assert [sha256_file(p) for p in books] == [
        sha256_file(tmp_path / p.name) for p in books]


def test_read_back_without_a_finding(folder):
    res = collect(folder, TARGETS, gazetteer())
    assert res.findings.empty
    filled = RET.rows["value"].notna().sum() + len(RET.filled.breakdown)
    assert len(res.actuals) == filled
    assert res.actuals["is_synthetic"].all()
    assert res.actuals["source"].str.contains("合成数据").all()
    assert sum(f["blank"] for f in res.files.values()) == RET.rows["value"].isna().sum()
    towns = res.actuals[~res.actuals["geography"].isin(["华池县"]) & ~res.actuals[
        "geography"].str.contains("/")]
    assert set(towns["source_sheet"]) >= {BREAKDOWN_SHEET}


def test_profiles_give_their_statuses(folder):
    res = collect(folder, TARGETS, gazetteer())
    pt = progress_targets(TARGETS, choose(res.actuals), list(range(2015, 2021)))
    pt = pt[pt["status"].notna()].merge(
        RET.rows[["target_id", "profile", "value_type"]].drop_duplicates("target_id"),
        on="target_id")
    num = pt[pt["value_type"] == "number"]
    final = {p: set(g) for p, g in num[num["year"] == 2020].groupby("profile")["status"]}
    assert final["blank"] == {"no_data"}
    assert final["achieved"] == {"achieved"}
    assert final["late"] == {"achieved"}
    assert final["missed"] == {"missed"}
    before = num[(num["profile"] == "late") & (num["year"] < 2020)]["status"]
    assert before.isin(["at_risk", "off_track"]).any()
    assert {"on_track", "at_risk", "off_track"} <= set(num["status"])


def test_synth_cli_writes_returns_only(tmp_path):
    run = run_cli(["synth", "--seed", "3", "--returns-only", "--returns-out", tmp_path])
    assert run.exit_code == 0, run.output
    assert "SYNTHETIC department returns, seed 3" in run.output
    assert len(list(tmp_path.glob("*合成数据.xlsx"))) == RET.rows["sheet"].nunique()


def test_township_figures_only_where_they_can_apply():
    from huachi_analysis.synthetic.departments import (
        COUNTY_ONLY_SCOPES,
        COUNTY_ONLY_UNITS,
        poor_village_counts,
    )

    poor = poor_village_counts(plan.villages())
    ret = generate_returns(TARGETS, 2015, measured=INDICATORS, townships=TOWNS,
                           poor_villages=poor)
    b = pd.DataFrame(ret.filled.breakdown)
    t = TARGETS.set_index("target_id")
    rows = b.join(t[["unit_base", "scope"]], on="target_id")
    # no county ratio, count of townships or county facility split by township
    assert not rows["unit_base"].isin(COUNTY_ONLY_UNITS).any()
    assert not rows["scope"].isin(COUNTY_ONLY_SCOPES).any()
    assert not rows["indicator_zh"].str.startswith(("县", "全县")).any()
    # a figure about poor villages only where there are poor villages, a count never above them
    about = rows[rows["scope"] == "poor_villages"]
    assert len(about) and set(about["geography"]) <= set(poor)
    none = [x for x in TOWNS if x not in poor]  # 南梁镇 and 山庄乡 have no poor village
    assert none and not about["geography"].isin(none).any()
    villages = about[about["unit_base"] == "villages"]
    total = villages.groupby(["indicator_id", "geography"])["value"].sum()
    for (_, town), v in total.items():
        assert v <= poor[town], (town, v)
    # the county's own figures are the same with or without the township rule
    plain = generate_returns(TARGETS, 2015, measured=INDICATORS, townships=TOWNS)
    pd.testing.assert_series_equal(ret.rows["value"].astype(str), plain.rows["value"].astype(str))
