"""Bounded reading of workbooks (registry/xlsx_guard.py): what calamine would allocate is
checked before it sees a sheet; stray empty cells are dropped, stray values refused."""

from __future__ import annotations

import io
import re

import pytest

from badinputs import export_xlsx, valid_rows
from hostile import _append_rows, _in_row, _patch_sheet
from huachi_analysis.errors import InputFileError
from huachi_analysis.registry import xlsx_guard as g


@pytest.fixture
def book(tmp_path):
    return export_xlsx(tmp_path / "e_2016.xlsx", valid_rows(3, seed=71))


def _sheet(data: bytes):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)


def test_a_normal_workbook_passes_unchanged(book):
    data = book.read_bytes()
    assert g.guard_workbook(data, book) is data


def test_empty_far_cells_are_dropped(book):
    _patch_sheet(book, _in_row(3, b'<c r="XFD3" t="inlineStr"><is><t></t></is></c>'))
    _patch_sheet(book, _append_rows(b'<row r="200000"><c r="A200000"><f>1+1</f></c></row>'))
    data = book.read_bytes()
    safe = g.guard_workbook(data, book)
    assert safe is not data
    s = _sheet(safe)
    assert s.width <= 28 and s.height < 20


@pytest.mark.parametrize("cells", [
    b'<row r="90"><c r="XFD90"><v>1</v></c></row>',  # a value beyond the column cap
    b'<row r="90">' + b"<c><v>1</v></c>" * 300 + b"</row>",  # cells without a reference
    b'<row r="90"><!-- a comment --><c r="ZZZ90"><v>1</v></c></row>',  # after a comment
    b'<row r="3000000"><c r="A3000000"><v>1</v></c></row>',  # far below: sparse
])
def test_far_values_are_refused(book, cells):
    _patch_sheet(book, _append_rows(cells))
    with pytest.raises(InputFileError, match="as far as cell"):
        g.guard_workbook(book.read_bytes(), book)


def test_namespace_prefixed_cells_are_seen(book):
    def prefix(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet ", b'<x:worksheet xmlns:x="http://schemas.openxmlformats'
                          b'.org/spreadsheetml/2006/main" ', 1)
        return re.sub(rb"<(/?)(sheetData|row|c|v|is|t)\b", rb"<\1x:\2", xml)

    _patch_sheet(book, _append_rows(b'<row r="90"><c r="XFD90"><v>1</v></c></row>'))
    _patch_sheet(book, prefix)
    with pytest.raises(InputFileError, match="as far as cell"):
        g.guard_workbook(book.read_bytes(), book)


def test_a_sheet_larger_than_any_export_is_refused(book, monkeypatch):
    monkeypatch.setattr(g, "MAX_SHEET_XML", 2000)
    with pytest.raises(InputFileError, match="unpacks to"):
        g.guard_workbook(book.read_bytes(), book)


def test_greater_than_regex():
    for n in (0, 7, 9, 10, 99, 100, 1009, 123456, 1048576):
        r = re.compile(g._greater_than(n))
        for k in list(range(0, 2000)) + [n - 1, n, n + 1, 10 * n + 5, 1048577]:
            if k >= 0:
                assert bool(r.fullmatch(str(k).encode())) == (k > n), (n, k)
