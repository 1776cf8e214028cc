"""Files of the synthetic registry: xlsx round trip, synthetic labels, the bundled input files,
and ``huachi synth``."""

from __future__ import annotations

import dataclasses
import json

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from huachi_analysis import paths
from huachi_analysis import synthetic as sy
from huachi_analysis.cli import app
from huachi_analysis.errors import ParameterError
from huachi_analysis.io import read_csv_text, sha256_file

SEED = 11


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A registry of one seed, cut to the first 120 rows of 2014 and 2016 (fast to write)."""
    reg = sy.generate_registry(SEED, *sy.load_geography(), years=[2014, 2016])
    cut = {y: df.head(120) for y, df in reg.exports.items()}
    return dataclasses.replace(reg, exports=cut)


@pytest.fixture(scope="module")
def written(small, tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    seen = []
    paths_ = sy.write_exports(small, out, progress=seen.append)
    assert paths_ == seen
    return out, paths_


def test_file_names_say_synthetic(written):
    out, files = written
    names = sorted(p.name for p in files)
    assert names == sorted([
        "huachi_registry_2014_SYNTHETIC.xlsx", "huachi_registry_2016_SYNTHETIC.xlsx",
        "rural_population_synthetic.csv", "village_population_synthetic.csv",
        "SYNTHETIC_README.txt", "synthetic_metadata.json"])
    assert all("synthetic" in n.lower() for n in names)


def test_xlsx_round_trip_title_headers_and_text_ids(small, written):
    out, _ = written
    path = out / "huachi_registry_2016_SYNTHETIC.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "华池县建档立卡贫困人口信息表（2016年）【合成数据 SYNTHETIC — 非真实数据】"
    assert tuple(rows[1]) == sy.EXPORT_COLUMNS
    assert len(rows) == 2 + 120
    back = pd.DataFrame(rows[2:], columns=rows[1])
    frame = small.exports[2016]
    for col in ("户编号", "人编号", "证件号码", "联系电话", "姓名", "脱贫属性"):
        assert back[col].tolist() == frame[col].tolist(), col
    assert back["户编号"].str.startswith("0").all()  # leading zeros kept: written as text
    assert back["人均纯收入"].tolist() == pytest.approx(frame["人均纯收入"].tolist())
    assert back["人数"].tolist() == frame["人数"].tolist()
    assert (back["年度"] == 2016).all()
    props = wb.properties
    assert "synthetic" in props.keywords.lower() and "SYNTHETIC" in props.subject
    assert "合成数据" in props.title
    wb.close()


def test_same_seed_writes_byte_identical_files(small, written, tmp_path):
    out, files = written
    again = sy.write_exports(small, tmp_path)
    for a, b in zip(files, again, strict=True):
        assert a.name == b.name
        assert sha256_file(a) == sha256_file(b), a.name


def test_population_tables_readme_and_metadata_say_synthetic(small, written):
    out, _ = written
    rural = read_csv_text(out / "rural_population_synthetic.csv")
    assert list(rural.columns) == ["year", "township", "rural_population", "source"]
    assert (rural["source"] == "synthetic").all() and len(rural) == 7 * 15
    village = read_csv_text(out / "village_population_synthetic.csv")
    assert list(village.columns) == ["year", "township", "village", "rural_population", "source"]
    assert (village["source"] == "synthetic").all() and len(village) == 7 * 111
    readme = (out / "SYNTHETIC_README.txt").read_text("utf-8")
    assert "SYNTHETIC" in readme and "非真实" in readme and f"--seed {SEED}" in readme
    meta = json.loads((out / "synthetic_metadata.json").read_text("utf-8"))
    assert meta["synthetic"] is True and meta["seed"] == SEED
    assert meta["region_code_of_ids"] == "990000"
    assert meta["calibration"][0]["year"] == 2014 and len(meta["calibration"]) == 7


def test_bundled_poverty_lines_hold_only_documented_years():
    lines = read_csv_text(paths.INPUTS_RAW / "poverty_lines.csv")
    assert list(lines.columns) == ["year", "poverty_line", "source"]
    got = dict(zip(lines["year"].astype(int), lines["poverty_line"].astype(float), strict=True))
    # the generator's documented lines are the bundled input's, and its table reproduces it
    assert got == sy.DOCUMENTED_LINES
    assert sorted(got) == [2014, 2015, 2016, 2020]
    table = sy.poverty_lines_table()
    assert table.astype(str).to_dict("list") == lines.to_dict("list")
    assert "approximate" in lines.loc[lines["year"] == "2020", "source"].iloc[0]
    assert lines["source"].str.len().gt(10).all()



def test_cli_writes_a_year_and_rejects_years_outside_the_range(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--seed", "3", "--out", str(tmp_path), "--year", "2015",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.output
    assert (tmp_path / "huachi_registry_2015_SYNTHETIC.xlsx").exists()
    assert not (tmp_path / "huachi_registry_2014_SYNTHETIC.xlsx").exists()
    assert (tmp_path / "SYNTHETIC_README.txt").exists()
    bad = runner.invoke(app, ["synth", "--out", str(tmp_path), "--year", "2013"])
    assert isinstance(bad.exception, ParameterError)
    assert "2014-2020" in str(bad.exception)
