"""The performance benchmark of issues 7 and 15: every comparison side by side, in one run.

    python benchmarks/run.py [--quick] [--json FILE] [--only batch,incremental,ingest,province]

Sections (each runs the product through its command line, in a subprocess, on SYNTHETIC data
generated into a cache folder, ``benchmarks/.cache`` unless ``--cache`` says otherwise):

* **batch** — ``huachi synth`` + ``huachi build`` into a temporary folder, then the default report
  batch (HTML and PDF) through ``huachi reports``; the same reports (template and parameters
  read from the batch's ``manifest.json``) through a plain loop, one after another:
  ``papermill TEMPLATE OUT.ipynb -p …`` then ``jupyter nbconvert --to html --no-input OUT.ipynb``;
  the floor: papermill (Python API, one process) executing an empty notebook as many times as
  there are reports, divided by the worker count; a rerun of ``huachi reports`` with
  nothing changed; one county briefing alone (``--years 2020 --townships none --jobs 1``), the
  reference for the province's; the build's per-step times.
* **incremental** — on the same project: the default batch (all years, townships of the latest
  year), then a 2021 export dropped into ``raw/registry`` (``benchmarks/new_year.py``: the 2020
  export a year on) → ``huachi build`` + ``huachi reports``: the time from new export to
  refreshed briefings and which briefings were rendered (only the 2021 ones should be); then
  one poverty line added (2017) → build + reports: only the 2017 briefings should render.
* **ingest** — ``huachi ingest FILE --out DIR --json F`` on registry CSVs (200,000 and
  1,000,000 rows) and an xlsx (100,000 rows) in the export format, against
  ``pandas.read_csv(FILE, dtype=str)`` / ``pandas.read_excel`` of the same file, each in a
  fresh interpreter (both sides pay Python start-up and the pandas import); the CSV pairs run
  three times in turn (one in ``--quick``) and the fastest of each side is compared, every time
  kept in the JSON.
* **province** — ``huachi progress --out DIR`` over a synthetic province-size registry already
  in processed form (``benchmarks/province.py``: 5.5 million persons, 2014–2020, 38.5 million
  person-years); wall time and peak resident memory of that process (``ru_maxrss`` from
  ``wait4``, through a small launcher; see :data:`LAUNCHER`); then one county briefing (HTML +
  PDF) over that folder through ``huachi reports``, time and peak memory of the whole process
  tree.

``--quick`` uses smaller sizes (100,000 and 200,000-row CSVs, 10,000-row xlsx, a
550,000-person province of 9 counties, a 4-report batch, 3 townships in the incremental batch)
and the same comparisons; it is meant to finish within 5 minutes on a 2-core machine. Targets
(issues 7 and 15) are checked and printed as met / not met; no section raises: a failing
command is recorded with its exit code and the tail of its output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import ingest_files  # noqa: E402
import new_year  # noqa: E402
import province  # noqa: E402

VENV_BIN = Path(sys.executable).parent
SECTIONS = ("batch", "incremental", "ingest", "province")
#: The year of the new export and the year whose poverty line is added (incremental section).
NEW_YEAR, LINE_YEAR, LINE_VALUE = 2021, 2017, 2952.0

#: Sizes per mode. ``batch`` selects the reports (``huachi reports`` options).
SIZES: dict[str, dict] = {
    "full": {"csv_rows": 1_000_000, "csv_small_rows": 200_000, "xlsx_rows": 100_000,
             "province_persons": 5_500_000, "province_counties": 86, "batch_years": "all",
             "batch_townships": "latest", "incremental_townships": "latest",
             "province_timeout": 1800, "ingest_repeats": 3},
    "quick": {"csv_rows": 200_000, "csv_small_rows": 100_000, "xlsx_rows": 10_000,
              "province_persons": 550_000, "province_counties": 9, "batch_years": "2020",
              "batch_townships": "柔远镇,南梁镇,悦乐镇",
              "incremental_townships": "柔远镇,南梁镇,悦乐镇", "province_timeout": 150,
              "ingest_repeats": 1},
}

#: (JSON key, comparison, limit, label) — the targets of issues 7 and 15.
TARGETS = (
    ("batch_vs_plain_ratio", "<=", 0.2, "full batch ≤ 0.2 × plain loop"),
    ("rerun_seconds", "<=", 2.0, "rerun with nothing changed ≤ 2 s"),
    ("incremental_other_renders", "<=", 0,
     "new year's export: only that year's briefings re-render (others rendered)"),
    ("line_other_renders", "<=", 0,
     "poverty line added: only that year's briefings re-render (others rendered)"),
    ("csv_small_ingest_vs_read_csv_ratio", "<=", 2.0,
     "CSV ingest ≤ 2 × pandas.read_csv(dtype=str), smaller file"),
    ("csv_ingest_vs_read_csv_ratio", "<=", 2.0,
     "CSV ingest ≤ 2 × pandas.read_csv(dtype=str), larger file"),
    ("xlsx_ingest_vs_read_excel_ratio", "<", 1.0, "xlsx ingest < 1 × pandas.read_excel"),
    ("province_progress_seconds", "<=", 30.0, "province progress ≤ 30 s"),
    ("province_progress_peak_gb", "<=", 4.0, "province progress peak memory ≤ 4 GB"),
    ("province_briefing_seconds", "<=", 10.0, "province: one county briefing ≤ 10 s"),
    ("province_briefing_peak_gb", "<=", 1.5, "province: one county briefing peak memory ≤ 1.5 GB"),
)

#: Every key the JSON carries (``None`` when a section did not run or failed).
RESULT_KEYS = (
    "batch_reports", "batch_jobs", "build_seconds", "build_steps", "batch_seconds",
    "plain_loop_seconds", "floor_seconds", "batch_vs_plain_ratio", "batch_vs_floor_ratio",
    "rerun_seconds", "one_briefing_seconds", "one_briefing_peak_gb",
    "incremental_initial_reports", "incremental_initial_seconds", "incremental_build_seconds",
    "incremental_build_steps", "incremental_reports_seconds", "incremental_refresh_seconds",
    "incremental_rendered", "incremental_unchanged", "incremental_other_renders",
    "incremental_vs_initial_ratio", "line_build_seconds", "line_reports_seconds",
    "line_rendered", "line_unchanged", "line_other_renders",
    "csv_small_rows", "csv_small_ingest_seconds", "read_csv_small_seconds",
    "csv_small_ingest_vs_read_csv_ratio",
    "csv_rows", "csv_ingest_seconds", "read_csv_seconds", "csv_ingest_vs_read_csv_ratio",
    "xlsx_rows", "xlsx_ingest_seconds", "read_excel_seconds", "xlsx_ingest_vs_read_excel_ratio",
    "province_persons", "province_person_years", "province_household_years",
    "province_progress_seconds", "province_progress_peak_gb", "province_briefing_seconds",
    "province_briefing_peak_gb", "province_briefing_render_seconds",
    "province_briefing_vs_county_ratio",
)


# --- helpers ---------------------------------------------------------------------------------

def load() -> str:
    """The 1/5/15-minute load averages, as ``uptime`` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict:
    """nproc, memory, CPU model, Python and library versions."""
    info: dict = {"nproc": os.cpu_count(), "python": platform.python_version(),
                  "platform": platform.platform()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("pandas", "pyarrow", "duckdb", "numpy", "papermill", "nbconvert", "weasyprint"):
        try:
            info[dist] = version(dist)
        except PackageNotFoundError:
            info[dist] = None
    return info


#: Runs a command as its only child and writes the child's ``ru_maxrss`` (KB) to a file. A
#: child's peak RSS starts from its parent's RSS at fork time (Linux carries the high-water mark
#: across fork and exec), so measuring a command straight from this harness — which holds
#: generated data — would inflate small peaks; the launcher (``python -S``, about 8 MB) keeps
#: that offset negligible.
LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(cmd: list[str], *, env: dict | None = None, timeout: float | None = None,
        cwd: Path | None = None) -> dict:
    """Run ``cmd``; return seconds, exit code, peak RSS in GB (``ru_maxrss`` of the command,
    which covers its largest waited-for descendant) and the tail of its output."""
    import signal

    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "maxrss"
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(rss_file),
                                 *map(str, cmd)], stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=cwd, start_new_session=True)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        seconds = time.perf_counter() - t0
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
        tail = output[-1500:]
        try:
            peak_gb = int(rss_file.read_text()) / 2**20
        except (OSError, ValueError):
            peak_gb = None
    return {"seconds": seconds, "rc": proc.returncode, "timed_out": timed_out,
            "peak_gb": peak_gb, "tail": tail, "output": output, "cmd": " ".join(map(str, cmd))}


