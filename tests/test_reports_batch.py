"""End to end: the templates executed on fixture data by the batch runner (warm kernels,
HTML, PDF, manifest, index, skip, failure isolation). Slow: they run real notebooks."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from huachi_analysis import paths
from huachi_analysis.reports.runner import run_batch
from huachi_analysis.reports.selection import ReportSpec, catalog, plan_batch
from test_reports_fixture import build_fixture

# one worker runs this module (make test: --dist loadgroup), so its batch is made once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reports_batch")]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The default batch (2 county + 2 township reports) and an English county report."""
    root = tmp_path_factory.mktemp("reports")
    data = build_fixture(root / "processed")
    out = root / "out"
    specs = plan_batch(catalog(data), directory=data)
    specs += plan_batch(catalog(data), years="2016", townships="none", lang="en", directory=data)
    t0 = time.perf_counter()
    result = run_batch(specs, out, jobs=2, progress=False)
    first = time.perf_counter() - t0
    return {"data": data, "out": out, "specs": specs, "result": result, "seconds": first}


def _pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_every_report_is_made(batch):
    r = batch["result"]
    assert r.failed == [], r.summary()
    assert sorted(e["id"] for e in r.ran) == sorted(
        ["county_2015", "county_2016", "county_2016.en", "township_2016_rouyuanzhen",
         "township_2016_yuelezhen"])


def test_html_has_no_code_and_holds_the_figures(batch):
    html = (batch["out"] / "county_2016.html").read_text(encoding="utf-8")
    assert "jp-InputArea" not in html and "CountyBriefing" not in html and "b.headline" not in html
    assert "<script" not in html and not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert html.count("data:image/png;base64,") >= 4  # trajectories, exits, causes, sectors
    for figure in ("12,000", "11,234", "3,500", "华池县精准扶贫进展简报 · 2016年", "悦乐镇"):
        assert figure in html, figure
    assert 'data-synthetic="true"' in html and "合成数据 SYNTHETIC" in html
    en = (batch["out"] / "county_2016.en.html").read_text(encoding="utf-8")
    assert "Huachi County poverty-alleviation briefing · 2016" in en and "Yuele Town" in en


def test_township_pdf_has_real_chinese_text_page_numbers_and_the_font(batch):
    path = batch["out"] / "township_2016_rouyuanzhen.pdf"
    text = _pdf_text(path)
    assert "柔远镇" in text and "35.5" in text and "刘沟村" in text
    assert re.search(r"\b1 / \d+\b", text)
    assert "SYNTHETIC" in text
    reader = PdfReader(path)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 in points
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages
             for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    county = _pdf_text(batch["out"] / "county_2016.pdf")
    assert "12,000" in county and "华池县" in county


def test_no_missing_glyph_or_stderr_in_executed_notebooks(batch):
    for p in (batch["out"] / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                assert o.get("output_type") != "error", (p.name, o)
                if o.get("output_type") == "stream" and o.get("name") == "stderr":
                    assert "Glyph" not in o["text"] and "missing" not in o["text"], (p.name, o)


def test_manifest_and_index(batch):
    out = batch["out"]
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(r for r in m["reports"] if r["id"] == "township_2016_rouyuanzhen")
    assert entry["kind"] == "township" and entry["year"] == 2016 and entry["township"] == "柔远镇"
    assert entry["template"] == "notebooks/township.ipynb" and entry["status"] == "ok"
    assert set(entry["outputs"]) == {"html", "pdf", "ipynb"} and entry["seconds"] > 0
    assert len(entry["inputs_sha256"]) == 64 and entry["parameters"]["township"] == "柔远镇"
    html = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) == 5 * 3
    assert all((out / link).is_file() for link in links)


def test_rerun_with_nothing_changed_executes_nothing(batch, monkeypatch):
    """... and starts no worker: workers start early only for reports without a previous
    entry (the time of a rerun is measured in benchmarks/run.py, not asserted here)."""
    from huachi_analysis.reports import runner

    def no_worker(self):
        raise AssertionError("a rerun with nothing changed started a worker")

    monkeypatch.setattr(runner._Workers, "pool", no_worker)
    before = {p: p.stat().st_mtime_ns for p in batch["out"].glob("*.pdf")}
    r = run_batch(batch["specs"], batch["out"], jobs=2, progress=False)
    assert r.ran == [] and len(r.skipped) == 5
    assert before == {p: p.stat().st_mtime_ns for p in batch["out"].glob("*.pdf")}


