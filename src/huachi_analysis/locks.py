"""One writer per output folder, and no half-written files left from a killed one.

Every write goes through :func:`huachi_analysis.io.atomic_path`, which writes
``.huachi-tmp.<name>.<random>.tmp`` beside its target and renames it; a process killed
mid-write (SIGKILL cannot be caught) leaves such a file behind. A command that writes a folder
holds the folder's lock with :func:`locked_output`, which waits for another writer, then
deletes those leftovers: safe, because no other writer can be in the folder while the lock is
held. Clean-up touches only the project's own temporary names (:data:`TEMP_PREFIX` …
:data:`TEMP_SUFFIX`), at the top of the folder and of the subfolders the caller names — never a
``*.tmp`` of another program, never deeper.

Light on purpose (no pandas): the report runner's no-change rerun imports it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from huachi_analysis.errors import HuachiError, OutputFolderError, display_path

#: How :func:`huachi_analysis.io.atomic_path` names its temporary files.
TEMP_PREFIX = ".huachi-tmp."
TEMP_SUFFIX = ".tmp"


def is_partial_write(p: Path) -> bool:
    """A temporary file of :func:`huachi_analysis.io.atomic_path` (by its name)."""
    return p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)


def remove_partial_writes(folder: Path, subfolders: Sequence[str] = ()) -> list[Path]:
    """Delete the temporary files interrupted writes left at the top of ``folder`` and of its
    ``subfolders`` (the project's own names only)."""
    removed = []
    for d in [Path(folder), *(Path(folder) / s for s in subfolders)]:
        if not d.is_dir():
            continue
        for p in d.iterdir():
            if is_partial_write(p) and p.is_file() and not p.is_symlink():
                p.unlink(missing_ok=True)
                removed.append(p)
    return removed


def output_folder(folder: Path, option: str = "--out") -> Path:
    """``folder`` resolved and created, or a clear error when it cannot be one."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{option} {display_path(folder)} is a file, not a folder; give "
                                "a folder (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputFolderError(f"{option} {display_path(folder)}: a part of the path is a "
                                "file, not a folder") from None
    except OSError as exc:
        raise OutputFolderError(f"{option} {display_path(folder)} cannot be created "
                                f"({exc.strerror}); choose a folder you can write to") from None
    return folder.resolve()


@contextmanager
def file_lock(lock_path: Path, *, what: str, timeout: float = 3600,
              announce: bool = True) -> Iterator[None]:
    """Hold the lock file ``lock_path`` (waiting up to ``timeout`` s for another ``what``)."""
    import os

    from filelock import FileLock, Timeout

    try:  # a lock file that cannot be opened would look like another writer's, for ever
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise OutputFolderError(f"cannot create the lock file {display_path(lock_path)} "
                                f"({exc.strerror}); choose a folder you can write to") from None
    lock = FileLock(str(lock_path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if announce:
                print(f"another {what} is writing to {display_path(lock_path.parent)}; waiting "
                      "for it to finish …")
            try:
                lock.acquire(timeout=timeout)
            except Timeout as exc:
                raise HuachiError(f"{display_path(lock_path.parent)} stayed locked by another "
                                  f"{what} for {timeout:.0f} s ({display_path(lock_path)})") from exc
    except OSError as exc:
        raise OutputFolderError(f"cannot create the lock file {display_path(lock_path)} "
                                f"({exc.strerror}); choose a folder you can write to") from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def locked_output(folder: Path, lock_name: str, *, what: str, timeout: float = 3600,
                  announce: bool = True, subfolders: Sequence[str] = ()) -> Iterator[Path]:
    """Hold ``folder``'s lock (waiting up to ``timeout`` s for another ``what``), clear partial
    writes a killed run left (top of ``folder`` and ``subfolders``), and yield the folder."""
    folder = output_folder(folder)
    with file_lock(folder / lock_name, what=what, timeout=timeout, announce=announce):
        remove_partial_writes(folder, subfolders)
        yield folder
