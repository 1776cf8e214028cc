"""Small processed tables for the report tests, built by code and validated against the
registered contracts (``metadata.conform``), plus tests of loading and of the pure tables.

Two townships (柔远镇, 悦乐镇), three poor villages (one with the rare character 崾), registry
years 2015–2016. Figures are chosen so a test can find them in a report: the county target of
12,000 poor persons, the 柔远镇 road target of 35.5 km. The income and exit-audit aggregates the
briefings read are computed from the fixture's households by the progress step's own code
(:func:`huachi_analysis.progress.briefing_tables.briefing_tables`); the households themselves
are not written (no briefing reads them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from huachi_analysis import metadata
from huachi_analysis.io import write_csv, write_json, write_parquet
from huachi_analysis.progress.briefing_tables import briefing_tables
from huachi_analysis.reports import tables as T
from huachi_analysis.reports.data import INPUTS, load

COUNTY = "华池县"
TOWNSHIPS = ["柔远镇", "悦乐镇"]
YEARS = [2015, 2016]


def _target(tid, ind, clause, domain, zh, en, geo, end, cmp, value, unit, vb, ub, direction,
            quote, kind="level", scope="county"):
    return dict(target_id=tid, indicator_id=ind, clause=clause, domain=domain, indicator_zh=zh,
                indicator_en=en, scope=scope, geography=geo, period_start=2015, period_end=end,
                target_kind=kind, comparator=cmp, value=value, unit=unit, value_base=vb,
                unit_base=ub, direction=direction, per_unit=None, year_is_inferred=False,
                is_approximate=False, income_concept=None, quote=quote, ambiguity=None)


def frames() -> dict[str, pd.DataFrame]:
    townships = pd.DataFrame({
        "township": TOWNSHIPS, "township_type": ["镇", "镇"],
        "township_pinyin": ["Rouyuan Zhen", "Yuele Zhen"],
        "township_en": ["Rouyuan Town", "Yuele Town"], "aliases": ["柔远", "悦乐"]})
    villages = pd.DataFrame({
        "township": ["柔远镇", "柔远镇", "悦乐镇"], "village": ["刘沟村", "张岭子村", "乔崾岘村"],
        "is_poor_village": [True, True, True], "exit_year": [2016, 2017, 2016],
        "township_as_written": ["柔远镇"] * 2 + ["悦乐镇"], "village_as_written": ["刘沟", "张岭子村", "乔崾岘村"],
        "clause": ["5"] * 3, "quote": ["柔远镇刘沟、黄岔村", "柔远镇张岭子", "悦乐镇乔崾岘村"]})
    targets = pd.DataFrame([
        _target("T-4-01", "poor_population", "4", "population", "贫困人口", "Poor population",
                COUNTY, 2016, "<=", 1.2, "万人", 12000, "people", "lower", "2016年贫困人口减少到1.2万人",
                scope="poor_population"),
        _target("T-4-02", "poor_income_per_capita", "4", "income", "贫困户人均纯收入",
                "Poor households' income per capita", COUNTY, 2017, ">=", 3500, "元", 3500,
                "yuan", "higher", "贫困户人均纯收入达到3500元", scope="poor_households"),
        _target("T-7-01", "village_roads_km", "7(1)", "roads", "建制村通畅工程", "Village roads paved",
                COUNTY, 2015, ">=", 270, "公里", 270, "km", "higher", "2015年建成建制村通畅工程270公里",
                kind="cumulative"),
        _target("T-7-02", "township_roads_km", "7(1)", "roads", "柔远镇村组道路", "Rouyuan village roads",
                "柔远镇", 2016, ">=", 35.5, "公里", 35.5, "km", "higher", "柔远镇村组道路35.5公里",
                scope="township"),
        _target("T-9-01", "kindergartens", "9(1)", "education", "贫困村幼儿园", "Kindergartens",
                COUNTY, 2017, ">=", 37, "个", 37, "villages", "higher", "37个贫困村幼儿园全覆盖"),
    ])
    audit = pd.DataFrame({"finding_id": ["A-01"], "kind": ["contradiction"],
                          "description": ["56 poor villages vs 54"],
                          "description_zh": ["56个贫困村与54个贫困村不一致"], "quote_a": ["56个贫困村"],
                          "quote_b": ["54个贫困村"]})
    findings = pd.DataFrame({
        "finding_year": [2016] * 4, "source_file": ["synthetic_2016.xlsx"] * 4,
        "source_row": [5, 9, 12, 12], "column": ["证件号码", "人均纯收入", "证件号码", "人均纯收入"],
        "masked_value": ["62**************1X", "-5", "62**************2X", "-7"],
        "rule": ["person_unidentifiable", "negative_income", "person_unidentifiable",
                 "negative_income"],
        "severity": ["error"] * 4, "message": ["checksum", "negative", "checksum", "negative"],
        # row 12 has two errors: counted once, under its primary (first) error
        "primary": [True, True, True, False], "is_synthetic": [True] * 4})
    hh = []
    for y in YEARS:
        for t in TOWNSHIPS:
            for i in range(6):
                poor = i >= (2 if y == 2015 else 4)
                hh.append(dict(year=y, household_key=f"h{t[:1]}{i}", township=t,
                               village="刘沟村" if t == "柔远镇" else "乔崾岘村", village_is_poor=True,
                               household_size=3, members_listed=3, household_type="一般贫困户",
                               main_cause="因病" if i % 2 else "缺资金",
                               exit_status="未脱贫" if poor else "已脱贫", exit_status_code=None,
                               registry_exit_year=None if poor else y,
                               income_per_capita=2500.0 + 400 * i + 300 * (y - 2015),
                               dangerous_house=False, safe_water=True, water_difficulty=False,
                               is_synthetic=True))
    households = pd.DataFrame(hh)
    reg = []
    def add(ind, y, geo, value, unit, breakdown=None):
        level = "county" if geo == COUNTY else "township"
        reg.append(dict(indicator_id=ind, year=y, level=level, geography=geo, breakdown=breakdown,
                        value=float(value), unit=unit, note=None, is_synthetic=True))
    for y in YEARS:
        for geo, scale in ((COUNTY, 1.0), ("柔远镇", 0.6), ("悦乐镇", 0.4)):
            persons = (14321 if y == 2015 else 11234) * scale
            add(T.POOR_PERSONS, y, geo, round(persons), "people")
            add(T.POOR_HOUSEHOLDS, y, geo, round(persons / 3.8), "households")
            add(T.EXITS_PERSONS, y, geo, round(3000 * scale), "people")
            add(T.EXITS_HOUSEHOLDS, y, geo, round(800 * scale), "households")
            add(T.RETURNS_PERSONS, y, geo, round(40 * scale), "people")
            add(T.INCIDENCE, y, geo, 12.5 - 3 * (y - 2015) + (1 if geo == "悦乐镇" else 0), "percent")
            add(T.INCOME_MEAN, y, geo, 2900 + 350 * (y - 2015), "yuan")
            add(T.BELOW_LINE, y, geo, 30 - 8 * (y - 2015), "percent")
            for cause, n in (("因病", 900), ("缺资金", 600), ("缺技术", 300)):
                add(T.BY_CAUSE, y, geo, round(n * scale), "households", cause)
    registry = pd.DataFrame(reg)
    pt = []
    for y in YEARS:
        pt += [dict(target_id="T-4-01", indicator_id="poor_population", year=y, geography=COUNTY,
                    actual=14321.0 if y == 2015 else 11234.0, target=12000.0,
                    pct_achieved=80.0 if y == 2015 else 105.0, gap=-766.0 if y == 2016 else 2321.0,
                    status="on_track" if y == 2015 else "achieved", share_of_county=None, note=None),
               dict(target_id="T-4-02", indicator_id="poor_income_per_capita", year=y,
                    geography=COUNTY, actual=2900.0 + 350 * (y - 2015), target=3500.0,
                    pct_achieved=60.0, gap=250.0, status="at_risk", share_of_county=None, note=None),
               dict(target_id="T-7-01", indicator_id="village_roads_km", year=y, geography=COUNTY,
                    actual=250.0, target=270.0, pct_achieved=92.6, gap=20.0, status="missed",
                    share_of_county=None, note=None),
               dict(target_id="T-7-02", indicator_id="township_roads_km", year=y, geography="柔远镇",
                    actual=None, target=35.5, pct_achieved=None, gap=None, status="no_data",
                    share_of_county=None, note="no actuals for this indicator and geography"),
               # a department's figure for a township under the county-only road target
               dict(target_id="T-7-01", indicator_id="village_roads_km", year=y, geography="柔远镇",
                    actual=150.0, share_of_county=60.0,
                    note="county-wide target only: township actual and share of the county "
                         "shown; the plan sets no township target"),
               # kindergartens (due 2017): no baseline in 2015, off track in 2016
               dict(target_id="T-9-01", indicator_id="kindergartens", year=y, geography=COUNTY,
                    actual=None if y == 2015 else 8.0, target=37.0,
                    pct_achieved=None if y == 2015 else 100 * 8 / 37,
                    progress_ratio=None if y == 2015 else 0.32, gap=None if y == 2015 else 29.0,
                    status="no_data" if y == 2015 else "off_track", share_of_county=None,
                    note="no baseline before 2015: progress toward 2017 cannot be judged yet"
                    if y == 2015 else None)]
    progress_targets = pd.DataFrame(pt)
    # where each figure came from (contract C4): registry figures, department returns
    origin = {"T-4-01": "registry", "T-4-02": "registry", "T-7-01": "department",
              "T-9-01": "department"}
    has = progress_targets["actual"].notna()
    progress_targets["actual_origin"] = progress_targets["target_id"].map(origin).where(has)
    progress_targets["actual_is_synthetic"] = has.where(has)
    progress_targets["actual_provenance"] = progress_targets["actual_origin"].map(
        {"registry": "registry exports (progress_registry), synthetic",
         "department": "合成数据（模拟县交通运输局报送） (returns.xlsx, sheet 交通, row 9)"})
    traj = []
    for y in range(2014, 2021):
        traj.append(dict(indicator_id="poor_population", year=y, geography=COUNTY,
                         series="milestones", target_id="T-4-01", planned=27800.0 - 3950 * (y - 2014), planned_is_derived=y not in (2016, 2020),
                         actual={2015: 14321.0, 2016: 11234.0}.get(y), status="achieved" if y <= 2016 else "not_due",
                         unit_base="people", note=None))
        traj.append(dict(indicator_id="poor_income_per_capita", year=y, geography=COUNTY,
                         series="milestones", target_id="T-4-02", planned=2600.0 + 300 * (y - 2014), planned_is_derived=y != 2017,
                         actual={2015: 2900.0, 2016: 3250.0}.get(y), status="on_track" if y <= 2016 else "not_due",
                         unit_base="yuan", note=None))
    trajectory = pd.DataFrame(traj)
    ve = []
    for y in YEARS:
        for t, v, ey, inc in (("柔远镇", "刘沟村", 2016, 2.1), ("柔远镇", "张岭子村", 2017, 9.0),
                              ("悦乐镇", "乔崾岘村", 2016, 4.0)):
            exited = y == 2016 and inc < 3
            ve.append(dict(year=y, township=t, village=v, geography=f"{t}/{v}", exit_year=ey,
                           actual_exit_year=2016 if exited else None, incidence=inc + (2015 - y) * -1,
                           exit_threshold=3.0, exited=exited, relapsed=False,
                           schedule_status="on_schedule" if exited else ("late" if ey <= y else "not_yet"),
                           note=None, is_synthetic=True))
    village_exits = pd.DataFrame(ve)
    lines = pd.DataFrame({"year": YEARS, "poverty_line": [2855.0, 2952.0], "source": ["NBS"] * 2})
    aggregates = briefing_tables(households, lines)
    out = {"plan_townships": townships, "plan_villages": villages, "plan_targets": targets,
           "plan_audit": audit, "registry_findings": findings,
           "progress_registry": registry, "progress_targets": progress_targets,
           "progress_trajectory": trajectory, "village_exits": village_exits,
           "poverty_lines": lines, **aggregates}
    return {k: metadata.conform(v, k) for k, v in out.items()}


def build_fixture(directory: Path, synthetic: bool = True) -> Path:
    """Write the fixture tables into ``directory`` (CSV; the income histogram as Parquet)."""
    directory = Path(directory)
    for name, df in frames().items():
        if not synthetic and "is_synthetic" in df:
            df = df.assign(is_synthetic=False)
        if name == "income_distribution":
            write_parquet(directory / f"{name}.parquet", df)
        else:
            write_csv(directory / f"{name}.csv", df)
    write_json(directory / "registry_summary.json", {"is_synthetic": synthetic, "rows_read": 24})
    return directory


@pytest.fixture
def fixture_dir(tmp_path) -> Path:
    return build_fixture(tmp_path / "processed")


def test_load_reads_every_table_with_types_and_hashes(fixture_dir):
    data = load(fixture_dir)
    assert data.missing == []
    assert data.years == [2015, 2016]
    assert data.is_synthetic
    assert str(data["plan_targets"]["period_end"].dtype) == "Int64"
    assert len(data.sha256) == len(INPUTS) and all(len(h) == 64 for h in data.sha256.values())
    assert "registry_households" not in INPUTS and "exit_audit" not in INPUTS


def test_load_names_a_missing_required_table(tmp_path):
    from huachi_analysis.errors import InputFileError

    build_fixture(tmp_path)
    (tmp_path / "plan_targets.csv").unlink()
    with pytest.raises(InputFileError, match="plan_targets"):
        load(tmp_path)


def test_missing_optional_table_is_listed_not_hidden(fixture_dir):
    (fixture_dir / "exit_audit_counts.csv").unlink()
    data = load(fixture_dir)
    assert data.missing == ["exit_audit_counts"]
    assert list(data["exit_audit_counts"].columns) == list(
        metadata.TABLES["exit_audit_counts"].fields)


def test_real_data_is_not_labelled_synthetic(tmp_path):
    data = load(build_fixture(tmp_path, synthetic=False))
    assert not data.is_synthetic
    summary = json.loads((tmp_path / "registry_summary.json").read_text())
    assert summary["is_synthetic"] is False
