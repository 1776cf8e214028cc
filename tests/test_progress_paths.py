"""Years without a poverty line, Parquet and categorical inputs, medians by level, unit
conversion in trajectories, and the DuckDB-written CSV (hand-computed inline cases)."""

import io

import pandas as pd
import pandas.testing as pdt
import pytest

from huachi_analysis.errors import InputFileError
from huachi_analysis.progress.build import build_progress
from huachi_analysis.progress.exit_audit import exit_audit
from huachi_analysis.progress.registry_indicators import registry_indicators
from huachi_analysis.progress.trajectory import progress_trajectory
from test_progress_build import processed  # noqa: F401  (fixture)
from test_progress_registry import AUDIT, LINES, RURAL, VILLAGE, households


def audit_frame() -> pd.DataFrame:
    df = pd.read_csv(io.StringIO(AUDIT), dtype={"registry_exit_year": "Int64"})
    for c in ["village_is_poor", "dangerous_house", "safe_water", "is_synthetic"]:
        df[c] = df[c].astype("boolean")
    return df


def write_partitions(df: pd.DataFrame, folder) -> None:
    for y, g in df.groupby("year"):
        d = folder / f"year={y}"
        d.mkdir(parents=True)
        g.drop(columns="year").to_parquet(d / "part-0.parquet", index=False)


def test_audit_year_without_line_keeps_other_findings():
    # only 2015 has a line: 2016's income finding (c above the line) is skipped, but c's
    # 已脱贫 → 未脱贫 and d's 返贫/脱贫年度 findings of 2016 are listed with an empty line
    got = exit_audit(audit_frame(), pd.DataFrame({"year": [2015], "poverty_line": [2855.0]}))
    y16 = got[got["year"] == 2016]
    assert sorted(zip(y16["household_key"], y16["finding"], strict=True)) == [
        ("c", "exited_then_poor_without_return"), ("d", "exit_year_in_future"),
        ("d", "return_without_prior_exit")]
    assert y16["poverty_line"].isna().all()
    assert (got[got["year"] == 2015]["poverty_line"] == 2855.0).all()


def test_parquet_folder_and_categorical_year_give_the_same_indicators(tmp_path):
    write_partitions(households(), tmp_path / "registry_households")
    from_path = registry_indicators(tmp_path / "registry_households", LINES, RURAL, VILLAGE)
    frame = pd.read_parquet(tmp_path / "registry_households")  # year comes back categorical
    assert isinstance(frame["year"].dtype, pd.CategoricalDtype)
    from_frame = registry_indicators(frame, LINES, RURAL, VILLAGE)
    from_memory = registry_indicators(households(), LINES, RURAL, VILLAGE)
    cols = ["indicator_id", "year", "geography", "breakdown", "value"]
    pdt.assert_frame_equal(from_path[cols], from_memory[cols])
    pdt.assert_frame_equal(from_frame[cols], from_memory[cols])


def test_no_partition_folders_is_a_clear_error(processed):  # noqa: F811
    for f in (processed / "registry_households").rglob("*.parquet"):
        f.unlink()
    for d in (processed / "registry_households").iterdir():
        d.rmdir()
    with pytest.raises(InputFileError, match="no year=YYYY partition folders"):
        build_progress(processed, processed)


def test_build_with_a_year_without_line(processed):  # noqa: F811
    pd.DataFrame({"year": [2015], "poverty_line": [2855.0], "source": ["x"]}).to_parquet(
        processed / "poverty_lines.parquet")
    summary = build_progress(processed, processed)
    assert "no poverty line for 2016" in summary
    reg = pd.read_parquet(processed / "progress_registry.parquet")
    r = reg[(reg["indicator_id"] == "share_below_poverty_line") & (reg["year"] == 2016)]
    assert r["value"].isna().all() and r["note"].str.startswith("no_data").all()
    audit = pd.read_parquet(processed / "exit_audit.parquet")
    # 2016 in the fixture: h3 返贫 after 已脱贫 (a return, not a finding), h3 unsafe water but
    # not exited; h1, h4 exited: h4 still 危房户 → exited_dangerous_house, line empty
    a16 = audit[audit["year"] == 2016]
    assert list(zip(a16["household_key"], a16["finding"], strict=True)) == [
        ("h4", "exited_dangerous_house")]
    assert a16["poverty_line"].isna().all()


