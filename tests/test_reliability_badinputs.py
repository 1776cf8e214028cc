"""Every case of the broken-input corpus (tests/badinputs.py) through ``huachi ingest``: a
clear error naming the file (exit ≠ 0, no traceback) or every row accounted for
(``rows_read == rows_accepted + rows_quarantined``) with the expected reasons — never a crash,
never a silent drop."""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from badinputs import Case, build_corpus, export_xlsx, huachi_exe, run_cli, valid_rows

_CORPUS_DIR = Path(tempfile.mkdtemp(prefix="huachi-badinputs-"))
atexit.register(shutil.rmtree, _CORPUS_DIR, ignore_errors=True)
CASES, MARKERS = build_corpus(_CORPUS_DIR)


def _ingest(case: Case, tmp_path: Path, out: bool = False):
    summary = tmp_path / "summary.json"
    args = ["ingest", *case.files, "--json", summary]
    if case.year is not None:
        args += ["--year", case.year]
    if out:
        args += ["--out", tmp_path / "out"]
    run = run_cli(args)
    assert run.crashed is None, f"{case.name}: crashed instead of a clear message:\n{run.output}"
    assert "Traceback" not in run.output, f"{case.name}: traceback shown:\n{run.output}"
    data = json.loads(summary.read_text(encoding="utf-8")) if summary.exists() else None
    return run, data


def _check_error(case: Case, run, data) -> None:
    assert run.exit_code != 0, f"{case.name}: exit 0 on an unreadable input:\n{run.output}"
    assert data is None, f"{case.name}: a summary was written for an input that failed"
    assert any(p.name in run.output for p in case.files), \
        f"{case.name}: the message does not name the file:\n{run.output}"
    assert re.search(case.message, run.output), \
        f"{case.name}: message does not say what was expected ({case.message!r}):\n{run.output}"


def _check_ok(case: Case, run, data) -> None:
    assert run.exit_code == 0, f"{case.name}: could not be ingested:\n{run.output}"
    assert data is not None
    assert data["rows_read"] == data["rows_accepted"] + data["rows_quarantined"], case.name
    assert sum(data["quarantine_reasons"].values()) == data["rows_quarantined"], \
        f"{case.name}: quarantined rows without a reason: {data['quarantine_reasons']}"
    for i in data["inputs"]:
        assert i["rows_read"] == i["rows_accepted"] + i["rows_quarantined"], (case.name, i)
    if case.rows is not None:
        assert data["rows_read"] == case.rows, f"{case.name}: rows silently dropped or invented"
    if case.accepted is not None:
        assert data["rows_accepted"] == case.accepted, \
            f"{case.name}: {data['rows_accepted']} accepted, expected {case.accepted}: " \
            f"{data['quarantine_reasons']}"
    reported = set(data["quarantine_reasons"]) | set(data["warnings"])
    missing = [r for r in case.rules if r not in reported]
    assert not missing, f"{case.name}: rules not reported: {missing}; reported {reported}"
    for rule, count in case.reasons.items():
        assert data["quarantine_reasons"].get(rule) == count, \
            f"{case.name}: {rule}: {data['quarantine_reasons'].get(rule)} rows, expected {count}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    run, data = _ingest(case, tmp_path)
    if case.expect == "error":
        _check_error(case, run, data)
    elif case.expect == "ok":
        _check_ok(case, run, data)
    else:  # error_or_ok: a clean error, or exactly the given rows accepted
        if run.exit_code != 0:
            _check_error(case, run, data)
        else:
            _check_ok(case, run, data)


def test_corpus_size() -> None:
    """The corpus covers every kind the issue names (the figure goes in docs/reliability.md)."""
    assert len(CASES) >= 40
    kinds = " ".join(c.name for c in CASES)
    for word in ("truncated", "random bytes", "zip", "no header", "sheet 2", "empty", "header-only",
                 "UTF-16", "Big5", "mixed encodings", "household-level", "duplicate files",
                 "year folder", "missing", "unknown columns", "formulas", "dates", "10,000",
                 "every rule"):
        assert word in kinds, word


@pytest.mark.parametrize("extra", [3, 100])
def test_row_numbers_of_a_ragged_csv_row(tmp_path: Path, extra: int) -> None:
    """A CSV row with more cells than the header (a few, or very many) is reported at its own
    line (here line 5: title line 1, header line 2, data lines 3-)."""
    rows = valid_rows(3, seed=9)
    from badinputs import TITLE, table, write_csv

    tab = [[TITLE.format(year=2016)]] + table(rows)
    tab[4] = tab[4] + ["x"] * extra  # file line 5
    p = write_csv(tmp_path / "ragged_2016.csv", tab, "utf-8")
    run = run_cli(["ingest", p])
    assert run.crashed is None and run.exit_code != 0
    assert re.search(r"row 5\b", run.output), run.output


