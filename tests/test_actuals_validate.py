"""Checking department figures: each bad-cell rule (all listed in one run, the good figures
kept), blank ≠ zero, long CSVs in UTF-8 and GBK, published statistics, duplicates across files,
precedence, whole-file problems."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from huachi_analysis import plan
from huachi_analysis.actuals.build import account, collect
from huachi_analysis.actuals.precedence import choose
from huachi_analysis.actuals.rules import RULES
from huachi_analysis.actuals.template import HEADER
from huachi_analysis.actuals.validate import validate
from huachi_analysis.actuals.workbook import workbook_cells
from huachi_analysis.plan.geography import gazetteer

TARGETS = plan.targets()
GEO = gazetteer()


def sheet(*rows: list) -> list[list]:
    """A department sheet: a title row, the header, then rows of
    (target_id, indicator_id, 地区, 年份, 单位, 实际值, 数据来源)."""
    out = [["交通运输局 填报表"], list(HEADER)]
    for tid, ind, geo, year, unit, value, source in rows:
        out.append([tid, ind, "", geo, year, "", unit, value, source, ""])
    return out


def check(sheets: list[tuple[str, list[list]]], name: str = "dept.xlsx"):
    cells, found = workbook_cells(sheets, name, name)
    assert found
    return validate(cells, TARGETS, GEO)


GOOD = ("T-07.1-04", "rural_road_network_improvement_km", "华池县", 2016, "公里", 150.5, "交通局台账")

#: (row, expected rule, column) — one bad cell per row, all in one sheet
BAD = [
    (("T-07.1-04", "rural_road_network_improvement_km", "华池县", 2017, "公里", "约30", "台账"),
     "not_a_number", "实际值"),
    (("T-07.1-04", "rural_road_network_improvement_km", "华池县", 2018, "公里", "是", "台账"),
     "yes_no_in_number", "实际值"),
    (("T-07.1-02", "admin_villages_paved_road_access", "华池县", 2015, "是/否", "完成了", "x"),
     "not_yes_no", "实际值"),
    (("T-07.1-05", "household_link_gravel_road_km", "华池县", 2016, "米", 12000, "台账"),
     "unit_changed", "单位"),
    (("T-99-01", "", "华池县", 2016, "公里", 3, "台账"), "unknown_target", "target_id"),
    (("T-07.1-05", "household_link_gravel_road_km", "火星乡", 2017, "公里", 3, "台账"),
     "unknown_geography", "地区"),
    (("T-09.3-01", "township_comprehensive_theatre", "山庄乡", 2016, "是/否", "是", "文化局"),
     "geography_mismatch", "地区"),
    (("T-07.1-05", "household_link_gravel_road_km", "华池县", 2018, "公里", -5, "台账"),
     "negative_value", "实际值"),
    (("T-07.2-10", "safe_water_rural_coverage", "华池县", 2016, "%", 120, "水务局"),
     "over_100_percent", "实际值"),
    (("T-07.1-05", "household_link_gravel_road_km", "华池县", "20x6", "公里", 3, "台账"),
     "bad_year", "年份"),
    (("T-07.1-05", "rural_road_network_improvement_km", "华池县", 2019, "公里", 3, "台账"),
     "indicator_mismatch", "indicator_id"),
    (("", "", "华池县", 2019, "公里", 3, "台账"), "missing_target", "target_id"),
]


def test_every_bad_cell_is_listed_with_sheet_row_and_reason_and_the_good_ones_kept():
    rows = [GOOD] + [r for r, _, _ in BAD] + [
        ("T-07.1-06", "beautiful_village_group_road_paving_km", "华池县", 2016, "公里", None, None)]
    res = check([("说明", [["说明"]]), ("交通", sheet(*rows))])
    errors = res.findings[res.findings["severity"] == "error"]
    got = sorted(zip(errors["finding_row"], errors["rule"], errors["column"], strict=True))
    want = sorted((i + 4, rule, col) for i, (_, rule, col) in enumerate(BAD))
    assert got == want  # header on row 2, GOOD on row 3, the bad rows from row 4
    assert set(errors["source_sheet"]) == {"交通"} and set(errors["source_file"]) == {"dept.xlsx"}
    assert errors["message"].str.len().gt(20).all()
    # the good figure goes on, with its provenance (C4); the blank one is not reported, not 0
    a = res.actuals
    assert len(a) == 1
    r = a.iloc[0]
    assert (r["indicator_id"], r["year"], r["geography"], r["value"], r["unit"]) == (
        "rural_road_network_improvement_km", 2016, "华池县", 150.5, "公里")
    assert (r["source"], r["origin"], r["source_file"], r["source_sheet"], r["source_row"]) == (
        "交通局台账", "department", "dept.xlsx", "交通", 3)
    assert not r["is_synthetic"]
    f = res.files["dept.xlsx"]
    assert (f["accepted"], f["blank"], f["quarantined"]) == (1, 1, len(BAD))
    assert set(RULES) >= set(errors["rule"])


def test_messages_name_the_value_and_what_is_expected():
    res = check([("交通", sheet(*(r for r, _, _ in BAD)))])
    msg = dict(zip(res.findings["rule"], res.findings["message"], strict=True))
    assert "'约30'" in msg["not_a_number"] and "公里" in msg["not_a_number"]
    assert "'米'" in msg["unit_changed"] and "公里" in msg["unit_changed"]
    assert "火星乡" in msg["unknown_geography"] and "柔远镇" in msg["unknown_geography"]
    assert "南梁镇" in msg["geography_mismatch"]
    assert "20x6" in msg["bad_year"]


def test_accepted_spellings_yes_no_warnings_and_township_figures():
    rows = [
        ("T-07.1-02", "admin_villages_paved_road_access", "华池县", 2015, "是/否", "是", "交通局"),
        ("T-07.1-03", "", "华池县", 2016, "", "否", "交通局"),  # empty 单位: the row's unit
        ("T-07.1-05", "household_link_gravel_road_km", "华池县", "2017年", "公里", "1,234.5",
         None),  # no 数据来源: kept, with a warning
        ("T-07.1-05", "household_link_gravel_road_km", "五蛟乡", 2017, "km", "１２", "交通局"),
        ("T-07.5-04", "digital_tv_townships_covered", "华池县", 2016, "个乡(镇)", 3, "广电"),
        ("T-07.2-01", "centralised_water_supply_project", "紫坊畔乡/刘坪", 2016, "是/否", "是", "水务"),
        ("T-07.1-01", "admin_village_access_road_km", "华池县", 2016, "公里", 10, "交通局"),
    ]
    res = check([("交通", sheet(*rows))])
    a = res.actuals.set_index(["indicator_id", "geography", "year"])
    assert a.loc[("admin_villages_paved_road_access", "华池县", 2015), "value"] == 1.0
    assert a.loc[("admin_villages_paved_road_access", "华池县", 2015), "unit"] == "yes_no"
    assert a.loc[("exit_village_group_roads_gravelled", "华池县", 2016), "value"] == 0.0
    assert a.loc[("household_link_gravel_road_km", "华池县", 2017), "value"] == 1234.5
    township = a.loc[("household_link_gravel_road_km", "五蛟镇", 2017)]  # alias → canonical
    assert (township["value"], township["unit"]) == (12.0, "km")
    assert a.loc[("digital_tv_townships_covered", "华池县", 2016), "unit"] == "个乡（镇）"
    assert ("centralised_water_supply_project", "紫坊畔乡/刘坪村", 2016) in a.index
    warn = res.findings.set_index("rule")
    assert warn.loc["missing_source", "severity"] == "warning"
    assert warn.loc["year_outside_period", "finding_row"] == 9  # T-07.1-01 is a 2015 target
    assert "未注明数据来源" in a.loc[("household_link_gravel_road_km", "华池县", 2017), "source"]


def _write_csv(path: Path, text: str, encoding: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


LONG = ("indicator_id,year,geography,value,unit,source\n"
        "rural_income_per_capita,2016,华池县,6781,元,县统计局年报\n"
        "rural_income_per_capita,2017,华池县,,元,县统计局年报\n"
        "admin_villages_paved_road_access,2015,华池县,是,是/否,交通局\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_long_csv_in_utf8_and_gbk(tmp_path, encoding):
    _write_csv(tmp_path / "统计局.csv", LONG, encoding)
    res = collect(tmp_path, TARGETS, GEO)
    assert res.findings.empty
    a = res.actuals
    assert a["value"].tolist() == [1.0, 6781.0]  # blank 2017: not reported
    assert a["source_row"].tolist() == [4, 2] and a["source_sheet"].isna().all()
    assert set(a["origin"]) == {"department"}
    assert res.files["统计局.csv"]["blank"] == 1


def test_published_statistics_shape_and_csv_rules(tmp_path):
    extra = ",source_title,publisher,published_date,url,quote,note"
    text = ("indicator_id,year,geography,value,unit,source" + extra + "\n"
            "rural_income_per_capita,2016,华池县,6900,元,统计公报,华池县2016年国民经济和社会发展统计公报,"
            "华池县统计局,2017-04-01,http://example.org,农村居民人均可支配收入6900元,\n"
            "resident_population_census,2020,华池县,120000,人,x,t,p,d,u,q,\n"
            "rural_income_per_capita,2017,华池县,7400,公斤,x,t,p,d,u,q,\n")
    _write_csv(tmp_path / "published" / "public_statistics.csv", text, "utf-8")
    _write_csv(tmp_path / "dept.csv", LONG.replace("rural_income_per_capita,2016",
                                                   "rural_incom_per_capita,2016"), "utf-8")
    res = collect(tmp_path, TARGETS, GEO)
    a = res.actuals
    assert a[a["origin"] == "published"]["value"].tolist() == [6900.0]
    f = res.findings.set_index(["source_file", "rule"])
    # a published figure of no plan indicator is context (a warning), a department's an error
    ctx = f.loc[("public_statistics.csv", "context_figure")]
    assert (ctx["finding_row"], ctx["severity"]) == (3, "warning")
    bad = f.loc[("public_statistics.csv", "unit_changed")]
    assert bad["finding_row"] == 4 and "元" in bad["message"]
    typo = f.loc[("dept.csv", "unknown_indicator")]
    assert typo["finding_row"] == 2 and "did you mean rural_income_per_capita" in typo["message"]
    assert "1 context figures" in account(res, tmp_path)


def _fill(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "交通"
    for r in sheet(*rows):
        ws.append(r)
    wb.save(path)
    return path


def test_same_figure_in_two_files_conflicting_or_equal(tmp_path):
    a = ("T-07.1-05", "household_link_gravel_road_km", "华池县", 2016, "公里", 300, "交通局")
    b = ("T-07.1-05", "household_link_gravel_road_km", "华池县", 2017, "公里", 280, "交通局")
    _fill(tmp_path / "first.xlsx", [a, b])
    (tmp_path / "2017").mkdir()
    _fill(tmp_path / "2017" / "second.xlsx",
          [b, a[:5] + (310, "交通局")])  # 2017 equal, 2016 different
    res = collect(tmp_path, TARGETS, GEO)
    conflict = res.findings[res.findings["rule"] == "conflicting_duplicate"]
    assert sorted(conflict["finding_row"]) == [3, 4]
    msgs = " ".join(conflict["message"])
    assert "first.xlsx, sheet 交通, row 3 has 300" in msgs
    assert "2017/second.xlsx, sheet 交通, row 4 has 310" in msgs
    assert res.actuals["year"].tolist() == [2017]  # 2016 used from neither file
    dup = res.findings[res.findings["rule"] == "duplicate"]
    assert len(dup) == 1 and dup.iloc[0]["severity"] == "warning"
    text = account(res, tmp_path)
    assert "ERROR 2017/second.xlsx, sheet 交通, row 4" in text
    assert "first.xlsx: 2 rows: 0 accepted, 0 blank, 1 quarantined, 1 warnings" in text
    assert "2017/second.xlsx: 2 rows: 1 accepted, 0 blank, 1 quarantined" in text
    # each line says it in Chinese first, the reason in the rule's Chinese words
    assert "first.xlsx：2 行：接受 0，空白 0，隔离 1，警告 1 · first.xlsx: 2 rows" in text
    assert ("错误 2017/second.xlsx，工作表 交通，第 4 行，实际值：同一目标（指标）、年份和地区在两处"
            "填了不同数值；两个数值都不使用 [conflicting_duplicate] · ERROR 2017/second.xlsx") in text


def test_real_beats_synthetic_and_department_beats_published():
    base = {"indicator_id": "rural_income_per_capita", "year": 2016, "geography": "华池县",
            "unit": "元", "source_file": "f", "source_sheet": None, "source_row": 2}
    df = pd.DataFrame([
        base | {"value": 1.0, "source": "合成数据", "origin": "department", "is_synthetic": True},
        base | {"value": 2.0, "source": "公报", "origin": "published", "is_synthetic": False},
        base | {"value": 3.0, "source": "统计局", "origin": "department", "is_synthetic": False},
        base | {"year": 2017, "value": 4.0, "source": "公报", "origin": "published",
                "is_synthetic": False},
        base | {"year": 2017, "value": 5.0, "source": "合成", "origin": "department",
                "is_synthetic": True}])
    got = choose(df).set_index("year")
    assert got.loc[2016, "value"] == 3.0 and "synthetic one" in got.loc[2016, "source"]
    assert got.loc[2017, "value"] == 4.0  # real (published) beats synthetic (department)


def test_whole_file_problems_are_findings_not_crashes(tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    wb = openpyxl.Workbook()
    wb.active.append(["户编号", "姓名"])
    wb.save(tmp_path / "other.xlsx")
    (tmp_path / "cols.csv").write_text("indicator,year,value\nx,2016,1\n", encoding="utf-8")
    (tmp_path / "~$lock.xlsx").write_bytes(b"lock")
    _fill(tmp_path / "ok.xlsx", [GOOD])
    res = collect(tmp_path, TARGETS, GEO)
    f = res.findings.set_index("source_file")
    assert f.loc["broken.xlsx", "rule"] == "unreadable_file"
    assert f.loc["other.xlsx", "rule"] == "no_template_header"
    assert f.loc["cols.csv", "rule"] == "wrong_columns"
    assert "indicator_id" in f.loc["cols.csv", "message"]
    assert "~$lock.xlsx" not in res.files
    assert len(res.actuals) == 1
    assert "cols.csv: skipped" in account(res, tmp_path)


def test_synthetic_returns_beside_a_real_registry_are_warned_about(tmp_path):
    import json

    from huachi_analysis.actuals.build import mixing_warning

    folder, out = tmp_path / "actuals", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    _fill(folder / "交通_合成数据.xlsx", [GOOD])
    res = collect(folder, TARGETS, GEO)
    assert res.actuals["is_synthetic"].all()
    (out / "registry_summary.json").write_text(json.dumps({"is_synthetic": True, "rows_read": 9}))
    assert mixing_warning(res, out) == ""
    (out / "registry_summary.json").write_text(json.dumps({"is_synthetic": False, "rows_read": 9}))
    assert "WARNING: SYNTHETIC department figures" in mixing_warning(res, out)


def test_combine_actuals_real_beats_synthetic_then_registry_department_published():
    from huachi_analysis.progress.targets import combine_actuals

    reg = pd.DataFrame({"indicator_id": ["poverty_incidence", "poverty_incidence"],
                        "year": [2016, 2017], "geography": ["华池县"] * 2, "breakdown": [None] * 2,
                        "value": [9.0, 6.0], "unit": ["percent"] * 2, "is_synthetic": [True] * 2})
    base = {"geography": "华池县", "source_file": "f.csv", "source_sheet": None, "source_row": 2}
    ia = pd.DataFrame([
        # a real published incidence beats the synthetic registry's 2016 figure
        base | {"indicator_id": "poverty_incidence", "year": 2016, "value": 8.5, "unit": "%",
                "source": "公报", "origin": "published", "is_synthetic": False},
        # a synthetic department figure does not beat the (synthetic) registry
        base | {"indicator_id": "poverty_incidence", "year": 2017, "value": 1.0, "unit": "%",
                "source": "合成数据", "origin": "department", "is_synthetic": True},
        base | {"indicator_id": "rural_income_per_capita", "year": 2016, "value": 1.0,
                "unit": "元", "source": "公报", "origin": "published", "is_synthetic": False},
        base | {"indicator_id": "rural_income_per_capita", "year": 2016, "value": 2.0,
                "unit": "元", "source": "统计局", "origin": "department", "is_synthetic": False}])
    got = combine_actuals(reg, ia).set_index(["indicator_id", "year"])
    r = got.loc[("poverty_incidence", 2016)]
    assert (r["value"], r["origin"], r["is_synthetic"]) == (8.5, "published", False)
    assert "synthetic registry figure set aside" in r["provenance"]
    assert got.loc[("poverty_incidence", 2017), "origin"] == "registry"
    assert got.loc[("rural_income_per_capita", 2016), "value"] == 2.0  # department > published
    assert not got.index.duplicated().any()
