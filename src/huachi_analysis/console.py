"""What the commands show while they work: one progress-bar library (rich) for every bar.

:func:`progress_bar` is the bar of ``huachi build`` (reading the registry exports), ``huachi
synth`` (steps) and ``huachi reports`` (briefings): a label, the bar, done/total, elapsed time
and the current item. Bars go to stderr unless told otherwise, so that a command's output
stays clean when piped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress


def progress_bar(label: str, *, disable: bool = False, transient: bool = False,
                 stderr: bool = True) -> Progress:
    """A rich :class:`~rich.progress.Progress` with the project's columns.

    Args:
        label: what is being done (shown in bold before the bar).
        disable: show nothing (a single file, ``progress=False``, tests).
        transient: remove the bar when done.
        stderr: write to stderr (else stdout).
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.description}"),
                    console=Console(stderr=stderr), transient=transient, disable=disable)
