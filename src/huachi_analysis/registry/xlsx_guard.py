"""Bounded reading of ``.xlsx``/``.xlsm`` workbooks: the real extent of every sheet is checked
before the workbook reader (python-calamine) sees it.

calamine allocates a sheet as one dense rectangle from its first to its last cell (32 bytes a
cell): a 10 KB workbook with an empty string at ``XFD3`` and at ``A200000`` asks for 100 GB and
aborts the process (a Rust allocation failure cannot be caught). :func:`guard_workbook` scans
each sheet's XML as it decompresses (streaming, a few regular-expression passes, no Python step
per cell) and

* passes the workbook through unchanged when every sheet fits (at most :data:`MAX_COLUMNS`
  columns and :data:`MAX_CELLS` cells from A1 to its last cell with content);
* otherwise finds the cells that hold a value (an exact, slower scan, only for such sheets):
  when those fit, the sheet is rewritten without its empty cells (an empty string, a formula
  with no value, a blank styled cell far from the data) and read; when they do not, the file is
  refused with :class:`~huachi_analysis.errors.InputFileError` naming the sheet and the cell —
  for that file only, never an abort.

Parts larger than any real export (a zip bomb) are refused too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from huachi_analysis.errors import InputFileError
from huachi_analysis.messages import both

#: Columns a sheet may span (the export has about 30; a generous margin).
MAX_COLUMNS = 128
#: Cells a sheet may span (1,048,576 Excel rows × 60 columns; calamine needs 32 bytes a cell).
MAX_CELLS = 64_000_000
#: A sheet spanning more cells than this must be at least 1/:data:`SPARSE_FACTOR` full: a few
#: cells spread over millions of rows or columns are stray cells, not data.
SPARSE_AREA = 2_000_000
SPARSE_FACTOR = 50
#: Uncompressed size of one sheet's XML (a full Excel sheet of an export is about 1.5 GB).
MAX_SHEET_XML = 4 << 30
#: Uncompressed size of the shared strings.
MAX_SHARED_XML = 1 << 30
CHUNK = 16 << 20


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s or "A"


def _greater_than(n: int) -> bytes:
    """A regular expression matching a decimal integer greater than ``n`` (no sign)."""
    digits = str(n)
    alts = [rb"[1-9]\d{%d,}" % len(digits)]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            alts.append(digits[:i].encode() + b"[%d-9]" % (int(d) + 1)
                        + (rb"\d{%d}" % rest if rest else b""))
    return rb"(?:" + rb"|".join(alts) + rb")(?!\d)"


_LAST_COL = column_letters(MAX_COLUMNS)  # "DX"
# after '<c r="': a column beyond MAX_COLUMNS (three letters, or two after "DX"); a column of
# 53-128 (allowed, but the bound becomes 128); a row beyond the last <row r="…"> seen
_FAR, _WIDE = rb"[A-Z]{3}|[E-Z][A-Z]|D[Y-Z]", rb"[B-D][A-Z]"
_CELL_WITHOUT_R = re.compile(rb'<c(?! r="|o|h)')  # <color>, <charset> … are rich text
_ROWS = re.compile(rb'<row(?: r="(\d{1,12})")?')
_ODD = (b"<!", b":c", b":row")  # comments, CDATA, namespace prefixes


def _digits_bound(rows: int) -> int:
    """The largest row number with as many digits as ``rows``."""
    return 10 ** len(str(rows)) - 1


def _suspect(rows: int, wide: bool, precise: bool) -> re.Pattern[bytes]:
    """A cell beyond the column cap, a wide column (unless seen), or a cell below row
    ``rows``: ``precise``, any row number greater than ``rows``; else (cheaper) one with more
    digits."""
    below = _greater_than(rows) if precise else rb"\d{%d}" % (len(str(rows)) + 1)
    return re.compile(rb'<c r="(?:(' + _FAR + rb")|" + (b"" if wide else rb"(" + _WIDE + rb")|")
                      + rb"[A-Z]{1,3}(" + below + rb"))")


class _Scan:
    """Streaming bound of one sheet's extent (C-speed passes over each chunk); ``exact`` is set
    when it cannot tell."""

    def __init__(self) -> None:
        self.state = "before"  # before / in / after sheetData
        self.rows = 0  # largest <row r="…">
        self.wide = False  # a column beyond AZ seen
        self.cells = 0
        self.below = 0  # no cell lies below this row (checked chunk by chunk)
        self.exact = False

    def feed(self, chunk: bytes) -> None:
        if self.exact or self.state == "after":
            return
        if any(m in chunk for m in _ODD):
            self.exact = True  # comments, CDATA or namespace prefixes: let the exact scan tell
            return
        if self.state == "before":
            i = chunk.find(b"<sheetData")
            if i < 0:
                return
            chunk = chunk[i:]
            self.state = "in"
        j = chunk.find(b"</sheetData>")
        if j >= 0:
            chunk = chunk[:j]
            self.state = "after"
        if _CELL_WITHOUT_R.search(chunk):
            self.exact = True  # a cell without a leading r attribute
            return
        self.cells += chunk.count(b'<c r="')
        rows = _ROWS.findall(chunk)
        if b"" in rows:
            self.exact = True  # a row without a leading r attribute
            return
        if rows:
            self.rows = max(self.rows, max(int(r) for r in rows))
        # rows of fewer than a million: checking the number of digits is enough (a cell is at
        # most 10 × the last row down); beyond, the exact comparison
        precise = _digits_bound(self.rows) * (MAX_COLUMNS if self.wide else 52) > MAX_CELLS
        self.below = max(self.below, self.rows if precise else _digits_bound(self.rows))
        pos = 0
        while (m := _suspect(self.rows, self.wide, precise).search(chunk, pos)) is not None:
            kinds = ("far", "below") if self.wide else ("far", "wide", "below")
            if m.lastindex is None or kinds[m.lastindex - 1] != "wide":
                self.exact = True  # a column beyond the cap, or a cell below the last row
                return
            self.wide = True
            pos = m.end()

    def bound(self) -> tuple[int, int]:
        """(rows, columns) no cell lies beyond."""
        return max(self.below, self.rows), MAX_COLUMNS if self.wide else 52

    def fits(self) -> bool:
        rows, cols = self.bound()
        return (not self.exact and rows * cols <= MAX_CELLS
                and not sparse(self.rows * cols, self.cells))


def sparse(area: int, cells: int) -> bool:
    """Too few cells for the area they span (stray cells far from the data)."""
    return area > SPARSE_AREA and cells * SPARSE_FACTOR < area


_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<(/?)((?:[\w.-]+:)?)(sheetData|row|c)(?=[\s/>])([^>]*?)(/?)>",
    re.S)
_ATTR_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"\$?([A-Za-z]{1,4})\$?(\d{1,12})")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?(?:v|t)(?:\s[^>]*)?>\s*[^<\s]")


def _attr_r(attrs: bytes) -> bytes | None:
    import html

    m = _ATTR_R.search(attrs)
    if not m:
        return None
    return html.unescape((m.group(1) or m.group(2) or b"").decode("utf-8", "replace")).encode()


def exact_cells(xml: bytes) -> tuple[tuple[int, int, int], tuple[int, int],
                                     list[tuple[int, int, bytes, bytes]], tuple[bytes, int, int]]:
    """Walk every cell as calamine does → ``((rows, columns, cells) spanned by cells with
    content, (rows, columns) spanned by cells with a value, the value cells [(row, col, attrs,
    content)], (prefix, sheetData span))``."""
    row = col = n_any = 0
    any_ext = [0, 0]
    val_ext = [0, 0]
    cells: list[tuple[int, int, bytes, bytes]] = []
    prefix, start, end = b"", -1, -1
    open_cell = None
    for m in _TOKEN.finditer(xml):
        if m.group(3) is None:
            continue  # comment or CDATA
        closing, pfx, name, attrs, selfclose = m.groups()
        if name == b"sheetData":
            if not closing and start < 0:
                prefix, start = pfx, m.start()
                if selfclose:
                    end = m.end()
            elif closing:
                end = m.end()
            continue
        if name == b"row" and not closing:
            r = _attr_r(attrs)
            row = int(r) if r and r.isdigit() else row + 1
            col = 0
            continue
        if name == b"c":
            if closing:
                if open_cell is not None:
                    rr, cc, a, c0 = open_cell
                    content = xml[c0:m.start()]
                    n_any += 1
                    any_ext[:] = max(any_ext[0], rr), max(any_ext[1], cc)
                    if _VALUE.search(content):
                        val_ext[:] = max(val_ext[0], rr), max(val_ext[1], cc)
                        cells.append((rr, cc, a, content))
                open_cell = None
                continue
            ref = _attr_r(attrs)
            rm = _REF.fullmatch(ref) if ref else None
            if rm:
                col, row = column_number(rm.group(1).decode().upper()), int(rm.group(2))
            else:
                col += 1
            if not selfclose:
                open_cell = (row, col, _ATTR_R.sub(b"", attrs), m.end())
    return ((any_ext[0], any_ext[1], n_any), (val_ext[0], val_ext[1]), cells, (prefix, start, end))


def _rewrite(xml: bytes, cells: list, prefix: bytes, start: int, end: int) -> bytes:
    """``xml`` with its sheetData replaced by the value cells only (each with its reference)."""
    p = prefix
    out = [b"<", p, b"sheetData>"]
    current = None
    for r, c, attrs, content in sorted(cells, key=lambda t: (t[0], t[1])):
        if r != current:
            if current is not None:
                out += [b"</", p, b"row>"]
            out += [b"<", p, b'row r="%d">' % r]
            current = r
        ref = f"{column_letters(c)}{r}".encode()
        out += [b"<", p, b'c r="', ref, b'"', attrs.rstrip(b"/"), b">", content, b"</", p, b"c>"]
    if current is not None:
        out += [b"</", p, b"row>"]
    out += [b"</", p, b"sheetData>"]
    return xml[:start] + b"".join(out) + xml[end:]


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name (from workbook.xml and its relationships)."""
    try:
        wb = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(
        rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets |= {m.group(2): m.group(1) for m in re.finditer(
        rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    out = {}
    for m in re.finditer(rb'<(?:\w+:)?sheet\b([^>]*)/?>', wb):
        attrs = m.group(1)
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]*)"|\bid="([^"]*)"', attrs)
        if not (name and rid):
            continue
        target = targets.get(rid.group(1) or rid.group(2))
        if target:
            t = target.decode("utf-8", "replace").lstrip("/")
            part = t if t.startswith("xl/") else f"xl/{t}"
            out[part] = name.group(1).decode("utf-8", "replace")
    return out


def _refuse(path: Path, sheet: str, rows: int, cols: int, cells: int) -> InputFileError:
    if cells and sparse(rows * cols, cells) and cols <= MAX_COLUMNS and rows * cols <= MAX_CELLS:
        why = (f"only {cells:,} cells hold values in that area: stray cells far from the "
               "data")
    else:
        why = (f"more than a registry export holds (at most {MAX_COLUMNS} columns, column "
               f"{_LAST_COL}, and {MAX_CELLS:,} cells)")
    return InputFileError(
        path, f"sheet {sheet!r} has values as far as cell {column_letters(cols)}{rows} "
        f"({rows:,} rows × {cols:,} columns); {why}. Delete the stray cells right of or below "
        "the data (or save the data as CSV) and try again.")


def _blocks(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, sheet: str
            ) -> Iterator[bytes]:
    """A part's bytes in blocks, refused once they pass :data:`MAX_SHEET_XML`."""
    total = 0
    with z.open(info) as fh:
        while block := fh.read(CHUNK):
            total += len(block)
            if total > MAX_SHEET_XML:
                raise InputFileError(path, both("sheet_xml_too_big", sheet=sheet,
                                                gb=MAX_SHEET_XML >> 30))
            yield block


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, sheet: str,
               scan: _Scan) -> None:
    """Stream a part through ``scan`` (stopping as soon as it needs the exact walk)."""
    tail = b""
    for block in _blocks(z, info, path, sheet):
        data = tail + block
        cut = data.rfind(b">") + 1
        scan.feed(data[:cut])
        tail = data[cut:]
        if scan.exact:
            return
    if tail:
        scan.feed(tail)


def _read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, sheet: str) -> bytes:
    """A part's bytes (bounded as :func:`_scan_part` bounds them)."""
    return b"".join(_blocks(z, info, path, sheet))


def guard_workbook(data: bytes, path: Path) -> bytes:
    """``data`` (a workbook's bytes) safe to give to calamine, or :class:`InputFileError`.

    Non-zip data (``.xls``, or not a workbook at all) is returned as it is: calamine bounds
    ``.xls`` sheets itself (65,536 × 256 cells) and reports what it cannot read."""
    if not data.startswith(b"PK"):
        return data
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return data  # calamine names the problem
    names = _sheet_names(z)
    parts = [i for i in infos if i.filename in names
             or (i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))]
    for i in infos:
        if i.filename.endswith("sharedStrings.xml") and i.file_size > MAX_SHARED_XML:
            raise InputFileError(path, both("shared_strings_too_big", size=f"{i.file_size:,}"))
    replaced: dict[str, bytes] = {}
    try:
        for info in parts:
            sheet = names.get(info.filename, Path(info.filename).stem)
            if info.file_size > MAX_SHEET_XML:
                raise InputFileError(path, both("sheet_too_big", sheet=sheet,
                                                size=f"{info.file_size:,}"))
            scan = _Scan()
            _scan_part(z, info, path, sheet, scan)
            if scan.fits():
                continue
            xml = _read_part(z, info, path, sheet)
            (ar, ac, n_any), (vr, vc), cells, (prefix, start, end) = exact_cells(xml)
            if vc > MAX_COLUMNS or vr * vc > MAX_CELLS or sparse(vr * vc, len(cells)):
                raise _refuse(path, sheet, vr, vc, len(cells))
            if ac <= MAX_COLUMNS and ar * ac <= MAX_CELLS and not sparse(ar * ac, n_any):
                continue  # the fast scan could not tell; the exact one says it fits
            if start < 0 or end < 0:
                raise _refuse(path, sheet, ar, ac, n_any)
            # empty cells (empty strings, formulas without a value) far from the data: drop
            replaced[info.filename] = _rewrite(xml, cells, prefix, start, end)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, InputFileError):
            raise
        return data  # a damaged zip: calamine names the problem
    if not replaced:
        return data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info.filename, replaced.get(info.filename) or z.read(info))
    return buf.getvalue()
