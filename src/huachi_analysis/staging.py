"""Whole-folder atomic outputs: a command that writes a processed folder (``huachi build``,
``huachi ingest --out``, ``huachi progress``) writes into a staging folder beside it and swaps
it in only when every step succeeded.

``with staged_output(out, what="build") as stage:`` …

1. takes the folder's lock, a file *beside* it (``.huachi-lock.<name>``), so the build, an
   ingest and a progress run into the same folder wait for each other;
2. finishes what a killed run left: a swap interrupted halfway is completed or undone, and
   staging folders of killed runs (``.huachi-staging.<name>.*``, only those, only at the top of
   the parent folder) are removed;
3. refuses a non-empty folder that huachi did not write (no :data:`MARKER`, no table of ours);
4. fills the staging folder with hard links to the current outputs (no copy: every write
   replaces a file by renaming a new one over it, so a link is never written through), so a
   partial build (``--only``) reads and keeps the other steps' tables;
5. yields it; on success swaps it in (``renameat2(RENAME_EXCHANGE)`` where the system has it,
   else two renames that step 2 repairs), then deletes the previous folder — keeping files
   another program created in the folder meanwhile; on any failure deletes the staging folder
   and leaves the previous folder untouched. A full disk becomes a :class:`DiskFullError`
   naming the folder and the space needed.

Light (no pandas).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huachi_analysis import catalog
from huachi_analysis.errors import (
    DiskFullError,
    OutputFolderError,
    disk_full_message,
    display_path,
    is_disk_full,
)
from huachi_analysis.locks import file_lock, is_partial_write, output_folder
from huachi_analysis.messages import both

#: File that marks a folder as written by huachi.
MARKER = ".huachi-output"
LOCK_PREFIX = ".huachi-lock."
STAGING_PREFIX = ".huachi-staging."
PREVIOUS_PREFIX = ".huachi-previous."
#: Files that show a folder without :data:`MARKER` was written by an earlier huachi version.
OURS = (catalog.path("registry_summary", "").name, "data_dictionary.md",
        "pseudonym_key_fingerprint.txt", catalog.path("plan_targets", "").name,
        catalog.path("progress_targets", "").name)
#: Names inside an output folder that are ours and never copied forward.
_OLD_LOCKS = (".huachi-build.lock",)


def _names(out: Path, prefix: str) -> list[Path]:
    return sorted(p for p in out.parent.iterdir()
                  if p.name.startswith(f"{prefix}{out.name}.") and p.is_dir() and not p.is_symlink())


def _rmtree(p: Path) -> None:
    shutil.rmtree(p, ignore_errors=True)


def recover(out: Path) -> None:
    """Repair what a killed run left beside ``out`` (call with the lock held)."""
    previous = _names(out, PREVIOUS_PREFIX)
    if not out.exists() and previous:
        # killed between the two renames of a swap: put the last good folder back
        newest = max(previous, key=lambda p: p.stat().st_mtime)
        os.rename(newest, out)
        previous.remove(newest)
    for p in previous + _names(out, STAGING_PREFIX):
        _rmtree(p)


def is_ours(out: Path) -> bool:
    """An empty folder, or one huachi wrote."""
    if not out.exists():
        return True
    if (out / MARKER).is_file() or any((out / n).exists() for n in OURS):
        return True
    return not any(out.iterdir())


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _fill(stage: Path, out: Path) -> set[str]:
    """Hard links in ``stage`` to every file of ``out`` (but our locks and temporary files);
    returns the relative paths linked."""
    if not out.is_dir():
        stage.mkdir()
        return set()

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n in _OLD_LOCKS or is_partial_write(Path(n))]

    shutil.copytree(out, stage, symlinks=True, ignore=ignore, copy_function=_link_or_copy)
    return {str(p.relative_to(stage)) for p in stage.rglob("*") if not p.is_dir()}


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); ``False`` where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def _keep_newcomers(previous: Path, out: Path, linked: set[str]) -> None:
    """Move files another program created in ``out`` during the run (not among the files
    linked into the staging folder) into the new folder, unless it has the same path."""
    for p in previous.rglob("*"):
        if p.is_dir() and not p.is_symlink():
            continue
        rel = p.relative_to(previous)
        if str(rel) in linked or p.name in _OLD_LOCKS or is_partial_write(p):
            continue
        target = out / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(p, target)


def swap_in(stage: Path, out: Path, linked: set[str]) -> None:
    """Put ``stage`` in the place of ``out`` and delete the previous folder."""
    if not out.exists():
        os.rename(stage, out)
        return
    if _exchange(stage, out):
        previous = stage  # now holds the old folder
    else:
        previous = out.parent / f"{PREVIOUS_PREFIX}{out.name}.{secrets.token_hex(4)}"
        os.rename(out, previous)
        os.rename(stage, out)
    _keep_newcomers(previous, out, linked)
    _rmtree(previous)


def _size(folder: Path, new_only: bool = False) -> int:
    """Bytes of the files under ``folder``; with ``new_only``, of those written there (not hard
    links to the previous outputs)."""
    total = 0
    for root, _, files in os.walk(folder):
        for f in files:
            try:
                st = os.lstat(os.path.join(root, f))
            except OSError:
                continue
            if not new_only or st.st_nlink == 1:
                total += st.st_size
    return total


@contextmanager
def staged_output(out: Path, *, what: str, timeout: float = 3600,
                  announce: bool = True) -> Iterator[Path]:
    """Write ``out`` as a whole: yield a staging folder, swap it in on success (see the module
    docstring)."""
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise OutputFolderError(both("folder_is_file", option="--out", path=display_path(out)))
    out = out.resolve()
    if out == out.parent:
        raise OutputFolderError(both("out_is_root", path=display_path(out)))
    parent = output_folder(out.parent, "--out (its parent folder)")
    with file_lock(parent / f"{LOCK_PREFIX}{out.name}", what=what, timeout=timeout,
                   announce=announce):
        recover(out)
        if not is_ours(out):
            raise OutputFolderError(both("out_not_ours", path=display_path(out)))
        stage = parent / f"{STAGING_PREFIX}{out.name}.{secrets.token_hex(4)}"
        try:
            linked = _fill(stage, out)
            (stage / MARKER).unlink(missing_ok=True)  # a link to the current folder's marker
            (stage / MARKER).write_text(f"written by huachi ({what})\n", encoding="utf-8")
            yield stage
            swap_in(stage, out, linked)
        except BaseException as exc:
            written = _size(stage, new_only=True) if stage.exists() else 0
            _rmtree(stage)
            if is_disk_full(exc):
                prev = _size(out) if out.exists() else 0
                raise DiskFullError(disk_full_message(
                    parent, written=written, needed=max(prev, written) * 1.1 + 1e6,
                    kept=(both("disk_full_kept", path=display_path(out), what=what)
                          if out.exists() else both("disk_full_nothing", path=display_path(out)))
                )) from exc
            raise
