"""Read registry exports as they come: ``.xlsx``/``.xls`` (python-calamine, after
:mod:`.xlsx_guard` has bounded every sheet's extent) and ``.csv`` in any encoding of
:mod:`.encodings`, with any line ending (CR LF, LF, CR) and cells of any size.

A file is turned into a :class:`RawFile`: one text frame with canonical column names (see
:mod:`.headers`), the spreadsheet row number of every data row as Excel shows it, the data year
(when the file tells it) and whether it is synthetic. Title rows above the header, a
column-numbering row below it, blank rows and trailing note rows are skipped and counted; every
other row is a *row read* and ends up accepted or quarantined by :mod:`.ingest`.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from huachi_analysis.errors import InputFileError, ParameterError
from huachi_analysis.io import sha256_bytes
from huachi_analysis.masking import mask_text, safe_text
from huachi_analysis.messages import both
from huachi_analysis.policy import YEAR_RANGE
from huachi_analysis.registry.encodings import bom_encoding, decode_csv_bytes
from huachi_analysis.registry.headers import (
    MEMBER_FIELDS,
    canonical_field,
)
from huachi_analysis.registry.required_columns import check_required
from huachi_analysis.registry.xlsx_guard import MAX_COLUMNS, column_letters, guard_workbook

__all__ = ["RawFile", "decode_csv_bytes", "find_header", "read_export"]

#: How many rows from the top may hold titles before the header row.
HEADER_SEARCH_ROWS = 30
#: A header row names at least this many known columns.
MIN_HEADER_FIELDS = 3
#: Whitespace trimmed from every cell: ASCII, full-width (U+3000) and no-break spaces.
WHITESPACE = " \t\r\n\u3000\xa0\ufeff"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
SYNTHETIC_TITLE_MARKS = ("合成数据", "synthetic")
# cells of any size (the csv module stops at 128 KB by default)
csv.field_size_limit(2**31 - 1)


@dataclass
class RawFile:
    """One sheet of one export, as text, with where every row came from."""

    path: Path
    source_file: str
    frame: pd.DataFrame
    excel_rows: np.ndarray
    headers: dict[str, str]
    unknown_columns: list[str]
    header_row: int
    title: str
    year: int | None
    year_source: str
    is_synthetic: bool
    sha256: str
    encoding: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    #: one number per :func:`read_export` call: the sheets of one workbook share it
    origin: int = 0

    @property
    def rows_read(self) -> int:
        return len(self.frame)


# --- header detection ----------------------------------------------------------------------

def _row_fields(cells: Sequence[object]) -> dict[int, str]:
    found: dict[int, str] = {}
    seen: set[str] = set()
    for i, c in enumerate(cells[:MAX_COLUMNS]):
        f = canonical_field(c) if c not in (None, "") else None
        if f and f not in seen:
            found[i] = f
            seen.add(f)
    return found


def find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """Index of the header row among the first rows, or ``None``."""
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = set(_row_fields(cells).values())
        if len(found) >= MIN_HEADER_FIELDS and found & {"household_id", "township", "id_number"}:
            return i
    return None


def header_cells(rows: Sequence[Sequence[object]], h: int, path: Path
                 ) -> tuple[list[object], int]:
    """:func:`merge_header`, cut to :data:`MAX_COLUMNS` columns (empty cells beyond are
    dropped; a named column beyond is an error: no export is that wide)."""
    cells, used = merge_header(rows, h)
    if len(cells) > MAX_COLUMNS:
        beyond = [i for i in range(MAX_COLUMNS, len(cells)) if _cell_text(cells[i]).strip()]
        if beyond:
            raise InputFileError(path, both("header_too_wide",
                                            letters=column_letters(beyond[-1] + 1),
                                            n=f"{beyond[-1] + 1:,}", max=MAX_COLUMNS),
                                 row=h + 1)
        cells = cells[:MAX_COLUMNS]
    return cells, used


def merge_header(rows: Sequence[Sequence[object]], h: int) -> tuple[list[object], int]:
    """The header cells of row ``h`` and how many rows the header takes (1 or 2).

    A two-level header (household columns merged over two rows, member columns under a group
    label such as 家庭成员情况 on the next row) is read as one: the second row's known
    columns fill the places the first row leaves empty or labels with an unknown group name."""
    top = list(rows[h])
    if h + 1 >= len(rows):
        return top, 1
    below = list(rows[h + 1])
    f_top, f_below = _row_fields(top), _row_fields(below)
    new = set(f_below.values()) - set(f_top.values())
    if not (new & set(MEMBER_FIELDS) or len(new) >= 2):
        return top, 1
    if any(i in f_top and f_top[i] != f for i, f in f_below.items()):
        return top, 1  # a second row naming other known columns under known ones: not a level
    width = max(len(top), len(below))
    cells: list[object] = []
    for i in range(width):
        t = top[i] if i < len(top) else None
        b = below[i] if i < len(below) else None
        cells.append(b if i in f_below and i not in f_top else t if t not in (None, "") else b)
    return cells, 2


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _title_text(rows: Sequence[Sequence[object]]) -> str:
    return " ".join(_cell_text(c).strip() for r in rows for c in r if _cell_text(c).strip())


# --- year and synthetic label ------------------------------------------------------------

_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[1-3]\d)(?!\d)")
_YEAR_IN_TITLE = re.compile(r"(?<!\d)(20[1-3]\d)\s*年")


def year_from_text(text: str, pattern: re.Pattern[str] = _YEAR_IN_NAME) -> int | None:
    """The one year a text names, or ``None`` if it names none or several."""
    years = {int(y) for y in pattern.findall(text)}
    years = {y for y in years if YEAR_RANGE[0] <= y <= YEAR_RANGE[1]}
    return years.pop() if len(years) == 1 else None


def is_synthetic_source(name: str, title: str) -> bool:
    """Synthetic if the file name says 'synthetic' or the title says 合成数据/SYNTHETIC."""
    return "synthetic" in name.lower() or any(m in title.lower() for m in SYNTHETIC_TITLE_MARKS)


# --- building the frame ------------------------------------------------------------------

def _text_column(values: pd.Series) -> pd.Series:
    """Cells as trimmed text (``NA`` for empty); integral numbers without ``.0``."""
    kind = "string" if values.dtype == "str" else pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "empty"):
        s = values.astype("str")
    elif kind in ("floating", "integer", "mixed-integer-float"):
        num = pd.to_numeric(values, errors="coerce")
        integral = num.notna() & (num % 1 == 0) & (num.abs() < 1e15)
        s = num.astype("str")
        s[integral] = num[integral].astype("int64").astype("str")
    else:
        s = values.map(_cell_text).astype("str")
    s = s.str.strip(WHITESPACE)
    return s.mask(s == "")


def _is_numbering_row(cells: pd.Series) -> bool:
    vals = cells.dropna()
    if len(vals) < max(2, len(cells) // 2):
        return False
    nums = pd.to_numeric(vals, errors="coerce")
    return bool(nums.notna().all() and (nums % 1 == 0).all() and nums.is_monotonic_increasing
                and nums.is_unique)


def _finish(path: Path, source_file: str, header_cells: list[object], body: pd.DataFrame,
            first_row: int, header_row: int, title: str, year: int | None, sha: str,
            encoding: str | None, clean: bool = False) -> RawFile:
    """Map headers to fields, drop skipped rows and build the :class:`RawFile`.

    ``clean``: the body's columns are already trimmed text with ``NA`` for empty cells (the
    Arrow CSV path), so they are used as they are."""
    fields = _row_fields(header_cells)
    headers = {f: _cell_text(header_cells[i]).strip() for i, f in fields.items()}
    unknown = [_cell_text(c).strip() for i, c in enumerate(header_cells)
               if i not in fields and _cell_text(c).strip()]
    present = set(fields.values())
    if not present & set(MEMBER_FIELDS):
        raise InputFileError(path, both("household_level_export"), row=header_row)
    # without township, village, household number, exit status or a person's identity the
    # file cannot be ingested: say which, with the header found closest and how to map it
    check_required(path, present, [mask_text(h) for h in unknown], row=header_row)
    text = (lambda c: c) if clean else _text_column
    frame = pd.DataFrame({f: text(body.iloc[:, i]) if i < body.shape[1]
                          else pd.Series(pd.NA, index=body.index, dtype="str")
                          for i, f in fields.items()})
    rows = first_row + np.arange(len(frame), dtype=np.int64)
    skipped = {"numbering_row": 0, "blank_rows": 0, "note_rows": 0}
    if len(frame) and _is_numbering_row(frame.iloc[0]):
        frame, rows = frame.iloc[1:], rows[1:]
        skipped["numbering_row"] = 1
    filled = frame.notna()
    blank = ~filled.any(axis=1).to_numpy()
    ident = [c for c in ("household_id", "id_number", "person_id", "name") if c in frame]
    no_ident = ~filled[ident].any(axis=1).to_numpy()
    # a row that names both a township and a village is a data row that lost its identifiers
    # (read, then quarantined as missing_household_id), never a note
    placed = filled[["township", "village"]].all(axis=1).to_numpy()
    no_ident &= ~placed
    # trailing note rows (注：…, 合计, 制表人): no household id, ID, person id or name
    tail = len(frame)
    while tail > 0 and (no_ident[tail - 1] or blank[tail - 1]):
        tail -= 1
    note = np.zeros(len(frame), dtype=bool)
    note[tail:] = ~blank[tail:]
    skipped["note_rows"] = int(note.sum())
    skipped["blank_rows"] = int(blank.sum())
    keep = ~(blank | note)
    if not keep.all():
        frame = frame.loc[keep].reset_index(drop=True)
        rows = rows[keep]
    else:
        frame = frame.reset_index(drop=True)
    source_file = safe_text(source_file)
    from_name = year_from_text(source_file)
    if year is not None:
        file_year, year_source = year, "--year"
    elif from_name is not None:
        file_year, year_source = from_name, "file name"
    elif (from_title := year_from_text(title, _YEAR_IN_TITLE)) is not None:
        file_year, year_source = from_title, "title"
    else:
        file_year, year_source = None, "年度 column" if "year" in frame else "unknown"
    if file_year is None and "year" not in frame:
        raise InputFileError(path, both("year_unknown"))
    return RawFile(path=path, source_file=source_file, frame=frame, excel_rows=rows,
                   headers=headers, unknown_columns=unknown, header_row=header_row, title=title,
                   year=file_year, year_source=year_source,
                   is_synthetic=is_synthetic_source(safe_text(path.name), title), sha256=sha,
                   encoding=encoding, skipped=skipped)


def read_spreadsheet(path: Path, year: int | None = None) -> list[RawFile]:
    """Every sheet of a workbook that has a registry header row."""
    from python_calamine import CalamineWorkbook

    data = path.read_bytes()
    if not data:
        raise InputFileError(path, both("file_empty"))
    sha = sha256_bytes(data)
    safe = guard_workbook(data, path)  # bounded: no sheet larger than an export can be
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(safe))
        names = wb.sheet_names
        sheets = [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in names]
    except Exception as exc:  # calamine raises several error types for broken files
        detail = f"{type(exc).__name__}: {mask_text(safe_text(str(exc))[:200], cut=False)}"
        raise InputFileError(path, both("workbook_unreadable", detail=detail)) from None
    found = []
    for name, rows in sheets:
        h = find_header(rows)
        if h is not None:
            found.append((name, rows, h))
    if not found:
        raise InputFileError(path, both(
            "no_header_in_sheets", n=HEADER_SEARCH_ROWS,
            sheets=", ".join(mask_text(n) for n in names) or "none"))
    out = []
    for name, rows, h in found:
        header, used = header_cells(rows, h, path)
        start = h + used
        body = pd.DataFrame(rows[start:], dtype=object) if len(rows) > start else \
            pd.DataFrame(columns=range(len(header)), dtype=object)
        src = path.name if len(found) == 1 else f"{path.name}#{name}"
        out.append(_finish(path, src, header, body, first_row=start + 1, header_row=h + 1,
                           title=_title_text(rows[:h]), year=year, sha=sha, encoding=None))
    return out


def _arrow_text(col) -> pd.Series:
    """An Arrow text column trimmed of :data:`WHITESPACE`, empty cells as NA, as a pandas
    ``str`` column backed by the same Arrow memory (the validity bitmap is set from the
    lengths; no copy of the text)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pandas.arrays import ArrowStringArray

    chunks = []
    for chunk in pc.utf8_trim(col, WHITESPACE).chunks:
        valid = pc.not_equal(pc.binary_length(chunk), 0)
        if valid.offset or chunk.null_count:
            chunks.append(pc.if_else(valid, chunk, pa.scalar(None, pa.large_string())))
            continue
        bufs = chunk.buffers()
        chunks.append(pa.LargeStringArray.from_buffers(len(chunk), bufs[1], bufs[2],
                                                       valid.buffers()[1], offset=chunk.offset))
    arr = pa.chunked_array(chunks, pa.large_string())  # what pandas' str columns hold
    return pd.Series(ArrowStringArray(arr, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
                     copy=False)


def _csv_body_fast(buf: bytes, pos: int, width: int, check_utf8: bool) -> pd.DataFrame | None:
    """Data rows (``buf[pos:]``: the bytes below the header row, UTF-8) read by Arrow's
    multi-threaded CSV reader as trimmed text, or ``None`` when the file needs the tolerant
    reader (blank lines, short or long rows, line breaks inside cells, bytes that are not
    UTF-8 when ``check_utf8``)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    if _NOT_SPACE.search(buf, pos) is None:
        return None
    body = memoryview(buf)[pos:]  # no copy of a large file
    names = [str(i) for i in range(width)]
    try:
        tbl = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True,
                                           block_size=1 << 24),
            # a blank line is a one-cell row: Arrow fails and the tolerant reader, which keeps
            # row numbers, takes over
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False, check_utf8=check_utf8))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, pa.cpu_count())) as pool:  # Arrow kernels release the GIL
        cols = list(pool.map(_arrow_text, tbl.columns))
    df = pd.DataFrame(dict(enumerate(cols)))
    return df


_NOT_SPACE = re.compile(rb"\S")


_EOL = re.compile(rb"\r\n|\r|\n")
_READS = itertools.count(1)


@dataclass
class CsvHead:
    """The first records of a CSV (title rows, header) and where the data starts."""

    rows: list[list[str]]
    header: int  # index of the header record
    used: int  # header records (1, or 2 for a two-level header)
    body_offset: int  # byte offset of the first data record
    first_line: int  # its line number (1-based, as a text editor shows it)
    header_line: int


def _head_records(buf: bytes, start: int, path: Path) -> tuple[list[list[str]], list[int],
                                                                 list[int]]:
    """Up to :data:`HEADER_SEARCH_ROWS` + 1 records of ``buf`` (UTF-8) from ``start``: the
    records, the byte offset after each, and the lines read up to each. Any line ending, line
    breaks inside quoted cells, cells of any size. Raises ``UnicodeDecodeError`` (bytes that
    are not UTF-8) or :class:`InputFileError` (not parseable as CSV)."""
    end = [start]

    def lines() -> Iterator[str]:
        pos = start
        for m in _EOL.finditer(buf, start):
            end[0] = m.end()
            yield buf[pos:m.end()].decode("utf-8")
            pos = m.end()
        if pos < len(buf):
            end[0] = len(buf)
            yield buf[pos:].decode("utf-8")

    reader = csv.reader(lines())
    rows, ends, line_nums = [], [], []
    try:
        for rec in reader:
            rows.append(rec)
            ends.append(end[0])
            line_nums.append(reader.line_num)
            if len(rows) > HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise InputFileError(path, both("csv_head_unreadable", detail=exc),
                             row=reader.line_num or None) from None
    return rows, ends, line_nums


def csv_head(buf: bytes, start: int, path: Path, encoding: str) -> CsvHead:
    """Find the header among the first records of ``buf`` (UTF-8 bytes from ``start``)."""
    rows, ends, line_nums = _head_records(buf, start, path)
    rows = [[c.rstrip("\r\n") if i == len(r) - 1 else c for i, c in enumerate(r)]
            for r in rows]
    h = find_header(rows)
    if h is None:
        raise InputFileError(path, both("no_header_in_csv", n=HEADER_SEARCH_ROWS,
                                        encoding=encoding))
    _, used = header_cells(rows, h, path)
    last = h + used - 1
    return CsvHead(rows=rows, header=h, used=used, body_offset=ends[last],
                   first_line=line_nums[last] + 1,
                   header_line=(line_nums[h - 1] + 1) if h else 1)


def _csv_body_pandas(text: str, width: int, path: Path, first_line: int) -> pd.DataFrame:
    """Data rows (``text``: everything below the header) read by pandas' tolerant C reader
    (blank lines kept so that row numbers stay those of the file)."""
    spare = 64  # extra columns, so that a row longer than the header is seen, not cut
    try:
        df = pd.read_csv(io.StringIO(text), header=None,
                         names=range(width + spare), dtype="str", keep_default_na=False,
                         na_values=[""], skip_blank_lines=False, index_col=False)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        row = first_line + int(m.group(1)) - 1 if m else None
        raise InputFileError(path, both("csv_row_far_too_wide", width=width), row=row) from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=range(width), dtype="str")
    extra = df.iloc[:, width:].notna().any(axis=1).to_numpy()
    if extra.any():
        i = int(extra.nonzero()[0][0])
        raise InputFileError(path, both("csv_row_too_wide", width=width), row=first_line + i)
    return df.iloc[:, :width]


def _csv_rawfile(path: Path, head: CsvHead, body: pd.DataFrame, year: int | None, sha: str,
                 encoding: str, clean: bool) -> RawFile:
    header, _ = header_cells(head.rows, head.header, path)
    return _finish(path, path.name, header, body, first_row=head.first_line,
                   header_row=head.header_line, title=_title_text(head.rows[:head.header]),
                   year=year, sha=sha, encoding=encoding, clean=clean)


def read_csv_export(path: Path, year: int | None = None) -> list[RawFile]:
    """A CSV export in any of the accepted encodings.

    UTF-8 (with or without BOM) is handed to Arrow's CSV reader as bytes, which checks that
    every cell is UTF-8; a file it cannot read that way (another encoding, mixed encodings,
    blank lines, ragged rows) is decoded and read by the tolerant path, which names the
    problem."""
    from concurrent.futures import ThreadPoolExecutor

    data = path.read_bytes()
    if not data or data.isspace():
        raise InputFileError(path, both("file_empty"))
    with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: overlap it with parsing
        sha = pool.submit(sha256_bytes, data)
        out = _read_csv_utf8(path, data, year, sha)
        if out is None:
            encoding, text = decode_csv_bytes(data, path)
            if encoding.startswith("utf-8"):
                buf, start = data, (3 if data.startswith(codecs.BOM_UTF8) else 0)
            else:
                buf, start = text.lstrip("\ufeff").encode("utf-8"), 0
            head = csv_head(buf, start, path, encoding)
            width = len(header_cells(head.rows, head.header, path)[0])
            body = _csv_body_fast(buf, head.body_offset, width, False) \
                if not encoding.startswith("utf-8") else None
            clean = body is not None
            if body is None:
                body = _csv_body_pandas(buf[head.body_offset:].decode("utf-8"), width, path,
                                        head.first_line)
            out = [_csv_rawfile(path, head, body, year, sha.result(), encoding, clean)]
    return out


def _read_csv_utf8(path: Path, data: bytes, year: int | None, sha) -> list[RawFile] | None:
    """The fast path of :func:`read_csv_export`, or ``None`` to take the tolerant one."""
    bom = bom_encoding(data)
    if bom not in (None, "utf-8-sig") or b"\x00" in data[: 1 << 16]:
        return None
    start = 3 if bom else 0
    try:
        head = csv_head(data, start, path, "utf-8")
    except (UnicodeDecodeError, InputFileError):
        return None  # the tolerant path decodes the file and names the problem
    width = len(header_cells(head.rows, head.header, path)[0])
    body = _csv_body_fast(data, head.body_offset, width, True)
    if body is None:
        return None
    return [_csv_rawfile(path, head, body, year, sha.result(),
                         "utf-8-sig" if bom else "utf-8", True)]


def read_export(path: str | Path, year: int | None = None) -> list[RawFile]:
    """Read one export file (one :class:`RawFile` per sheet that holds registry data).

    Args:
        path: an ``.xlsx``/``.xls``/``.csv`` file.
        year: the data year when the file does not say it (``--year``); it overrides a year in
            the file name or title, not a 年度 column.

    Raises:
        InputFileError: the file cannot be read as a person-level registry export.
    """
    path = Path(path)
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ParameterError(both("registry_year_range", year=year, first=YEAR_RANGE[0],
                                  last=YEAR_RANGE[1]))
    if path.is_dir():
        raise InputFileError(path, both("path_is_folder"))
    if not path.is_file():
        raise InputFileError(path, both("no_such_file" if not path.exists() else
                                        "not_regular_file"))
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        out = read_spreadsheet(path, year)
    elif suffix in CSV_SUFFIXES:
        out = read_csv_export(path, year)
    else:
        out = None
    if out is not None:
        origin = next(_READS)
        for raw in out:
            raw.origin = origin
        return out
    raise InputFileError(path, both("unsupported_file_type", suffix=suffix or "(none)"))
