"""The environment a user gives: key files of every wrong kind, output paths that are files,
missing folders, absurd years, a full disk, a second writer, a planted manifest. Each is a
message naming the thing and what to do (exit 2, no traceback), and no output is left half
written or deleted."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest

from badinputs import export_xlsx, run_cli, valid_rows

REPO = Path(__file__).resolve().parents[1]


def _clean_failure(run, *must: str) -> None:
    assert run.crashed is None, f"crashed:\n{run.output}"
    assert run.exit_code == 2, run.output
    assert "Traceback" not in run.output
    for m in must:
        assert m in run.output, f"{m!r} not in:\n{run.output}"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return export_xlsx(tmp_path / "in" / "export_2016.xlsx", valid_rows(4, seed=61))


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw") / "raw"
    shutil.copytree(REPO / "data/raw/plan", raw / "plan")
    shutil.copytree(REPO / "data/raw/inputs", raw / "inputs")
    for y in (2015, 2016):
        export_xlsx(raw / "registry" / f"export_{y}.xlsx", valid_rows(6, seed=62, year=y), year=y)
    return raw


# --- the pseudonym key ------------------------------------------------------------------

def _key_case(tmp_path: Path, kind: str) -> Path:
    p = tmp_path / "keys" / "pseudonym.key"
    p.parent.mkdir(parents=True)
    if kind == "random bytes":
        p.write_bytes(os.urandom(64))
        p.chmod(0o600)
    elif kind == "a folder":
        p.mkdir()
    elif kind == "a dangling link":
        p.symlink_to(tmp_path / "nowhere" / "k.key")
    elif kind == "huge":
        p.write_bytes(b"a" * 100_000)
        p.chmod(0o600)
    elif kind == "/dev/null":
        return Path("/dev/null")
    return p


@pytest.mark.parametrize("kind", ["random bytes", "a folder", "a dangling link", "huge",
                                  "/dev/null"])
def test_unusable_key_paths_are_clear_errors(kind, tmp_path, export, monkeypatch) -> None:
    key = _key_case(tmp_path, kind)
    monkeypatch.setenv("HUACHI_KEY_FILE", str(key))
    run = run_cli(["ingest", export])
    _clean_failure(run, str(key), "HUACHI_KEY_FILE")
    assert stat.S_IMODE(os.stat("/dev").st_mode) == 0o755 or kind != "/dev/null"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o666])
def test_key_readable_by_others_is_refused_with_the_fix(mode, tmp_path, export,
                                                         monkeypatch) -> None:
    key = tmp_path / "k" / "pseudonym.key"
    key.parent.mkdir()
    key.write_text("ab" * 32 + "\n")
    key.chmod(mode)
    monkeypatch.setenv("HUACHI_KEY_FILE", str(key))
    run = run_cli(["ingest", export])
    _clean_failure(run, str(key), f"chmod 600 '{key}'")
    key.chmod(0o600)
    assert run_cli(["ingest", export]).exit_code == 0


def test_existing_key_folder_is_never_chmodded(tmp_path, export, monkeypatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    monkeypatch.setenv("HUACHI_KEY_FILE", str(shared / "pseudonym.key"))
    assert run_cli(["ingest", export]).exit_code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "pseudonym.key").stat().st_mode) == 0o600
    # a new folder for the key is created private (and only that one)
    new = tmp_path / "made" / "by" / "huachi"
    monkeypatch.setenv("HUACHI_KEY_FILE", str(new / "pseudonym.key"))
    old = os.umask(0o022)
    try:
        assert run_cli(["ingest", export]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o700
    assert stat.S_IMODE(new.parent.stat().st_mode) == 0o755


def test_key_inside_the_project_is_warned_about(tmp_path, export, monkeypatch) -> None:
    from huachi_analysis import paths

    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setenv("HUACHI_KEY_FILE", str(tmp_path / "pseudonym.key"))
    run = run_cli(["ingest", export])
    assert run.exit_code == 0, run.output
    assert "inside the project" in run.output and "mv " in run.output


# --- paths and parameters -----------------------------------------------------------------

def test_out_that_is_a_file(tmp_path, export, raw) -> None:
    f = tmp_path / "afile"
    f.write_text("x")
    for args in (["ingest", export, "--out", f], ["build", "--raw", raw, "--out", f],
                 ["progress", "--out", f], ["reports", "--data", f, "--out", f]):
        run = run_cli(args)
        _clean_failure(run, str(f))
    assert f.read_text() == "x"


def test_json_that_is_a_folder_and_raw_that_is_missing(tmp_path, export) -> None:
    _clean_failure(run_cli(["ingest", export, "--json", tmp_path]), "--json", str(tmp_path))
    missing = tmp_path / "no" / "raw"
    _clean_failure(run_cli(["build", "--raw", missing, "--out", tmp_path / "o"]), str(missing))
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("year", ["1e20", "99999999999999999999", "-5", "0"])
def test_absurd_years(year, export) -> None:
    run = run_cli(["ingest", export, "--year", year])
    assert run.crashed is None and run.exit_code == 2 and "Traceback" not in run.output


def test_out_folder_of_other_files_is_refused(tmp_path, raw) -> None:
    home = tmp_path / "documents"
    home.mkdir()
    (home / "letter.docx").write_text("mine")
    run = run_cli(["build", "--raw", raw, "--out", home, "--only", "plan"])
    _clean_failure(run, str(home), "did not write")
    assert sorted(p.name for p in home.iterdir()) == ["letter.docx"]


# --- a full disk ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "processed"
    run = run_cli(["build", "--raw", raw, "--out", out])
    assert run.exit_code == 0, run.output
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("where", ["python", "duckdb"])
def test_disk_full_leaves_the_previous_build_whole(where, built, raw, tmp_path,
                                                   monkeypatch) -> None:
    """The disk fills after a few files of a rebuild (an OSError from Python, or DuckDB's own
    I/O error): the message names the folder and the space needed, exit 2, and the previous
    build is there, unchanged — not one new file and eighteen old ones."""
    import duckdb

    from huachi_analysis import io

    out = tmp_path / "processed"
    shutil.copytree(built, out)
    before = _snapshot(out)
    calls = {"n": 0}
    real_with, real_copy = io.write_with, io._copy_csv

    def full_after_three(target, writer):
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_with(target, writer)

    def duck_full(con, select, path):
        calls["n"] += 1
        if calls["n"] > 3:
            raise duckdb.IOException(f'IO Error: Could not write file "{path}": No space left '
                                     "on device")
        return real_copy(con, select, path)

    if where == "python":
        monkeypatch.setattr(io, "write_with", full_after_three)
    else:
        monkeypatch.setattr(io, "_copy_csv", duck_full)
    run = run_cli(["build", "--raw", raw, "--out", out])
    _clean_failure(run, "is full", str(tmp_path), "MB", "left as it was")
    assert calls["n"] > 3
    assert _snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".huachi-")
                and not p.name.startswith(".huachi-lock")]


def _can_mount_tmpfs(where: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir(parents=True, exist_ok=True)
    ok = os.system(f"mount -t tmpfs -o size=1m tmpfs '{where}' 2>/dev/null") == 0
    if ok:
        os.system(f"umount '{where}'")
    return ok


def test_real_full_disk_on_a_small_file_system(built, raw, tmp_path) -> None:
    """The same on a real file system that fills up (a tmpfs a little larger than one build:
    the rebuild, written beside the previous one, cannot fit). Needs root to mount; skipped
    otherwise."""
    mnt = tmp_path / "small"
    if not _can_mount_tmpfs(mnt):
        pytest.skip("mounting a tmpfs needs root")
    size = sum(p.stat().st_size for p in built.rglob("*") if p.is_file())
    os.system(f"mount -t tmpfs -o size={int(size * 1.3) + 400_000} tmpfs '{mnt}'")
    try:
        out = mnt / "processed"
        first = run_cli(["build", "--raw", raw, "--out", out])
        assert first.exit_code == 0, first.output
        before = _snapshot(out)
        (mnt / "filler").write_bytes(b"\0" * max(0, shutil.disk_usage(mnt).free - size // 2))
        run = run_cli(["build", "--raw", raw, "--out", out])
        _clean_failure(run, "is full", "MB")
        assert _snapshot(out) == before
        assert sorted(p.name for p in mnt.iterdir()) == sorted(
            ["processed", "filler", ".huachi-lock.processed"])
    finally:
        os.system(f"umount '{mnt}'")


# --- writers, leftovers, the report manifest ------------------------------------------------

def test_ingest_out_takes_the_folder_lock(tmp_path, export, monkeypatch) -> None:
    """`ingest --out X` while another writer (a build) holds X's lock: it waits for it, and
    writes only once the build is done."""
    from huachi_analysis import staging

    out = tmp_path / "processed"
    asked = threading.Event()
    real = staging.file_lock

    def watched(*args, **kwargs):
        asked.set()
        return real(*args, **kwargs)

    result = {}
    with staging.staged_output(out, what="build", announce=False):
        monkeypatch.setattr(staging, "file_lock", watched)
        t = threading.Thread(target=lambda: result.update(
            run=run_cli(["ingest", export, "--out", out])))
        t.start()
        assert asked.wait(120), "ingest never asked for the lock"
        time.sleep(1.0)
        assert t.is_alive(), "ingest wrote while the build held the folder"
        assert not (out / "registry_summary.json").exists()
    t.join(120)
    assert result["run"].exit_code == 0, result["run"].output
    assert "waiting" in result["run"].output
    assert (out / "registry_summary.json").is_file()


def test_a_killed_ingest_leaves_nothing_a_rerun_keeps(tmp_path, export) -> None:
    out = tmp_path / "processed"
    assert run_cli(["ingest", export, "--out", out]).exit_code == 0
    stale = tmp_path / ".huachi-staging.processed.0dead0be"  # what a SIGKILL leaves
    (stale / "registry_persons").mkdir(parents=True)
    (stale / ".huachi-tmp.registry_findings.csv.x1.tmp").write_text("half")
    (out / ".huachi-tmp.registry_summary.json.x2.tmp").write_text("half")
    assert run_cli(["ingest", export, "--out", out]).exit_code == 0
    assert not stale.exists()
    assert not list(out.rglob("*.tmp"))


def test_interrupted_swap_is_repaired(tmp_path, export) -> None:
    """Killed between the two renames of a swap: the previous folder is put back."""
    out = tmp_path / "processed"
    assert run_cli(["ingest", export, "--out", out]).exit_code == 0
    before = _snapshot(out)
    out.rename(tmp_path / ".huachi-previous.processed.0dead0be")
    from huachi_analysis.staging import recover

    recover(out)
    assert _snapshot(out) == before


def test_planted_manifest_entries_stay_inside_the_report_folder(tmp_path) -> None:
    from huachi_analysis.reports import manifest as M
    from huachi_analysis.reports.runner import _keep_previous

    victim = tmp_path / "victim.txt"
    victim.write_text("not a report")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "ok.html").write_text("<html></html>")
    (out / M.MANIFEST).write_text(json.dumps({"reports": [
        {"id": "a", "status": "ok", "outputs": {"html": "../victim.txt", "pdf": "/etc/passwd",
                                               "ipynb": "ok.html"}},
        {"id": "b", "status": "ok", "outputs": {"html": "javascript:alert(1)//../../x"}},
        {"id": "c", "status": "ok", "outputs": "nonsense", "failed_notebook": "../../y"},
    ]}), encoding="utf-8")
    entries = M.load_manifest(out)
    assert entries["a"]["outputs"] == {"ipynb": "ok.html"}
    assert entries["b"]["outputs"] == {} and entries["c"]["outputs"] == {}
    assert "failed_notebook" not in entries["c"]
    new = {"id": "a", "status": "failed", "outputs": {}}
    _keep_previous(out, entries["a"], new)
    assert new["outputs"] == {"ipynb": "ok.html"}
    assert victim.read_text() == "not a report"
    assert M.output_path(out, "../victim.txt") is None
    assert M.output_path(out, "sub/../ok.html") == (out / "ok.html").resolve()


def test_write_group_replaces_all_or_nothing(tmp_path, monkeypatch) -> None:
    from huachi_analysis import io

    a, b = tmp_path / "r.html", tmp_path / "r.pdf"
    a.write_bytes(b"old html")
    b.write_bytes(b"old pdf")
    real = os.fdopen
    calls = {"n": 0}

    class Full:
        def __init__(self, fd, mode):
            self.fh = real(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(data)

    monkeypatch.setattr(io.os, "fdopen", Full)
    with pytest.raises(OSError):
        io.write_group([(a, b"new html"), (b, b"new pdf")])
    assert a.read_bytes() == b"old html" and b.read_bytes() == b"old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.pdf"]
