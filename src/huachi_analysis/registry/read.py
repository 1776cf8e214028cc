"""Read registry exports as they come: ``.xlsx``/``.xls`` (python-calamine) and ``.csv`` in
UTF-8, UTF-8 with BOM or GB18030/GBK (detected).

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
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from huachi_analysis.errors import InputFileError
from huachi_analysis.io import sha256_bytes
from huachi_analysis.registry.headers import (
    MEMBER_FIELDS,
    REQUIRED_FIELDS,
    canonical_field,
    standard_header,
)

#: How many rows from the top may hold titles before the header row.
HEADER_SEARCH_ROWS = 30
#: A header row names at least this many known columns.
MIN_HEADER_FIELDS = 3
#: Whitespace trimmed from every cell: ASCII, full-width (U+3000) and no-break spaces.
WHITESPACE = " \t\r\n\u3000\xa0\ufeff"
#: Data years a registry export can have.
YEAR_RANGE = (2010, 2035)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
SYNTHETIC_TITLE_MARKS = ("合成数据", "synthetic")


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

    @property
    def rows_read(self) -> int:
        return len(self.frame)


# --- encodings ---------------------------------------------------------------------------

def decode_csv_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Return ``(encoding, text)``: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 when
    charset-normalizer sees Chinese legacy encoding. Raises :class:`InputFileError` on a file
    that mixes encodings or is in none of them."""
    if data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    else:
        enc = "utf-8"
    try:
        return enc, data.decode(enc)
    except UnicodeDecodeError as exc:
        if enc == "utf-16":
            raise InputFileError(path, f"not valid UTF-16 text ({exc.reason})") from None
        bad_at = exc.start
    head = data[:bad_at]
    line_no = head.count(b"\n") + 1
    if any(b >= 0x80 for b in head):
        # Valid UTF-8 Chinese before the first byte that is not: two encodings in one file.
        raise InputFileError(
            path, "the file mixes encodings: UTF-8 text up to here, then bytes that are not "
            "UTF-8 (probably GBK/GB18030). Save the whole file in one encoding (UTF-8).",
            row=line_no)
    from charset_normalizer import from_bytes

    guess = from_bytes(data[: 1 << 16]).best()
    candidates = ["gb18030"]
    if guess is not None and guess.encoding not in ("gb18030", "gb2312", "gbk", "hz"):
        candidates.append(guess.encoding)
    for cand in candidates:
        try:
            text = data.decode(cand)
        except (UnicodeDecodeError, LookupError):
            continue
        if cand == "gb18030" or re.search(r"[\u4e00-\u9fff]", text[:4000]):
            return cand, text
    raise InputFileError(path, "cannot tell the text encoding; expected UTF-8, UTF-8 with BOM "
                         "or GB18030/GBK")


# --- header detection ----------------------------------------------------------------------

def _row_fields(cells: list[object]) -> dict[int, str]:
    found: dict[int, str] = {}
    seen: set[str] = set()
    for i, c in enumerate(cells):
        f = canonical_field(c) if c not in (None, "") else None
        if f and f not in seen:
            found[i] = f
            seen.add(f)
    return found


def find_header(rows: list[list[object]]) -> int | None:
    """Index of the header row among the first rows, or ``None``."""
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = set(_row_fields(cells).values())
        if len(found) >= MIN_HEADER_FIELDS and found & {"household_id", "township", "id_number"}:
            return i
    return None


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _title_text(rows: list[list[object]]) -> str:
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
        raise InputFileError(
            path, "this looks like a household-level export (one row per household): it has no "
            "member column (姓名, 证件号码, 人编号 or 与户主关系). huachi ingests the person-level "
            "export (贫困人口信息, one row per household member).", row=header_row)
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    if missing:
        raise InputFileError(
            path, "required column(s) missing: "
            + ", ".join(f"{standard_header(f)} ({f})" for f in missing)
            + "; the header row has: " + ", ".join(headers.values()), row=header_row)
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
        raise InputFileError(path, "cannot tell the data year: the file has no 年度 column and "
                             "neither its name nor its title names a year; pass --year YYYY")
    return RawFile(path=path, source_file=source_file, frame=frame, excel_rows=rows,
                   headers=headers, unknown_columns=unknown, header_row=header_row, title=title,
                   year=file_year, year_source=year_source,
                   is_synthetic=is_synthetic_source(path.name, title), sha256=sha,
                   encoding=encoding, skipped=skipped)


