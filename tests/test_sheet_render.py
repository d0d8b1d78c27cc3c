"""Vectorised cell rendering (Arrow kernels) and parallel deflate against their per-value references.

The whole-column renderer (``sheetxml.column_tails`` → ``arrowcells``) must give, cell for cell, what
the per-value function ``cell_xml`` gives (numbers may be spelled differently — ``100`` for
``100.0`` — but must read back as the same double); the parallel deflate in ``zipwrite`` must give a
member any unzip reads back byte for byte, with the right CRC.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from xlperf.book import CellError, col_letter
from xlperf.io.sheetxml import CellStyles, cell_xml, render_rows
from xlperf.io.zipwrite import RawZipWriter, crc32_combine

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WRAP = b'<sheetData xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sheetData>'


def chunk_bytes(frame: pd.DataFrame, styles: list[CellStyles], first_row: int = 2, chunk_rows: int = 7) -> bytes:
    return b"".join(c if isinstance(c, bytes) else c()
                    for c in render_rows(frame, styles, first_row, chunk_rows=chunk_rows))


def cells_of(xml: bytes) -> dict[str, tuple[str | None, str | None, str | None, str | None]]:
    """ref → (s, t, value text, xml:space) for every cell of rendered rows that holds a value
    (a blank may be written as an empty element, holding only its column's style)."""
    root = etree.fromstring(WRAP % xml)
    out = {}
    for c in root.iter(f"{NS}c"):
        if len(c) == 0:
            continue
        v = c.find(f"{NS}v")
        t = c.find(f"{NS}is/{NS}t")
        text = v.text if v is not None else (t.text if t is not None else None)
        space = t.get("{http://www.w3.org/XML/1998/namespace}space") if t is not None else None
        out[c.get("r")] = (c.get("s"), c.get("t"), text, space)
    return out


def reference(frame: pd.DataFrame, styles: list[CellStyles], first_row: int = 2) -> bytes:
    rows = []
    for i in range(len(frame)):
        r = first_row + i
        cells = "".join(cell_xml(f"{col_letter(j)}{r}", frame.iat[i, j], st.base, st.date, st.datetime)
                        for j, st in enumerate(styles))
        rows.append(f'<row r="{r}">{cells}</row>')
    return "".join(rows).encode("utf-8")


def assert_same_cells(got: bytes, want: bytes) -> None:
    g, w = cells_of(got), cells_of(want)
    assert g.keys() == w.keys()
    for ref, (s, t, text, space) in w.items():
        gs, gt, gtext, gspace = g[ref]
        assert (gs, gt, gspace) == (s, t, space), ref
        if t is None and text is not None:  # a number: the same double, however spelled
            assert float(gtext or "nan") == float(text), ref
        else:
            assert gtext == text, ref


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", " 前后空格 ", "\u3000全角", "a&b<c>d", "_x0041_", "tab\tin", "ctl\x01x", "\x1c", "末尾\n", "W00001", "'"])
FLOAT = st.floats(allow_nan=True, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXT | st.none(), min_size=1, max_size=30), data=st.data())
def test_every_column_kind_renders_as_the_per_value_path(texts: list[str | None], data: st.DataObject) -> None:
    n = len(texts)
    floats = data.draw(st.lists(FLOAT, min_size=n, max_size=n))
    ints = data.draw(st.lists(st.integers(-(2**53), 2**53), min_size=n, max_size=n))
    bools = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    mixed = data.draw(st.lists(st.none() | TEXT | FLOAT | st.booleans() | st.integers(-10**6, 10**6)
                               | st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31))
                               | st.sampled_from([CellError("#N/A"), math.inf, dt.datetime(2026, 7, 1, 9, 30)]),
                               min_size=n, max_size=n))
    frame = pd.DataFrame({0: pd.Series(texts, dtype=object), 1: np.array(floats, dtype=np.float64),
                          2: np.array(ints, dtype=np.int64), 3: np.array(bools), 4: pd.Series(mixed, dtype=object)})
    styles = [CellStyles(0), CellStyles(5), CellStyles(0), CellStyles(3), CellStyles(2, 7, 8)]
    assert_same_cells(chunk_bytes(frame, styles), reference(frame, styles))


