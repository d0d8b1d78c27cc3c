"""An input table's data rows rewritten whole in the open workbook (xlperf pull into 监控记录).

One read of the ListObject (header and body), one write of the new body, one write of blanks over
rows it no longer needs, then the ListObject resized; on any failure the old cells are written back.
Frame columns are matched to the table's headers by field key or label (a column HR added keeps its
header text), as the file engine's replace_table_rows does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ..contract import TABLES_BY_NAME, normalise_header
from ..contract.schema import column_spellings
from ..errors import WriteError

if TYPE_CHECKING:
    import xlwings as xw


def replace_list_rows(book: xw.Book, table_name: str, frame: pd.DataFrame, keep: int = 0) -> None:
    """Every data row after the first ``keep`` replaced by ``frame``'s rows."""
    from .xwbook import _find_table, to_rows

    found = [(s, lo) for s in book.sheets if (lo := _find_table(s, table_name)) is not None]
    if not found:
        raise WriteError(f"工作簿中找不到表格 {table_name}。", f"The workbook has no table {table_name}.")
    sheet, lo = found[0]
    rng = lo.range
    top, left = rng.row, rng.column
    old: list[list[Any]] = rng.options(ndim=2).value  # header + body, one call
    headers = ["" if h is None else str(h) for h in old[0]]
    ncols, n_old = len(headers), len(old) - 1
    spell = column_spellings(TABLES_BY_NAME.get(table_name), frame.columns)
    cols = [spell.get(normalise_header(h)) for h in headers]
    unused = [str(c) for c in frame.columns if str(c) not in cols]
    if unused:
        raise WriteError(f"表格“{table_name}”中没有这些列：{', '.join(unused)}。",
                         f"Table {table_name!r} has no column(s): {', '.join(unused)}.")
    aligned = pd.DataFrame({j: (frame[c] if c is not None else pd.Series([None] * len(frame), index=frame.index,
                                                                           dtype=object))
                            for j, c in enumerate(cols)})
    body = to_rows(aligned.reset_index(drop=True))
    keep = min(max(keep, 0), n_old)
    n_new = keep + len(body)  # data rows after the write
    try:
        if n_old > n_new:
            sheet.range((top + 1 + n_new, left), (top + n_old, left + ncols - 1)).value = \
                [[None] * ncols for _ in range(n_old - n_new)]
        if body:
            sheet.range((top + 1 + keep, left)).value = body
        lo.resize(sheet.range((top, left), (top + max(n_new, 1), left + ncols - 1)))
    except Exception as exc:
        try:  # put the old cells back; the table's size with them
            if n_new > n_old:
                sheet.range((top + 1 + n_old, left), (top + n_new, left + ncols - 1)).value = \
                    [[None] * ncols for _ in range(n_new - n_old)]
            sheet.range((top, left)).value = old
            lo.resize(sheet.range((top, left), (top + max(n_old, 1), left + ncols - 1)))
        except Exception:  # noqa: BLE001, S110 (best effort: the write error below is what the user hears)
            pass
        raise WriteError(f"写入“{table_name}”时出错，已尽量恢复原内容。详情：{exc}",
                         f"Writing {table_name!r} failed; the old rows were put back where possible. Details: {exc}"
                         ) from exc