def read_spreadsheet(path: Path, year: int | None = None) -> list[RawFile]:
    """Every sheet of a workbook that has a registry header row."""
    from python_calamine import CalamineWorkbook

    data = path.read_bytes()
    if not data:
        raise InputFileError(path, "the file is empty")
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wb.sheet_names
        sheets = [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in names]
    except Exception as exc:  # calamine raises several error types for broken files
        raise InputFileError(path, f"not a readable Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]}); is it truncated or another kind of file?") from None
    sha = sha256_bytes(data)
    found = []
    for name, rows in sheets:
        h = find_header(rows)
        if h is not None:
            found.append((name, rows, h))
    if not found:
        raise InputFileError(
            path, f"no registry header row in the first {HEADER_SEARCH_ROWS} rows of any sheet "
            f"(sheets: {', '.join(names) or 'none'}); expected headers such as 乡(镇), 行政村, "
            "户编号, 证件号码")
    out = []
    for name, rows, h in found:
        width = len(rows[h])
        body = pd.DataFrame(rows[h + 1:], dtype=object) if len(rows) > h + 1 else \
            pd.DataFrame(columns=range(width), dtype=object)
        src = path.name if len(found) == 1 else f"{path.name}#{name}"
        out.append(_finish(path, src, rows[h], body, first_row=h + 2, header_row=h + 1,
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


def _skip_lines(buf: bytes, start: int, lines: int) -> int | None:
    """Offset after ``lines`` line breaks from ``start`` (``None`` if the data ends first)."""
    pos = start
    for _ in range(lines):
        pos = buf.find(b"\n", pos) + 1
        if pos == 0:
            return None
    return pos


def _csv_body_pandas(text: str, h: int, width: int, path: Path) -> pd.DataFrame:
    """Data rows below header row ``h`` read by pandas' tolerant C reader (blank lines kept so
    that row numbers stay those of the file)."""
    spare = 64  # extra columns, so that a row longer than the header is seen, not cut
    try:
        df = pd.read_csv(io.StringIO(text), skiprows=h + 1, header=None,
                         names=range(width + spare), dtype="str", keep_default_na=False,
                         na_values=[""], skip_blank_lines=False, index_col=False)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        row = int(m.group(1)) if m else None  # pandas counts the skipped lines too
        raise InputFileError(path, f"a row has far more cells than the header ({width} "
                             "columns)", row=row) from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=range(width), dtype="str")
    extra = df.iloc[:, width:].notna().any(axis=1).to_numpy()
    if extra.any():
        i = int(extra.nonzero()[0][0])
        raise InputFileError(path, f"the row has more cells than the header ({width} columns); "
                             "a comma inside a cell must be quoted", row=h + 2 + i)
    return df.iloc[:, :width]


def _header_of(path: Path, head_lines: list[str]) -> tuple[int, list[list[str]]]:
    head_rows = [next(csv.reader([line.rstrip("\r")]), []) for line in head_lines]
    h = find_header(head_rows)
    if h is None:
        raise InputFileError(
            path, f"no registry header row in the first {HEADER_SEARCH_ROWS} lines; expected "
            "headers such as 乡(镇), 行政村, 户编号, 证件号码")
    return h, head_rows


def read_csv_export(path: Path, year: int | None = None) -> list[RawFile]:
    """A CSV export in any of the accepted encodings.

    UTF-8 (with or without BOM) is handed to Arrow's CSV reader as bytes, which checks that
    every cell is UTF-8; a file it cannot read that way (another encoding, mixed encodings,
    blank lines, ragged rows) is decoded and read by the tolerant path, which names the
    problem."""
    from concurrent.futures import ThreadPoolExecutor

    data = path.read_bytes()
    if not data or data.isspace():
        raise InputFileError(path, "the file is empty")
    with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: overlap it with parsing
        sha = pool.submit(sha256_bytes, data)
        out = _read_csv_utf8(path, data, year, sha)
        if out is None:
            encoding, text = decode_csv_bytes(data, path)
            text = text.lstrip("\ufeff")
            head_lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
            h, head_rows = _header_of(path, head_lines)
            header_cells = head_rows[h]
            width = len(header_cells)
            body, clean = None, False
            if not encoding.startswith("utf-8"):
                buf = text.encode("utf-8")
                pos = _skip_lines(buf, 0, h + 1)
                body = None if pos is None else _csv_body_fast(buf, pos, width, False)
                clean = body is not None
            if body is None:
                body = _csv_body_pandas(text, h, width, path)
            out = [_finish(path, path.name, header_cells, body, first_row=h + 2,
                           header_row=h + 1, title=_title_text(head_rows[:h]), year=year,
                           sha=sha.result(), encoding=encoding, clean=clean)]
    return out


def _read_csv_utf8(path: Path, data: bytes, year: int | None, sha) -> list[RawFile] | None:
    """The fast path of :func:`read_csv_export`, or ``None`` to take the tolerant one."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    start = 3 if bom else 0
    end = _skip_lines(data, start, HEADER_SEARCH_ROWS)
    try:
        head = data[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    head_lines = head.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    h, head_rows = _header_of(path, head_lines)
    header_cells = head_rows[h]
    pos = _skip_lines(data, start, h + 1)
    if pos is None:
        return None
    body = _csv_body_fast(data, pos, len(header_cells), True)
    if body is None:
        return None
    return [_finish(path, path.name, header_cells, body, first_row=h + 2, header_row=h + 1,
                    title=_title_text(head_rows[:h]), year=year, sha=sha.result(),
                    encoding="utf-8-sig" if bom else "utf-8", clean=True)]


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
    if not path.is_file():
        raise InputFileError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(path, year)
    if suffix in CSV_SUFFIXES:
        return read_csv_export(path, year)
    raise InputFileError(path, f"unsupported file type {suffix or '(none)'}; expected .xlsx, "
                         ".xls or .csv")
