"""The floor: the fastest available read of the input tables plus a raw write of the same output rows.

    python -m benchmarks.floor BOOK OUTPUTS.pkl OUT

Reads every input table with fastexcel (Rust, Arrow), then writes the rows xlperf wrote (pickled by
the harness beforehand, outside the timing) as plain worksheet XML into a copy of the package whose
other members' compressed bytes are copied as they are. The rows are rendered by Arrow string kernels
and deflated (level 1) on two threads — the fastest write we know, the same technique as xlperf's
writer, minus styles, tables and formatting — so the floor stays a floor. No validation, no
scoring: the least any tool must pay to move these bytes.
"""

from __future__ import annotations

import pickle
import sys
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from xlperf.book import col_letter


def read_inputs(book: Path) -> int:
    import fastexcel

    reader = fastexcel.read_excel(str(book))
    rows = 0
    for name in reader.table_names():
        rows += len(reader.load_table(name).to_pandas())
    return rows


def _cells(values: pd.Series, letter: str, rows: pa.Array) -> pa.Array:
    """Plain ``<c>`` elements of one column (no styles), '' for a blank, by Arrow kernels."""
    kind = "floating" if pd.api.types.is_float_dtype(values.dtype) else pd.api.types.infer_dtype(values, skipna=True)
    if kind == "boolean":
        flags = pa.array(values.to_numpy(dtype=object), type=pa.bool_(), from_pandas=True)
        tail = pc.if_else(flags, '" t="b"><v>1</v></c>', '" t="b"><v>0</v></c>')
    elif kind in ("floating", "integer", "mixed-integer-float", "empty"):
        num = pc.cast(pa.array(values.to_numpy(dtype=np.float64, na_value=np.nan), from_pandas=True), pa.string())
        tail = pc.binary_join_element_wise('"><v>', num, "</v></c>", "")
    else:
        objs = values.to_numpy(dtype=object)
        if kind != "string":  # a mixed column: everything but blanks as text
            objs = np.array([v if isinstance(v, str) or pd.isna(v) else str(v) for v in objs], dtype=object)
        text = pa.array(objs, type=pa.string(), from_pandas=True)
        for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, a, b)
        tail = pc.binary_join_element_wise('" t="inlineStr"><is><t>', text, "</t></is></c>", "")
    return pc.fill_null(pc.binary_join_element_wise(f'<c r="{letter}', rows, tail, ""), "")


def _rows(part: pd.DataFrame, first: int) -> bytes:
    rows = pc.cast(pa.array(np.arange(first, first + len(part))), pa.string())
    cols = [_cells(part.iloc[:, j], col_letter(j), rows) for j in range(part.shape[1])]
    joined = pc.binary_join_element_wise('<row r="', rows, '">', *cols, "</row>", "")
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32)
    return bytes(memoryview(joined.buffers()[2])[offsets[0]:offsets[len(joined)]])


def sheet_xml(frame: pd.DataFrame, chunk_rows: int = 20_000) -> Iterator[bytes | Callable[[], bytes]]:
    """The sheet as chunks: rows rendered by Arrow kernels, deflated on two threads by the writer."""
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1">' + "".join(f'<c t="inlineStr"><is><t>{escape(str(c))}</t></is></c>' for c in frame.columns)
           + "</row>").encode("utf-8")
    for start in range(0, len(frame), chunk_rows):
        # each chunk's own copy: pandas objects are not shared with the writer's threads
        part = frame.iloc[start:start + chunk_rows].reset_index(drop=True).copy()
        yield partial(_rows, part, start + 2)
    yield b"</sheetData></worksheet>"


def write_outputs(book: Path, outputs: dict[str, pd.DataFrame], out: Path) -> None:
    from xlperf.io.zipwrite import RawZipWriter

    source = book.read_bytes()
    with zipfile.ZipFile(book) as src, out.open("wb") as fh:
        dst = RawZipWriter(fh)
        for info in src.infolist():
            dst.copy_raw(source, info)  # other members: compressed bytes copied as they are
        for i, frame in enumerate(outputs.values(), start=1):
            dst.write_stream(f"xl/worksheets/floor{i}.xml", sheet_xml(frame), level=1)
        dst.close()


def main(argv: list[str]) -> int:
    book, pkl, out = Path(argv[0]), Path(argv[1]), Path(argv[2])
    read_inputs(book)
    outputs = pickle.loads(pkl.read_bytes())
    write_outputs(book, outputs, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
