"""Indicator and grade parameters taken from the workbook's own tables (考核指标, 分档标准, 等级与激励).

Works on a ``RawBook`` (what any BookEngine reads), so the same code serves the live workbook (the UDF's
calling workbook through xlwings) and a file in tests. Only the few rows of these small tables are
looked at; the values HR typed are read the same way validation reads them (headers by label or key).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from xlperf.book import RawBook, RawTable
from xlperf.contract import TABLES_BY_NAME, normalise_header
from xlperf.contract.choices import DIRECTIONS, METHODS

from .arrays import numbers, texts
from .scoring import GRADE_COLUMNS, ScoreSpec, grade_frame


class LookupError_(ValueError):
    """A name the formula refers to is not in the workbook's tables (message in both languages)."""


def keyed(table: RawTable) -> pd.DataFrame:
    """The table's data with field-key column names (unknown headers dropped)."""
    header_map = TABLES_BY_NAME[table.name].header_map()
    keys = [header_map.get(normalise_header(h)) for h in table.headers]
    frame = table.data.copy()
    frame.columns = [k or f"_col{j}" for j, k in enumerate(keys)]
    return frame[[k for k in keys if k]]


def _num(value: Any) -> float:
    v = numbers(value).ravel()
    return float(v[0]) if v.size else math.nan


def _text(value: Any) -> str:
    return str(texts(value).ravel()[0]) if value is not None else ""


def indicator_spec(raw: RawBook, indicator_id: str) -> ScoreSpec:
    table = raw.tables.get("indicators")
    if table is None:
        raise LookupError_("工作簿中没有“考核指标”表 / the workbook has no Indicators table")
    frame = keyed(table)
    ids = pd.Series(texts(frame["indicator_id"].to_numpy()).ravel())
    hit = frame.loc[(ids == indicator_id.strip()).to_numpy()]
    if hit.empty:
        raise LookupError_(f"没有指标 {indicator_id} / no indicator {indicator_id}")
    row = hit.iloc[0]

    def get(key: str) -> Any:
        return row[key] if key in row.index else None

    # A zh workbook stores its dropdowns' words (线性, 越低越好): read them as the keys they stand for.
    method = METHODS.parse(_text(get("method"))) or _text(get("method")).lower()
    band_set = _text(get("band_set"))
    return ScoreSpec(
        method=method,
        direction=DIRECTIONS.parse(_text(get("direction"))) or _text(get("direction")).lower() or "higher",
        floor=_num(get("floor")), target=_num(get("target")), stretch=_num(get("stretch")),
        cap=_num(get("cap")), per_unit=_num(get("per_unit")), scale=_num(get("scale")),
        bands=band_rows(raw, band_set) if method == "bands" else (),
        name=_text(get("name")),
    )


def band_rows(raw: RawBook, band_set: str) -> tuple[tuple[float | None, float | None, float], ...]:
    table = raw.tables.get("bands")
    if table is None or not band_set:
        raise LookupError_(f"找不到分档表 {band_set} / band set {band_set} not found")
    frame = keyed(table)
    sets = pd.Series(texts(frame["band_set"].to_numpy()).ravel())
    rows = frame.loc[(sets == band_set).to_numpy()]
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
    table = raw.tables.get("grades")
    if table is None:
        raise LookupError_("工作簿中没有“等级与激励”表 / the workbook has no Grades table")
    frame = keyed(table).reindex(columns=list(GRADE_COLUMNS))
    return grade_frame(frame.to_numpy(dtype=object))
