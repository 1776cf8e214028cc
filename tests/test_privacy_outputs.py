"""No personal data in any output: registry exports full of generated names, resident IDs and
phone numbers go through ``huachi ingest``, ``huachi build``, ``huachi progress`` and
``huachi reports`` (HTML and PDF) in a temporary project (``HUACHI_ROOT``); then EVERY file
written — processed CSV/Parquet, findings, summaries, executed notebooks, HTML, PDF text,
manifest, index, console logs — is scanned for every name, every ID (also any 14 consecutive
characters of one) and every phone number."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from badinputs import COLUMNS, Markers, export_xlsx, huachi_exe, valid_rows
from hostile import file_texts, leaks

REPO = Path(__file__).resolve().parents[1]
YEARS = (2015, 2016)
SCRIPT_VILLAGE = "<script>alert(1)</script>"
FORMULA_VILLAGE = '=HYPERLINK("http://x.example/","刘沟村")'


# --- scanning (tests/hostile.py: every textual view of a file, every spelling) ----------

def test_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scanner itself: a planted name, partial ID and phone are found in CSV, Parquet and
    PDF; a clean file is clean."""
    m = Markers(names={"佘犇骉"}, ids={"990102198001010012"}, phones={"13912345678"})
    pd.DataFrame({"a": ["x 99010219800101 y"]}).to_parquet(tmp_path / "a.parquet")
    (tmp_path / "b.csv").write_text("note,佘犇骉\n", encoding="utf-8-sig")
    (tmp_path / "c.html").write_text("<p>&#49;3912345678</p>", encoding="utf-8")
    (tmp_path / "d.csv").write_text("990102198,0010012,139123\n", encoding="utf-8")
    assert leaks(tmp_path / "a.parquet", m) == ["an ID number (≥14 consecutive characters)"]
    assert leaks(tmp_path / "b.csv", m) == ["a name (佘*)"]
    assert leaks(tmp_path / "c.html", m) == ["a phone (139…)"]
    assert leaks(tmp_path / "d.csv", m) == []


# --- the end-to-end run --------------------------------------------------------------------

def _raw_exports(raw: Path) -> tuple[Markers, int]:
    """Two yearly exports full of personal data, with quarantined rows and an unknown column
    that holds names and phones. Returns the markers and the number of rows written."""
    m = Markers()
    n = 0
    for y in YEARS:
        rows = valid_rows(60, seed=21, year=y)
        bad = [dict(r) for r in valid_rows(3, seed=22, hh_offset=900, year=y)]
        bad[0]["脱贫属性"] = "不详"  # quarantined: unknown_exit_status
        bad[1]["证件号码"] = str(bad[1]["证件号码"])[:17] + "Y"  # warning: invalid ID
        bad[2]["人均纯收入"] = -5  # quarantined: negative_income
        # free text that must be escaped in HTML and neutralised in CSV (柔远镇 is reported)
        hostile = [dict(r) for r in valid_rows(2, seed=23, hh_offset=950, year=y)]
        first = hostile[0]["户编号"]
        for r in hostile:
            r.update({"乡(镇)": "柔远镇",
                      "行政村": SCRIPT_VILLAGE if r["户编号"] == first else FORMULA_VILLAGE})
        rows = rows + bad + hostile
        n += len(rows)
        for r in rows:
            r["备注"] = f"联系人{r['姓名']}电话{r['联系电话']}"
        m.update(rows)
        m.free_text.update(str(r["备注"]) for r in rows)
        export_xlsx(raw / "registry" / str(y) / f"华池县建档立卡_{y}.xlsx", rows, year=y,
                    columns=COLUMNS + ["备注"], formulas=False)
    return m, n


def make_project(root: Path) -> None:
    """A throw-away project: plan inputs, input tables and notebooks of the checkout."""
    raw = root / "data" / "raw"
    shutil.copytree(REPO / "data/raw/plan", raw / "plan")
    if (REPO / "data/raw/inputs").is_dir():
        shutil.copytree(REPO / "data/raw/inputs", raw / "inputs")
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


