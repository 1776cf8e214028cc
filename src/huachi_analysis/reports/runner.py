"""The report batch: skip what is unchanged, run the rest on a pool of warm workers.

For each :class:`~huachi_analysis.reports.selection.ReportSpec`:

1. its key (``inputs_sha256``) hashes what it reads of the data — for a briefing, the slice of
   each table it reads (its year's rows and earlier ones where it shows a series, its township:
   :mod:`~huachi_analysis.reports.keys`), for another template the whole files — the template
   notebook, the parameters, the formats, the package version and the report code (this
   package's modules, templates and label catalogue); if the manifest holds the same key with
   status ``ok`` and every output file exists, the report is skipped (``force`` reruns it). A
   new year's export therefore re-renders the new year's briefings and those whose content it
   changes, not the others;
2. otherwise a worker process (``jobs`` of them, default 2) executes the template through
   papermill's Python API on a warm kernel (:mod:`~huachi_analysis.reports.engine`), writes the
   executed notebook, then HTML (nbconvert in-process) and PDF (WeasyPrint in-process);
3. the parent records each result in ``manifest.json`` and ``index.html`` as it arrives.

A failing notebook does not stop the batch: its executed notebook (with the error) is kept as
``notebooks/<stem>.failed.ipynb`` and the batch ends with a summary and a non-zero exit. A report
is replaced as a whole: its notebook, HTML and PDF are written to temporary files and renamed
over the previous ones only when all of them were written, so a failed rerun (``--force`` on a
full disk, a broken notebook) leaves the previous good report in place, and the manifest says
the report shown is the previous one. A lock file in the output folder makes a second batch on
the same folder wait. Workers (and their kernels) exit when the batch's process dies.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from huachi_analysis.errors import HuachiError
from huachi_analysis.locks import locked_output
from huachi_analysis.messages import both
from huachi_analysis.reports import manifest as M
from huachi_analysis.reports.data import input_files, sha256_input
from huachi_analysis.reports.keys import input_hashes
from huachi_analysis.reports.selection import ReportSpec

FORMATS = ("html", "pdf")
LOCK_NAME = ".huachi-reports.lock"
NOTEBOOK_DIR = "notebooks"


def parse_formats(spec: str) -> tuple[str, ...]:
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in (spec or "").split(",") if f.strip()))
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise HuachiError(both("unknown_formats", bad=bad or [spec], allowed=", ".join(FORMATS)))
    return fmts


def code_sha256() -> str:
    """Hash of the code that shapes a report (this package, charts, fonts, templates, labels)."""
    import huachi_analysis

    pkg = Path(huachi_analysis.__file__).parent
    files = sorted([*(pkg / "reports").rglob("*.py"), *(pkg / "reports" / "templates").glob("*"),
                    pkg / "reports" / "labels.yml", pkg / "charts.py", pkg / "fonts.py"])
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def report_key(spec: ReportSpec, inputs: dict[str, str], template_sha: str, formats: tuple[str, ...],
               code_sha: str) -> str:
    from huachi_analysis import __version__

    payload = {"template": template_sha, "parameters": spec.parameters, "inputs": inputs,
               "formats": sorted(formats), "version": __version__, "code": code_sha}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# ---- worker side ---------------------------------------------------------------------------
_worker: dict = {}


def _exit_with_parent() -> None:
    """Exit this worker (stopping its kernel first) when the process that started it dies;
    killed with SIGKILL, the parent cannot stop its workers itself."""
    import os
    import threading

    parent = os.getppid()

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        with contextlib.suppress(Exception):
            from huachi_analysis.reports import kernel

            kernel.stop()
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(out_dir: str) -> None:
    import logging
    import os

    _exit_with_parent()
    os.environ.setdefault("MPLBACKEND", "Agg")
    from huachi_analysis.reports import kernel

    # Start the kernel first: it boots and imports (kernel.WARMUP) while this process imports
    # papermill, nbconvert and WeasyPrint and warms them up. Errors are left to surface (with
    # context) in the first report.
    with contextlib.suppress(Exception):
        kernel.prestart()
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from huachi_analysis.fonts import PdfFontSubsetter
    from huachi_analysis.reports import engine, render

    engine.register()
    _worker["subsetter"] = PdfFontSubsetter()
    with contextlib.suppress(Exception):
        render.pdf_bytes(render.page("<p>华池县 warm-up</p>"), _worker["subsetter"])
    import atexit
    import gc

    gc.collect()
    gc.freeze()  # imported modules are long-lived: later collections skip them
    # Frozen objects are never collected, not even at interpreter teardown, where DuckDB's
    # nanobind types would then print "nanobind: leaked …" by the hundred lines; the worker
    # never tears down: it ends with os._exit.
    atexit.register(_exit_now)


def _exit_now() -> None:
    """The worker's last act (at exit, after the pool has its results): stop the kernel, then
    end the process without tearing its modules down one by one (about 0.9 s with pandas,
    matplotlib, WeasyPrint and DuckDB loaded, in the batch's critical path). Every report file
    was already written and renamed whole."""
    import os
    import sys

    from huachi_analysis.reports import kernel

    kernel.stop()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _error_text(nb) -> str:
    for cell in (nb.cells if nb is not None else []):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                return f"{o.get('ename')}: {o.get('evalue')}"[:500]
    return ""


def run_one(job: dict) -> dict:
    """Execute and render one report (runs in a worker process). Never raises.

    The executed notebook, HTML and PDF replace the previous ones together, or not at all."""
    import nbformat
    import papermill as pm

    from huachi_analysis.errors import is_disk_full
    from huachi_analysis.io import write_group, write_text
    from huachi_analysis.reports import engine, render

    if "subsetter" not in _worker:
        _init_worker(job["out_dir"])
    out = Path(job["out_dir"])
    t0 = time.perf_counter()
    ipynb_rel = f"{NOTEBOOK_DIR}/{job['stem']}.ipynb"
    failed_rel = f"{NOTEBOOK_DIR}/{job['stem']}.failed.ipynb"
    result = {"id": job["id"], "outputs": {}, "status": "failed", "error": "", "synthetic": False}
    nb = None
    try:
        nb = pm.execute_notebook(job["template"], None, parameters=job["parameters"],
                                 engine_name=engine.ENGINE_NAME, kernel_name="python3",
                                 progress_bar=False, log_output=False,
                                 request_save_on_cell_execute=False, execution_timeout=600)
    except Exception as exc:  # noqa: BLE001 - isolate any failure to this report
        nb = engine.last_notebook()
        result["error"] = _error_text(nb) or f"{type(exc).__name__}: {exc}"[:500]
    timings = {"execute": round(time.perf_counter() - t0, 3)}
    result["timings"] = timings
    if not result["error"] and nb is not None:
        try:
            t1 = time.perf_counter()
            page = render.page(render.report_body(nb), lang=job["lang"])
            result["synthetic"] = 'data-synthetic="true"' in page
            files = {"ipynb": (ipynb_rel, nbformat.writes(nb).encode("utf-8"))}
            if "html" in job["formats"]:
                files["html"] = (f"{job['stem']}.html",
                                 render.embed_font(page, _worker["subsetter"]).encode("utf-8"))
            timings["html"] = round(time.perf_counter() - t1, 3)
            if "pdf" in job["formats"]:
                t2 = time.perf_counter()
                files["pdf"] = (f"{job['stem']}.pdf",
                                render.pdf_bytes(page, _worker["subsetter"], job["lang"]))
                timings["pdf"] = round(time.perf_counter() - t2, 3)
            write_group([(out / rel, data) for rel, data in files.values()])
            result["outputs"] = {fmt: rel for fmt, (rel, _) in files.items() if fmt != "ipynb"}
            result["outputs"]["ipynb"] = ipynb_rel
            result["status"] = "ok"
            (out / failed_rel).unlink(missing_ok=True)
        except Exception as exc:  # noqa: BLE001
            what = "disk full while writing the report" if is_disk_full(exc) else "rendering"
            result["error"] = f"{what}: {type(exc).__name__}: {exc}"[:500]
    if result["status"] != "ok":
        result["error"] = result["error"] or "notebook did not run"
        if nb is not None:  # kept beside the previous good report, never over it
            try:
                write_text(out / failed_rel, nbformat.writes(nb))
                result["failed_notebook"] = failed_rel
            except Exception as exc:  # noqa: BLE001 - e.g. a full disk
                result["error"] += f" (the failed notebook could not be written: {exc})"[:200]
    result["seconds"] = round(time.perf_counter() - t0, 3)
    return result


# ---- parent side ---------------------------------------------------------------------------
@dataclass
class BatchResult:
    out_dir: Path
    ran: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.ran if r["status"] != "ok"]

    def summary(self) -> str:
        lines = [f"{len(self.ran) - len(self.failed)} report(s) made, {len(self.skipped)} "
                 f"unchanged (skipped), {len(self.failed)} failed in {self.seconds:.1f} s → "
                 f"{self.out_dir / M.INDEX}"]
        for r in self.failed:
            nb = r.get("failed_notebook")
            kept = (f"; the previous report (of {r['outputs_from']}) is kept"
                    if r.get("outputs_from") else "")
            lines.append(f"  FAILED {r['id']}: {r.get('error')}{kept}"
                         + (f" (executed notebook: {self.out_dir / nb})" if nb else ""))
        return "\n".join(lines)


def _keep_previous(out: Path, old: dict | None, entry: dict) -> None:
    """A failed rerun keeps the previous report: its outputs stay linked, and the entry says
    when they were made (nothing is deleted)."""
    if not old or not old.get("outputs") or not M.outputs_exist(out, old):
        return
    entry["outputs"] = dict(old["outputs"])
    entry["outputs_from"] = old.get("outputs_from") or old.get("finished_at")


def run_batch(specs: list[ReportSpec], out_dir: Path, formats: tuple[str, ...] = FORMATS,
              jobs: int = 2, force: bool = False, progress: bool = True,
              lock_timeout: float = 3600) -> BatchResult:
    """Run a batch of reports into ``out_dir`` (see the module docstring)."""
    from huachi_analysis.errors import DiskFullError, disk_full_message, is_disk_full

    t0 = time.perf_counter()
    with locked_output(Path(out_dir), LOCK_NAME, what="report batch", timeout=lock_timeout,
                       announce=progress, subfolders=(NOTEBOOK_DIR,)) as out:
        try:
            return _run_locked(specs, out, formats, jobs, force, progress, t0)
        except OSError as exc:  # the manifest or index page: every report file is whole
            if not is_disk_full(exc):
                raise
            raise DiskFullError(disk_full_message(
                out, kept="Each report is either the previous one or the new one, whole; "
                          "manifest.json and index.html may be out of date until a rerun."
            )) from exc


def _run_locked(specs, out, formats, jobs, force, progress, t0) -> BatchResult:
    entries = M.load_manifest(out)
    result = BatchResult(out_dir=out)
    with _Workers(out, jobs, len(specs)) as workers:
        # A report with no previous entry (or every report, forced) certainly runs: start its
        # workers now, so that their start-up (a Python process, a kernel booting and
        # importing, the renderers warming up) overlaps the hashing of the inputs below. With
        # previous entries the keys decide first, and a rerun that changes nothing starts none.
        workers.start(sum(1 for s in specs if force or s.id not in entries))
        data_dirs = {s.data_dir for s in specs}
        inputs = {d: {k: sha256_input(p) for k, p in input_files(d).items()} for d in data_dirs}
        template_sha = {t: sha256_input(t) for t in {s.template_path for s in specs}}
        for t in template_sha:
            if not Path(t).is_file():
                raise HuachiError(both("template_missing", template=t))
        code_sha = code_sha256()
        reads = input_hashes(specs, inputs, out, code_sha)
        todo: list[tuple[ReportSpec, str]] = []
        for s in specs:
            key = report_key(s, reads[s.id], template_sha[s.template_path], formats, code_sha)
            old = entries.get(s.id)
            if (not force and old and old.get("inputs_sha256") == key
                    and old.get("status") == "ok" and M.outputs_exist(out, old)):
                result.skipped.append(s.id)
            else:
                todo.append((s, key))
        if todo and "pdf" in formats:
            _prepare_font_in_background()
        if todo:
            _execute(todo, out, formats, workers, progress, entries, inputs, reads, result)
    if not (out / M.INDEX).is_file() or not (out / M.MANIFEST).is_file() or todo:
        M.write_manifest(out, entries)
        M.write_index(out, entries)
    result.seconds = time.perf_counter() - t0
    return result


def _ready() -> bool:
    """A worker's first task when it is started early: nothing (its initializer does the work)."""
    return True


class _Workers:
    """The batch's worker processes (spawned, at most ``jobs`` and never more than there are
    reports), started on first use or earlier with :meth:`start`; on leaving, the parent waits
    for them to exit (they stop their kernels)."""

    def __init__(self, out: Path, jobs: int, reports: int) -> None:
        self.out, self.size = out, max(1, min(int(jobs), max(reports, 1)))
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing as mp

            self._pool = ProcessPoolExecutor(max_workers=self.size,
                                             mp_context=mp.get_context("spawn"),
                                             initializer=_init_worker,
                                             initargs=(str(self.out),))
        return self._pool

    def start(self, n: int) -> None:
        """Spawn ``n`` workers now (capped at the pool's size): each boots while the parent
        goes on."""
        for _ in range(min(n, self.size)):
            self.pool().submit(_ready)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _prepare_font_in_background() -> None:
    """Build the cached working font (once per machine) while the workers start; they cut
    page fonts from the full font until it exists."""
    import threading

    from huachi_analysis.fonts import PdfFontSubsetter

    sub = PdfFontSubsetter()
    if not sub.working_font_path().is_file():
        threading.Thread(target=sub.working_font, name="font-cache", daemon=True).start()


def _execute(todo, out, formats, workers, progress, entries, inputs, reads, result) -> None:
    from huachi_analysis.console import progress_bar

    jobs_list = [{"id": s.id, "stem": s.stem, "template": str(s.template_path),
                  "parameters": s.parameters, "lang": s.lang, "formats": list(formats),
                  "out_dir": str(out), "key": key} for s, key in todo]
    specs = {s.id: (s, key) for s, key in todo}
    # one font for every intermediate index: made for the index as it will look at the end
    planned = {**entries, **{s.id: {"id": s.id, "kind": s.kind, "year": s.year,
                                    "township": s.township, "lang": s.lang, "status": "ok",
                                    "outputs": {f: f"{s.stem}.{f}" for f in formats}}
                             for s, _ in todo}}
    index_font = M.index_font_css(planned)
    bar = progress_bar("reports", disable=not progress, stderr=False)
    pool = workers.pool()
    with bar:
        task = bar.add_task("", total=len(jobs_list))
        futures = {}
        for j in jobs_list:
            try:
                futures[pool.submit(run_one, j)] = j
            except BrokenProcessPool as exc:  # a worker started early died: report it per job
                failed: Future = Future()
                failed.set_exception(exc)
                futures[failed] = j
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                r = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker crashed (killed, out of memory)
                r = {"id": job["id"], "outputs": {}, "status": "failed", "seconds": None,
                     "error": f"worker crashed: {type(exc).__name__}: {exc}"[:500]}
            s, key = specs[r["id"]]
            entry = {"id": s.id, "kind": s.kind, "year": s.year, "township": s.township,
                     "lang": s.lang, "template": f"notebooks/{s.template}",
                     "parameters": s.parameters, "outputs": r["outputs"], "status": r["status"],
                     "seconds": r.get("seconds"), "timings": r.get("timings"),
                     "inputs_sha256": key,
                     "input_files": inputs[s.data_dir], "input_read": reads[s.id],
                     "synthetic": r.get("synthetic", False),
                     "error": r.get("error") or None,
                     "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            if r.get("failed_notebook"):
                entry["failed_notebook"] = r["failed_notebook"]
            if r["status"] != "ok":
                _keep_previous(out, entries.get(s.id), entry)
            entries[s.id] = entry
            result.ran.append(entry)
            M.write_manifest(out, entries)
            M.write_index(out, entries, font_css=index_font)
            bar.update(task, advance=1, description=f"{s.id} {r['status']}")