def test_audit_csv_is_bom_utf8_formula_safe_and_matches_parquet(processed):  # noqa: F811
    hh = households()
    hh.loc[hh["household_key"] == "h4", "household_key"] = "=h4"
    for f in (processed / "registry_households").rglob("*.parquet"):
        f.unlink()
    for d in (processed / "registry_households").iterdir():
        d.rmdir()
    write_partitions(hh, processed / "registry_households")
    build_progress(processed, processed)
    raw = (processed / "exit_audit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfyear,household_key,")
    csv = pd.read_csv(processed / "exit_audit.csv", encoding="utf-8-sig", dtype=str)
    par = pd.read_parquet(processed / "exit_audit.parquet")
    assert len(csv) == len(par) > 0
    assert "'=h4" in set(csv["household_key"]) and "=h4" in set(par["household_key"])
    assert set(csv["is_synthetic"]) == {"True"}


def test_medians_by_township_and_village_with_ties():
    # 2015, 白马乡/白马村 only (h1 2000×4, h2 2500×2): 6 persons → 3rd and 4th are 2000, 2000
    # 乔河乡: h3 3000×3 (h4 has no income) → 3000; village 虎洼村 (h3) → 3000
    reg = registry_indicators(households(), LINES, RURAL, VILLAGE)
    m = reg[(reg["indicator_id"] == "poor_income_per_capita_median") & (reg["year"] == 2015)]
    got = m.set_index("geography")["value"].to_dict()
    assert got == {"华池县": 2500.0, "白马乡": 2000.0, "乔河乡": 3000.0,
                   "白马乡/白马村": 2000.0, "乔河乡/虎洼村": 3000.0}


def test_trajectory_converts_units_like_targets():
    t = pd.read_csv(io.StringIO(
        "target_id,indicator_id,geography,period_start,period_end,target_kind,comparator,value,"
        "unit,value_base,unit_base,direction\n"
        "R,road_km,华池县,2015,2015,level,>=,0.5,万公里,5000,km,higher\n"
        "S,road_km,华池县,2017,2017,level,>=,0.9,万公里,9000,km,higher\n"))
    a = pd.read_csv(io.StringIO(
        "indicator_id,year,geography,value,unit,source\n"
        "road_km,2015,华池县,0.6,万公里,统计局\n"
        "road_km,2016,华池县,0.65,万公里,统计局\n"))
    got = progress_trajectory(t, a, as_of=2016).set_index("year")
    # 0.6 万公里 = 6000 km ≥ 5000 → achieved; 2016: planned 7000 (interpolated), actual
    # 0.65 万公里 = 6500 km, not met: progress from the 2015 milestone (6500 − 5000) /
    # (7000 − 5000) = 0.75 → at_risk (a status wherever both numbers are there)
    assert got.loc[2015, "actual"] == pytest.approx(6000)
    assert got.loc[2016, "actual"] == pytest.approx(6500)
    assert got.loc[2016, "planned"] == pytest.approx(7000)
    assert got.loc[2015, "status"] == "achieved" and got.loc[2016, "status"] == "at_risk"
    bad = a.assign(unit="亩")
    got = progress_trajectory(t, bad, as_of=2016)
    assert got["actual"].isna().all()
    assert got["note"].str.contains("not comparable").all()


def test_build_names_a_year_without_rural_population(processed):  # noqa: F811
    # a new year's export arrives (the analyst guide's 2021 round) before the year's rural
    # population: the build says incidence is no_data for that year and where to add it
    pd.DataFrame({"year": [2015], "township": ["白马乡"], "rural_population": [100.0],
                  "source": ["s"]}).to_parquet(processed / "rural_population.parquet")
    summary = build_progress(processed, processed)
    assert "no rural population for 2016: poverty incidence is no_data" in summary
    assert "rural_population*.csv in data/raw/inputs" in summary
    assert "no rural population for 2015" not in summary
