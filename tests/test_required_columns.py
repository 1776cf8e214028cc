"""Issue 16's "done when": an export whose income header is 家庭年人均纯收入（元） is read with its
income; an export with no income column says so in the build summary (and the registry
summary, the findings table and the account) and in the briefing's data section; a file
without a required column is an error naming the closest header; an analyst's alias file
maps a header without code."""

from __future__ import annotations

import json

import pytest

from badinputs import COLUMNS, table, valid_rows, write_csv
from huachi_analysis.errors import InputFileError
from huachi_analysis.registry.account import account_lines
from huachi_analysis.registry.build import read_exports
from huachi_analysis.registry.header_aliases import load_aliases
from huachi_analysis.registry.headers import use_aliases
from huachi_analysis.registry.ingest import ingest

KEY = bytes(range(32))


def _export(path, rename: dict[str, str] | None = None, drop: tuple[str, ...] = ()):
    rows = valid_rows(households=6, year=2016)
    cols = [c for c in COLUMNS if c not in drop]
    data = table(rows, cols)
    data[0] = [(rename or {}).get(c, c) for c in data[0]]
    return write_csv(path, data)


def _ingest(*paths):
    return ingest(read_exports(list(paths), 2016, progress=False), KEY)


def test_income_under_the_annual_header_is_read(tmp_path):
    f = _export(tmp_path / "a_2016.csv", rename={"人均纯收入": "家庭年人均纯收入（元）"})
    res = _ingest(f)
    assert res.households["income_per_capita"].notna().all() and len(res.households) == 6
    assert res.missing_columns == []
    assert "unknown_column" not in set(res.findings["rule"])


def test_no_income_column_is_said_loudly(tmp_path):
    f = _export(tmp_path / "b_2016.csv", drop=("人均纯收入",))
    res = _ingest(f)
    summary = res.summary()
    [m] = summary["missing_columns"]
    assert m["file"] == "b_2016.csv" and m["field"] == "income_per_capita"
    assert m["years"] == [2016] and "still_poor_income_per_capita" in m["indicators"]
    assert res.households["income_per_capita"].isna().all()
    warn = res.findings[res.findings["rule"] == "missing_column"]
    assert len(warn) == 1 and warn["column"].iloc[0] == "人均纯收入"
    text = "\n".join(account_lines(summary, res.findings, "registry_findings.csv"))
    assert "⚠ 警告：b_2016.csv（2016年）没有“人均纯收入”栏" in text
    assert "⚠ WARNING: b_2016.csv (2016) has no '人均纯收入' column" in text
    assert "[missing_column]" in text


def test_the_build_summary_says_so(tmp_path):
    from huachi_analysis import paths
    from huachi_analysis.registry.build import build_registry

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plan").symlink_to(paths.RAW / "plan")
    (raw / "inputs").symlink_to(paths.RAW / "inputs")
    _export(raw / "registry" / "c_2016.csv", drop=("人均纯收入",))
    out = tmp_path / "out"
    out.mkdir()
    line = build_registry(raw, out)
    assert "1 column(s) the indicators need are missing" in line
    summary = json.loads((out / "registry_summary.json").read_text(encoding="utf-8"))
    assert summary["missing_columns"][0]["header"] == "人均纯收入"


def test_the_briefing_data_section_says_so(tmp_path):
    from huachi_analysis.io import write_json
    from huachi_analysis.reports.briefing import CountyBriefing, TownshipBriefing
    from huachi_analysis.reports.data import load
    from test_reports_fixture import build_fixture

    f = _export(tmp_path / "d_2016.csv", drop=("人均纯收入",))
    d = build_fixture(tmp_path / "processed")
    summary = json.loads((d / "registry_summary.json").read_text(encoding="utf-8"))
    write_json(d / "registry_summary.json", summary | _ingest(f).summary())
    data = load(d)
    for lang in ("zh", "en"):
        html = CountyBriefing(2016, lang, data=data).quality()._repr_html_()
        assert "d_2016.csv" in html and "人均纯收入" in html
        assert ("导出文件缺少的栏目" if lang == "zh" else "Columns missing from the exports") in html
    html = TownshipBriefing("柔远镇", 2016, "zh", data=data).quality()._repr_html_()
    assert "未脱贫户人均纯收入均值" in html  # the indicators affected, by their labels
    # another year's briefing does not carry it
    assert "d_2016.csv" not in CountyBriefing(2015, "zh", data=data).quality()._repr_html_()


@pytest.mark.parametrize("dropped", ["户编号", "乡(镇)", "行政村", "脱贫属性"])
def test_a_required_column_missing_is_an_error_for_the_file(tmp_path, dropped):
    f = _export(tmp_path / "e_2016.csv", drop=(dropped,))
    with pytest.raises(InputFileError, match="required column") as err:
        read_exports([f], 2016, progress=False)
    assert dropped in str(err.value) and "缺少必需的栏目" in str(err.value)


def test_a_file_without_any_person_id_is_an_error(tmp_path):
    f = _export(tmp_path / "g_2016.csv", drop=("证件号码", "人编号"))
    with pytest.raises(InputFileError, match="证件号码/人编号"):
        read_exports([f], 2016, progress=False)


def test_closest_header_and_how_to_map_in_the_error(tmp_path):
    f = _export(tmp_path / "h_2016.csv", rename={"乡(镇)": "乡镇（街道办）"})
    with pytest.raises(InputFileError) as err:
        read_exports([f], 2016, progress=False)
    msg = str(err.value)
    assert "乡镇（街道办）" in msg and "header_aliases.csv" in msg


def test_an_analysts_alias_maps_a_header_without_code(tmp_path):
    f = _export(tmp_path / "i_2016.csv", rename={"人均纯收入": "户年纯收入"})
    res = _ingest(f)
    assert [m["closest"] for m in res.missing_columns] == ["户年纯收入"]
    (tmp_path / "header_aliases.csv").write_text("header,field,note\n户年纯收入,人均纯收入,\n",
                                                 encoding="utf-8")
    with use_aliases(load_aliases(tmp_path)):
        res = ingest(read_exports([f], 2016, progress=False), KEY)
    assert res.missing_columns == [] and res.households["income_per_capita"].notna().all()


def test_huachi_build_prints_the_account_per_file(tmp_path):
    from typer.testing import CliRunner

    from huachi_analysis import paths
    from huachi_analysis.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plan").symlink_to(paths.RAW / "plan")
    (raw / "inputs").symlink_to(paths.RAW / "inputs")
    _export(raw / "registry" / "j_2016.csv", drop=("人均纯收入",))
    rows = table(valid_rows(households=3, year=2016, hh_offset=50), COLUMNS)
    rows[2][COLUMNS.index("行政村")] = ""  # one quarantined row
    write_csv(raw / "registry" / "k_2016.csv", rows)
    out = tmp_path / "processed"
    res = CliRunner().invoke(app, ["build", "--raw", str(raw), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = res.output
    assert "建档立卡导入明细（逐个文件）" in text and "registry ingest, file by file" in text
    assert "j_2016.csv（2016年）" in text and "k_2016.csv（2016年）" in text
    assert "隔离 1 · rows read" in text and "[missing_village] 1" in text
    assert "⚠ 警告：j_2016.csv（2016年）没有“人均纯收入”栏" in text
    assert str(out / "registry_findings.csv") in text
    assert "构建完成" in text and "build done" in text
