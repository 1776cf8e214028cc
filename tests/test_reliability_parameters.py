"""Parameters and actuals that do not exist: a report year or township with no data, an
unknown format or language, an actuals file with an unknown indicator, unit or geography, a
missing input table. Each gives a clear message naming the value and the allowed ones — exit
≠ 0, no traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from badinputs import export_xlsx, run_cli, valid_rows

REPO = Path(__file__).resolve().parents[1]
ACTUALS_HEADER = "indicator_id,year,geography,value,unit,source\n"
GOOD_LINE = "rural_income_per_capita,2016,华池县,6781.0,元,测试\n"


def _raw(root: Path, *, inputs: bool = True) -> Path:
    raw = root / "raw"
    shutil.copytree(REPO / "data/raw/plan", raw / "plan")
    if inputs:
        shutil.copytree(REPO / "data/raw/inputs", raw / "inputs")
    for y in (2015, 2016):
        export_xlsx(raw / "registry" / f"export_{y}.xlsx", valid_rows(8, seed=5, year=y), year=y)
    return raw


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small processed folder (plan, registry 2015-2016, progress)."""
    root = tmp_path_factory.mktemp("built")
    raw = _raw(root)
    run = run_cli(["build", "--raw", raw, "--out", root / "processed"])
    assert run.exit_code == 0 and run.crashed is None, run.output
    return root / "processed"


def _clean_failure(run, *must: str) -> None:
    assert run.crashed is None, f"crashed:\n{run.output}"
    assert run.exit_code != 0, run.output
    assert "Traceback" not in run.output
    for m in must:
        assert re.search(m, run.output), f"{m!r} not in message:\n{run.output}"


@pytest.mark.parametrize(("args", "must"), [
    (["--years", "1999"], [r"1999", r"2015", r"2016"]),
    (["--years", "2016-2014"], [r"2016-2014"]),
    (["--years", "twenty"], [r"twenty", r"2016"]),
    (["--townships", "不存在镇"], [r"不存在镇", r"柔远镇", r"南梁镇"]),
    (["--townships", "柔远镇,不存在镇"], [r"不存在镇", r"柔远镇"]),
    (["--formats", "docx"], [r"docx", r"html", r"pdf"]),
    (["--lang", "fr"], [r"fr", r"zh", r"en"]),
])
def test_reports_unknown_parameter(built: Path, tmp_path: Path, args, must) -> None:
    run = run_cli(["reports", "--data", built, "--out", tmp_path / "reports", *args])
    _clean_failure(run, *must)
    assert not list((tmp_path / "reports").glob("*.html")) if (tmp_path / "reports").exists() \
        else True


def test_reports_without_processed_data(tmp_path: Path) -> None:
    run = run_cli(["reports", "--data", tmp_path / "nothing", "--out", tmp_path / "r"])
    _clean_failure(run, r"huachi build|missing|no processed")


def test_progress_unknown_year(built: Path) -> None:
    run = run_cli(["progress", "--out", built, "--year", "1999"])
    _clean_failure(run, r"1999", r"2015|2016")


@pytest.mark.parametrize(("line", "must"), [
    ("no_such_indicator,2016,华池县,1,元,测试\n",
     [r"no_such_indicator", r"not an indicator of the plan"]),
    ("rural_income_per_capita,2016,华池县,6781.0,公斤,测试\n", [r"公斤", r"元"]),
    ("rural_income_per_capita,2016,不存在镇,6781.0,元,测试\n", [r"不存在镇", r"柔远镇"]),
    ("rural_income_per_capita,二〇一六,华池县,6781.0,元,测试\n", [r"二〇一六", r"year"]),
    ("rural_income_per_capita,2016,华池县,很多,元,测试\n", [r"很多", r"value"]),
])
def test_actuals_unknown_values_in_build(tmp_path: Path, line: str, must: list[str]) -> None:
    """``huachi build`` with a bad actuals line: the build goes on with the good line, and its
    account names the file, the line (3: header is line 1, one good line before), the value and
    what is expected."""
    raw = _raw(tmp_path)
    (raw / "actuals").mkdir()
    (raw / "actuals" / "dept_2016.csv").write_text(ACTUALS_HEADER + GOOD_LINE + line,
                                                   encoding="utf-8")
    run = run_cli(["build", "--raw", raw, "--out", tmp_path / "processed"])
    assert run.exit_code == 0 and run.crashed is None, run.output
    for m in [r"dept_2016\.csv, row 3\b", *must]:
        assert re.search(m, run.output), f"{m!r} not in:\n{run.output}"
    assert "1 accepted, 0 blank, 1 quarantined" in run.output


def test_actuals_unknown_indicator_via_progress(built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "actuals.csv"
    bad.write_text(ACTUALS_HEADER + "no_such_indicator,2016,华池县,1,元,测试\n", encoding="utf-8")
    run = run_cli(["progress", "--out", built, "--actuals", bad])
    _clean_failure(run, r"no_such_indicator", r"rural_income_per_capita")


def test_actuals_wrong_columns(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    (raw / "actuals").mkdir()
    (raw / "actuals" / "a.csv").write_text("indicator,year,value\nx,2016,1\n", encoding="utf-8")
    run = run_cli(["build", "--raw", raw, "--out", tmp_path / "processed"])
    assert run.exit_code == 0, run.output  # the file is skipped and said so; the build goes on
    for m in (r"a\.csv: skipped", r"indicator_id", r"unit"):
        assert re.search(m, run.output), m


def test_actuals_in_gbk(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    (raw / "actuals").mkdir()
    (raw / "actuals" / "a.csv").write_bytes((ACTUALS_HEADER + GOOD_LINE).encode("gbk"))
    run = run_cli(["build", "--raw", raw, "--out", tmp_path / "processed"])
    assert run.exit_code == 0, run.output
    assert "a.csv: 1 rows: 1 accepted" in run.output


def test_build_without_poverty_lines(tmp_path: Path) -> None:
    """No data/raw/inputs/poverty_lines.csv: a message naming the missing input, not a
    SchemaError traceback from the progress step."""
    raw = _raw(tmp_path, inputs=False)
    run = run_cli(["build", "--raw", raw, "--out", tmp_path / "processed"])
    if run.exit_code != 0:
        _clean_failure(run, r"poverty_line")


def test_unknown_build_step(tmp_path: Path) -> None:
    run = run_cli(["build", "--raw", tmp_path, "--out", tmp_path / "p", "--only", "nonsense"])
    _clean_failure(run, r"nonsense", r"plan", r"registry", r"progress")
