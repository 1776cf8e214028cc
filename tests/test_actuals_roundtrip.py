"""The round trip of issue 10: ``huachi template`` → a department fills it in (a blank target,
two mistaken cells, a township figure) → ``huachi build`` → filled targets measured, the blank
one no_data, both mistakes reported with sheet and row, township figures in progress_targets
with their geography, provenance kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from badinputs import export_xlsx, run_cli, valid_rows
from huachi_analysis.actuals.template import BREAKDOWN_SHEET

REPO = Path(__file__).resolve().parents[1]


def _cells(ws) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """Column of each header name, and the row of each (target_id, 年份)."""
    header = [c.value for c in ws[2]]
    col = {h: i + 1 for i, h in enumerate(header) if h}
    rows = {}
    for r in range(3, ws.max_row + 1):
        tid, year = ws.cell(r, col["target_id"]).value, ws.cell(r, col["年份"]).value
        if tid:
            rows[(tid, int(year))] = r
    return col, rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    raw = root / "raw"
    shutil.copytree(REPO / "data/raw/plan", raw / "plan")
    shutil.copytree(REPO / "data/raw/inputs", raw / "inputs")
    for y in (2015, 2016):
        export_xlsx(raw / "registry" / f"export_{y}.xlsx", valid_rows(8, seed=5, year=y), year=y)
    book = raw / "actuals" / "2016" / "交通局_2016.xlsx"
    run = run_cli(["template", "--raw", raw, "--out", book, "--years", "2015-2016"])
    assert run.exit_code == 0, run.output

    wb = openpyxl.load_workbook(book)
    ws = wb["交通"]
    col, at = _cells(ws)

    def put(tid: str, year: int, value, source="县交通运输局统计台账", column="实际值"):
        ws.cell(at[(tid, year)], col[column]).value = value
        if column == "实际值":
            ws.cell(at[(tid, year)], col["数据来源"]).value = source

    put("T-07.1-01", 2015, 281.5)  # 270 km in 2015: achieved
    put("T-07.1-02", 2015, "是")  # done/not-done
    put("T-07.1-04", 2016, 150)  # 886.1 km over 2016-2020: 150 in its first year
    put("T-07.1-06", 2015, 120)
    put("T-07.1-06", 2016, "约30")  # mistake 1: text in a number cell
    put("T-07.1-05", 2016, 9000)  # mistake 2: a changed unit (米, not 公里)
    put("T-07.1-05", 2016, "米", column="单位")
    # T-07.1-05 2015 is not in its period (2016-2020); T-07.1-05 2016 is quarantined: no_data
    bd = wb[BREAKDOWN_SHEET]
    bcol = {c.value: i + 1 for i, c in enumerate(bd[2]) if c.value}
    for i, (town, v) in enumerate((("五蛟乡", 20), ("柔远镇", 35.5))):
        for h, x in (("target_id", "T-07.1-04"), ("地区", town), ("年份", 2016), ("实际值", v),
                     ("数据来源", "交通局分乡镇台账")):
            bd.cell(3 + i, bcol[h]).value = x
    ws = wb["民政"]
    col, at = _cells(ws)
    ws.cell(at[("T-09.5-01", 2016)], col["实际值"]).value = 1  # 南梁镇's nursing home
    ws.cell(at[("T-09.5-01", 2016)], col["数据来源"]).value = "民政局"
    wb.save(book)

    run = run_cli(["build", "--raw", raw, "--out", root / "processed"])
    assert run.exit_code == 0, run.output
    return root / "processed", run.output, {"交通": _cells(wb["交通"])[1]}


def _row(t: pd.DataFrame, tid: str, year: int, geography: str = "华池县") -> pd.Series:
    r = t[(t["target_id"] == tid) & (t["year"] == year) & (t["geography"] == geography)]
    assert len(r) == 1, (tid, year, geography)
    return r.iloc[0]


def test_filled_targets_are_measured_and_the_blank_one_is_no_data(built):
    out, _, _ = built
    t = pd.read_parquet(out / "progress_targets.parquet")
    r = _row(t, "T-07.1-01", 2016)
    assert (r["actual"], r["status"]) == (281.5, "achieved")
    r = _row(t, "T-07.1-04", 2016)
    assert r["actual"] == 150 and r["status"] in ("on_track", "at_risk", "off_track")
    assert _row(t, "T-07.1-06", 2015)["actual"] == 120
    assert _row(t, "T-07.1-02", 2015)["status"] == "achieved"  # 是 by its 2015 deadline
    r = _row(t, "T-07.1-06", 2016)  # 2016 quarantined: the series is incomplete, not missed
    assert r["status"] == "incomplete" and r["years_missing"] == "2016"
    assert r["actual_origin"] == "department" and "交通局_2016.xlsx" in r["actual_provenance"]
    assert _row(t, "T-07.1-05", 2016)["status"] == "no_data"  # blank after quarantine
    assert _row(t, "T-07.1-10", 2016)["status"] == "no_data"  # never filled in


def test_both_mistakes_are_reported_with_sheet_and_row(built):
    out, output, rows = built
    at = rows["交通"]
    f = pd.read_csv(out / "actuals_findings.csv")
    errors = f[f["severity"] == "error"].set_index("rule")
    assert errors.loc["not_a_number", "finding_row"] == at[("T-07.1-06", 2016)]
    assert errors.loc["unit_changed", "finding_row"] == at[("T-07.1-05", 2016)]
    assert set(errors["source_sheet"]) == {"交通"}
    for rule in ("not_a_number", "unit_changed"):
        line = f"sheet 交通, row {errors.loc[rule, 'finding_row']}"
        assert line in output and f"[{rule}]" in output
    assert "2016/交通局_2016.xlsx" in output and "quarantined" in output


def test_township_figures_reach_progress_targets_with_their_geography(built):
    out, _, _ = built
    t = pd.read_parquet(out / "progress_targets.parquet")
    wj = _row(t, "T-07.1-04", 2016, "五蛟镇")  # 五蛟乡 as typed → canonical 五蛟镇
    assert wj["actual"] == 20 and wj["share_of_county"] == pytest.approx(100 * 20 / 150)
    assert _row(t, "T-07.1-04", 2016, "柔远镇")["actual"] == 35.5
    home = _row(t, "T-09.5-01", 2016, "南梁镇")  # a target the plan sets for one township
    assert (home["actual"], home["status"]) == (1, "achieved")


def test_every_actual_keeps_its_provenance(built):
    out, _, rows = built
    a = pd.read_parquet(out / "indicator_actuals.parquet")
    r = a[(a["indicator_id"] == "admin_village_access_road_km")].iloc[0]
    assert (r["source_file"], r["source_sheet"], r["source_row"], r["source"], r["origin"]) == (
        "交通局_2016.xlsx", "交通", rows["交通"][("T-07.1-01", 2015)], "县交通运输局统计台账",
        "department")
    yn = a[a["indicator_id"] == "admin_villages_paved_road_access"].iloc[0]
    assert (yn["value"], yn["unit"]) == (1.0, "yes_no")
    assert not a["is_synthetic"].any()
    assert list(a.columns) == ["indicator_id", "year", "geography", "value", "unit", "source",
                               "origin", "is_synthetic", "source_file", "source_sheet",
                               "source_row"]