def test_trailing_data_row_without_identifiers_is_not_dropped(tmp_path: Path) -> None:
    """A last data row that lost its 户编号, 人编号, 证件号码 and 姓名 but still has a township,
    village, status and income is a broken data row, not a note row: it must be counted (and
    quarantined as missing_household_id), not skipped."""
    rows = valid_rows(4, seed=11)
    last = dict(rows[-1]) | {"户编号": "", "人编号": "", "证件号码": "", "姓名": ""}
    p = export_xlsx(tmp_path / "export_2016.xlsx", rows + [last])
    run = run_cli(["ingest", p, "--json", tmp_path / "s.json"])
    assert run.exit_code == 0, run.output
    s = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert s["rows_read"] == len(rows) + 1, s["inputs"][0]["skipped"]
    assert s["quarantine_reasons"] == {"missing_household_id": 1}


def test_quarantine_output_names_file_row_column_and_masks(tmp_path: Path) -> None:
    """The findings table of the every-rule case gives file, spreadsheet row, column and a
    masked value for every quarantined row; a long value is cut."""
    case = next(c for c in CASES if "every rule" in c.name)
    run, data = _ingest(case, tmp_path, out=True)
    assert run.exit_code == 0, run.output
    f = pd.read_parquet(tmp_path / "out" / "registry_findings.parquet")
    err = f[f["severity"] == "error"]
    assert len(err) >= data["rows_quarantined"]
    assert err["source_file"].eq(case.files[0].name).all()
    assert err["source_row"].notna().all() and (err["source_row"] >= 3).all()  # title + header
    assert err["column"].notna().all()
    assert f["masked_value"].dropna().str.len().max() <= 80


def test_long_strings_are_cut_in_findings(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "10,000-character strings")
    run, data = _ingest(case, tmp_path, out=True)
    assert run.exit_code == 0, run.output
    f = pd.read_parquet(tmp_path / "out" / "registry_findings.parquet")
    assert f["masked_value"].dropna().str.len().max() <= 80
    assert not f["masked_value"].dropna().str.contains("佘佘佘").any()


def test_empty_year_folder_in_build(tmp_path: Path) -> None:
    """``huachi build --only registry`` with an empty year folder beside a full one: the full one
    is ingested, nothing crashes."""
    raw = tmp_path / "raw"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data/raw/plan", raw / "plan")
    export_xlsx(raw / "registry" / "2016" / "export_2016.xlsx", valid_rows(5, seed=12))
    (raw / "registry" / "2017").mkdir(parents=True)
    run = run_cli(["build", "--raw", raw, "--out", tmp_path / "out", "--only", "registry"])
    assert run.crashed is None, run.output
    assert run.exit_code == 0, run.output
    s = json.loads((tmp_path / "out" / "registry_summary.json").read_text(encoding="utf-8"))
    assert s["years"] == [2016]
    assert s["rows_read"] == s["rows_accepted"] == len(valid_rows(5, seed=12))


@pytest.mark.parametrize("name", ["truncated xlsx (50%)", "household-level export instead of "
                                  "person-level", "mixed encodings (UTF-8, then GB18030)"])
