"""Partial aggregates: what every kind of source returns, and the 监控记录 rows made from them.

A source returns one row per (period, vendor, worker, indicator) group with the pieces every
aggregation can be combined from: ``nrec`` (records), ``n`` (records with a value), ``s`` (sum),
``lo``/``hi`` (min/max), ``d`` (the latest record's date and time) and ``last`` (the value of the
latest record by its full timestamp; on an exact tie the largest value). Written to 监控记录 as one row
with ``count`` = n and ``date`` = the day of d, the engine combines them with HR's rows exactly as if the
raw records had been typed below HR's rows in time order (a sheet date is a day; of one day's rows the
lower is the later):

    sum: Σ value        count: Σ count         max / min: of values       veto: max
    mean: Σ value·count / Σ count               last: the latest date's value (HR's row wins a tie)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..contract.choices import SOURCES
from .config import SourceError, SourceSpec

PARTIAL_COLUMNS = ("p", "v", "w", "i", "nrec", "n", "s", "lo", "hi", "d", "last", "bad", "bad_example",
                   "bad_date", "bad_date_example")


@dataclass
class Pulled:
    """One source's rows for 监控记录 and what was noticed on the way (said, not fatal)."""

    spec: SourceSpec
    rows: pd.DataFrame
    records: int  # raw records the rows stand for
    notes: list[str] = field(default_factory=list)


def aggregation_of(ind: pd.DataFrame) -> dict[str, str]:
    """Each indicator's aggregation as the engine applies it (veto: max; blank: mean)."""
    agg = ind["aggregation"].where(ind["aggregation"].notna(), "mean").astype(str).to_numpy(dtype=object)
    agg = np.where(ind["method"].to_numpy(dtype=object) == "veto", "max", agg)
    return dict(zip(ind["indicator_id"].astype(str), agg.tolist()))


def _example(frame: pd.DataFrame, mask: np.ndarray, col: str) -> tuple[int, str]:
    """Raw records behind the masked groups, and one id among them (the most frequent)."""
    if not mask.any():
        return 0, ""
    sub = frame.loc[mask]
    per_id = sub.groupby(col, sort=False)["nrec"].sum().sort_values(ascending=False, kind="stable")
    return int(sub["nrec"].sum()), str(per_id.index[0])