def build_steps(output: str) -> dict[str, float]:
    """Per-step seconds from ``huachi build``'s lines ``[step] … (12.3 s)``: the first time at
    a line end after the step's label, before the next step (the progress step's time ends its
    second, English line)."""
    import re

    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^\[(\w+)\] (?:(?!^\[).)*?\((\d+(?:\.\d+)?) s\)[ \t]*$",
                                 output, re.M | re.S)}


def batch_summary(output: str) -> tuple[int | None, int | None]:
    """(made, unchanged) from ``huachi reports``' summary line."""
    import re

    m = re.search(r"(\d+) report\(s\) made, (\d+) unchanged", output)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def product_env(work: Path) -> dict:
    """Environment of product commands: a throw-away pseudonym key, no colour, Agg charts."""
    env = dict(os.environ)
    env["HUACHI_KEY_FILE"] = str(work / "pseudonym.key")
    env.setdefault("MPLBACKEND", "Agg")
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _ok(r: dict, what: str, errors: list[str]) -> bool:
    if r["rc"] == 0:
        return True
    errors.append(f"{what}: exit {r['rc']}{' (timed out)' if r['timed_out'] else ''} — "
                  f"{r['cmd']}\n{r['tail']}")
    return False


def bin_(name: str) -> str:
    p = VENV_BIN / name
    return str(p) if p.exists() else name