def test_a_report_without_a_previous_entry_starts_its_worker_before_the_keys(tmp_path,
                                                                             monkeypatch):
    """The early start: the worker pool is asked for before the inputs are hashed."""
    from huachi_analysis.reports import runner

    order: list[str] = []
    real_pool, real_hashes = runner._Workers.pool, runner.input_hashes
    monkeypatch.setattr(runner._Workers, "pool",
                        lambda self: (order.append("pool"), real_pool(self))[1])
    monkeypatch.setattr(runner, "input_hashes",
                        lambda *a, **k: (order.append("keys"), real_hashes(*a, **k))[1])
    data = build_fixture(tmp_path / "processed")
    specs = plan_batch(catalog(data), years="2016", townships="none", directory=data)
    r = run_batch(specs, tmp_path / "out", formats=("html",), jobs=1, progress=False)
    assert r.failed == [] and len(r.ran) == 1, r.summary()
    assert order[:2] == ["pool", "keys"], order


def test_failure_is_isolated_and_keeps_the_executed_notebook(batch, tmp_path):
    bad = tmp_path / "broken.ipynb"
    nb = nbformat.read(paths.NOTEBOOKS / "county_year.ipynb", as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure 42')"))
    nbformat.write(nb, bad)
    good = plan_batch(catalog(batch["data"]), years="2016", townships="none",
                      directory=batch["data"])[0]
    broken = ReportSpec("county", 2015, "zh", good.data_dir, parameters=dict(good.parameters, year=2015),
                        template_file=str(bad))
    out = tmp_path / "out"
    r = run_batch([good, broken], out, formats=("html",), jobs=1, progress=False)
    assert [e["id"] for e in r.failed] == ["county_2015"]
    assert "deliberate failure 42" in r.summary() and "executed notebook" in r.summary()
    kept = nbformat.read(out / "notebooks/county_2015.failed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert (out / "county_2016.html").is_file() and not (out / "county_2015.html").exists()
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["id"]: e["status"] for e in m["reports"]} == {"county_2015": "failed",
                                                             "county_2016": "ok"}


def test_explore_notebook_runs(batch, tmp_path):
    import papermill as pm

    nb = pm.execute_notebook(str(paths.NOTEBOOKS / "explore.ipynb"), None,
                             parameters={"year": 2016, "data_dir": str(batch["data"])},
                             progress_bar=False, kernel_name="python3")
    out = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "synthetic: True" in out and "[2015, 2016]" in out


@pytest.mark.parametrize("name", ["county_2016.html", "index.html"])
def test_html_shows_chinese_in_a_browser_without_chinese_fonts(batch, tmp_path, name):
    """The page embeds a WOFF2 subset of its font: headless Chromium on a machine with no
    Chinese font draws the glyphs. Compared with the same page whose embedded font lacks the
    hanzi (Latin and punctuation only, so that everything else renders identically), where
    the hanzi can only come out as empty boxes."""
    from browser import differing_pixels, has_system_cjk_font, ink, screenshot
    from huachi_analysis.fonts import PdfFontSubsetter

    page = (batch["out"] / name).read_text(encoding="utf-8")
    assert page.count("data:font/woff2;base64,") == 1 and "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    if has_system_cjk_font():
        pytest.skip("this machine has a Chinese system font: a page without the embedded font "
                    "would show Chinese too, so the comparison proves nothing here")
    latin_only = PdfFontSubsetter(tmp_path / "fonts").font_face_css("")
    without = re.sub(r'(<style id="embedded-font">).*?(</style>)',
                     lambda m: m.group(1) + latin_only + m.group(2), page, flags=re.S)
    assert without != page
    (tmp_path / "with.html").write_text(page, encoding="utf-8")
    (tmp_path / "without.html").write_text(without, encoding="utf-8")
    a = screenshot(tmp_path / "with.html", tmp_path / "with.png", 1000, 600)
    b = screenshot(tmp_path / "without.html", tmp_path / "without.png", 1000, 600)
    # only the hanzi can differ (same font for everything else): if the page's own font did
    # not draw them, both renders would show the same empty boxes
    assert ink(a) > 1000
    assert differing_pixels(a, b) > 4000, differing_pixels(a, b)


def test_failed_forced_rerun_keeps_the_previous_good_report(batch, tmp_path):
    """`reports --force` that fails (here a broken template; a full disk takes the same path)
    must not delete or touch the previous good report: the manifest marks the report failed
    and links the previous files, saying when they were made."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    good = next(s for s in batch["specs"] if s.id == "county_2016")
    before = {f: (out / f"county_2016.{f}").read_bytes() for f in ("html", "pdf")}
    bad = tmp_path / "broken.ipynb"
    nb = nbformat.read(paths.NOTEBOOKS / "county_year.ipynb", as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("raise RuntimeError('disk full, say')"))
    nbformat.write(nb, bad)
    broken = ReportSpec(good.kind, good.year, good.lang, good.data_dir,
                        parameters=dict(good.parameters), template_file=str(bad))
    assert broken.id == "county_2016"
    r = run_batch([broken], out, jobs=1, force=True, progress=False)
    assert [e["id"] for e in r.failed] == ["county_2016"]
    assert "previous report" in r.summary()
    assert {f: (out / f"county_2016.{f}").read_bytes() for f in ("html", "pdf")} == before
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    e = next(x for x in m["reports"] if x["id"] == "county_2016")
    assert e["status"] == "failed" and e["outputs"]["html"] == "county_2016.html"
    assert e["outputs_from"] and e["failed_notebook"] == "notebooks/county_2016.failed.ipynb"
    assert (out / "notebooks/county_2016.ipynb").is_file()  # the good executed notebook too
    # the next successful run replaces the report and removes the failed notebook
    r = run_batch([good], out, jobs=1, force=True, progress=False)
    assert r.failed == [] and not (out / "notebooks/county_2016.failed.ipynb").exists()


def test_workers_and_kernels_exit_when_the_batch_process_dies(batch, tmp_path):
    """SIGKILL to the `huachi reports` process only (not its group): its workers and their
    kernels notice and exit instead of running on for good."""
    import os
    import signal
    import subprocess

    import psutil

    from badinputs import huachi_exe

    proc = subprocess.Popen([huachi_exe(), "reports", "--data", batch["data"], "--out",
                             tmp_path / "out", "--formats", "html", "--jobs", "2", "--force"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    parent = psutil.Process(proc.pid)
    deadline = time.time() + 120
    kids: list[psutil.Process] = []
    while time.time() < deadline and proc.poll() is None:
        kids = parent.children(recursive=True)
        kernels = [k for k in kids if "ipykernel" in " ".join(_cmdline(k))]
        if len(kernels) >= 2:
            break
        time.sleep(0.2)
    else:
        pytest.skip("the batch ended before its kernels were up")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(kids, timeout=30)
    for p in alive:  # clean up before failing
        p.kill()
    assert not alive, f"{len(alive)} of {len(kids)} workers/kernels still running"


def _cmdline(p) -> list[str]:
    try:
        return p.cmdline()
    except Exception:  # noqa: BLE001 - gone meanwhile
        return []


def test_forced_rerun_on_a_full_disk_keeps_the_previous_report(batch, tmp_path):
    """The same on a real full disk (a small tmpfs; needs root to mount, skipped otherwise):
    the rerun fails with a message naming the folder, the previous report is untouched and no
    temporary file is left."""
    import os
    import shutil

    from badinputs import run_cli
    from test_reliability_environment import _can_mount_tmpfs

    mnt = tmp_path / "small"
    if not _can_mount_tmpfs(mnt):
        pytest.skip("mounting a tmpfs needs root")
    os.system(f"mount -t tmpfs -o size=8m tmpfs '{mnt}'")
    try:
        out = mnt / "reports"
        args = ["reports", "--data", batch["data"], "--out", out, "--years", "2016",
                "--townships", "none", "--formats", "html,pdf", "--jobs", "1"]
        first = run_cli(args)
        assert first.exit_code == 0, first.output
        before = {p.name: p.read_bytes() for p in out.glob("county_2016.*")}
        assert set(before) == {"county_2016.html", "county_2016.pdf"}
        (mnt / "filler").write_bytes(b"\0" * max(0, shutil.disk_usage(mnt).free - 20_000))
        run = run_cli([*args, "--force"])
        assert run.crashed is None and "Traceback" not in run.output, run.output
        assert run.exit_code != 0
        assert "full" in run.output or "No space" in run.output, run.output
        assert {p.name: p.read_bytes() for p in out.glob("county_2016.*")} == before
        assert not [p for p in out.rglob("*") if p.name.startswith(".huachi-tmp.")]
    finally:
        os.system(f"umount '{mnt}'")
