"""A papermill engine that keeps one warm kernel (and one client) per worker process.

papermill's default engine starts a fresh kernel for every notebook (about 0.7 s here) and every
briefing then re-imports pandas, matplotlib and the package (about 1 s). ``WarmKernelEngine``
(registered as ``huachi-warm``) starts the kernel once per process and reuses it:

* the kernel imports what every briefing needs once (:data:`WARMUP`), then freezes those
  long-lived objects out of the garbage collector (``gc.freeze``), so that later collections
  scan only a report's own objects;
* one kernel client (its ZeroMQ channels) serves every notebook: connecting a client and
  waiting for it to be ready costs about 0.2 s of idle time (jupyter_client flushes IOPub for
  0.2 s), once per worker instead of once per notebook;
* after each notebook the user namespace is cleared (:data:`RESET`: ``%reset -f``, then
  ``gc.freeze``) *without waiting*: the kernel clears itself while the worker renders HTML and
  PDF, and the next notebook's cells queue behind the reset (a kernel runs requests in order).
  Notebooks cannot see each other's variables; imported modules and the package's data cache
  stay loaded.

The client is asynchronous (``AsyncKernelClient``), as nbclient expects: with the blocking
client a kernel that dies mid-notebook (killed, out of memory) would block nbclient's wait for
output forever; with it, nbclient notices the dead kernel within a second and the report fails
with ``DeadKernelError``. A dead kernel is started again for the next notebook. Papermill still
parameterises, executes and records the notebook as usual; nbclient ignores replies and outputs
whose parent is not one of its cells, so the reset's messages never reach a notebook.

How it plugs in: :class:`WarmKernelEngine` is a papermill engine (the public API of
``papermill.engines``: a subclass of ``NBClientEngine`` overriding ``execute_managed_notebook``,
registered with ``papermill_engines.register``). The one seam below papermill's public API is
:class:`WarmNotebookClient`, papermill's notebook client handed an already connected kernel
client; ``tests/test_reports_engine.py`` checks that the same client serves several notebooks,
so a papermill or nbclient release that stops honouring the seam fails there.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "huachi-warm"
#: Run in the kernel once after start: imports every briefing needs, then freeze them out of
#: the garbage collector's scans.
WARMUP = ("import pandas, matplotlib, seaborn, huachi_analysis.charts, "
          "huachi_analysis.reports.briefing\n"
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

_state: dict = {"km": None, "kc": None, "kc_ready": False, "last_nb": None}


def _kernel_manager(kernel_name: str, cwd: str | None):
    km = _state["km"]
    if km is not None and km.is_alive():
        return km, False
    _drop_client()
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
        import shutil
        import tempfile

        d = tempfile.mkdtemp(prefix="huachi-kernel-")  # mode 0700
        _state["socket_dir"] = d
        atexit.register(shutil.rmtree, d, True)
    return Path(d)


def _drop_client() -> None:
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


def _client(km, fresh: bool, timeout: float):
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
    km, fresh = _kernel_manager(kernel_name, None)
    _connect(km, fresh)


def shutdown() -> None:
    """Stop this process's warm kernel (registered with atexit)."""
    _drop_client()
    km = _state.get("km")
    _state["km"] = None
    if km is not None:
        with contextlib.suppress(Exception):  # best effort at exit
            km.shutdown_kernel(now=True)


def last_notebook():
    """The notebook most recently executed by this engine (kept for failure reports)."""
    return _state["last_nb"]


class WarmNotebookClient(PapermillNotebookClient):
    """papermill's notebook client, given a kernel client that is already connected and ready.

    The seam: nbclient's ``setup_kernel`` connects a client and waits for it only while ``kc``
    is None, and with a kernel manager it does not own (``km`` given) it neither shuts the
    kernel down nor stops the client at the end — so the client outlives the notebook.
    """

    def __init__(self, nb_man, *, km, kc, **kwargs):
        super().__init__(nb_man, km=km, **kwargs)
        self.kc = kc


class WarmKernelEngine(NBClientEngine):
    """NBClientEngine with a kernel and a client that outlive one notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        cwd = kwargs.pop("cwd", None)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        km, fresh = _kernel_manager(kernel_name, cwd)
        kc = _client(km, fresh, timeout=max(start_timeout, 120))  # includes the warm-up
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log_output=log_output,
                             stdout_file=stdout_file, stderr_file=stderr_file)
        _state["last_nb"] = nb_man.nb
        client = WarmNotebookClient(nb_man, km=km, kc=kc, **final)
        try:
            return client.execute()
        finally:
            if km.is_alive():
                # not awaited: runs while this worker renders the report
                kc.execute(RESET, store_history=False, silent=True)
            else:
                _drop_client()


def register() -> str:
    """Register the engine with papermill (idempotent); returns its name."""
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME
