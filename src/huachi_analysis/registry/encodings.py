"""Text encodings of CSV exports: every file is either decoded or refused with a message that
names what was tried.

Read: UTF-8 (with or without BOM), UTF-16 and UTF-32 (with a BOM, or without one when the
pattern of zero bytes shows it), GB18030/GBK (what Chinese Excel saves as "CSV"), and what
charset-normalizer recognises with Chinese text in it. Refused, with the reason: a file that
switches from UTF-8 to another encoding (the line is named), a workbook or other binary file
named ``.csv``, text with NUL characters in no readable encoding.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from huachi_analysis.errors import InputFileError

#: What the messages say was tried.
TRIED = "UTF-8, UTF-16, UTF-32, GB18030/GBK"
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_BINARY = ((b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file; save it as .xlsx "
            "(or export CSV from Excel)"),
           (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or another Office file; save it "
            "as .xls or .xlsx"),
           (b"%PDF", "a PDF document"))


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def nul_encodings(data: bytes) -> list[str]:
    """UTF-16/UTF-32 without BOM that the pattern of zero bytes suggests (most CSV characters
    — digits, commas, line breaks — are ASCII, so they carry zero bytes in fixed places)."""
    sample = data[: 1 << 16]
    if b"\x00" not in sample:
        return []
    quarter = max(1, len(sample) // 4)
    z = [sample[k::4].count(0) for k in range(4)]
    out = []
    if z[2] > 0.9 * quarter and z[3] > 0.9 * quarter:
        out.append("utf-32-le")
    if z[0] > 0.9 * quarter and z[1] > 0.9 * quarter:
        out.append("utf-32-be")
    if z[1] + z[3] > 0.3 * 2 * quarter:
        out.append("utf-16-le")
    if z[0] + z[2] > 0.3 * 2 * quarter:
        out.append("utf-16-be")
    return out


def _strict(data: bytes, enc: str) -> str | None:
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\x00" in text else text


def decode_csv_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Return ``(encoding, text)`` of a CSV file, or raise :class:`InputFileError` naming why
    it cannot be read (see the module docstring)."""
    for magic, what in _BINARY:
        if data.startswith(magic):
            raise InputFileError(path, f"this is not a CSV text file but {what}")
    bom = bom_encoding(data)
    if bom is not None:
        text = _strict(data, bom)
        if text is None:
            name = {"utf-32": "UTF-32", "utf-16": "UTF-16", "utf-8-sig": "UTF-8"}[bom]
            raise InputFileError(path, f"the file starts with a {name} byte-order mark but is "
                                 f"not valid {name} text throughout (damaged, or two encodings "
                                 "in one file); save it again as CSV UTF-8")
        return bom, text
    for enc in nul_encodings(data):
        text = _strict(data, enc)
        if text is not None:
            return enc, text
    if b"\x00" in data:
        raise InputFileError(path, f"the file holds NUL bytes and is not text in any encoding "
                             f"huachi reads ({TRIED}, with or without byte-order mark); is it "
                             "a binary file? Save it from Excel as CSV UTF-8")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    head = data[:bad_at]
    if any(b >= 0x80 for b in head):
        # Valid UTF-8 Chinese before the first byte that is not: two encodings in one file.
        line_no = len(re.findall(rb"\r\n|\r|\n", head)) + 1
        raise InputFileError(
            path, "the file mixes encodings: UTF-8 text up to here, then bytes that are not "
            "UTF-8 (probably GBK/GB18030). Save the whole file in one encoding (UTF-8).",
            row=line_no)
    candidates = ["gb18030"]
    try:
        from charset_normalizer import from_bytes

        guess = from_bytes(data[: 1 << 16]).best()
    except Exception:  # noqa: BLE001 - a guess only
        guess = None
    if guess is not None and guess.encoding not in ("gb18030", "gb2312", "gbk", "hz"):
        candidates.append(guess.encoding)
    for cand in candidates:
        text = _strict(data, cand)
        if text is None:
            continue
        if cand == "gb18030" or re.search(r"[\u4e00-\u9fff]", text[:4000]):
            return cand, text
    raise InputFileError(path, f"cannot tell the text encoding; huachi reads {TRIED} (and "
                         "other encodings with Chinese text). Save the file from Excel as CSV "
                         "UTF-8")
