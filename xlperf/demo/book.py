"""Write a workbook from the template plus table frames (the demo, benchmark books, test fixtures)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import WriteError

# Up to this many data rows in all, the whole book is built in memory with openpyxl (one deterministic
# pass, same code as the template). Larger books start from the template file and replace each table's
# rows with the package-level writer, which streams rows without loading the workbook.
OPENPYXL_MAX_ROWS = 60_000


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
    (field-key columns; tables not given keep the template's default rows)."""
    from ..excel.template import build_template_bytes, template_path

    path = Path(path)
    n_rows = sum(len(frame) for frame in tables.values())
    replace = _replace_table_rows()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if n_rows <= OPENPYXL_MAX_ROWS or replace is None:
            path.write_bytes(build_template_bytes(lang, data=tables))
            return path
        source = template_path(lang)
        if source.is_file():
            shutil.copyfile(source, path)
        else:
            path.write_bytes(build_template_bytes(lang))
    except OSError as exc:
        raise WriteError(f"无法写入 {path}：{exc.strerror or exc}", f"Could not write {path}: {exc.strerror or exc}") from exc
    for name, frame in tables.items():
        replace(path, name, frame, backup=False)
    return path
