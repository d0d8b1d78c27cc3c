"""``validate(raw)``: every check in one pass, then the typed inputs if nothing is an error."""

from __future__ import annotations

import pandas as pd

from ..book import RawBook
from ..contract.tables import INPUT_TABLES
from ..findings import Report
from ..inputs import Inputs
from .absent import fold_absent_columns
from .checks import CHECKS
from .checks.cells import blank_series
from .checks.settings import detect_lang
from .context import Context


def validate(raw: RawBook, lang: str | None = None) -> tuple[Inputs | None, Report]:
    """Validate a raw workbook. Returns ``(inputs, report)``; ``inputs`` is None when the report has
    errors. Messages are in ``lang`` when given, else in the workbook's ``lang`` setting (default zh).
    Never raises on bad data: whatever a cell holds becomes a finding."""
    own = detect_lang(raw)
    ctx = Context(raw, lang if lang in ("zh", "en") else own, book_lang=own)
    report = Report()
    report.extend(raw.notes)
    found = [f for check in CHECKS for f in check.check(ctx)]
    report.extend(fold_absent_columns(ctx, [*found, *ctx.finish()]))
    if not report.valid:
        return None, report
    return build_inputs(ctx), report


def build_inputs(ctx: Context) -> Inputs:
    tables: dict[str, pd.DataFrame] = {}
    for table in INPUT_TABLES:
        if table.name == "settings":
            continue
        frame = ctx.frames.get(table.name)
        if frame is None:  # an optional table that is not in the workbook: empty, typed columns
            frame = pd.DataFrame({f.key: blank_series(f, 0) for f in table.fields})
            frame["_row"] = pd.Series(dtype="int64")
        tables[table.name] = frame.reset_index(drop=True)
    return Inputs(settings=ctx.settings, tables=tables)
