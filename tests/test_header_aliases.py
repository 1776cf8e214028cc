"""Header aliases: every spelling of the built-in table maps to its column (one test each);
an analyst's data/raw/header_aliases.csv adds spellings without code and cannot silently
change a known one; required and needed columns are reported with the closest header."""

from __future__ import annotations

import pytest

from huachi_analysis.errors import InputFileError
from huachi_analysis.registry import header_aliases as HA
from huachi_analysis.registry import required_columns as RC
from huachi_analysis.registry.headers import HEADER_VARIANTS, canonical_field

PAIRS = [(f, v) for f, vs in HEADER_VARIANTS.items() for v in vs]


@pytest.mark.parametrize(("field", "header"), PAIRS, ids=[f"{f}:{v}" for f, v in PAIRS])
def test_every_builtin_alias(field, header):
    assert canonical_field(header) == field
    assert canonical_field(f" {header.upper()} ") == field  # spaces, case


def test_aliases_file_by_chinese_or_field_name(tmp_path):
    text = ("header,field,note\n家庭年纯收入（元）,人均纯收入,2021年的写法\n"
            "致贫原因（主要）,main_cause,\n\n")
    got = HA.parse_aliases(text, tmp_path / "a.csv", HEADER_VARIANTS)
    assert got == {"家庭年纯收入(元)": "income_per_capita", "致贫原因(主要)": "main_cause"}


def test_aliases_file_rejects_unknown_fields_and_conflicts(tmp_path):
    p = tmp_path / "header_aliases.csv"
    with pytest.raises(InputFileError, match=r"(?s)row 2.*人均收入.*income_per_capita") as err:
        HA.parse_aliases("header,field\n年收入,人均收入\n", p, HEADER_VARIANTS)
    assert "不认识的字段" in str(err.value)
    with pytest.raises(InputFileError, match=r"(?s)row 3.*already means 乡\(镇\)"):
        HA.parse_aliases("header,field\nx,village\n乡镇,village\n", p, HEADER_VARIANTS)
    with pytest.raises(InputFileError, match="header,field,note"):
        HA.parse_aliases("表头,字段\n", p, HEADER_VARIANTS)


def test_load_aliases_reads_utf8_and_gbk(tmp_path):
    assert HA.load_aliases(tmp_path) == {}
    (tmp_path / "header_aliases.csv").write_bytes("header,field\n年纯收入,人均纯收入\n"
                                                   .encode("gbk"))
    assert HA.load_aliases(tmp_path) == {"年纯收入": "income_per_capita"}


def test_the_bundled_aliases_file_is_valid_and_tracked():
    from huachi_analysis import paths

    assert HA.aliases_path().is_file()
    HA.load_aliases(paths.RAW)  # raises if broken


@pytest.mark.parametrize(("field", "header"), [
    ("income_per_capita", "家庭年纯收入（元）"), ("income_per_capita", "收入"),
    ("main_cause", "致贫原因"), ("dangerous_house", "是否危房"), ("township", "所在乡镇"),
    ("village", "村名称")])
def test_closest_header(field, header):
    assert RC.closest_header(field, ["序号", header, "备注"]) == header


def test_needed_columns_come_from_the_indicators():
    needed = RC.needed_fields()
    assert set(needed) == {"income_per_capita", "main_cause", "dangerous_house", "safe_water"}
    assert "still_poor_income_per_capita_median" in needed["income_per_capita"]


def test_missing_needed_column_entry_says_what_to_do():
    [m] = RC.missing_needed("x.csv", {"main_cause", "dangerous_house", "safe_water"},
                            ["家庭年纯收入（元）"], [2016])
    assert m["field"] == "income_per_capita" and m["closest"] == "家庭年纯收入（元）"
    assert m["years"] == [2016] and "poor_income_per_capita" in m["indicators"]
    assert "data/raw/header_aliases.csv" in m["how_zh"] and "家庭年纯收入（元）,人均纯收入" in m["how_en"]
    [m] = RC.missing_needed("x.csv", {"main_cause", "dangerous_house", "safe_water"}, [], [2016])
    assert m["closest"] is None and "export it again" in m["how_en"]
    zh, en = RC.summary_lines([m])
    assert zh.startswith("⚠ 警告：x.csv（2016年）没有“人均纯收入”栏") and "WARNING" in en


def test_required_columns_error_names_closest_header_and_how_to_map(tmp_path):
    present = {"village", "household_id", "exit_status", "person_id"}
    with pytest.raises(InputFileError) as err:
        RC.check_required(tmp_path / "e.csv", present, ["所在乡镇", "备注"])
    msg = str(err.value)
    assert "乡(镇)" in msg and "所在乡镇" in msg and "header_aliases.csv" in msg
    with pytest.raises(InputFileError, match="证件号码/人编号"):
        RC.check_required(tmp_path / "e.csv", {"township", "village", "household_id",
                                               "exit_status"}, [])
    RC.check_required(tmp_path / "e.csv", present | {"township"}, [])  # complete: no error
