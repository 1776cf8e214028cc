"""The warm-kernel papermill engine: one kernel and one client per process, reused by every
notebook, with each notebook's variables cleared before the next (reset sent without waiting)."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from huachi_analysis.reports import engine, kernel


def _notebook(tmp_path, name: str, *sources: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return str(path)


def _run(path: str):
    return pm.execute_notebook(path, None, engine_name=engine.register(),
                               kernel_name="python3", progress_bar=False,
                               request_save_on_cell_execute=False, execution_timeout=120)


def _texts(nb) -> list[str]:
    return [o.get("text", "") or o.get("data", {}).get("text/plain", "")
            for c in nb.cells for o in c.get("outputs", [])]


@pytest.fixture
def fresh_engine():
    engine.shutdown()
    yield
    engine.shutdown()


def test_kernel_is_reused_and_namespace_cleared_between_notebooks(tmp_path, fresh_engine):
    first = _run(_notebook(tmp_path, "a", "import os\nsecret = 41\nprint(os.getpid())"))
    second = _run(_notebook(
        tmp_path, "b", "import os\nprint(os.getpid())",
        "print('secret' in dir(), 'pandas' in __import__('sys').modules)"))
    pid_a, pid_b = _texts(first)[0].strip(), _texts(second)[0].strip()
    assert pid_a == pid_b  # same warm kernel
    # the first notebook's variable is gone, the warm-up imports stay loaded
    assert _texts(second)[1].strip() == "False True"
    # the reset ran in between but left no output in either notebook
    assert all("reset" not in t for t in _texts(first) + _texts(second))
    assert engine.last_notebook() is second


def test_a_failing_notebook_leaves_the_kernel_usable(tmp_path, fresh_engine):
    with pytest.raises(pm.PapermillExecutionError, match="ZeroDivisionError"):
        _run(_notebook(tmp_path, "bad", "y = 1 / 0"))
    ok = _run(_notebook(tmp_path, "ok", "print(6 * 7)"))
    assert _texts(ok) == ["42\n"]


def test_a_dead_kernel_is_started_again(tmp_path, fresh_engine):
    first = _run(_notebook(tmp_path, "pid", "import os\nprint(os.getpid())"))
    with pytest.raises(Exception):  # noqa: B017 - papermill/nbclient raise DeadKernelError
        _run(_notebook(tmp_path, "die", "import os\nos._exit(1)"))
    again = _run(_notebook(tmp_path, "pid2", "import os\nprint(os.getpid())"))
    assert _texts(again)[0].strip() != _texts(first)[0].strip()


def test_one_kernel_client_serves_every_notebook(tmp_path, fresh_engine, monkeypatch):
    """The seam below papermill's engine API (``WarmNotebookClient``): nbclient uses the client
    it is given (it never asks the kernel manager for another) and leaves it connected."""
    _run(_notebook(tmp_path, "one", "x = 1"))
    kc, km = kernel._state["kc"], kernel._state["km"]
    assert kc is not None and kc.channels_running

    def no_new_client(*args, **kwargs):
        raise AssertionError("nbclient started a kernel client of its own")

    monkeypatch.setattr(km, "client", no_new_client)
    second = _run(_notebook(tmp_path, "two", "print(6 * 7)"))
    assert _texts(second) == ["42\n"]
    assert kernel._state["kc"] is kc and kc.channels_running


def test_socket_folders_of_killed_workers_are_swept(tmp_path):
    """A worker killed with its batch leaves its socket folder; the next worker removes the
    folders whose process is gone and keeps the others (its own, a live process's)."""
    import os
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f"{kernel.SOCKET_PREFIX}{dead.pid}-abc"
    mine = tmp_path / f"{kernel.SOCKET_PREFIX}{os.getpid()}-xyz"
    other = tmp_path / f"{kernel.SOCKET_PREFIX}notapid"
    for d in (gone, mine, other):
        d.mkdir()
    (gone / "kernel-1").write_text("")
    kernel._sweep_socket_dirs(tmp_path)
    assert not gone.exists() and mine.is_dir() and other.is_dir()
