"""Keyed pseudonyms (HMAC-SHA256) for personal identifiers, and the secret key behind them.

The key is 32 random bytes, stored hex-encoded at :func:`huachi_analysis.paths.key_file`
(outside the repository and outside ``data/processed``), created on first use with mode 0600.
Its folder is created with mode 0700 when huachi creates it; an existing folder is never
changed (it may be shared, e.g. ``/tmp``). A key file that others can read or write is refused
(with the ``chmod`` that fixes it); a key inside the project folder works but is warned about.
The same key must be used for every year, or households cannot be linked across years; so
processed outputs carry the key's *fingerprint* (a hash of the key, which reveals nothing about
it) and a build with another key, or with no key where processed data exists, stops with
:class:`~huachi_analysis.errors.KeyMissingError`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from huachi_analysis import paths
from huachi_analysis.errors import KeyFileError, KeyMissingError, display_path, warn
from huachi_analysis.messages import both, text

#: File beside the processed registry tables holding the key fingerprint.
FINGERPRINT_FILE = "pseudonym_key_fingerprint.txt"
KEY_BYTES = 32
PSEUDONYM_HEX = 20  # 80 bits: collision-free in practice for tens of millions of people
#: A key file is 64 hex characters and a line break; anything much larger is not a key.
MAX_KEY_FILE = 4096


def fingerprint(key: bytes) -> str:
    """A short public fingerprint of the key (not the key, and not usable to rebuild it)."""
    return hashlib.sha256(b"huachi-pseudonym-key-fingerprint\x00" + key).hexdigest()[:16]


def _why(key: str, **fmt: object) -> dict[str, str]:
    """A reason from the message catalogue, in both languages (for :func:`_not_a_key`)."""
    return {lang: text(key, lang, **fmt) for lang in ("zh", "en")}


def _not_a_key(path: Path, why: str | dict[str, str]) -> KeyFileError:
    """``why``: ``{"zh": …, "en": …}`` (:func:`_why`)."""
    return KeyFileError(both("not_a_key", path=display_path(path), why=why))


def check_key_path(path: Path) -> None:
    """Refuse a key path that is a folder, a device, a dangling link, or readable by others."""
    if path.is_symlink() and not path.exists():
        raise _not_a_key(path, _why("key_is_dangling_link",
                                    target=display_path(os.readlink(path))))
    if not path.exists():
        return
    st = path.stat()
    if stat.S_ISDIR(st.st_mode):
        raise _not_a_key(path, _why("key_is_folder"))
    if not stat.S_ISREG(st.st_mode):
        raise _not_a_key(path, _why("key_not_regular"))
    if st.st_mode & 0o077:
        raise KeyFileError(both("key_readable_by_others", path=display_path(path),
                                mode=stat.filemode(st.st_mode)))


def _warn_if_in_project(path: Path) -> None:
    try:
        resolved, root = path.resolve(), paths.ROOT.resolve()
    except OSError:
        return
    if resolved == root or root in resolved.parents:
        warn(both("key_in_project", path=display_path(path), root=display_path(root)))


def _read_key(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise _not_a_key(path, _why("key_unreadable", reason=exc.strerror)) from None
    if len(data) > MAX_KEY_FILE:
        raise _not_a_key(path, _why("key_too_large"))
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) < 16:
        raise _not_a_key(path, _why("key_not_huachi"))
    return key


def _create_key(path: Path) -> bytes:
    folder = path.parent
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)  # our own new folder only (umask may have removed bits)
        key = secrets.token_bytes(KEY_BYTES)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, (key.hex() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise KeyFileError(both("key_cannot_create", path=display_path(path),
                                reason=exc.strerror)) from None
    return key


def load_key(out: Path | None = None, *, key_path: Path | None = None) -> bytes:
    """The pseudonym key, created on first use.

    Args:
        out: folder of processed registry outputs; if it holds a key fingerprint, the key must
            match it (and is never created anew in its place).
        key_path: key file (default :func:`huachi_analysis.paths.key_file`).

    Raises:
        KeyMissingError: processed data in ``out`` was built with a key that is missing here or
            differs from the one found.
        KeyFileError: the key path is a folder, device or dangling link, the file is not a key,
            or others can read it.
    """
    if key_path is None:
        try:
            key_path = paths.key_file()
        except RuntimeError:  # no home folder (HOME unset, no user entry)
            raise KeyFileError(both("key_no_home")) from None
    key_path = Path(key_path).expanduser()
    stored = None
    fp_file = Path(out) / FINGERPRINT_FILE if out is not None else None
    if fp_file is not None and fp_file.is_file():
        try:
            stored = fp_file.read_text(encoding="ascii", errors="replace").strip()[:64] or None
        except OSError:
            stored = None
    check_key_path(key_path)
    if key_path.is_file():
        key = _read_key(key_path)
    elif stored is not None:
        raise KeyMissingError(both("key_missing", path=display_path(key_path),
                                   out=display_path(out), stored=stored,
                                   fp_file=display_path(fp_file)))
    else:
        key = _create_key(key_path)
    _warn_if_in_project(key_path)
    if stored is not None and fingerprint(key) != stored:
        raise KeyMissingError(both("key_mismatch", path=display_path(key_path),
                                   fingerprint=fingerprint(key), out=display_path(out),
                                   stored=stored, fp_file=display_path(fp_file)))
    return key


def _hmac_states(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """SHA-256 states after the HMAC inner and outer key blocks (RFC 2104). Copying them per
    value gives exactly ``hmac.digest(key, msg, "sha256")`` at half the cost."""
    block = 64
    k = hashlib.sha256(key).digest() if len(key) > block else key
    k = k.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in k))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in k))
    return inner, outer


def hmac_pseudonym(value: str, key: bytes, domain: str) -> str:
    """The pseudonym of one value (reference implementation with :mod:`hmac`)."""
    msg = domain.encode() + b"\x1f" + value.encode()
    return hmac.digest(key, msg, "sha256").hex()[:PSEUDONYM_HEX]


def pseudonyms(values: list[str], key: bytes, domain: str) -> list[str]:
    """:func:`hmac_pseudonym` of each of ``values`` (HMAC states copied, not rebuilt)."""
    inner, outer = _hmac_states(key)
    inner.update(domain.encode() + b"\x1f")
    icopy, ocopy = inner.copy, outer.copy
    out: list[str] = []
    append = out.append
    for u in values:
        i = icopy()
        i.update(u.encode())
        o = ocopy()
        o.update(i.digest())
        append(o.hexdigest()[:PSEUDONYM_HEX])
    return out


def pseudonymise(values: pd.Series, key: bytes, domain: str) -> pd.Series:
    """Keyed pseudonyms of ``values`` (``NA`` stays ``NA``), computed once per distinct value.

    Args:
        values: identifiers as text.
        key: the secret key.
        domain: separates pseudonym spaces (``"person"``, ``"household"``) so equal strings in
            two columns do not get equal pseudonyms.
    """
    from huachi_analysis.registry.normalise import broadcast, factorize

    codes, uniques = factorize(values)
    return broadcast(codes, pseudonyms([str(u) for u in uniques], key, domain), "str",
                     values.index)


class KeyIndex:
    """Pseudonyms of one domain, each with a small integer code shared by every file of one
    ingest (so persons and households are grouped by integers, not strings)."""

    def __init__(self, key: bytes, domain: str):
        self.key, self.domain = key, domain
        self.names: list[str] = []
        self._index = pd.Index([], dtype=object)

    def code_values(self, values: list[str]) -> np.ndarray:
        """Codes of the pseudonyms of ``values`` (one HMAC per value given)."""
        names = np.empty(len(values), dtype=object)
        names[:] = pseudonyms(values, self.key, self.domain)
        codes = (self._index.get_indexer(names) if self.names
                 else np.full(len(names), -1, dtype=np.intp))
        new = codes < 0
        if new.any():
            nc, nu = pd.factorize(names[new])
            codes[new] = nc + len(self.names)
            self.names.extend(nu.tolist())
            self._index = pd.Index(self.names, dtype=object)
        return codes.astype(np.int64)

    def strings(self, codes: np.ndarray, index: pd.Index) -> pd.Series:
        """The pseudonyms of ``codes`` as a text column (``-1`` → NA)."""
        from huachi_analysis.registry.normalise import broadcast

        return broadcast(codes, self.names, "str", index)
