"""The XP_* worksheet functions (xlwings UDFs, Windows Excel).

Each takes whole ranges and returns a whole array, which Excel with dynamic arrays spills; the work is
one vectorised call into ``udfs.scoring`` (the engine's methods), never a Python loop over cells.

Names are the Excel names because xlwings' generated VBA calls ``CallUDF("udfs", "XP_SCORE", ...)`` and
looks the function up by that name in this package. Argument hints are ``Any`` on purpose: xlwings
turns a parameter's annotation into its converter, and only a few types (Any, float, str, np.ndarray,
...) are converters; ranges are asked for as 2-D numpy arrays with ``xw.arg``. An argument called
``caller`` is hidden from Excel and receives the calling cell (used to read the workbook's tables).
Errors come back as one short text in both languages, never a traceback in a cell.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import xlwings as xw

from xlperf.book import RawBook
from xlperf.contract.choices import MISSING_POLICIES

from .arrays import given, numbers, scalar, scalar_number, spill, texts
from .lookup import LookupError_, bands_from_array, indicator_spec
from .lookup import grade_table as workbook_grade_table
from .scoring import (
    ScoreSpec,
    bonus_for,
    check_method,
    explain_values,
    grade_for,
    grade_frame,
    score_values,
    weighted_total,
)
from .values import PercentCells, read_values

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(f: F) -> F:
    """Turn a bad argument into a one-line message in the cell instead of xlwings' traceback text."""

    @functools.wraps(f)
    def inner(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except LookupError_ as exc:
            return f"#XP: {exc}"
        except ValueError as exc:
            return f"#XP: 参数无效 / invalid argument: {exc}"

    return inner  # type: ignore[return-value]


# A recalculation evaluates every XP_SCORE(..., "W01") cell separately; within this many seconds they
# share one read of the small lookup tables instead of each reading them again.
CACHE_SECONDS = 3.0
_cache: dict[tuple[str, tuple[str, ...]], tuple[float, RawBook]] = {}


def caller_book(caller: Any, tables: Sequence[str]) -> RawBook:
    """The named tables of the workbook the formula sits in (live: through xlwings), cached briefly."""
    if caller is None:
        raise LookupError_("无法读取本工作簿的表：请直接给出参数 / cannot read this workbook's tables: "
                           "pass the parameters explicitly")
    from xlperf.live.xwbook import XwBook

    xl_book = caller.sheet.book
    key = (str(xl_book.fullname), tuple(tables))
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    book: RawBook = XwBook(xl_book).read_tables(tables)
    _cache[key] = (now, book)
    return book


def resolve_spec(method: Any, params: dict[str, Any], bands: Any, book: Callable[[], RawBook]) -> ScoreSpec:
    """Explicit method + parameters, or an indicator id of the workbook (whose parameters the explicit
    ones override)."""
    name = str(texts(method).ravel()[0]) if method is not None else ""
    if not name:
        raise ValueError("method")
    given_bands = bands_from_array(bands) if given(bands) else None
    try:
        spec = ScoreSpec(check_method(name))
    except ValueError:
        spec = indicator_spec(book(), name)
    spec = spec.overridden(**params)
    if given_bands is not None:
        spec = spec.overridden(bands=given_bands)
    return spec


def _params(floor: Any, target: Any, stretch: Any, cap: Any, direction: Any, per_unit: Any,
            scale: Any) -> dict[str, Any]:
    d = scalar(direction)
    return {
        "floor": scalar_number(floor), "target": scalar_number(target), "stretch": scalar_number(stretch),
        "cap": scalar_number(cap), "per_unit": scalar_number(per_unit), "scale": scalar_number(scale),
        "direction": str(d).strip().lower() if d is not None else None,
    }


def _values_for(spec: ScoreSpec, values: Any) -> np.ndarray[Any, Any]:
    """The values as validation reads a monitoring value of this indicator (udfs.values)."""
    return read_values(values, spec)


@xw.func
@xw.arg("values", PercentCells)  # values and percent formats (98.5% typed is 0.985): see udfs.values
@xw.arg("bands", np.array, ndim=2)
@_friendly
def XP_SCORE(values: Any, method: Any, floor: Any = None, target: Any = None, stretch: Any = None,
             cap: Any = None, direction: Any = None, per_unit: Any = None, scale: Any = None,
             bands: Any = None, caller: Any = None) -> Any:
    """Points for every value of a range: XP_SCORE(values, method or indicator id, [parameters])."""
    spec = resolve_spec(method, _params(floor, target, stretch, cap, direction, per_unit, scale), bands,
                        lambda: caller_book(caller, ("indicators", "bands")))
    return spill(score_values(_values_for(spec, values), spec))


@xw.func
@xw.arg("values", PercentCells)
@xw.arg("bands", np.array, ndim=2)
@_friendly
def XP_EXPLAIN(values: Any, method: Any, floor: Any = None, target: Any = None, stretch: Any = None,
               cap: Any = None, direction: Any = None, per_unit: Any = None, scale: Any = None,
               bands: Any = None, lang: Any = None, caller: Any = None) -> Any:
    """How each value becomes its points, as a sentence (same arguments as XP_SCORE, plus lang)."""
    spec = resolve_spec(method, _params(floor, target, stretch, cap, direction, per_unit, scale), bands,
                        lambda: caller_book(caller, ("indicators", "bands")))
    language = "en" if str(scalar(lang, "zh")).strip().lower().startswith("en") else "zh"
    return spill(explain_values(_values_for(spec, values), spec, language))


@xw.func
@xw.arg("scores", np.array, ndim=2)
@xw.arg("weights", np.array, ndim=2)
@_friendly
def XP_TOTAL(scores: Any, weights: Any, missing_policy: Any = None) -> Any:
    """Weighted total per row of a score range: XP_TOTAL(scores, weights, [renormalize|zero|exclude])."""
    s = numbers(scores)
    w = numbers(weights).ravel()
    if w.size != s.shape[1]:
        if s.shape[1] == 1 and w.size == s.shape[0]:
            s = s.reshape(1, -1)  # one subject's scores given as a column
        else:
            raise ValueError(f"{w.size} weights for {s.shape[1]} score columns")
    typed = str(scalar(missing_policy, "renormalize"))
    policy = MISSING_POLICIES.parse(typed)  # the key or the word of 参数设置's dropdown (重新分配权重)
    if policy is None:
        raise ValueError(typed)
    return spill(weighted_total(s, w, policy).reshape(-1, 1))


@xw.func
@xw.arg("totals", np.array, ndim=2)
@xw.arg("grade_table", np.array, ndim=2)
@_friendly
def XP_GRADE(totals: Any, grade_table: Any = None, mode: Any = None, caller: Any = None) -> Any:
    """Grade of each total by the thresholds of 等级与激励 (or a given grade range); mode "forced" grades
    by rank among the given totals with the grade quotas."""
    table = (grade_frame(grade_table) if given(grade_table)
             else workbook_grade_table(caller_book(caller, ("grades",))))
    how = str(scalar(mode, "absolute")).strip().lower()
    if how not in ("absolute", "forced"):
        raise ValueError(how)
    return spill(grade_for(numbers(totals), table, how))


@xw.func
@xw.arg("grades_or_totals", np.array, ndim=2)
@xw.arg("base_bonus", np.array, ndim=2)
@xw.arg("grade_table", np.array, ndim=2)
@_friendly
def XP_BONUS(grades_or_totals: Any, base_bonus: Any, grade_table: Any = None, caller: Any = None) -> Any:
    """Bonus = base bonus × the grade's coefficient; grades given as letters or as totals."""
    table = (grade_frame(grade_table) if given(grade_table)
             else workbook_grade_table(caller_book(caller, ("grades",))))
    letters = texts(grades_or_totals)
    as_numbers = numbers(grades_or_totals)
    graded = grade_for(as_numbers, table)
    grades = np.where(np.isnan(as_numbers), letters, graded)  # letters as given, numbers graded first
    return spill(bonus_for(grades, numbers(base_bonus), table))


UDFS: tuple[Callable[..., Any], ...] = (XP_SCORE, XP_TOTAL, XP_GRADE, XP_EXPLAIN, XP_BONUS)
