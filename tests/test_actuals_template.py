"""The departments' fill-in workbook (``huachi template``): rows, sheets, header, locked cells,
data validation, units."""

from __future__ import annotations

import openpyxl
import pytest

from badinputs import run_cli
from huachi_analysis import plan
from huachi_analysis.actuals import kinds
from huachi_analysis.actuals.departments import DEPARTMENTS, department_of
from huachi_analysis.actuals.template import (
    BREAKDOWN_SHEET,
    HEADER,
    INSTRUCTIONS_SHEET,
    template_rows,
)
from huachi_analysis.commands.template import parse_years
from huachi_analysis.errors import ParameterError
from huachi_analysis.progress.registry_indicators import INDICATORS

TARGETS = plan.targets()
ROWS = template_rows(TARGETS, (2015, 2020), measured=INDICATORS)


def test_every_target_the_registry_cannot_measure_has_a_row_per_year_and_geography():
    for t in TARGETS.to_dict("records"):
        served = ROWS[ROWS["target_ids"].str.split("|").map(lambda ids, i=t["target_id"]: i in ids)]
        if t["indicator_id"] in INDICATORS:
            assert served.empty, t["target_id"]
            continue
        want = [y for y in kinds.reporting_years(t) if 2015 <= y <= 2020]
        assert sorted(served["year"]) == want, t["target_id"]
        assert set(served["geography"]) == {t["geography"]}
        assert set(served["sheet"]) == {department_of(t["domain"]).sheet}
    # a row per (indicator, geography, kind of value, year): a figure is never asked twice
    assert not ROWS.duplicated(["indicator_id", "geography", "value_type", "year"]).any()


def test_targets_sharing_a_series_share_rows_and_the_earlier_deadline_names_the_row():
    forest = ROWS[ROWS["indicator_id"] == "forest_coverage_rate"].set_index("year")
    assert forest.loc[2016, "target_id"] == "T-07.8-10"  # ≥30 % by 2017 comes first
    assert forest.loc[2016, "target_ids"] == "T-07.8-10|T-07.8-11"
    assert forest.loc[2019, "target_id"] == "T-07.8-11"
    assert "到2017年 ≥30%" in forest.loc[2016, "target_note"]
    # the % coverage (T-09.5-05) and the done/not-done completion (T-09.5-06) are two
    # indicators, each its own row a year: reporting both for one year loses neither
    coverage = ROWS[ROWS["indicator_id"] == "poor_village_elderly_daycare_coverage"]
    built = ROWS[ROWS["indicator_id"] == "poor_village_elderly_daycare_all_built"]
    assert set(coverage["unit"]) == {"%"} and set(built["unit"]) == {"是/否"}
    assert len(coverage[coverage["year"] == 2016]) == len(built[built["year"] == 2016]) == 1


def test_units_basis_and_township_or_village_geographies():
    terraces = ROWS[ROWS["indicator_id"] == "terraced_fields_new_mu"]
    assert set(terraces["unit"]) == {"万亩"} and set(terraces["target_ids"]) == {
        "T-07.7-01|T-07.7-02"}
    roads = ROWS[(ROWS["indicator_id"] == "rural_road_network_improvement_km")]
    assert set(roads["unit"]) == {"公里"} and roads["basis"].str.startswith("当年完成量").all()
    deadline = ROWS[ROWS["target_id"] == "T-07.1-02"]
    assert deadline["unit"].tolist() == ["是/否"] and deadline["value_type"].tolist() == ["yes_no"]
    assert set(ROWS.loc[ROWS["target_id"] == "T-09.3-01", "geography"]) == {"南梁镇"}
    assert set(ROWS.loc[ROWS["target_id"] == "T-07.2-01", "geography"]) == {"紫坊畔乡/刘坪村"}
    share = ROWS[ROWS["target_id"] == "T-08.5-01"]  # 每个贫困村至少1个产业合作组织
    assert set(share["unit"]) == {"%"} and set(share["target_value"]) == {100.0}
    assert share["basis"].str.contains("比例").all()
    assert "rural_income_per_capita" in set(ROWS["indicator_id"])  # no registry figure
    assert "poverty_incidence" not in set(ROWS["indicator_id"])  # the registry measures it


def test_years_option_limits_rows():
    rows = template_rows(TARGETS, (2016, 2016), measured=INDICATORS)
    assert set(rows["year"]) == {2016}
    assert parse_years("2015-2020") == (2015, 2020) and parse_years("2017") == (2017, 2017)
    for bad in ("2013-2020", "2020-2015", "twenty"):
        with pytest.raises(ParameterError):
            parse_years(bad)


def test_every_domain_has_one_department_and_sheet_names_are_valid():
    assert len({d.sheet for d in DEPARTMENTS}) == len(DEPARTMENTS)
    for d in DEPARTMENTS:
        assert len(d.sheet) <= 31 and not set(d.sheet) & set("[]:*?/\\")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    run = run_cli(["template", "--out", path])
    assert run.exit_code == 0, run.output
    assert f"{path}: {len(ROWS)} rows" in run.output
    return openpyxl.load_workbook(path)


def test_sheets_header_and_instructions(workbook):
    wanted = [INSTRUCTIONS_SHEET, *dict.fromkeys(ROWS["sheet"]), BREAKDOWN_SHEET]
    assert workbook.sheetnames == wanted
    text = "\n".join(str(c.value) for c in workbook[INSTRUCTIONS_SHEET]["A"] if c.value)
    for must in ("空白表示“未上报”", "不会按 0 处理", "报送", "县扶贫办", "单位", "是/否",
                 "当年完成量"):
        assert must in text, must
    for sheet in wanted[1:-1]:
        ws = workbook[sheet]
        header = [c.value for c in ws[2]]
        assert tuple(header[: len(HEADER)]) == HEADER
        assert ws.max_row - 2 == (ROWS["sheet"] == sheet).sum()


def test_locked_cells_validation_and_units(workbook):
    ws = workbook["交通"]
    header = [c.value for c in ws[2]]
    col = {h: i + 1 for i, h in enumerate(header)}
    assert ws.protection.sheet
    for r in range(3, ws.max_row + 1):
        for h in HEADER:
            locked = ws.cell(r, col[h]).protection.locked
            assert locked == (h not in ("实际值", "数据来源", "备注")), (r, h)
    rows = ROWS[ROWS["sheet"] == "交通"].reset_index(drop=True)
    assert [ws.cell(r + 3, col["单位"]).value for r in range(len(rows))] == rows["unit"].tolist()
    value_col = openpyxl.utils.get_column_letter(col["实际值"])
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                assert rng.min_col == rng.max_col == col["实际值"]
                by_cell[row] = dv
    for i, row in enumerate(rows.to_dict("records")):
        dv = by_cell[i + 3]
        if row["value_type"] == "yes_no":
            assert dv.type == "list" and dv.formula1 == '"是,否"'
        else:
            assert dv.type == "decimal" and float(dv.formula1) == 0.0, f"{value_col}{i + 3}"
    # a coverage rate may not exceed 100
    ws = workbook["环保"]
    rates = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"
             and float(dv.formula2) == 100.0]
    assert rates
