"""Exceptions that carry their context, so the message explains itself, and the one place that
turns any exception into what the user reads (:func:`user_message`, used by
:func:`huachi_analysis.cli.main`).

Messages come from the catalogue (:mod:`huachi_analysis.messages`): a Chinese line, then the
English one, then any detail lines (indented); :func:`shown` prefixes them with 错误 / error.
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
from huachi_analysis.messages import both, split_languages, text

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
        where = where_zh = display_path(path)
        if row is not None:
            where += f", row {row}"
            where_zh += f"，第 {row} 行"
        if column is not None:
            where += f", column {mask_text(column)!r}"
            where_zh += f"，栏目“{mask_text(column)}”"
        message = safe_text(message)
        parts = split_languages(message)
        if parts is None:
            super().__init__(f"{where}: {message}")
        else:
            zh, en, rest = parts
            super().__init__(f"{where_zh}：{zh}\n{where}: {en}" + (f"\n{rest}" if rest else ""))


class ParameterError(HuachiError):
    """A parameter (year, township, indicator …) that does not exist; names the allowed ones."""


class KeyMissingError(HuachiError):
    """The pseudonymisation key is missing where existing processed data expects one."""


class KeyFileError(HuachiError):
    """The pseudonymisation key file cannot be used (wrong kind of file, readable by others,
    not a key)."""


class OutputFolderError(HuachiError):
    """An output folder that cannot be used (a file, not ours, not writable)."""


class ForeignKeyError(HuachiError):
    """A processed table holds values its foreign key does not find in the referenced table
    (:func:`huachi_analysis.catalog.check_foreign_keys`)."""


class GuaranteeError(RuntimeError):
    """A guarantee of the code does not hold (a bug, not a problem of the user's input): raised
    explicitly where an ``assert`` would vanish under ``python -O``."""

    def __init__(self, what: str):
        super().__init__(both("guarantee_broken", what=what))


class DiskFullError(HuachiError):
    """The disk filled up while writing; the message names the folder and the space needed."""


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a full disk or an exceeded quota — as an OSError
    or as the text of a DuckDB/Arrow I/O error."""
    seen = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, OSError) and cur.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(cur)
        if "No space left on device" in text or "Disk quota exceeded" in text:
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def disk_full_message(folder: Path, *, needed: float | None = None,
                      written: float | None = None, kept: str | None = None) -> str:
    """What to say when the disk holding ``folder`` is full (Chinese line, English line)."""
    import shutil

    folder = Path(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError:
        free = None
    out = {}
    for lang in ("zh", "en"):
        sep = "；" if lang == "zh" else "; "
        parts = [text("disk_full", lang, folder=display_path(folder))]
        if written is not None:
            parts.append(text("disk_full_written", lang, mb=_mb(written)))
        if needed is not None:
            parts.append(text("disk_full_needed", lang, mb=_mb(needed)))
        if free is not None:
            parts.append(text("disk_full_free", lang, mb=_mb(free)))
        msg = sep.join(parts) + ("。" if lang == "zh" else ".")
        if needed is not None and free is not None and needed > free:
            msg += " " + text("disk_full_free_at_least", lang, mb=_mb(needed - free))
        else:
            msg += " " + text("disk_full_free_some", lang)
        out[lang] = msg
    if kept:
        kept_parts = split_languages(kept)
        zh_kept, en_kept = (kept_parts[0], kept_parts[1]) if kept_parts else (kept, kept)
        out = {"zh": f"{out['zh']} {zh_kept}", "en": f"{out['en']} {en_kept}"}
    return f"{out['zh']}\n{out['en']}"


def user_message(exc: BaseException) -> tuple[str, int]:
    """The message and exit code for ``exc`` as the CLI shows it (never a traceback); the
    message is a Chinese line then an English one (see :func:`shown`)."""
    if isinstance(exc, HuachiError):
        return safe_text(str(exc)), EXIT_ERROR
    if isinstance(exc, KeyboardInterrupt):
        return both("interrupted"), EXIT_INTERRUPTED
    if isinstance(exc, MemoryError):
        return both("out_of_memory"), EXIT_ERROR
    if is_disk_full(exc):
        where = getattr(exc, "filename", None)
        folder = Path(os.fsdecode(where)).parent if where else Path.cwd()
        return disk_full_message(folder), EXIT_ERROR
    if isinstance(exc, OSError):
        name = getattr(exc, "filename", None)
        target = display_path(name) if name is not None else {"zh": "某个文件", "en": "a file"}
        what = exc.strerror or type(exc).__name__
        hint = {errno.EACCES: "hint_permissions", errno.EPERM: "hint_permissions",
                errno.EROFS: "hint_read_only", errno.ENOENT: "hint_check_path",
                errno.EISDIR: "hint_is_folder", errno.ENOTDIR: "hint_not_folder"}.get(
                    exc.errno or 0, "hint_check_path")
        hints = {lang: text(hint, lang) for lang in ("zh", "en")}
        return both("os_error", what=what, target=target, hint=hints), EXIT_ERROR
    detail = mask_text(safe_text(str(exc)), cut=False)[:300]
    return both("unexpected_error", kind=type(exc).__name__, detail=detail), EXIT_ERROR


def shown(message: str, kind: str = "error") -> str:
    """``message`` as the CLI prints it: ``错误：<Chinese>`` then ``error: <English>`` (then
    any detail lines); a one-language message gets ``错误 / error:``. ``kind``: ``error`` or
    ``warning``."""
    zh_word, en_word = ("错误", "error") if kind == "error" else ("警告", "warning")
    parts = split_languages(message)
    if parts is None:
        return f"{zh_word} / {en_word}: {message}"
    zh, en, rest = parts
    return f"{zh_word}：{zh}\n{en_word}: {en}" + (f"\n{rest}" if rest else "")


def warn(message: str) -> None:
    """A warning on stderr (one place, so that its wording and language can change at once)."""
    print(shown(safe_text(message), "warning"), file=sys.stderr, flush=True)
