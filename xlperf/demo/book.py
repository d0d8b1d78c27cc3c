"""Write a workbook from the template plus table frames (the demo, benchmark books, test fixtures)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import WriteError

# Tables up to this many rows are written by openpyxl while the sheets are built (one deterministic pass,
# the template's own code); bigger ones by the package-level writer, which is much faster per row.
OPENPYXL_MAX_ROWS = 10_000


def _replace_table_rows() -> Callable[..., Any] | None:
    import importlib

    try:  # the package-level writer (xlperf.io.writer) may not be installed in this build yet
        writer = importlib.import_module("xlperf.io.writer")
    except ImportError:
        return None
    func: Callable[..., Any] | None = getattr(writer, "replace_table_rows", None)
    return func


def build_book(path: Path | str, lang: str, tables: Mapping[str, pd.DataFrame]) -> Path:
    """Write ``path`` (.xlsm): the template with each given table's rows replaced by its frame
    (field-key columns; tables not given keep the template's default rows).

    Small tables go into the one openpyxl pass that builds the sheets; each table above
    ``OPENPYXL_MAX_ROWS`` rows is then written by the package-level writer (smallest first), which
    streams the rows into the existing package without loading it."""
    from ..excel.template import build_template_bytes

    path = Path(path)
    replace = _replace_table_rows()
    big = {name: frame for name, frame in tables.items() if len(frame) > OPENPYXL_MAX_ROWS} if replace else {}
    small = {name: frame for name, frame in tables.items() if name not in big}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build_template_bytes(lang, data=small))
    except OSError as exc:
        raise WriteError(f"无法写入 {path}：{exc.strerror or exc}", f"Could not write {path}: {exc.strerror or exc}") from exc
    if replace is not None:
        for name, frame in sorted(big.items(), key=lambda item: len(item[1])):
            replace(path, name, frame, backup=False)
    return path
