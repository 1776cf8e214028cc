"""Keyed pseudonyms (HMAC-SHA256) for personal identifiers, and the secret key behind them.

The key is 32 random bytes, stored hex-encoded at :func:`huachi_analysis.paths.key_file`
(outside the repository and outside ``data/processed``), created on first use with mode 0600 in
a folder of mode 0700. The same key must be used for every year, or households cannot be linked
across years; so processed outputs carry the key's *fingerprint* (a hash of the key, which
reveals nothing about it) and a build with another key, or with no key where processed data
exists, stops with :class:`~huachi_analysis.errors.KeyMissingError`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import pandas as pd

from huachi_analysis import paths
from huachi_analysis.errors import KeyMissingError

#: File beside the processed registry tables holding the key fingerprint.
FINGERPRINT_FILE = "pseudonym_key_fingerprint.txt"
KEY_BYTES = 32
PSEUDONYM_HEX = 20  # 80 bits: collision-free in practice for tens of millions of people


def fingerprint(key: bytes) -> str:
    """A short public fingerprint of the key (not the key, and not usable to rebuild it)."""
    return hashlib.sha256(b"huachi-pseudonym-key-fingerprint\x00" + key).hexdigest()[:16]


def _read_key(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise KeyMissingError(f"the pseudonym key file {path} is not a key written by huachi "
                              "(expected 64 hexadecimal characters)")
    return key


def _create_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    os.chmod(path, 0o600)
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
    """
    key_path = Path(key_path or paths.key_file())
    stored = None
    fp_file = Path(out) / FINGERPRINT_FILE if out is not None else None
    if fp_file is not None and fp_file.is_file():
        stored = fp_file.read_text(encoding="ascii").strip() or None
    if key_path.is_file():
        key = _read_key(key_path)
    elif stored is not None:
        raise KeyMissingError(
            f"the pseudonym key {key_path} is missing, but the processed registry in {out} was "
            f"built with a key (fingerprint {stored}). Copy the key file from the machine that "
            f"built it to {key_path} (or set HUACHI_KEY_FILE); pseudonyms from a new key would "
            "not link households across years. To start afresh instead, delete "
            f"{fp_file} and the registry tables beside it.")
    else:
        key = _create_key(key_path)
    if stored is not None and fingerprint(key) != stored:
        raise KeyMissingError(
            f"the pseudonym key {key_path} (fingerprint {fingerprint(key)}) is not the key the "
            f"processed registry in {out} was built with (fingerprint {stored}). Use the same "
            "key file for every year (HUACHI_KEY_FILE), or delete the processed registry "
            f"tables and {fp_file} to rebuild everything with this key.")
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
    out = []
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
    from huachi_analysis.registry.validate import broadcast, factorize

    codes, uniques = factorize(values)
    return broadcast(codes, pseudonyms([str(u) for u in uniques], key, domain), "str",
                     values.index)