def to_rows(spec: SourceSpec, parts: pd.DataFrame, ind: pd.DataFrame, workers: pd.DataFrame,
            vendors: pd.DataFrame, lang: str) -> Pulled:
    """The 监控记录 rows of one source; a SourceError listing every problem when the data is unusable."""
    problems: list[tuple[str, str]] = []
    notes: list[str] = []
    bad = int(parts["bad"].sum()) if len(parts) else 0
    if bad:
        ex = parts.loc[parts["bad"] > 0, "bad_example"].dropna()
        example = ex.iloc[0] if len(ex) else ""
        problems.append((f"数值列 {spec.value_col} 有 {bad} 条记录不是数字（如 {example}）",
                         f"value column {spec.value_col} has {bad} record(s) that are not numbers (e.g. {example})"))
    bad_date = int(parts["bad_date"].sum()) if len(parts) else 0
    if bad_date:
        ex = parts.loc[parts["bad_date"] > 0, "bad_date_example"].dropna()
        example = ex.iloc[0] if len(ex) else ""
        problems.append((f"日期列 {spec.date_col} 有 {bad_date} 条记录不是日期（如 {example}）",
                         f"date column {spec.date_col} has {bad_date} record(s) that are not dates (e.g. {example})"))
    parts = parts[parts["p"].notna()].copy()
    if spec.indicator_id:
        parts["i"] = spec.indicator_id
    for col in ("v", "w", "i"):
        parts[col] = parts[col].where(parts[col].notna(), "").astype(str).str.strip()
    known_ind = set(ind["indicator_id"].astype(str))
    level = dict(zip(ind["indicator_id"].astype(str), ind["level"].astype(str)))
    unknown = ~parts["i"].isin(known_ind).to_numpy(dtype=bool)
    n_unk, example = _example(parts, unknown, "i")
    if n_unk:
        problems.append((f"未知指标编号：{n_unk} 条原始记录（如 {example}）",
                         f"unknown indicator id: {n_unk} raw record(s) (e.g. {example})"))
    worker_vendor = dict(zip(workers["worker_id"].astype(str), workers["vendor_id"].astype(str)))
    has_worker = (parts["w"] != "").to_numpy(dtype=bool)
    if spec.worker_col:
        unk_w = has_worker & ~parts["w"].isin(set(worker_vendor)).to_numpy(dtype=bool)
        n_unk, example = _example(parts, unk_w, "w")
        if n_unk:
            problems.append((f"未知人员编号：{n_unk} 条原始记录（如 {example}）",
                             f"unknown worker id: {n_unk} raw record(s) (e.g. {example})"))
    per_worker = parts["i"].map(level).eq("worker").to_numpy(dtype=bool)
    no_worker = per_worker & ~has_worker
    n_nw, example = _example(parts, no_worker, "i")
    if n_nw:
        problems.append((f"人员级指标 {example} 有 {n_nw} 条原始记录没有人员编号",
                         f"{n_nw} raw record(s) of the worker-level indicator {example} have no worker id"))
    if not spec.vendor_col:  # the worker's vendor, as the workers table files it
        parts["v"] = parts["w"].map(worker_vendor).fillna("")
    else:
        unk_v = ~parts["v"].isin(set(vendors["vendor_id"].astype(str))).to_numpy(dtype=bool)
        n_unk, example = _example(parts, unk_v & (parts["v"] != "").to_numpy(dtype=bool), "v")
        if n_unk:
            problems.append((f"未知供应商编号：{n_unk} 条原始记录（如 {example}）",
                             f"unknown vendor id: {n_unk} raw record(s) (e.g. {example})"))
        no_v = (parts["v"] == "").to_numpy(dtype=bool) & ~per_worker
        if no_v.any():
            problems.append((f"{int(parts.loc[no_v, 'nrec'].sum())} 条原始记录没有供应商编号",
                             f"{int(parts.loc[no_v, 'nrec'].sum())} raw record(s) have no vendor id"))
    if problems:
        raise SourceError(f"{spec.where('zh')}：" + "；".join(p[0] for p in problems) + "。",
                          f"{spec.where('en')}: " + "; ".join(p[1] for p in problems) + ".")
    empty = (parts["n"] <= 0).to_numpy(dtype=bool)
    if empty.any():
        k = int(parts.loc[empty, "nrec"].sum())
        notes.append(f"{spec.where(lang)}：" + (f"{k} 条记录没有数值，未计入" if lang == "zh"
                                                 else f"{k} record(s) without a value were left out"))
        parts = parts[~empty]
    rows = _rows(spec, parts, aggregation_of(ind), lang)
    return Pulled(spec, rows, int(parts["n"].sum()), notes)


def _rows(spec: SourceSpec, parts: pd.DataFrame, agg_of: dict[str, str], lang: str) -> pd.DataFrame:
    agg = parts["i"].map(agg_of).fillna("mean").to_numpy(dtype=object)
    n = parts["n"].to_numpy(dtype=np.float64)
    s = parts["s"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.select(
            [agg == "sum", agg == "count", agg == "max", agg == "min", agg == "last"],
            [s, n, parts["hi"].to_numpy(np.float64), parts["lo"].to_numpy(np.float64),
             parts["last"].to_numpy(np.float64)],
            default=s / n)
    # a sheet date is a day (validation keeps the day): the latest record's day
    dates = pd.to_datetime(parts["d"], errors="coerce", format="mixed").dt.normalize()
    word = SOURCES.word("online", lang)
    note = (f"由数据来源 {spec.source_id} 汇总" if lang == "zh" else f"pulled from source {spec.source_id}")
    out = pd.DataFrame({
        "date": dates.to_numpy(),
        "period_id": parts["p"].astype(str).to_numpy(dtype=object),
        "vendor_id": parts["v"].to_numpy(dtype=object),
        "worker_id": parts["w"].where(parts["w"] != "", None).to_numpy(dtype=object),
        "indicator_id": parts["i"].to_numpy(dtype=object),
        "value": value,
        "source": word,
        "recorder": "xlperf",
        "note": note,
        "count": n.astype(np.int64),
        "pulled_from": spec.source_id,
    })
    # a stable order (period, vendor, worker, indicator): pull twice, same sheet
    return out.sort_values(["period_id", "vendor_id", "worker_id", "indicator_id"], kind="stable",
                           na_position="first").reset_index(drop=True)