def huachi(root: Path, key: Path, *args: object, timeout: float = 300) -> subprocess.CompletedProcess:
    env = os.environ | {"HUACHI_ROOT": str(root), "HUACHI_KEY_FILE": str(key),
                        "MPLBACKEND": "Agg"}
    proc = subprocess.run([huachi_exe(), *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=root, timeout=timeout)
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    name = "_".join(str(a) for a in args[:1])
    (logs / f"{name}.log").write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    return proc


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    key = tmp_path_factory.mktemp("keys") / "pseudonym.key"
    make_project(root)
    markers, n_rows = _raw_exports(root / "data" / "raw")
    steps = {}
    exports = sorted((root / "data/raw/registry").rglob("*.xlsx"))
    steps["ingest"] = huachi(root, key, "ingest", *exports, "--out", root / "ingest_out",
                             "--json", root / "ingest_summary.json")
    steps["build"] = huachi(root, key, "build")
    steps["progress"] = huachi(root, key, "progress")
    steps["reports"] = huachi(root, key, "reports", "--years", "2016", "--townships", "柔远镇",
                              "--formats", "html,pdf", "--jobs", "1")
    markers.rows = n_rows  # type: ignore[attr-defined]
    return root, key, markers, steps


@pytest.mark.slow
def test_pipeline_runs_on_personal_data(project) -> None:
    root, key, markers, steps = project
    for name, proc in steps.items():
        assert proc.returncode == 0, f"huachi {name} failed:\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
    s = json.loads((root / "ingest_summary.json").read_text(encoding="utf-8"))
    assert s["rows_read"] == s["rows_accepted"] + s["rows_quarantined"] == markers.rows
    assert s["quarantine_reasons"] == {"unknown_exit_status": 2, "negative_income": 2}
    assert list((root / "reports").glob("*.pdf")) and list((root / "reports").glob("*.html"))


@pytest.mark.slow
def test_no_personal_data_in_any_output(project) -> None:
    root, key, markers, steps = project
    assert len(markers.names) > 150 and len(markers.ids) > 150 and len(markers.phones) > 60
    raw = root / "data" / "raw"
    templates = root / "notebooks"  # copies of the checkout's notebooks: inputs, not outputs
    written = [p for p in root.rglob("*") if p.is_file() and raw not in p.parents
               and templates not in p.parents and p != key]
    kinds = {p.suffix for p in written}
    assert {".csv", ".parquet", ".ipynb", ".html", ".pdf", ".json", ".log"} <= kinds, kinds
    found = {str(p.relative_to(root)): what for p in written if (what := leaks(p, markers))}
    pdf_text = file_texts(root / "reports" / "township_2016_rouyuanzhen.pdf")[-1]
    assert "柔远镇" in pdf_text, "PDF text extraction yields nothing: the scan would be blind"
    print(f"\nscanned {len(written)} written files for {len(markers.names)} names, "
          f"{len(markers.ids)} IDs, {len(markers.phones)} phones")
    assert not found, f"personal data in {len(found)} of {len(written)} files: {found}"


@pytest.mark.slow
def test_findings_show_masked_values_only(project) -> None:
    root, _, markers, _ = project
    f = pd.read_parquet(root / "data/processed/registry_findings.parquet")
    bad_id = f[f["rule"] == "invalid_id_number"]
    assert len(bad_id) == 2
    assert bad_id["masked_value"].str.contains(r"\*{6,}").all()
    err = f[f["severity"] == "error"]
    assert set(err["rule"]) >= {"unknown_exit_status", "negative_income"}
    assert err["source_row"].notna().all()


# --- the pseudonym key -------------------------------------------------------------------

@pytest.mark.slow
def test_key_file_is_private_and_outside_the_project(project) -> None:
    root, key, _, _ = project
    assert key.is_file()
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.parent.stat().st_mode & 0o077 == 0, "key folder readable by others"
    assert root not in key.parents
    assert not any(p.name.endswith(".key") for p in root.rglob("*"))
    assert key.read_text().strip() not in "".join(
        p.read_text(errors="ignore") for p in (root / "data/processed").glob("*.txt"))


def test_default_key_location_is_outside_repo_and_processed(monkeypatch) -> None:
    from huachi_analysis import paths

    monkeypatch.delenv("HUACHI_KEY_FILE", raising=False)
    k = paths.key_file()
    assert paths.ROOT not in k.parents and paths.PROCESSED not in k.parents
    assert REPO not in k.parents


def test_new_key_created_with_mode_0600(tmp_path: Path, monkeypatch) -> None:
    from huachi_analysis.registry.pseudonym import load_key

    key_path = tmp_path / "cfg" / "pseudonym.key"
    monkeypatch.setenv("HUACHI_KEY_FILE", str(key_path))
    old = os.umask(0o000)  # even a permissive umask must not make it readable
    try:
        k1 = load_key(tmp_path / "processed")
    finally:
        os.umask(old)
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert key_path.parent.stat().st_mode & 0o777 == 0o700
    assert load_key(tmp_path / "processed") == k1 and len(k1) >= 16


@pytest.mark.slow
def test_second_machine_without_the_key_gets_a_clear_message(project, tmp_path: Path) -> None:
    """Processed data copied to a machine that lacks the key: build stops with a message that
    names the missing key and why it matters — no traceback, no new key made silently."""
    root, _, _, _ = project
    other = tmp_path / "machine2"
    make_project(other)
    shutil.copytree(root / "data/raw/registry", other / "data/raw/registry")
    shutil.copytree(root / "data/processed", other / "data/processed")
    missing_key = tmp_path / "no-such-folder" / "pseudonym.key"
    before = sorted(p.name for p in (other / "data/processed").iterdir())
    proc = huachi(other, missing_key, "build", "--only", "registry")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(missing_key) in proc.stderr and "key" in proc.stderr.lower()
    assert not missing_key.exists(), "a new key was created in place of the missing one"
    assert sorted(p.name for p in (other / "data/processed").iterdir()) == before
    # the same with a different key (ingest into a copy: `huachi ingest --out` refuses the
    # build's own folder whatever the key)
    wrong = tmp_path / "wrong.key"
    wrong.write_text("ab" * 32 + "\n")
    wrong.chmod(0o600)
    elsewhere = tmp_path / "processed-copy"
    shutil.copytree(other / "data/processed", elsewhere)
    proc = huachi(other, wrong, "ingest", *sorted((other / "data/raw/registry").rglob("*.xlsx")),
                  "--out", elsewhere)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "fingerprint" in proc.stderr or "not the key" in proc.stderr


# --- output escaping (input free text in HTML and CSV) ------------------------------------

@pytest.mark.slow
def test_free_text_is_escaped_in_html(project) -> None:
    root, _, _, _ = project
    pages = list((root / "reports").glob("*.html"))
    assert pages
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, f"{p.name}: input text rendered as markup"
        assert "alert(1)" not in re.sub(r"&lt;script&gt;alert\(1\)", "", text), p.name


@pytest.mark.slow
def test_free_text_cannot_run_as_a_formula_in_csv(project) -> None:
    """The hostile village reaches the processed CSVs (kept, with a village_not_in_plan
    warning) and is neutralised there: no CSV cell starts with = or @."""
    import csv

    root, _, _, _ = project
    seen = 0
    for p in (root / "data/processed").glob("*.csv"):
        with p.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "@", "+")), f"{p.name}: {cell[:40]!r}"
                    seen += "HYPERLINK" in cell
    assert seen, "the formula village did not reach any processed CSV (test would be vacuous)"


