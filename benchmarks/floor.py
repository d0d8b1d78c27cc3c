"""The floor: the fastest available read of the input tables plus a raw write of the same output rows.

    python -m benchmarks.floor BOOK OUTPUTS.pkl OUT

Reads every input table with fastexcel (Rust, Arrow), then writes the rows xlperf wrote (pickled by
the harness beforehand, outside the timing) as plain worksheet XML built with string formatting into a
copy of the package whose other members' compressed bytes are copied as they are (deflate level 1 for
the new ones). No validation, no scoring: the least any tool must pay to move these bytes.
"""

from __future__ import annotations

import math
import pickle
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd


def read_inputs(book: Path) -> int:
    import fastexcel

    reader = fastexcel.read_excel(str(book))
    rows = 0
    for name in reader.table_names():
        rows += len(reader.load_table(name).to_pandas())
    return rows


def sheet_xml(frame: pd.DataFrame) -> bytes:
    parts = [('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')]
    cols = list(frame.columns)
    parts.append("<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(str(c))}</t></is></c>' for c in cols) + "</row>")
    for rec in frame.itertuples(index=False, name=None):
        cells = []
        for v in rec:
            if isinstance(v, float):
                if not math.isnan(v):
                    cells.append(f"<c><v>{v!r}</v></c>")
                else:
                    cells.append("<c/>")
            elif isinstance(v, (int,)) and not isinstance(v, bool):
                cells.append(f"<c><v>{v}</v></c>")
            elif v is None:
                cells.append("<c/>")
            else:
                cells.append(f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        parts.append("<row>" + "".join(cells) + "</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def write_outputs(book: Path, outputs: dict[str, pd.DataFrame], out: Path) -> None:
    from xlperf.io.zipwrite import RawZipWriter

    source = book.read_bytes()
    with zipfile.ZipFile(book) as src, out.open("wb") as fh:
        dst = RawZipWriter(fh)
        for info in src.infolist():
            dst.copy_raw(source, info)  # other members: compressed bytes copied as they are
        for i, frame in enumerate(outputs.values(), start=1):
            dst.write(f"xl/worksheets/floor{i}.xml", sheet_xml(frame), level=1)
        dst.close()


def main(argv: list[str]) -> int:
    book, pkl, out = Path(argv[0]), Path(argv[1]), Path(argv[2])
    read_inputs(book)
    outputs = pickle.loads(pkl.read_bytes())
    write_outputs(book, outputs, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
