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

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from huachi_analysis.reports.kernel import (
    RESET,
    WARMUP,
    client,
    drop_client,
    kernel_manager,
    last_notebook,
    prestart,
    remember_notebook,
    shutdown,
)

__all__ = ["ENGINE_NAME", "RESET", "WARMUP", "WarmKernelEngine", "WarmNotebookClient",
           "last_notebook", "prestart", "register", "shutdown"]

ENGINE_NAME = "huachi-warm"


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
        km, fresh = kernel_manager(kernel_name, cwd)
        kc = client(km, fresh, timeout=max(start_timeout, 120))  # includes the warm-up
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log_output=log_output,
                             stdout_file=stdout_file, stderr_file=stderr_file)
        remember_notebook(nb_man.nb)
        nb_client = WarmNotebookClient(nb_man, km=km, kc=kc, **final)
        try:
            return nb_client.execute()
        finally:
            if km.is_alive():
                # not awaited: runs while this worker renders the report
                kc.execute(RESET, store_history=False, silent=True)
            else:
                drop_client()


def register() -> str:
    """Register the engine with papermill (idempotent); returns its name."""
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME
