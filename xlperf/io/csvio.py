"""CSV in (``xlperf import``) and CSV/JSON out (``xlperf export``).

In: what other systems and Excel itself export — UTF-8 with or without BOM, GBK/GB18030 (Excel's
"CSV" on a Chinese Windows), UTF-16 with BOM (Excel's "Unicode text", tab-separated); headers as
field keys or either label. Values arrive as text and are typed only where the contract is sure:
number fields take what parses as a number, date fields what looks like an ISO-style date; anything
else stays text, exactly as typed, so validation can report it (and its tolerant parsing can
normalise "95%" or "２０２６/1/5" with an info finding) instead of the import silently guessing.
Id and period columns always stay text ("007" keeps its zeros).

Out: UTF-8 with BOM for files (so Excel on a Chinese Windows opens them without mojibake), plain
text for the terminal; JSON as a list of row objects keyed by field key, dates ISO, NaN → null.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..book import CellError
from ..contract import FieldType, Table, normalise_header
from ..errors import UnusableFileError, UsageError

_DATE_LIKE = re.compile(r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_NUMERIC = (FieldType.NUMBER, FieldType.INTEGER)


def decode_text(raw: bytes, name: str) -> str:
    """Bytes of a text file → str: BOMs first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnusableFileError(
        f"无法读取 CSV 文件“{name}”：编码无法识别（支持 UTF-8、GBK/GB18030、UTF-16）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再试。",
        f"Cannot read the CSV file {name!r}: unknown text encoding (UTF-8, GBK/GB18030 and UTF-16 are "
        "supported). Save it from Excel as 'CSV UTF-8 (Comma delimited)' and retry.")


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def read_csv_table(path: str | Path, table: Table) -> pd.DataFrame:
    """The rows of a CSV file as a frame whose columns are ``table``'s field keys (in the CSV's order).

    Raises UnusableFileError when the file cannot be read or decoded, UsageError when its header
    row names columns the table does not have, names one twice, or lacks a required column.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise UnusableFileError(f"找不到 CSV 文件“{p}”。", f"The CSV file {str(p)!r} does not exist.") from exc
    except OSError as exc:
        raise UnusableFileError(f"无法读取 CSV 文件“{p}”（{exc.strerror or exc}）。",
                                f"Cannot read the CSV file {str(p)!r} ({exc.strerror or exc}).") from exc
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or (not utf16 and b"\x00" in raw[:4096]):
        raise UnusableFileError(
            f"“{p.name}”不是 CSV 文本文件（看起来是 Excel 或其他二进制文件）。请在 Excel 中另存为 CSV 后再导入。",
            f"{p.name!r} is not a CSV text file (it looks like an Excel or other binary file). Save it as CSV "
            "from Excel and import that.")
    text = decode_text(raw, p.name)
    if not text.strip():
        raise UnusableFileError(f"CSV 文件“{p.name}”是空的，至少需要一行表头。",
                                f"The CSV file {p.name!r} is empty; it needs at least a header row.")
    sep = _delimiter(text.lstrip("\ufeff").splitlines()[0])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise UnusableFileError(f"CSV 文件“{p.name}”格式有误，无法解析（{exc}）。",
                                f"The CSV file {p.name!r} is malformed and cannot be parsed ({exc}).") from exc
    keys = _map_headers([str(c) for c in frame.columns], table, p.name)
    frame.columns = pd.Index(keys)
    for key in keys:
        frame[key] = _typed(frame[key], table.field(key).type)
    return frame.reset_index(drop=True)


def _map_headers(headers: list[str], table: Table, name: str) -> list[str]:
    header_map = table.header_map()
    keys: list[str] = []
    unknown: list[str] = []
    for h in headers:
        # pandas names repeated headers "x.1"; blank ones "Unnamed: 3"
        clean = "" if h.startswith("Unnamed: ") else re.sub(r"\.\d+$", "", h) if h not in header_map else h
        key = header_map.get(normalise_header(h)) or header_map.get(normalise_header(clean))
        if key is None:
            unknown.append(clean or "（空）")
        else:
            keys.append(key)
    accepted = "、".join(f"{f.key}/{f.zh}/{f.en}" for f in table.fields)
    accepted_en = ", ".join(f"{f.key} / {f.zh} / {f.en}" for f in table.fields)
    if unknown:
        raise UsageError(
            f"CSV 文件“{name}”的表头“{'、'.join(unknown)}”不是表 {table.name}（{table.zh}）的列。可用的列（字段名/中文/英文）：{accepted}",
            f"The CSV file {name!r} has header(s) {', '.join(map(repr, unknown))} that are not columns of the "
            f"table {table.name} ({table.en}). Accepted (key / Chinese / English): {accepted_en}")
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise UsageError(f"CSV 文件“{name}”中这些列出现了不止一次：{'、'.join(table.field(k).zh for k in dupes)}。",
                         f"The CSV file {name!r} has these columns more than once: "
                         f"{', '.join(table.field(k).en for k in dupes)}.")
    missing = [k for k in table.required if k not in keys]
    if missing:
        raise UsageError(
            f"CSV 文件“{name}”缺少表 {table.name} 的必填列：{'、'.join(table.field(k).zh for k in missing)}。",
            f"The CSV file {name!r} lacks required column(s) of {table.name}: "
            f"{', '.join(table.field(k).en for k in missing)}.")
    return keys


def _typed(col: pd.Series[Any], ftype: FieldType) -> pd.Series[Any]:
    """Text → typed values where the contract is sure; blanks → None; the rest stays as typed."""
    values = col.to_numpy(dtype=object)
    blank = np.asarray(col.str.strip().eq("").to_numpy(), dtype=bool)
    out = values.copy()
    if ftype in _NUMERIC or ftype == FieldType.ANY:
        nums = pd.to_numeric(col.str.strip().where(~blank), errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(nums) & ~blank
        out[ok] = nums[ok]
    elif ftype == FieldType.DATE:
        looks = np.asarray(col.str.match(_DATE_LIKE).to_numpy(), dtype=bool) & ~blank
        if looks.any():
            norm = col[looks].str.strip().str.replace(r"[/.]", "-", regex=True).str.replace("T", " ")
            parsed = pd.to_datetime(norm, format="mixed", errors="coerce")
            good = ~parsed.isna().to_numpy()
            idx = np.flatnonzero(looks)[good]
            out[idx] = np.array(parsed[good].dt.to_pydatetime(), dtype=object)
    out[blank] = None
    return pd.Series(out, index=col.index, dtype=object)


# --- export ---------------------------------------------------------------------------------------

def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with exported spellings: dates ISO (date only at midnight), errors as their code,
    whole numbers without '.0', NaN/None as missing."""
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            out[name] = _iso_dates(col)
            continue
        if col.dtype == object:
            kind = pd.api.types.infer_dtype(col, skipna=True)
            if kind in ("datetime", "datetime64", "date"):
                out[name] = _iso_dates(pd.to_datetime(col, errors="coerce"))
                continue
            if kind not in ("string", "empty", "integer", "boolean"):
                out[name] = col.map(_scalar, na_action="ignore")
                continue
        out[name] = col
    return out


def _iso_dates(col: pd.Series[Any]) -> pd.Series[Any]:
    valid = col.dropna()
    midnight = bool((valid.dt.normalize() == valid).all()) if len(valid) else True
    text = col.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S")
    result: pd.Series[Any] = text.astype(object).where(col.notna(), None)
    return result


def _scalar(v: Any) -> Any:
    if isinstance(v, CellError):
        return v.code
    if isinstance(v, datetime):
        return v.isoformat() if v.time() != time(0) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)  # 95.0 typed in Excel is 95 to every other system
    return v


def frame_to_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str:
    """The frame as CSV text (returned); with ``path`` also written there as UTF-8 with BOM."""
    text = _plain(frame).to_csv(index=False, lineterminator="\n", float_format="%.15g")
    if path is not None:
        Path(path).write_text(text, encoding="utf-8-sig", newline="")
    return text


def frame_to_json(frame: pd.DataFrame) -> str:
    """A JSON list of row objects keyed by column (field key); dates ISO; NaN/None → null."""
    plain = _plain(frame)
    plain.columns = pd.Index([str(c) for c in plain.columns])
    text = plain.to_json(orient="records", force_ascii=False, indent=1, double_precision=15,
                         default_handler=str)
    return text if text is not None else "[]"