# --- batch -----------------------------------------------------------------------------------

EMPTY_NOTEBOOK_RUNS = """
import sys, time, nbformat, papermill as pm
from pathlib import Path
n, folder = int(sys.argv[1]), Path(sys.argv[2])
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
src = folder / "empty.ipynb"
nbformat.write(nb, src)
t0 = time.perf_counter()
for i in range(n):
    pm.execute_notebook(str(src), str(folder / f"empty_out_{i}.ipynb"), progress_bar=False)
print(time.perf_counter() - t0)
"""


def prepare_project(work: Path, errors: list[str], result: dict) -> Path | None:
    """A raw folder (plan, inputs, actuals copied; a synthetic registry generated) and its
    processed tables, built by ``huachi synth`` + ``huachi build``. Returns the processed dir."""
    raw, processed = work / "raw", work / "processed"
    if raw.exists():
        shutil.rmtree(raw)
    for sub in (ROOT / "data" / "raw").iterdir():
        if sub.is_dir() and sub.name != "registry":
            shutil.copytree(sub, raw / sub.name)
    env = product_env(work)
    huachi = bin_("huachi")
    r = run([huachi, "synth", "--seed", "2015", "--out", str(raw / "registry" / "synthetic"),
             "--raw", str(raw)], env=env)
    if not _ok(r, "huachi synth", errors):
        return None
    r = run([huachi, "build", "--raw", str(raw), "--out", str(processed)], env=env)
    result["build_seconds"] = r["seconds"]
    result["build_steps"] = build_steps(r["output"])
    return processed if _ok(r, "huachi build", errors) else None


def plain_loop(entries: list[dict], folder: Path, env: dict) -> tuple[float, list[str]]:
    """papermill CLI then ``jupyter nbconvert --to html --no-input``, report after report."""
    folder.mkdir(parents=True, exist_ok=True)
    failures = []
    t0 = time.perf_counter()
    for e in entries:
        template = Path(e["template"])
        if not template.is_absolute():
            template = ROOT / "notebooks" / template.name
        out_nb = folder / f"{e['id']}.ipynb"
        cmd = [bin_("papermill"), str(template), str(out_nb), "--no-progress-bar"]
        for k, v in e["parameters"].items():
            cmd += ["-p", str(k), str(v)]
        r = run(cmd, env=env)
        if r["rc"] != 0:
            failures.append(f"papermill {e['id']}: exit {r['rc']}\n{r['tail']}")
            continue
        r = run([bin_("jupyter"), "nbconvert", "--to", "html", "--no-input", str(out_nb)],
                env=env)
        if r["rc"] != 0:
            failures.append(f"nbconvert {e['id']}: exit {r['rc']}\n{r['tail']}")
    return time.perf_counter() - t0, failures


