"""A messy export with a bad row of every kind: every row accounted for, each with its reason,
households built from their member rows, and no personal data in any output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from huachi_analysis.registry.build import write_registry
from huachi_analysis.registry.csv_copies import write_copies
from huachi_analysis.registry.ingest import ingest
from huachi_analysis.registry.read import read_export
from test_registry_helpers import (
    geography,
    person_row,
    resident_id,
    write_csv_export,
    write_xlsx_export,
)

KEY = bytes(range(32))
TITLE = "华池县建档立卡贫困人口信息表（2016年）"
NOTES = ("注：本表数据截至2016年12月31日", "填表人：")


def _x_id() -> str:
    """A resident ID whose check digit is X, written with a lower-case x."""
    for serial in range(1000):
        rid = resident_id("621023", "19700707", serial)
        if rid.endswith("X"):
            return rid[:-1] + "x"
    raise AssertionError


def messy_rows() -> tuple[list[dict], dict[int, str], dict[str, int]]:
    """Rows (in file order), the expected primary error by data-row index, expected warnings."""
    R = person_row
    rows = [
        # 0-1: household 001, alias township, "3,200", system code 1, old type 低保户
        R("6210230001", 1, 2, town="五蛟乡", village="杜右手", income="3,200", status="1",
          htype="低保户", name="欧阳建国", phone="13900001111"),
        R("6210230001", 2, 2, town="五蛟镇", village="杜右手村", income="3,200", status="1",
          htype="低保户", name="欧阳秀英", phone="13900001111", birth="19820202"),
        R("6210230002", 1, 1, town="火星乡"),                       # 2 unknown_township
        R("6210230003", 1, 1, village=""),                          # 3 missing_village
        R("", 1, 1, pid_serial=444),                               # 4 missing_household_id
        R("6210230005", 1, 1) | {"证件号码": "621023198001011234"},  # 5 warning invalid ID
        R("6210230006", 1, 1) | {"证件号码": "", "人编号": ""},      # 6 person_unidentifiable
        R("6210230007", 1, 1, status="已出列"),                      # 7 unknown_exit_status
        R("6210230008", 1, 1, income="-100"),                       # 8 negative_income
        R("6210230009", 1, 1, income="5000000"),                    # 9 absurd_income
        R("6210230010", 1, 1, income="二千"),                        # 10 income_not_a_number
        R("6210230011", 1, 1, pid_serial=555),                      # 11 first copy: kept
        R("6210230011", 1, 1, pid_serial=555),                      # 12 duplicate_person
        R("6210230012", 1, 3), R("6210230012", 2, 3),               # 13-14 size 3, 2 rows
        R("6210230013", 2, 2, income="3500", relation="之子"),       # 15 member first…
        R("6210230013", 1, 2, income="3000", relation="户主"),       # 16 …head second
        R("6210230014", 1, 1, htype="五保户", cause="其他"),          # 17 mapped old forms
        R("6210230015", 1, 1, htype="特别户", cause="因穷"),          # 18 2 warnings
        R("6210230016", 1, 1, village="东山"),                       # 19 village not in plan
        R("6210230017", 1, 1, town="\u3000柔远镇 ", village=" 城关村\u3000")
        | {"证件号码": _x_id()},                                     # 20 spaces, lower-case x
        R("6210230018", 1, 1) | {"危房户": "可能"},                   # 21 unknown_flag
        R("6210230019", 1, 1) | {"证件号码": resident_id("621023", "19650505", 77) + "24"},
        R("6210230020", 1, 1) | {"县(市、区、旗)": "庆城县"},           # 23 wrong_county
    ]
    errors = {2: "unknown_township", 3: "missing_village", 4: "missing_household_id",
              6: "person_unidentifiable", 7: "unknown_exit_status", 8: "negative_income",
              9: "absurd_income", 10: "income_not_a_number", 12: "duplicate_person",
              23: "wrong_county"}
    warnings = {"invalid_id_number": 1, "household_size_mismatch": 1,
                "household_fields_disagree": 1, "unknown_household_type": 1,
                "unknown_main_cause": 1, "village_not_in_plan": 1, "unknown_flag": 1}
    return rows, errors, warnings


PERSONAL = {"names": ["欧阳建国", "欧阳秀英", "张建国"], "phones": ["13900001111", "13912345678"]}


def personal_strings(rows: list[dict]) -> list[str]:
    ids = [r["证件号码"] for r in rows if len(r["证件号码"]) >= 15]
    return PERSONAL["names"] + PERSONAL["phones"] + ids + [i.upper() for i in ids]


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    d = tmp_path_factory.mktemp("messy")
    rows, errors, warnings = messy_rows()
    csv = write_csv_export(d / "huachi_2016.csv", rows, encoding="gb18030", title=TITLE,
                           numbering=True, notes=NOTES)
    xlsx = write_xlsx_export(d / "export.xlsx", rows, title=TITLE, numbering=True, notes=NOTES,
                             numeric_ids=True)
    return rows, errors, warnings, csv, xlsx


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_row_accounted_for_with_its_reason(messy, kind):
    rows, errors, warnings, csv, xlsx = messy
    files = read_export(csv if kind == "csv" else xlsx)
    assert files[0].year == 2016 and files[0].skipped == {"numbering_row": 1, "blank_rows": 0,
                                                           "note_rows": 2}
    res = ingest(files, KEY, geography())
    s = res.summary()
    assert s["rows_read"] == len(rows) == 24
    assert s["rows_quarantined"] == len(errors) == 10
    assert s["rows_accepted"] == 14 == len(res.persons)
    assert s["rows_read"] == s["rows_accepted"] + s["rows_quarantined"]
    expected = pd.Series(errors).value_counts().to_dict()
    assert s["quarantine_reasons"] == expected
    for rule, count in warnings.items():
        assert s["warnings"].get(rule) == count, rule
    # each quarantined row is named by its spreadsheet row: title 1, header 2, numbering 3
    prim = res.findings[res.findings["primary"]]
    got = dict(zip(prim["source_row"].astype(int) - 4, prim["rule"], strict=True))
    assert got == errors
    assert s["households"] == 14 - 2 - 1  # 001, 012 and 013 have two accepted rows each


def test_households_take_the_heads_values(messy):
    rows, _, _, csv, _ = messy
    res = ingest(read_export(csv), KEY, geography())
    hh, p = res.households, res.persons
    first = p[p["source_row"] == 4].iloc[0]
    h1 = hh[hh["household_key"] == first["household_key"]].iloc[0]
    assert (h1["township"], h1["village"], bool(h1["village_is_poor"])) == ("五蛟镇", "杜右手村", True)
    assert h1["income_per_capita"] == 3200 and h1["exit_status"] == "已脱贫"
    assert h1["exit_status_code"] == "1" and h1["household_type"] == "低保贫困户"
    assert (h1["household_size"], h1["members_listed"]) == (2, 2)
    assert first["sex"] == "男" and first["age_band"] == "16-59"  # born 1980, data of 2016
    assert "birth_year" not in p  # not kept: it singles persons out
    key13 = p.loc[p["source_row"] == 4 + 15, "household_key"].iloc[0]
    h13 = hh[hh["household_key"] == key13].iloc[0]
    assert h13["income_per_capita"] == 3000  # the head's row, not the first or the mean
    key12 = p.loc[p["source_row"] == 4 + 13, "household_key"].iloc[0]
    h12 = hh[hh["household_key"] == key12].iloc[0]
    assert (h12["household_size"], h12["members_listed"]) == (3, 2)
    by_row = p.set_index(p["source_row"].astype(int) - 4)
    assert hh.set_index("household_key").loc[by_row.loc[17, "household_key"], "household_type"] \
        == "特困供养贫困户"
    assert by_row.loc[19, "village"] == "东山村" and not by_row.loc[19, "village_is_poor"]
    assert (by_row.loc[20, "township"], by_row.loc[20, "village"]) == ("柔远镇", "城关村")
    assert by_row.loc[20, "age_band"] == "16-59"                # lower-case x accepted
    assert by_row.loc[22, "age_band"] == "16-59"                # disability certificate
    assert pd.isna(by_row.loc[5, "sex"])                        # invalid ID: kept, no sex


def test_csv_and_xlsx_give_the_same_tables(messy):
    _, _, _, csv, xlsx = messy
    a = ingest(read_export(csv), KEY, geography())
    b = ingest(read_export(xlsx), KEY, geography())
    cols = [c for c in a.persons.columns if c != "source_file"]
    pd.testing.assert_frame_equal(a.persons[cols], b.persons[cols])
    pd.testing.assert_frame_equal(a.households, b.households)


def test_no_personal_data_in_any_output(messy, tmp_path):
    rows, _, _, csv, xlsx = messy
    res = ingest(read_export(csv) + read_export(xlsx), KEY, geography())
    summary = write_registry(res, tmp_path, KEY)
    assert summary["rows_read"] == 48
    write_copies(tmp_path, tmp_path, ["registry_persons", "registry_households"])  # on request
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 8
    needles = personal_strings(rows)
    for p in written:
        if p.suffix == ".parquet":
            text = pd.read_parquet(p).astype(str).to_csv()
        else:
            text = p.read_text(encoding="utf-8-sig")
        for needle in needles:
            assert needle not in text, (p.name, needle[:3])
    findings = pd.read_csv(tmp_path / "registry_findings.csv", dtype=str)
    shown = " ".join(findings["masked_value"].dropna())
    assert "6*****************" in shown  # duplicate person: the ID column's value masked
    # every finding names its rule in Chinese too, the words the build's account uses
    from huachi_analysis.reports.labels import label

    assert findings["rule_zh"].notna().all()
    assert (findings["rule_zh"] == [label(f"rule_{r}") for r in findings["rule"]]).all()
    assert json.loads((tmp_path / "registry_summary.json").read_text())["rows_quarantined"] == 10 + 10 + 14  # the xlsx repeats the csv: its 14 good rows are duplicates


def test_duplicate_file_quarantines_every_row_of_the_copy(messy, tmp_path):
    _, errors, _, csv, _ = messy
    copy = tmp_path / "huachi_2016_copy.csv"
    copy.write_bytes(csv.read_bytes())
    res = ingest(read_export(csv) + read_export(copy), KEY, geography())
    s = res.summary()
    assert s["rows_read"] == 48 and s["rows_accepted"] == 14
    # the copy: its 9 broken rows keep their own reasons; the other 15 are duplicates
    assert s["quarantine_reasons"]["duplicate_person"] == 1 + 15
    assert s["warnings"]["duplicate_file"] == 1


def test_real_plan_geography_resolves_alias():
    from huachi_analysis.plan.geography import gazetteer

    g = gazetteer()
    files_rows = [person_row("6210230001", 1, 1, town="五蛟乡", village="杜右手")]
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        res = ingest(read_export(write_csv_export(Path(d) / "r_2016.csv", files_rows)), KEY, g)
    assert res.persons[["township", "village"]].values.tolist() == [["五蛟镇", "杜右手村"]]
    assert bool(res.persons["village_is_poor"].iloc[0]) is True