def test_report_tables_escape_input_text() -> None:
    """The reports show aggregates, so input free text rarely reaches them; where a value from
    the data is shown (township, village, cause columns), it is escaped."""
    from huachi_analysis.reports.display import esc, table_html

    df = pd.DataFrame({"village": [SCRIPT_VILLAGE, FORMULA_VILLAGE], "n": [1, 2]})
    out = table_html(df, {"village": "行政村", "n": "户数"}, numeric={"n": 0})
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert esc('<img src=x onerror="x">') == "&lt;img src=x onerror=&quot;x&quot;&gt;"


def test_corrupt_key_file_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    from badinputs import run_cli

    key = tmp_path / "pseudonym.key"
    key.write_text("not a key\n")
    monkeypatch.setenv("HUACHI_KEY_FILE", str(key))
    p = export_xlsx(tmp_path / "export_2016.xlsx", valid_rows(2, seed=40))
    run = run_cli(["ingest", p])
    assert run.crashed is None and run.exit_code == 2, run.output
    assert str(key) in run.output and "Traceback" not in run.output


def test_disclosure_birth_year_not_kept_and_personal_tables_named() -> None:
    """registry_persons keeps an age band, not the birth year (with village, sex and relation
    it singled out a third of the persons); the data dictionary says which processed tables
    are personal data and must not leave the office."""
    from huachi_analysis import metadata

    persons = metadata.TABLES["registry_persons"]
    assert "birth_year" not in persons.fields and "age_band" in persons.fields
    personal = {n for n, t in metadata.TABLES.items() if t.personal_data}
    assert {"registry_persons", "registry_households", "registry_findings",
            "exit_audit"} <= personal
    assert not personal & {"plan_targets", "progress_registry", "progress_targets"}
    md = metadata.data_dictionary_markdown()
    assert "must not leave the office" in md
    for name in personal:
        assert f"- `{name}`" in md and f"## `{name}` (processed) — **personal data" in md
