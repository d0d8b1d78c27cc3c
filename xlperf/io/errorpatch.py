"""A calamine-readable copy of a workbook whose sheet holds Excel 365's newer error values.

python-calamine (0.9) reads only the seven classic error values (#DIV/0! #N/A #NAME? #NULL! #NUM!
#REF! #VALUE!) and refuses a whole sheet with "Unsupported cell error value '#SPILL!'" when a cell
holds any other — #SPILL!, #CALC!, #FIELD!, #BLOCKED!, #CONNECT!, #BUSY!, #UNKNOWN!, #GETTING_DATA,
#PYTHON!, #EXTERNAL!, which dynamic-array formulas, data types and linked data leave in Excel 365.
Such a file is not damaged. The reader then reads that sheet once more from an in-memory copy of the
package in which those cells hold #N/A: calamine reads error cells as blank whatever their code, and
the sheet scan of the original part, which saw the true codes, puts ``CellError("#SPILL!")`` back.

The normal path never pays for this: the copy is made only after calamine refused a sheet for this
reason. The copy streams the sheet in segments (as the scan does) and leaves the other worksheets
out, so a 1 000 000-row sheet costs one more decompression, rewrite and compression, not a second
copy of the whole file's XML in memory.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Collection

from .sheetscan import calamine_errors, segments

# python-calamine's message for such a cell: "Unsupported cell error value '#SPILL!'".
_UNSUPPORTED = "cell error value"


def is_unsupported_error(exc: BaseException) -> bool:
    """Whether calamine refused a sheet only because a cell holds an error value it does not know."""
    return _UNSUPPORTED in str(exc)


def patched_package(zf: zipfile.ZipFile, part: str, drop: Collection[str] = ()) -> io.BytesIO:
    """A copy of the package ``zf`` in memory, with the error cells of the worksheet ``part`` that
    calamine cannot read rewritten to #N/A and the parts in ``drop`` (the other worksheets, which
    calamine opens only when asked for them) left out."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or (name in drop and name != part):
                continue
            with zf.open(info) as src, out.open(name, "w", force_zip64=info.file_size > 2**30) as dst:
                if name == part:
                    for seg, _ in segments(src):
                        dst.write(calamine_errors(seg))
                else:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
    buf.seek(0)
    return buf
