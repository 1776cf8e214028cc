"""Exceptions that carry their context, so the message explains itself, and the one place that
turns any exception into what the user reads (:func:`user_message`, used by
:func:`huachi_analysis.cli.main`).

The CLI turns a :class:`HuachiError` into a one-paragraph message and exit code 2; an error of
the environment (disk full, permission denied, out of memory …) gets a message naming the
folder or file and what to do, also exit 2. It never shows a traceback (``HUACHI_DEBUG=1``
does, for developers). Values from the data quoted in a message are masked with
:func:`huachi_analysis.masking.mask_text`; file names are shown readable even when their bytes
are not UTF-8.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from huachi_analysis.masking import mask_text, safe_text

#: Exit code of every error a user can cause or fix (input, parameter, environment).
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def display_path(path: object) -> str:
    """A path as shown to the user (printable even if the file name is not UTF-8)."""
    return safe_text(os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else
                     str(path))


class HuachiError(Exception):
    """A problem with the user's input or environment, explained in the message."""


class InputFileError(HuachiError):
    """A file that cannot be read as what it should be. A value from the data quoted in
    ``message`` must be passed through :func:`huachi_analysis.masking.mask_text` by the caller
    (the message's own figures are not masked); ``column`` is masked here."""

    def __init__(self, path, message: str, *, row: int | None = None, column: str | None = None):
        self.path, self.row, self.column = path, row, column
        where = display_path(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {mask_text(column)!r}"
        super().__init__(f"{where}: {safe_text(message)}")


class ParameterError(HuachiError):
    """A parameter (year, township, indicator …) that does not exist; names the allowed ones."""


class KeyMissingError(HuachiError):
    """The pseudonymisation key is missing where existing processed data expects one."""


class KeyFileError(HuachiError):
    """The pseudonymisation key file cannot be used (wrong kind of file, readable by others,
    not a key)."""


class OutputFolderError(HuachiError):
    """An output folder that cannot be used (a file, not ours, not writable)."""


class DiskFullError(HuachiError):
    """The disk filled up while writing; the message names the folder and the space needed."""


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a full disk or an exceeded quota — as an OSError
    or as the text of a DuckDB/Arrow I/O error."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(exc)
        if "No space left on device" in text or "Disk quota exceeded" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def disk_full_message(folder: Path, *, needed: float | None = None,
                      written: float | None = None, kept: str | None = None) -> str:
    """What to say when the disk holding ``folder`` is full."""
    import shutil

    folder = Path(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError:
        free = None
    parts = [f"the disk holding {display_path(folder)} is full"]
    if written is not None:
        parts.append(f"the run had written {_mb(written)} when it stopped")
    if needed is not None:
        parts.append(f"about {_mb(needed)} of free space are needed there")
    if free is not None:
        parts.append(f"{_mb(free)} are free")
    msg = "; ".join(parts) + "."
    if needed is not None and free is not None and needed > free:
        msg += f" Free at least {_mb(needed - free)} (or use --out on another disk) and rerun."
    else:
        msg += " Free some space (or use --out on another disk) and rerun."
    if kept:
        msg += f" {kept}"
    return msg


def user_message(exc: BaseException) -> tuple[str, int]:
    """The message and exit code for ``exc`` as the CLI shows it (never a traceback)."""
    if isinstance(exc, HuachiError):
        return safe_text(str(exc)), EXIT_ERROR
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_INTERRUPTED
    if isinstance(exc, MemoryError):
        return ("not enough memory to finish; close other programs, or split the input "
                "(e.g. one export file per year) and rerun"), EXIT_ERROR
    if is_disk_full(exc):
        where = getattr(exc, "filename", None)
        folder = Path(os.fsdecode(where)).parent if where else Path.cwd()
        return disk_full_message(folder), EXIT_ERROR
    if isinstance(exc, OSError):
        name = getattr(exc, "filename", None)
        target = display_path(name) if name is not None else "a file"
        what = exc.strerror or type(exc).__name__
        hint = {errno.EACCES: "check the file's permissions or choose another folder",
                errno.EPERM: "check the file's permissions or choose another folder",
                errno.EROFS: "the disk is read-only; choose another folder",
                errno.ENOENT: "check the path",
                errno.EISDIR: "give a file, not a folder",
                errno.ENOTDIR: "a part of the path is a file, not a folder"}.get(exc.errno,
                                                                               "check the path")
        return f"{what}: {target} ({hint})", EXIT_ERROR
    text = mask_text(safe_text(str(exc)), cut=False)[:300]
    return (f"unexpected error ({type(exc).__name__}: {text}). This is a bug in huachi, not "
            "in your data; rerun with HUACHI_DEBUG=1 to see where it happened and report it"), \
        EXIT_ERROR


def warn(message: str) -> None:
    """A warning on stderr (one place, so that its wording and language can change at once)."""
    print(f"警告 / warning: {safe_text(message)}", file=sys.stderr, flush=True)
