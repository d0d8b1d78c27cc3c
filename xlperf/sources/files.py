"""csv, excel and parquet sources, grouped by DuckDB (embedded, in-process) where the files are.

Parquet and CSV are scanned by DuckDB itself (in parallel, reading only the columns named); an Excel
export is read by calamine into Arrow and handed to DuckDB, which groups it the same way. GBK text
files are re-encoded to UTF-8 in a temporary folder first (DuckDB reads UTF-8).
"""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from .aggsql import duckdb_sql
from .config import SourceSpec
from .partials import PARTIAL_COLUMNS
from .windows import Window

NUMERIC = {"DOUBLE", "FLOAT", "REAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT",
           "UINTEGER", "USMALLINT", "UTINYINT"}
EXTENSIONS = {"csv": (".csv", ".txt", ".tsv"), "parquet": (".parquet", ".parq", ".pq"),
              "excel": (".xlsx", ".xlsm", ".xls", ".xlsb")}


def resolve_files(spec: SourceSpec, base: Path | None) -> list[Path]:
    """The files a location names: a file, a folder (its files of the kind) or a glob; relative to the book."""
    loc = os.path.expandvars(os.path.expanduser(spec.location))
    path = Path(loc)
    if not path.is_absolute() and base is not None:
        path = base / path
    if any(ch in loc for ch in "*?["):
        files = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
    elif path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS[spec.kind])
    else:
        files = [path] if path.is_file() else []
    if not files:
        raise spec.fail(f"找不到文件：{path}", f"no file found at {path}")
    return files


def _is_utf8(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(1 << 16)
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample is not evidence


def _utf8_copies(files: list[Path], tmp: Path) -> list[Path]:
    out = []
    for k, f in enumerate(files):
        if _is_utf8(f):
            out.append(f)
            continue
        target = tmp / f"{k}.csv"
        with f.open("r", encoding="gb18030", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 22):
                dst.write(chunk)
        out.append(target)
    return out


def _excel_frame(spec: SourceSpec, files: list[Path]) -> Any:
    """Every file's first sheet as text columns (ids keep their digits; DuckDB casts what it needs)."""
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    frames = []
    for f in files:
        try:
            wb = CalamineWorkbook.from_path(str(f))
            rows = wb.get_sheet_by_index(0).to_python()
        except Exception as exc:  # calamine's own errors: a damaged or protected export
            raise spec.fail(f"无法读取 Excel 文件 {f.name}：{exc}", f"cannot read the Excel file {f.name}: {exc}") from exc
        if not rows:
            continue
        header = [str(h).strip() for h in rows[0]]
        frames.append(pd.DataFrame(rows[1:], columns=header, dtype=object))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def as_text(v: object) -> str | None:
        if v is None or v == "":
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "isoformat"):
            return str(v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat())
        return str(v)

    return pa.table({c: pa.array([as_text(v) for v in frame[c].tolist()], pa.string()) for c in frame.columns})


def match_columns(spec: SourceSpec, available: list[str]) -> dict[str, str | None]:
    """d/v/w/i/x → the source's own column names (matched ignoring case); a missing column is named."""
    by_lower = {c.lower(): c for c in available}
    wanted = {"d": spec.date_col, "v": spec.vendor_col, "w": spec.worker_col, "i": spec.indicator_col,
              "x": spec.value_col}
    out: dict[str, str | None] = {}
    missing = []
    for key, name in wanted.items():
        if not name:
            out[key] = None
        elif name.lower() in by_lower:
            out[key] = by_lower[name.lower()]
        else:
            missing.append(name)
    if missing:
        shown = "、".join(available[:30])
        raise spec.fail(f"数据中没有列 {'、'.join(missing)}。现有列：{shown}",
                        f"the data has no column {', '.join(missing)}. Its columns: {shown.replace('、', ', ')}")
    return out


def pull_files(spec: SourceSpec, wins: list[Window], base: Path | None, *, with_last: bool = True,
               threads: int | None = None, memory_limit: str = "1GB") -> pd.DataFrame:
    """The partial aggregates of a csv/excel/parquet source (PARTIAL_COLUMNS)."""
    import duckdb

    files = resolve_files(spec, base)
    con = duckdb.connect(config={"memory_limit": memory_limit, **({"threads": threads} if threads else {})})
    try:
        with tempfile.TemporaryDirectory(prefix="xlperf-pull-") as tmp:
            names = [str(f) for f in files]
            typed = False
            if spec.kind == "parquet":
                rel = con.read_parquet(names, union_by_name=True) if len(names) > 1 else con.read_parquet(names[0])
            elif spec.kind == "csv":
                names = [str(f) for f in _utf8_copies(files, Path(tmp))]
                rel = con.read_csv(names if len(names) > 1 else names[0], header=True, all_varchar=True,
                                   union_by_name=len(names) > 1)
            else:
                table = _excel_frame(spec, files)
                rel = con.from_arrow(table)
            rel.create_view("src")
            cols = match_columns(spec, list(rel.columns))
            typed_values = False
            if spec.kind == "parquet":  # the file's own types: no text to check
                types = dict(zip(rel.columns, (str(t).upper() for t in rel.types)))
                typed = types.get(cols["d"] or "", "").startswith(("DATE", "TIMESTAMP"))
                typed_values = types.get(cols["x"] or "", "") in NUMERIC
            sql = duckdb_sql(cols, wins, spec.query, typed_dates=typed, typed_values=typed_values, with_last=with_last)
            frame = con.execute(sql).df()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise spec.fail(f"读取或汇总失败：{first}", f"reading or grouping failed: {first}") from exc
    finally:
        con.close()
    return frame[list(PARTIAL_COLUMNS)]
