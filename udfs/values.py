"""The values a worksheet function scores, read as validation reads a monitoring value.

A formula such as ``=XP_SCORE(B2:B40, "V01")`` passes what the cells hold. Validation's own parser
reads them (``xlperf.validation.parse``): "95%" and full-width digits are numbers, 是/否 are veto
flags, and the percent rule of ``xlperf.validation.percents`` applies: a percent means its points
unless the indicator's thresholds are fractions.

Percent *cells* (98.5% typed into a cell is 0.985 with a percent format) need the range, not only its
values: ``PercentCells`` is an xlwings converter that, when the argument is a range, reads its values
in one call and its number formats per column (``xlperf.live.formats``), and hands over both as
``Marked``. A constant argument passes through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from xlperf.validation import percents
from xlperf.validation.parse import parse_bool, parse_number

from .arrays import FloatArray, as_2d
from .scoring import ScoreSpec


@dataclass(frozen=True)
class Marked:
    """A range's values with which of its cells are percent-formatted (same 2-D shape)."""

    values: npt.NDArray[Any]
    percent: npt.NDArray[np.bool_]


def spec_refs(spec: ScoreSpec) -> list[float]:
    refs = [spec.floor, spec.target, spec.stretch]
    for lower, upper, _ in spec.bands:
        refs += [np.nan if lower is None else lower, np.nan if upper is None else upper]
    return refs


def read_values(values: Any, spec: ScoreSpec) -> FloatArray:
    """``values`` (any shape; or ``Marked``) as numbers the way validation reads a monitoring value of
    an indicator scored by ``spec``: NaN where validation could not read one."""
    pct: npt.NDArray[np.bool_] | None = None
    if isinstance(values, Marked):
        values, pct = values.values, values.percent
    if isinstance(values, np.ndarray) and values.dtype.kind in "fi" and pct is None and spec.method != "veto":
        return np.asarray(as_2d(values), dtype=np.float64)  # plain numbers: nothing to normalise
    arr = as_2d(values)
    flat = pd.Series(arr.ravel(), dtype=object)
    if spec.method == "veto":
        return np.asarray(parse_bool(flat).values.to_numpy(dtype=np.float64)).reshape(arr.shape)
    p = parse_number(flat)
    cells = np.zeros(arr.size, dtype=bool) if pct is None else np.asarray(pct, dtype=bool).ravel()
    if cells.any():
        typed_number = np.ones(arr.size, dtype=bool) if p.note is None else np.asarray(p.note == "", dtype=bool)
        cells &= typed_number & ~p.blank & ~p.bad & ~p.error
    percents.read(p, cells, percents.are_fractions(spec_refs(spec)))
    return np.asarray(p.values.to_numpy(dtype=np.float64)).reshape(arr.shape)


def marked_from_range(rng: Any) -> Marked:
    """A range's values (one call) and its percent cells (``xlperf.live.formats``: one call per column
    of equal formats)."""
    from xlperf.live.formats import percent_rows

    values = as_2d(rng.options(ndim=2).value)
    mask = np.zeros(values.shape, dtype=bool)
    for j in range(values.shape[1]):
        mask[:, j] = percent_rows(rng.sheet, rng.row, rng.row + values.shape[0] - 1, rng.column + j)[:values.shape[0]]
    return Marked(values, mask)


def percent_cells_reader(ctx: Any) -> None:
    """The xlwings pipeline stage of ``PercentCells``: a range becomes ``Marked``; a constant stays."""
    if ctx.range is not None:
        ctx.value = marked_from_range(ctx.range)


class PercentCells:
    """``@xw.arg("values", PercentCells)``: the range's values and percent cells (see the module).
    xlwings asks a converter only for ``reader(options)``, the pipeline that turns the argument into
    what the function gets."""

    @classmethod
    def reader(cls, options: Any) -> Any:
        from xlwings.conversion.framework import Pipeline

        pipeline: Any = Pipeline()
        return pipeline.append_stage(percent_cells_reader)