def floor_seconds(n: int, folder: Path, env: dict) -> float | None:
    """Seconds for papermill (Python API) to execute an empty notebook ``n`` times."""
    folder.mkdir(parents=True, exist_ok=True)
    r = run([sys.executable, "-c", EMPTY_NOTEBOOK_RUNS, str(n), str(folder)], env=env)
    if r["rc"] != 0:
        return None
    return float(r["tail"].strip().splitlines()[-1])


def section_batch(cfg: dict, work: Path, jobs: int, errors: list[str]) -> dict:
    res: dict = {"batch_jobs": jobs}
    processed = prepare_project(work, errors, res)
    if processed is None:
        return res
    env = product_env(work)
    reports = work / "reports"
    shutil.rmtree(reports, ignore_errors=True)
    cmd = [bin_("huachi"), "reports", "--years", cfg["batch_years"], "--townships",
           cfg["batch_townships"], "--formats", "html,pdf", "--jobs", str(jobs),
           "--data", str(processed), "--out", str(reports)]
    res["batch_load_before"] = load()
    r = run(cmd, env=env)
    res["batch_exit_code"] = r["rc"]
    _ok(r, "huachi reports", errors)
    try:
        manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        errors.append("huachi reports wrote no readable manifest.json")
        return res
    entries = manifest.get("reports", [])
    res["batch_seconds"] = r["seconds"]
    res["batch_reports"] = len(entries)
    res["batch_reports_ok"] = sum(e.get("status") == "ok" for e in entries)
    # where the workers' time went (the runner records per-report stage timings)
    stages: dict[str, float] = {}
    for e in entries:
        for stage, sec in (e.get("timings") or {}).items():
            if isinstance(sec, int | float):
                stages[stage] = stages.get(stage, 0.0) + sec
    res["batch_worker_seconds_by_stage"] = stages
    r2 = run(cmd, env=env)
    res["rerun_seconds"] = r2["seconds"]
    _ok(r2, "huachi reports (rerun)", errors)
    res["plain_loop_seconds"], failures = plain_loop(entries, work / "plain", env)
    if failures:
        errors.extend(failures)
    res["plain_loop_failures"] = len(failures)
    fl = floor_seconds(len(entries), work / "floor", env)
    res["floor_seconds_serial"] = fl
    res["floor_seconds"] = None if fl is None else fl / jobs
    res["batch_vs_plain_ratio"] = ratio(res["batch_seconds"], res["plain_loop_seconds"])
    res["batch_vs_floor_ratio"] = ratio(res["batch_seconds"], res["floor_seconds"])
    res.update(one_briefing(processed, work / "one_briefing", env, errors, "county data"))
    res["batch_load_after"] = load()
    return res


def one_briefing(data: Path, out: Path, env: dict, errors: list[str], what: str,
                 prefix: str = "one_briefing", timeout: float | None = None) -> dict:
    """One county briefing (2020, HTML + PDF, one worker) through ``huachi reports``: the
    whole command's time and the peak memory of its process tree; the worker's own render
    time (execute + HTML + PDF) from the manifest."""
    shutil.rmtree(out, ignore_errors=True)
    res: dict = {f"{prefix}_load_before": load()}
    r = run([bin_("huachi"), "reports", "--years", "2020", "--townships", "none", "--formats",
             "html,pdf", "--jobs", "1", "--data", str(data), "--out", str(out)], env=env,
            timeout=timeout)
    if not _ok(r, f"huachi reports, one county briefing ({what})", errors):
        return res
    res[f"{prefix}_seconds"] = r["seconds"]
    res[f"{prefix}_peak_gb"] = r["peak_gb"]
    try:
        entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]
        res[f"{prefix}_timings"] = entry.get("timings")
        res[f"{prefix}_render_seconds"] = entry.get("seconds")
    except (OSError, ValueError, IndexError, KeyError):
        errors.append(f"one county briefing ({what}): no readable manifest")
    return res


# --- incremental ------------------------------------------------------------------------------

def _manifest(out: Path) -> dict[str, dict]:
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {e["id"]: e for e in data.get("reports", [])}


