"""The warm kernel of a report worker: started once per process, reused by every notebook.

:mod:`~huachi_analysis.reports.engine` (the papermill engine) runs notebooks on it. This module
needs only ``jupyter_client``, so that a worker can start its kernel first thing, and let it
boot and import (:data:`WARMUP`) while the worker itself imports papermill, nbconvert and
WeasyPrint and warms its renderers: on two cores the two start-ups overlap instead of adding up.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess

#: Run in the kernel once after start: imports every briefing needs, then freeze them out of
#: the garbage collector's scans.
WARMUP = ("import pandas, matplotlib, seaborn, huachi_analysis.charts, "
          "huachi_analysis.reports.briefing\n"
          "huachi_analysis.reports.labels.catalogue()\n"
          "huachi_analysis.fonts.register_matplotlib()\n"
          "import atexit as _ae, gc as _gc; _gc.collect(); _gc.freeze()\n"
          "_ae.register(_gc.unfreeze)  # frozen objects alive at exit: nanobind leak reports\n"
          "del _gc, _ae")
#: Run after every notebook: clear the user namespace (IPython collects garbage), then freeze
#: what is left (modules, caches) so the next report's collections stay small.
RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
         "__import__('gc').freeze()")

#: Kernel transport: "ipc" (Unix sockets) on POSIX, "tcp" where there are none (Windows).
TRANSPORT = "ipc" if os.name == "posix" else "tcp"
#: Asynchronous client: nbclient's dead-kernel check runs while it waits for output.
CLIENT_CLASS = "jupyter_client.asynchronous.AsyncKernelClient"

#: Name prefix of a worker's socket folder in the temporary folder (then its process id).
SOCKET_PREFIX = "huachi-kernel-"

_state: dict = {"km": None, "kc": None, "kc_ready": False, "last_nb": None}


def kernel_manager(kernel_name: str, cwd: str | None):
    """This process's kernel manager and whether its kernel was just started (a dead kernel is
    started again)."""
    km = _state["km"]
    if km is not None and km.is_alive():
        return km, False
    drop_client()
    from jupyter_client.manager import KernelManager

    # IPC (Unix sockets in a folder only this user can enter) rather than TCP on localhost:
    # no other local user can connect, and ipykernel has no reason to warn "Kernel is running
    # over TCP without encryption". Each kernel gets its own folder: the default socket name
    # ("kernel-ipc-1" in the working directory) is the same for every worker's kernel, and
    # two workers would then talk to each other's kernel. The kernel's stderr stays on the
    # console: a real error (a crash, a missing package) must show.
    km = KernelManager(kernel_name=kernel_name, client_class=CLIENT_CLASS, transport=TRANSPORT)
    if TRANSPORT == "ipc":
        km.ip = str(_socket_dir() / "kernel")
    km.start_kernel(cwd=cwd, stdout=subprocess.DEVNULL)
    _state["km"] = km
    atexit.register(shutdown)
    return km, True


def _socket_dir():
    """This process's private folder for kernel sockets (mode 0700, removed at exit)."""
    from pathlib import Path

    d = _state.get("socket_dir")
    if d is None or not Path(d).is_dir():
        import tempfile

        _sweep_socket_dirs(Path(tempfile.gettempdir()))
        d = tempfile.mkdtemp(prefix=f"{SOCKET_PREFIX}{os.getpid()}-")  # mode 0700
        _state["socket_dir"] = d
        atexit.register(remove_socket_dir)
    return Path(d)


def _sweep_socket_dirs(tmp) -> None:
    """Remove socket folders left by workers that were killed (SIGKILL to the batch's process
    group leaves no chance to clean up): this user's folders whose process is gone."""
    import shutil

    for d in tmp.glob(f"{SOCKET_PREFIX}*-*"):
        pid = d.name[len(SOCKET_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or not d.is_dir() or d.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except OSError:  # alive, another user's: leave it
            continue


def remove_socket_dir() -> None:
    """Remove this process's socket folder (registered with atexit; the kernel is stopped)."""
    import shutil

    d = _state.pop("socket_dir", None)
    if d is not None:
        shutil.rmtree(d, ignore_errors=True)


def drop_client() -> None:
    """Disconnect this process's kernel client (a new one connects when needed)."""
    kc = _state.get("kc")
    _state["kc"], _state["kc_ready"] = None, False
    if kc is not None:
        with contextlib.suppress(Exception):
            kc.stop_channels()


def _connect(km, fresh: bool):
    """This process's kernel client (connected once); a fresh kernel gets :data:`WARMUP`
    queued first (the kernel runs it before anything sent later)."""
    kc = _state["kc"]
    if kc is None:
        kc = km.client()
        kc.start_channels()
        kc.allow_stdin = False
        if fresh:
            kc.execute(WARMUP, store_history=False, silent=True)
        _state["kc"], _state["kc_ready"] = kc, False
    return kc


def client(km, fresh: bool, timeout: float):
    """The kernel client, ready (the first call waits for the kernel and its warm-up)."""
    kc = _connect(km, fresh)
    if not _state["kc_ready"]:
        from jupyter_core.utils import run_sync

        run_sync(kc.wait_for_ready)(timeout=timeout)
        _state["kc_ready"] = True
    return kc


def prestart(kernel_name: str = "python3") -> None:
    """Start the kernel and queue its warm-up without waiting, so that the worker can warm
    itself up (nbconvert, WeasyPrint) while the kernel boots and imports."""
    km, fresh = kernel_manager(kernel_name, None)
    _connect(km, fresh)


def shutdown() -> None:
    """Stop this process's warm kernel (registered with atexit)."""
    drop_client()
    km = _state.get("km")
    _state["km"] = None
    if km is not None:
        with contextlib.suppress(Exception):  # best effort at exit
            km.shutdown_kernel(now=True)


def stop() -> None:
    """Stop this process's kernel and remove its socket folder (a worker's last act)."""
    shutdown()
    remove_socket_dir()


def remember_notebook(nb) -> None:
    """Keep ``nb`` as the notebook being executed (for a failure report)."""
    _state["last_nb"] = nb


def last_notebook():
    """The notebook most recently executed by this engine (kept for failure reports)."""
    return _state["last_nb"]