def test_worked_example_of_rendered_cells() -> None:
    frame = pd.DataFrame({0: ["V001", " x", "a&b", None], 1: [97.5, 100.0, np.nan, 1e20],
                          2: [True, False, True, False]})
    xml = chunk_bytes(frame, [CellStyles(0), CellStyles(32), CellStyles(0)], chunk_rows=2).decode()
    assert xml.startswith('<row r="2"><c r="A2" t="inlineStr"><is><t>V001</t></is></c>'
                          '<c r="B2" s="32"><v>97.5</v></c><c r="C2" t="b"><v>1</v></c></row>'
                          '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve"> x</t></is></c>'
                          '<c r="B3" s="32"><v>100</v></c>')
    assert ('<row r="4"><c r="A4" t="inlineStr"><is><t>a&amp;b</t></is></c><c r="B4" s="32"/>'
            '<c r="C4" t="b"><v>1</v></c></row>') in xml
    assert xml.endswith('<row r="5"><c r="A5"/><c r="B5" s="32"><v>1e+20</v></c><c r="C5" t="b"><v>0</v></c></row>')


def test_repeated_text_is_rendered_once_per_distinct_value_with_the_same_cells() -> None:
    # 3 distinct values over 40 rows take the dictionary path; the cells are as the per-value path's
    values = pd.Series(["V001", " 前", None, "a<b"] * 10, dtype=object)
    frame = pd.DataFrame({0: values})
    got = chunk_bytes(frame, [CellStyles(4)], chunk_rows=9)
    assert_same_cells(got, reference(frame, [CellStyles(4)]))
    assert b'<c r="A4" s="4"/>' in got and b'<c r="A5" s="4" t="inlineStr"><is><t>a&lt;b</t>' in got


def test_datetime_column_takes_the_date_or_datetime_style() -> None:
    days = pd.Series(pd.to_datetime(["2026-07-01", None, "2026-07-31"]))
    times = pd.Series(pd.to_datetime(["2026-07-01 12:00", "2026-07-02 00:00"]))
    got = cells_of(chunk_bytes(pd.DataFrame({0: days}), [CellStyles(1, 7, 8)]))
    assert got == {"A2": ("7", None, "46204", None), "A4": ("7", None, "46234", None)}
    got = cells_of(chunk_bytes(pd.DataFrame({0: times}), [CellStyles(1, 7, 8)]))
    assert got == {"A2": ("8", None, "46204.5", None), "A3": ("8", None, "46205", None)}


@settings(max_examples=50, deadline=None)
@given(a=st.binary(max_size=300), b=st.binary(max_size=3000))
def test_crc32_combine_equals_crc_of_the_concatenation(a: bytes, b: bytes) -> None:
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_deferred_chunks_make_one_member_any_unzip_reads() -> None:
    rng = np.random.default_rng(7)
    pieces = [rng.integers(0, 50, size=int(rng.integers(0, 40_000)), dtype=np.uint8).tobytes() for _ in range(23)]
    stream = [p if i % 3 == 0 else (lambda p=p: p) for i, p in enumerate(pieces)]
    buf = io.BytesIO()
    w = RawZipWriter(buf)
    w.write_stream("xl/worksheets/sheet1.xml", stream, level=1)
    w.write_stream("empty.xml", [], level=1)
    w.close()
    with zipfile.ZipFile(buf) as zf:
        assert zf.testzip() is None  # every CRC checks
        assert zf.read("xl/worksheets/sheet1.xml") == b"".join(pieces)
        assert zf.read("empty.xml") == b""
    again = io.BytesIO()
    w = RawZipWriter(again)
    w.write_stream("xl/worksheets/sheet1.xml", stream, level=1)
    w.write_stream("empty.xml", [], level=1)
    w.close()
    assert again.getvalue() == buf.getvalue()  # chunk boundaries, not thread timing, decide the bytes


def test_a_failing_chunk_stops_the_member() -> None:
    def boom() -> bytes:
        raise RuntimeError("render failed")

    w = RawZipWriter(io.BytesIO())
    with pytest.raises(RuntimeError, match="render failed"):
        w.write_stream("s.xml", [b"<a>", boom, lambda: b"</a>"], level=1)