def _rendered(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Reports whose manifest entry is new or was written again."""
    return sorted(i for i, e in after.items()
                  if i not in before or e.get("finished_at") != before[i].get("finished_at")
                  or e.get("inputs_sha256") != before[i].get("inputs_sha256"))


def add_poverty_line(raw: Path, year: int, value: float) -> None:
    """Add ``year``'s line to ``raw/inputs/poverty_lines.csv`` (if the year has none)."""
    import csv

    path = raw / "inputs" / "poverty_lines.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if any(int(r["year"]) == year for r in rows):
        return
    rows.append({"year": str(year), "poverty_line": f"{value:.1f}",
                 "source": "benchmark: one poverty line added (国家农村贫困标准)"})
    rows.sort(key=lambda r: int(r["year"]))
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def section_incremental(cfg: dict, work: Path, jobs: int, errors: list[str]) -> dict:
    """A new year's export, then a poverty line: what ``huachi build && huachi reports``
    renders again, and how long from the new input to refreshed briefings."""
    res: dict = {}
    raw, processed = work / "raw", work / "processed"
    ready = (processed / "plan_targets.parquet").exists() and (raw / "registry").exists()
    if not ready and prepare_project(work, errors, res) is None:
        return res
    env = product_env(work)
    out = work / "reports_incremental"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [bin_("huachi"), "reports", "--years", "all", "--townships",
           cfg["incremental_townships"], "--formats", "html,pdf", "--jobs", str(jobs),
           "--data", str(processed), "--out", str(out)]
    build = [bin_("huachi"), "build", "--raw", str(raw), "--out", str(processed)]
    res["incremental_load_before"] = load()
    r = run(cmd, env=env)
    if not _ok(r, "huachi reports (incremental, initial batch)", errors):
        return res
    res["incremental_initial_seconds"] = r["seconds"]
    res["incremental_initial_reports"] = len(_manifest(out))

    def step(prefix: str, expect_year: int) -> None:
        before = _manifest(out)
        b = run(build, env=env)
        if not _ok(b, f"huachi build ({prefix})", errors):
            return
        res[f"{prefix}_build_seconds"] = b["seconds"]
        res[f"{prefix}_build_steps"] = build_steps(b["output"])
        rr = run(cmd, env=env)
        if not _ok(rr, f"huachi reports ({prefix})", errors):
            return
        res[f"{prefix}_reports_seconds"] = rr["seconds"]
        res[f"{prefix}_refresh_seconds"] = b["seconds"] + rr["seconds"]
        made = _rendered(before, _manifest(out))
        res[f"{prefix}_rendered"] = made
        res[f"{prefix}_made"], res[f"{prefix}_unchanged"] = batch_summary(rr["output"])
        res[f"{prefix}_other_renders"] = sum(f"_{expect_year}" not in i for i in made)

    t0 = time.perf_counter()
    res["incremental_export"] = str(new_year.next_year_export(raw / "registry", NEW_YEAR))
    res["incremental_export_write_seconds"] = time.perf_counter() - t0
    step("incremental", NEW_YEAR)
    res["incremental_vs_initial_ratio"] = ratio(res.get("incremental_reports_seconds"),
                                                res.get("incremental_initial_seconds"))
    add_poverty_line(raw, LINE_YEAR, LINE_VALUE)
    step("line", LINE_YEAR)
    res["incremental_load_after"] = load()
    return res


# --- ingest ----------------------------------------------------------------------------------

READ_CSV = ("import sys, pandas as pd; df = pd.read_csv(sys.argv[1], dtype=str); "
            "print(len(df))")
READ_EXCEL = "import sys, pandas as pd; df = pd.read_excel(sys.argv[1]); print(len(df))"


def _peak(a: float | None, b: float | None) -> float | None:
    """The larger of two peak memories, either unknown (None)."""
    known = [x for x in (a, b) if x is not None]
    return max(known) if known else None


def _ingest_pair(kind: str, path: str, reader: str, name: str, prefix: str, work: Path,
                 env: dict, errors: list[str], repeats: int = 1) -> dict:
    """``huachi ingest`` of one file against the pandas reader of the same file, each run
    ``repeats`` times in turn (ingest, reader, ingest, reader, …): the fastest of each is
    compared (as ``timeit`` does: the other runs were slowed by other work on the machine),
    every time is kept in the JSON."""
    res: dict = {}
    out = work / f"ingest_{prefix}"
    suffix = "" if prefix in ("csv", "xlsx") else "_small"
    own: list[float] = []
    theirs: list[float] = []
    for _ in range(max(1, repeats)):
        shutil.rmtree(out, ignore_errors=True)
        r = run([bin_("huachi"), "ingest", path, "--out", str(out), "--json",
                 str(work / f"ingest_{prefix}.json")], env=env)
        if not _ok(r, f"huachi ingest {prefix}", errors):
            break
        own.append(r["seconds"])
        res[f"{prefix}_ingest_peak_gb"] = _peak(r["peak_gb"], res.get(f"{prefix}_ingest_peak_gb"))
        try:
            s = json.loads((work / f"ingest_{prefix}.json").read_text(encoding="utf-8"))
            res[f"{prefix}_ingest_rows_accepted"] = s.get("rows_accepted")
            res[f"{prefix}_ingest_rows_quarantined"] = s.get("rows_quarantined")
        except (OSError, ValueError):
            pass
        shutil.rmtree(out, ignore_errors=True)
        p = run([sys.executable, "-c", reader, path], env=env)
        if not _ok(p, f"pandas.{name}", errors):
            break
        theirs.append(p["seconds"])
        res[f"{name}{suffix}_peak_gb"] = _peak(p["peak_gb"], res.get(f"{name}{suffix}_peak_gb"))
    if own:
        res[f"{prefix}_ingest_seconds"] = min(own)
        res[f"{prefix}_ingest_seconds_all"] = own
    if theirs:
        res[f"{name}{suffix}_seconds"] = min(theirs)
        res[f"{name}{suffix}_seconds_all"] = theirs
    res[f"{prefix}_ingest_vs_{name}_ratio"] = ratio(res.get(f"{prefix}_ingest_seconds"),
                                                    res.get(f"{name}{suffix}_seconds"))
    return res


def section_ingest(cfg: dict, work: Path, cache: Path, errors: list[str]) -> dict:
    res: dict = {"csv_rows": cfg["csv_rows"], "csv_small_rows": cfg["csv_small_rows"],
                 "xlsx_rows": cfg["xlsx_rows"]}
    t0 = time.perf_counter()
    small = ingest_files.generate_csv(cache / "ingest", cfg["csv_small_rows"])["csv"]
    files = ingest_files.generate(cache / "ingest", cfg["csv_rows"], cfg["xlsx_rows"])
    res["ingest_files_generate_seconds"] = time.perf_counter() - t0
    env = product_env(work)
    res["ingest_load_before"] = load()
    n = cfg["ingest_repeats"]
    res["ingest_repeats"] = n
    res.update(_ingest_pair("csv", small, READ_CSV, "read_csv", "csv_small", work, env, errors,
                            n))
    res.update(_ingest_pair("csv", files["csv"], READ_CSV, "read_csv", "csv", work, env, errors,
                            n))
    res.update(_ingest_pair("xlsx", files["xlsx"], READ_EXCEL, "read_excel", "xlsx", work, env,
                            errors))  # read_excel takes 40 s: once
    imp = run([sys.executable, "-c", "import pandas"], env=env)
    res["python_import_pandas_seconds"] = imp["seconds"]
    res["ingest_load_after"] = load()
    return res


# --- province --------------------------------------------------------------------------------

def plan_tables(cache: Path, work: Path, errors: list[str]) -> Path | None:
    """The plan's processed tables (``huachi build --only plan``), cached."""
    plan = cache / "plan"
    if (plan / "plan_targets.parquet").exists() and (plan / "plan_derived.parquet").exists():
        return plan
    r = run([bin_("huachi"), "build", "--only", "plan", "--out", str(plan)],
            env=product_env(work))
    return plan if _ok(r, "huachi build --only plan", errors) else None


def section_province(cfg: dict, work: Path, cache: Path, errors: list[str]) -> dict:
    persons, counties = cfg["province_persons"], cfg["province_counties"]
    res: dict = {"province_persons": persons}
    data = cache / f"province_{persons}_{counties}"
    t0 = time.perf_counter()
    meta = province.generate(data, persons=persons, counties=counties)
    res["province_generate_seconds"] = time.perf_counter() - t0
    res["province_person_years"] = meta["person_years"]
    res["province_household_years"] = meta["household_years"]
    res["province_townships"] = meta["townships"]
    res["province_poor_villages"] = meta["poor_villages"]
    res["province_parquet_gb"] = meta["bytes"] / 2**30
    plan = plan_tables(cache, work, errors)
    if plan is None:
        return res
    province.copy_plan_tables(plan, data)
    province.write_province_townships(data, counties=counties)
    res["province_load_before"] = load()
    r = run([bin_("huachi"), "progress", "--out", str(data)], env=product_env(work),
            timeout=cfg["province_timeout"])
    res["province_progress_timed_out"] = r["timed_out"]
    if r["timed_out"]:
        errors.append(f"huachi progress over the province: stopped after "
                      f"{cfg['province_timeout']} s (timeout)")
        res["province_progress_seconds"] = r["seconds"]
        res["province_progress_peak_gb"] = r["peak_gb"]
    elif _ok(r, "huachi progress (province)", errors):
        res["province_progress_seconds"] = r["seconds"]
        res["province_progress_peak_gb"] = r["peak_gb"]
        province.write_briefing_townships(data)
        res.update(one_briefing(data, work / "province_briefing", product_env(work), errors,
                                "province", prefix="province_briefing",
                                timeout=cfg["province_timeout"]))
    res["province_load_after"] = load()
    return res


# --- targets and table -----------------------------------------------------------------------

def check_targets(results: dict) -> list[dict]:
    out = []
    for key, op, limit, label in TARGETS:
        v = results.get(key)
        if key == "province_progress_seconds" and results.get("province_progress_timed_out"):
            met = False
        elif v is None:
            met = None
        else:
            met = v <= limit if op == "<=" else v < limit
        out.append({"key": key, "target": f"{op} {limit:g}", "value": v, "met": met,
                    "label": label})
    return out


def _fmt(v: object, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}{unit}" if abs(v) < 100 else f"{v:.0f}{unit}"
    return f"{v}{unit}"


def _list(v: object) -> str:
    if not v:
        return "none"
    return ", ".join(map(str, v)) if len(v) <= 4 else f"{len(v)}: {v[0]} … {v[-1]}"


def table(results: dict) -> str:
    """The side-by-side table (Markdown, so it can go straight into results.md)."""
    r = results
    steps = r.get("incremental_build_steps") or {}
    rows = [
        ("report batch (HTML+PDF), " + f"{_fmt(r.get('batch_reports'))} reports, "
         f"{_fmt(r.get('batch_jobs'))} jobs", "huachi reports", _fmt(r.get("batch_seconds"), " s"),
         "plain loop (papermill CLI + nbconvert CLI)", _fmt(r.get("plain_loop_seconds"), " s"),
         _fmt(r.get("batch_vs_plain_ratio"), "×")),
        ("", "huachi reports", _fmt(r.get("batch_seconds"), " s"),
         "floor (empty notebook × n ÷ jobs)", _fmt(r.get("floor_seconds"), " s"),
         _fmt(r.get("batch_vs_floor_ratio"), "×")),
        ("rerun, nothing changed", "huachi reports", _fmt(r.get("rerun_seconds"), " s"),
         "", "", ""),
        (f"new {NEW_YEAR} export → briefings refreshed ({_fmt(r.get('incremental_made'))} made, "
         f"{_fmt(r.get('incremental_unchanged'))} unchanged)",
         "huachi build + huachi reports",
         f"{_fmt(r.get('incremental_build_seconds'), ' s')} + "
         f"{_fmt(r.get('incremental_reports_seconds'), ' s')} = "
         f"{_fmt(r.get('incremental_refresh_seconds'), ' s')}",
         f"first batch ({_fmt(r.get('incremental_initial_reports'))} reports)",
         _fmt(r.get("incremental_initial_seconds"), " s"),
         _fmt(r.get("incremental_vs_initial_ratio"), "×")),
        ("", "build steps", ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()) or "—",
         "rendered", _list(r.get("incremental_rendered")), ""),
        (f"one poverty line added ({LINE_YEAR}; {_fmt(r.get('line_made'))} made, "
         f"{_fmt(r.get('line_unchanged'))} unchanged)", "huachi build + huachi reports",
         f"{_fmt(r.get('line_build_seconds'), ' s')} + "
         f"{_fmt(r.get('line_reports_seconds'), ' s')}", "rendered",
         _list(r.get("line_rendered")), ""),
        (f"CSV ingest, {_fmt(r.get('csv_small_rows'))} rows", "huachi ingest",
         _fmt(r.get("csv_small_ingest_seconds"), " s"), "pandas.read_csv(dtype=str)",
         _fmt(r.get("read_csv_small_seconds"), " s"),
         _fmt(r.get("csv_small_ingest_vs_read_csv_ratio"), "×")),
        (f"CSV ingest, {_fmt(r.get('csv_rows'))} rows", "huachi ingest",
         _fmt(r.get("csv_ingest_seconds"), " s"), "pandas.read_csv(dtype=str)",
         _fmt(r.get("read_csv_seconds"), " s"), _fmt(r.get("csv_ingest_vs_read_csv_ratio"), "×")),
        (f"xlsx ingest, {_fmt(r.get('xlsx_rows'))} rows", "huachi ingest",
         _fmt(r.get("xlsx_ingest_seconds"), " s"), "pandas.read_excel",
         _fmt(r.get("read_excel_seconds"), " s"),
         _fmt(r.get("xlsx_ingest_vs_read_excel_ratio"), "×")),
        (f"province progress, {_fmt(r.get('province_person_years'))} person-years",
         "huachi progress", _fmt(r.get("province_progress_seconds"), " s")
         + (" (timeout)" if r.get("province_progress_timed_out") else ""),
         "peak memory", _fmt(r.get("province_progress_peak_gb"), " GB"), ""),
        ("one county briefing (HTML+PDF), province folder", "huachi reports",
         _fmt(r.get("province_briefing_seconds"), " s"), "same briefing, county data",
         _fmt(r.get("one_briefing_seconds"), " s"),
         _fmt(r.get("province_briefing_vs_county_ratio"), "×")),
        ("", "peak memory", _fmt(r.get("province_briefing_peak_gb"), " GB"),
         "render (execute+HTML+PDF)", _fmt(r.get("province_briefing_render_seconds"), " s"), ""),
    ]
    head = "| measurement | product | time | comparison | time | ratio |\n|---|---|---|---|---|---|"
    lines = [head] + ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", "| target | value | met |", "|---|---|---|"]
    for t in r.get("targets", []):
        met = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        lines.append(f"| {t['label']} | {_fmt(t['value'])} | {met} |")
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, same comparisons")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--only", default=",".join(SECTIONS),
                    help=f"comma-separated sections ({', '.join(SECTIONS)})")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache",
                    help="generated inputs are kept here between runs (never committed)")
    ap.add_argument("--jobs", type=int, default=2, help="report workers (huachi reports --jobs)")
    ap.add_argument("--sizes", type=json.loads, default={},
                    help='override sizes, JSON, e.g. \'{"csv_rows": 2000}\' (tests)')
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        ap.error(f"unknown section(s) {unknown}; choose from {SECTIONS}")
    mode = "quick" if args.quick else "full"
    cfg = {**SIZES[mode], **args.sizes}
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"  # generated inputs are large: never committed
    if not ignore.exists():
        ignore.write_text("# generated benchmark inputs (synthetic, large): never committed\n*\n",
                          encoding="utf-8")

    results: dict = dict.fromkeys(RESULT_KEYS)
    results.update({"mode": mode, "sizes": cfg, "sections": only, "machine": machine(),
                    "load_at_start": load(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                    "synthetic": True})
    errors: list[str] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="huachi-bench-") as tmp:
        work = Path(tmp)
        for name in [s for s in SECTIONS if s in only]:  # incremental changes batch's project
            print(f"[bench] {name} … (load {load()})", file=sys.stderr, flush=True)
            s0 = time.perf_counter()
            if name == "batch":
                results.update(section_batch(cfg, work, args.jobs, errors))
            elif name == "incremental":
                results.update(section_incremental(cfg, work, args.jobs, errors))
            elif name == "ingest":
                results.update(section_ingest(cfg, work, cache, errors))
            elif name == "province":
                results.update(section_province(cfg, work, cache, errors))
            results[f"{name}_section_seconds"] = time.perf_counter() - s0
    results["total_seconds"] = time.perf_counter() - t0
    results["load_at_end"] = load()
    results["province_briefing_vs_county_ratio"] = ratio(results.get("province_briefing_seconds"),
                                                         results.get("one_briefing_seconds"))
    results["targets"] = check_targets(results)
    results["errors"] = errors
    print(table(results))
    for e in errors:
        print(f"\n[error] {e}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
