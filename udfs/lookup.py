"""Indicator and grade parameters taken from the workbook's own tables (考核指标, 分档标准, 等级与激励).

Works on a ``RawBook`` (what any BookEngine reads), so the same code serves the live workbook (the UDF's
calling workbook through xlwings) and a file in tests. The tables are read by validation itself
(``xlperf.validation.typed_tables``): headers by label or key, choices through their Chinese words and
aliases (线性, 越低越好), full-width digits, percent cells and "95%" text, exactly as the engine gets
them. There is no second reading of what HR typed here.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import pandas as pd

from xlperf.book import RawBook
from xlperf.validation import typed_tables

from .arrays import numbers
from .scoring import GRADE_COLUMNS, ScoreSpec, grade_frame


class LookupError_(ValueError):
    """A name the formula refers to is not in the workbook's tables (message in both languages)."""


def _num(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _id(text: str) -> str:
    """An id as validation cleans ids (NFKC, stripped): ＷＯ１ typed in a formula finds W01."""
    return unicodedata.normalize("NFKC", text).strip()


def indicator_spec(raw: RawBook, indicator_id: str) -> ScoreSpec:
    frames = typed_tables(raw, ("indicators", "bands"))
    frame = frames.get("indicators")
    if frame is None:
        raise LookupError_("工作簿中没有“考核指标”表 / the workbook has no Indicators table")
    hit = frame.loc[(frame["indicator_id"] == _id(indicator_id)).to_numpy(dtype=bool)]
    if hit.empty:
        raise LookupError_(f"没有指标 {indicator_id} / no indicator {indicator_id}")
    row = hit.iloc[0]
    method = _text(row["method"])
    if not method:
        raise LookupError_(f"指标 {indicator_id} 的计分方法无效，请先校验工作簿 / indicator {indicator_id} has no "
                           "valid scoring method: validate the workbook")
    band_set = _text(row["band_set"])
    return ScoreSpec(
        method=method,
        direction=_text(row["direction"]),  # blank: the contract default, filled by validation
        floor=_num(row["floor"]), target=_num(row["target"]), stretch=_num(row["stretch"]),
        cap=_num(row["cap"]), per_unit=_num(row["per_unit"]), scale=_num(row["scale"]),
        bands=_band_rows(frames.get("bands"), band_set) if method == "bands" else (),
        name=_text(row["name"]),
    )


def band_rows(raw: RawBook, band_set: str) -> tuple[tuple[float | None, float | None, float], ...]:
    return _band_rows(typed_tables(raw, ("bands",)).get("bands"), band_set)


def _band_rows(frame: pd.DataFrame | None, band_set: str) -> tuple[tuple[float | None, float | None, float], ...]:
    if frame is None or not band_set:
        raise LookupError_(f"找不到分档表 {band_set} / band set {band_set} not found")
    rows = frame.loc[(frame["band_set"] == band_set).to_numpy(dtype=bool)]
    if rows.empty:
        raise LookupError_(f"找不到分档表 {band_set} / band set {band_set} not found")
    return bands_from_array(rows[["lower", "upper", "score"]].to_numpy(dtype=object))


def bands_from_array(values: Any) -> tuple[tuple[float | None, float | None, float], ...]:
    """A lower / upper / score range (3 columns, blank bound = open) as the engine's band tuples."""
    arr = numbers(values)
    if arr.shape[1] < 3:
        raise LookupError_("分档区域需要 3 列：下限、上限、得分 / bands need 3 columns: lower, upper, score")
    out = []
    for lower, upper, score in arr[:, :3].tolist():
        if math.isnan(score):
            continue
        out.append((None if math.isnan(lower) else lower, None if math.isnan(upper) else upper, score))
    return tuple(out)


def grade_table(raw: RawBook) -> pd.DataFrame:
    """The workbook's 等级与激励 table as the engine's grades frame."""
    frame = typed_tables(raw, ("grades",)).get("grades")
    if frame is None:
        raise LookupError_("工作簿中没有“等级与激励”表 / the workbook has no Grades table")
    return grade_frame(frame.reindex(columns=list(GRADE_COLUMNS)).to_numpy(dtype=object))