def test_real_command_shows_no_traceback(name: str, tmp_path: Path) -> None:
    """The installed ``huachi`` script (not the in-process runner): exit 2, one clear message."""
    case = next(c for c in CASES if c.name == name)
    proc = subprocess.run([huachi_exe(), "ingest", *case.files], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert case.files[0].name in proc.stderr


# --- every corpus file through `huachi ingest --out` and `huachi build`: no traceback, exit 0
# or 2, rows conserved, the previous build whole after a failure, and none of the corpus's
# personal data in any output, finding or console line -------------------------------------

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plan_only(tmp_path_factory) -> Path:
    """A processed folder holding the plan step's tables (the build of each case adds the
    registry and progress steps to a copy of it)."""
    out = tmp_path_factory.mktemp("plan") / "processed"
    run = run_cli(["build", "--raw", REPO / "data/raw", "--out", out, "--only", "plan"])
    assert run.exit_code == 0, run.output
    return out


def _raw_for(case: Case, root: Path) -> Path:
    raw = root / "raw"
    (raw / "registry").mkdir(parents=True)
    for name in ("plan", "inputs"):
        (raw / name).symlink_to(REPO / "data/raw" / name)
    for i, f in enumerate(case.files):
        target = raw / "registry" / str(i)
        if os.path.isdir(f):
            shutil.copytree(f, target / os.path.basename(f))
        elif os.path.isfile(f):
            target.mkdir()
            shutil.copyfile(f, os.path.join(os.fsencode(target), os.fsencode(Path(f).name)))
    return raw


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _no_leaks(paths: list[Path], console: str, case: Case) -> None:
    from hostile import leaks, text_leaks

    found = {str(p): what for p in paths if p.is_file() and (what := leaks(p, MARKERS))}
    assert not found, f"{case.name}: personal data in {found}"
    said = text_leaks(console, MARKERS)
    assert not said, f"{case.name}: personal data printed: {said}"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_through_ingest_and_build(case: Case, tmp_path: Path, plan_only: Path) -> None:
    year = ["--year", case.year] if case.year is not None else []
    out_i, summary = tmp_path / "ingest_out", tmp_path / "ingest.json"
    ingest = run_cli(["ingest", *case.files, "--out", out_i, "--json", summary, *year])
    out_b = tmp_path / "processed"
    shutil.copytree(plan_only, out_b)
    before = _snapshot(out_b)
    # the registry step reads the files; progress (slow: seconds a case) only its tables, so it
    # runs for the cases of personal data typed where it does not belong
    steps = ["registry", "progress"] if "personal" in case.name else ["registry"]
    build = run_cli(["build", "--raw", _raw_for(case, tmp_path), "--out", out_b,
                     *[a for s in steps for a in ("--only", s)]])
    for what, run in (("ingest", ingest), ("build", build)):
        assert run.crashed is None, f"{case.name}: huachi {what} crashed:\n{run.output}"
        assert "Traceback" not in run.output, f"{case.name}: {what} shows a traceback"
        assert run.exit_code in (0, 2), f"{case.name}: {what} exit {run.exit_code}"
    if build.exit_code != 0:  # a failed build leaves the previous one whole
        assert _snapshot(out_b) == before, f"{case.name}: a failed build changed the folder"
    for run, folder in ((ingest, out_i), (build, out_b)):
        if run.exit_code == 0 and (folder / "registry_summary.json").is_file():
            s = json.loads((folder / "registry_summary.json").read_text(encoding="utf-8"))
            assert s["rows_read"] == s["rows_accepted"] + s["rows_quarantined"], case.name
            assert sum(s["quarantine_reasons"].values()) == s["rows_quarantined"], case.name
            if case.rows is not None and case.expect == "ok" and (run is ingest or case.files):
                assert s["rows_read"] == case.rows, f"{case.name}: rows lost or invented"
    if case.expect == "ok":
        assert ingest.exit_code == 0, f"{case.name}: {ingest.output}"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".huachi-staging")]
    assert not leftovers, f"{case.name}: staging folders left behind: {leftovers}"
    written = [p for p in [*out_i.rglob("*"), *out_b.rglob("*"), summary]
               if p.is_file() and not str(p.relative_to(tmp_path)).startswith("raw")]
    _no_leaks(written, ingest.output + build.output, case)


def test_corpus_holds_every_hostile_kind() -> None:
    """The kinds of attack issue 13 lists are all in the corpus (figures: docs/reliability.md)."""
    kinds = " ".join(c.name for c in CASES)
    for word in ("coded and numeric columns", "XFD3 and A200000", "lone CR", "200,000-character",
                 "UTF-32", "GBK bytes", "IDs as '", "two-level", "village or township",
                 "file name and a header", "sheet named after a person", "line breaks in header",
                 "NUL bytes", "workbook named .csv", "without cell references"):
        assert word in kinds, word


@pytest.mark.slow
def test_far_cells_neither_abort_ingest_nor_take_down_the_build(tmp_path: Path) -> None:
    """The real installed script (an abort in the workbook reader would kill any in-process
    test): the 10 KB workbook with empty strings at XFD3 and A200000 is read, one with values
    there is a clear error for that file, and the build runs with the first one."""
    far = next(c for c in CASES if c.name.startswith("10 KB xlsx")).files[0]
    bad = next(c for c in CASES if c.name == "xlsx with values at XFD3 and A200000").files[0]
    env = os.environ | {"HUACHI_KEY_FILE": str(tmp_path / "k" / "pseudonym.key")}
    ok = subprocess.run([huachi_exe(), "ingest", far], capture_output=True, text=True,
                        timeout=120, env=env)
    assert ok.returncode == 0, ok.stderr
    no = subprocess.run([huachi_exe(), "ingest", bad], capture_output=True, text=True,
                        timeout=120, env=env)
    assert no.returncode == 2 and "Traceback" not in no.stderr + no.stdout
    assert bad.name in no.stderr and "XFD" in no.stderr
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data/raw/plan", raw / "plan")
    shutil.copytree(REPO / "data/raw/inputs", raw / "inputs")
    (raw / "registry").mkdir()
    shutil.copy(far, raw / "registry" / far.name)
    build = subprocess.run([huachi_exe(), "build", "--raw", raw, "--out", tmp_path / "out"],
                           capture_output=True, text=True, timeout=300, env=env)
    assert build.returncode == 0, build.stderr
    s = json.loads((tmp_path / "out" / "registry_summary.json").read_text(encoding="utf-8"))
    assert s["rows_read"] == s["rows_accepted"] == len(valid_rows(12, seed=1))
