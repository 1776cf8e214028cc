"""One writer per output folder, and no half-written files left from a killed one.

Every write goes through :func:`huachi_analysis.io.atomic_path`, which writes
``.<name>.<random>.tmp`` beside its target and renames it; a process killed mid-write (SIGKILL
cannot be caught) leaves such a file behind. A command that writes a folder holds the folder's
lock with :func:`locked_output`, which waits for another writer, then deletes those leftovers:
safe, because no other writer can be in the folder while the lock is held.

Light on purpose (no pandas): the report runner's no-change rerun imports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huachi_analysis.errors import HuachiError

#: How :func:`huachi_analysis.io.atomic_path` names its temporary files.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


def remove_partial_writes(folder: Path) -> list[Path]:
    """Delete the temporary files interrupted writes left anywhere under ``folder``."""
    removed = []
    for p in Path(folder).rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        if p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


@contextmanager
def locked_output(folder: Path, lock_name: str, *, what: str, timeout: float = 3600,
                  announce: bool = True) -> Iterator[Path]:
    """Hold ``folder``'s lock (waiting up to ``timeout`` s for another ``what``), clear partial
    writes a killed run left, and yield the folder."""
    from filelock import FileLock, Timeout

    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / lock_name))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if announce:
            print(f"another {what} is writing to {folder}; waiting for it to finish …")
        try:
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            raise HuachiError(f"{folder} stayed locked by another {what} for {timeout:.0f} s "
                              f"({folder / lock_name})") from exc
    try:
        remove_partial_writes(folder)
        yield folder
    finally:
        lock.release()
