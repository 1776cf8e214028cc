"""A papermill engine that keeps one warm kernel per worker process.

papermill's default engine starts a fresh kernel for every notebook (about 0.7 s here) and every
briefing then re-imports pandas, matplotlib and the package (about 1 s). ``WarmKernelEngine``
(registered as ``huachi-warm``) starts the kernel once per process and reuses it: before each
notebook it clears the user namespace (``%reset -f``), so notebooks cannot see each other's
variables, while imported modules stay loaded. If the kernel has died it is started again.
Papermill still parameterises, executes and records the notebook as usual.
"""

from __future__ import annotations

import atexit
import contextlib
import subprocess

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "huachi-warm"
#: Run in the kernel once after start: imports every briefing needs.
WARMUP = ("import pandas, matplotlib, huachi_analysis.charts, huachi_analysis.reports.briefing\n"
          "huachi_analysis.fonts.register_matplotlib()")
RESET = "get_ipython().run_line_magic('reset', '-f')"

_state: dict = {"km": None, "last_nb": None, "pending": None}


def _kernel_manager(kernel_name: str, cwd: str | None):
    km = _state["km"]
    if km is not None and km.is_alive():
        return km, False
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel(cwd=cwd, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _state["km"] = km
    atexit.register(shutdown)
    return km, True


def _run(km, code: str, timeout: float = 120) -> None:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        kc.execute_interactive(code, timeout=timeout, store_history=False,
                               output_hook=lambda msg: None)
    finally:
        kc.stop_channels()


def prestart(kernel_name: str = "python3") -> None:
    """Start the kernel and queue its warm-up without waiting, so that the worker can warm
    itself up (nbconvert, WeasyPrint) while the kernel boots and imports."""
    km, fresh = _kernel_manager(kernel_name, None)
    if not fresh:
        return
    kc = km.client()
    kc.start_channels()
    msg_id = kc.execute(f"{WARMUP}\n{RESET}", store_history=False)
    _state["pending"] = (kc, msg_id)


def _finish_prestart(timeout: float) -> bool:
    """Wait for the queued warm-up; True if there was one."""
    pending = _state.get("pending")
    if pending is None:
        return False
    _state["pending"] = None
    kc, msg_id = pending
    try:
        while True:
            reply = kc.get_shell_msg(timeout=timeout)
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return True
    finally:
        kc.stop_channels()


def shutdown() -> None:
    """Stop this process's warm kernel (registered with atexit)."""
    km = _state.get("km")
    _state["km"] = None
    if km is not None:
        with contextlib.suppress(Exception):  # best effort at exit
            km.shutdown_kernel(now=True)


def last_notebook():
    """The notebook most recently executed by this engine (kept for failure reports)."""
    return _state["last_nb"]


class WarmKernelEngine(NBClientEngine):
    """NBClientEngine with a kernel that outlives one notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        cwd = kwargs.pop("cwd", None)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        prestarted = _finish_prestart(timeout=max(start_timeout, 120))
        km, fresh = _kernel_manager(kernel_name, cwd)
        if fresh or not prestarted:
            _run(km, f"{WARMUP}\n{RESET}" if fresh else RESET, timeout=start_timeout)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log_output=log_output,
                             stdout_file=stdout_file, stderr_file=stderr_file)
        _state["last_nb"] = nb_man.nb
        client = PapermillNotebookClient(nb_man, km=km, **final)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


def register() -> str:
    """Register the engine with papermill (idempotent); returns its name."""
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME
