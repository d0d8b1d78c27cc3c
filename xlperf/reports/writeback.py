"""Writing the feedback sheets and the summary sheet into the workbook, through the lossless writer.

Only xlperf's own sheets change (``Package.put_sheet`` refuses any sheet xlperf did not create). Before
a feedback sheet is replaced, its interview record is read back, so what HR typed survives.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..engine.results import Results
from ..i18n import pick
from ..inputs import Inputs
from ..io.package import Package
from . import charts, layout
from .bookparts import (
    SheetGrid,
    book_prototype,
    put_sheet_with_charts,
    read_grid,
    rendered_sheet_xml,
    shared_strings,
)
from .feedback import feedback_data, related_periods, split_by_vendor, vendors_with_results
from .fill import Rendered, interview_from_grid, render
from .summary import build_summary


def dimension_chart(rendered: Rendered, cats: list[str], values: list[float], lang: str) -> bytes:
    rows = rendered.dim_rows
    spec = charts.ChartSpec(
        pick(lang, "维度得分", "Dimension scores"), cats,
        [charts.Series(pick(lang, "得分", "Score"), [float(v) for v in values],
                       charts.col_ref(rendered.name, rendered.dim_val_col, *rows) if rows else None)],
        cat_ref=charts.col_ref(rendered.name, rendered.dim_cat_col, *rows) if rows else None)
    return charts.chart_xml(spec)


def _sheet_xml(rendered: Rendered, styles: dict[tuple[int, int], int], grid: SheetGrid, rid: str | None,
               *, landscape: bool = False, lang: str = "zh") -> bytes:
    return rendered_sheet_xml(rendered, styles, grid, rid, landscape=landscape, lang=lang)


def write_reports(pkg: Package, inputs: Inputs, results: Results, period: str, lang: str = "zh",
                  vendors: list[str] | None = None, *, summary: bool = True,
                  generated: str | None = None) -> list[str]:
    """Put one feedback sheet per vendor (and the summary sheet) for ``period`` into ``pkg``.

    Returns the sheet names written. The caller saves ``pkg`` (atomically).
    """
    proto, grid = book_prototype(pkg, lang)
    strings = shared_strings(pkg)
    written: list[str] = []
    mine = split_by_vendor(results, related_periods(inputs, results, period))
    for vendor_id in vendors or vendors_with_results(results, period):
        data = feedback_data(inputs, mine.get(vendor_id, results), vendor_id, period, lang, generated=generated)
        name = layout.feedback_sheet_name(vendor_id, period, lang)
        old = read_grid(pkg, name, strings)
        interview: dict[str, Any] = interview_from_grid(proto, old.values) if old is not None else {}
        rendered = render(proto, data, name, lang, interview)
        cats, values = data.chart
        chart_parts = ([(dimension_chart(rendered, cats, values, lang), rendered.chart_box)]
                       if cats and rendered.chart_box else [])
        put_sheet_with_charts(pkg, name, partial(_sheet_xml, rendered, proto.styles, grid, lang=lang), chart_parts)
        if rendered.title_rows:
            pkg.set_print_titles(name, *rendered.title_rows)
        written.append(name)
    if summary:
        written.append(write_summary(pkg, inputs, results, period, lang))
    return written


def write_summary(pkg: Package, inputs: Inputs, results: Results, period: str, lang: str = "zh") -> str:
    """Put the internal summary sheet (绩效汇总) for ``period`` into ``pkg``; returns its name."""
    proto, grid = book_prototype(pkg, lang)
    sheet = build_summary(inputs, results, period, proto, lang)
    put_sheet_with_charts(pkg, sheet.rendered.name,
                          partial(_sheet_xml, sheet.rendered, proto.styles, grid, landscape=True, lang=lang),
                          sheet.charts)
    if sheet.rendered.title_rows:
        pkg.set_print_titles(sheet.rendered.name, *sheet.rendered.title_rows)
    return sheet.rendered.name


def read_interview(pkg: Package, vendor_id: str, period: str, lang: str = "zh") -> dict[str, Any]:
    """The interview record typed into an existing feedback sheet (empty if there is none)."""
    proto, _ = book_prototype(pkg, lang)
    old = read_grid(pkg, layout.feedback_sheet_name(vendor_id, period, lang))
    return interview_from_grid(proto, old.values) if old is not None else {}
