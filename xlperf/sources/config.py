"""The sources table (数据来源配置) as checked specs: what each kind needs, named by its row."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pandas as pd

from ..errors import XlperfError


class SourceError(XlperfError):
    """One source could not be pulled; the message names its row of 数据来源配置. Nothing is written."""

    exit_code = 1


@dataclass(frozen=True)
class SourceSpec:
    source_id: str
    kind: str  # csv | excel | parquet | sql
    location: str
    query: str
    date_col: str
    vendor_col: str
    worker_col: str
    indicator_col: str
    value_col: str
    indicator_id: str
    secret_env: str
    row: int  # the Excel row of the sources table this spec came from

    def where(self, lang: str) -> str:
        """How messages name the source: its id and its row."""
        return (f"数据来源配置第 {self.row} 行（{self.source_id}）" if lang == "zh"
                else f"Sources row {self.row} ({self.source_id})")

    def fail(self, zh: str, en: str) -> SourceError:
        return SourceError(f"{self.where('zh')}：{zh}", f"{self.where('en')}: {en}")

    def password(self) -> str | None:
        """The password from the environment variable ``secret_env`` names (never from the workbook)."""
        if not self.secret_env:
            return None
        value = os.environ.get(self.secret_env)
        if value is None:
            raise self.fail(f"环境变量 {self.secret_env} 未设置（它应保存数据库密码）。",
                            f"the environment variable {self.secret_env} is not set (it should hold the password).")
        return value


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def parse_sources(frame: pd.DataFrame | None, only: str | None = None) -> list[SourceSpec]:
    """The enabled sources (or the one named ``only``, enabled or not), each checked for what its kind needs."""
    if frame is None or frame.empty:
        raise SourceError("工作簿没有数据来源：请在“数据来源配置”表中填写至少一行。",
                          "The workbook has no sources: fill at least one row of the Sources table.")
    specs: list[SourceSpec] = []
    for rec in frame.to_dict("records"):  # a handful of rows: configuration, not data
        enabled = rec.get("enabled")
        spec = SourceSpec(
            source_id=_text(rec.get("source_id")), kind=_text(rec.get("kind")).lower(),
            location=_text(rec.get("location")), query=_text(rec.get("query")), date_col=_text(rec.get("date_col")),
            vendor_col=_text(rec.get("vendor_col")), worker_col=_text(rec.get("worker_col")),
            indicator_col=_text(rec.get("indicator_col")), value_col=_text(rec.get("value_col")),
            indicator_id=_text(rec.get("indicator_id")), secret_env=_text(rec.get("secret_env")),
            row=int(rec.get("_row") or 0))
        if only is not None and spec.source_id != only:
            continue
        if only is None and enabled is not None and not pd.isna(enabled) and not bool(enabled):
            continue
        specs.append(check_spec(spec))
    if only is not None and not specs:
        ids = "、".join(_text(x) for x in frame["source_id"]) if "source_id" in frame else ""
        raise SourceError(f"没有编号为 {only} 的数据来源。已有：{ids}",
                          f"There is no source {only!r}. Sources: {ids.replace('、', ', ')}")
    if not specs:
        raise SourceError("没有启用的数据来源（“启用”列都为否）。", "No source is enabled (every Enabled cell is No).")
    return specs


def check_spec(spec: SourceSpec) -> SourceSpec:
    if spec.kind not in ("csv", "excel", "parquet", "sql"):
        raise spec.fail(f"类型“{spec.kind}”不可用，应为 csv、excel、parquet 或 sql。",
                        f"kind {spec.kind!r} is not one of csv, excel, parquet, sql.")
    if not spec.indicator_col and not spec.indicator_id:
        raise spec.fail("请填写“指标列”或“固定指标”之一。", "fill either the indicator column or the fixed indicator.")
    if not spec.worker_col and not spec.vendor_col:
        raise spec.fail("请填写“人员列”或“供应商列”。", "fill the worker column or the vendor column.")
    if spec.kind != "sql" and spec.query:
        _check_file_filter(spec)
    if spec.kind == "sql":
        if not spec.query:
            raise spec.fail("sql 来源须在“表或查询”中填写表名或 SELECT 语句。",
                            "an sql source needs a table name or a SELECT in Table or query.")
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(spec.location)
        except ArgumentError as exc:
            raise spec.fail(f"“位置”不是可用的数据库连接串：{spec.location}",
                            f"the location is not a database URL: {spec.location}") from exc
        if url.password:
            # the workbook travels (vendors, e-mail): a password in it is a leak waiting to happen
            raise spec.fail("连接串中含有密码。请删去密码，把它放在环境变量中并在“密码环境变量”填写变量名。",
                            "the URL holds a password. Remove it, put it in an environment variable and name that "
                            "variable in Password variable.")
    return spec


# A file source's filter is one condition on its own columns, run by DuckDB inside this process: no
# second statement, no subquery, and none of DuckDB's calls that read, write or load anything else
# (a workbook that travels must not make a pull read /etc/passwd or write a file).
_QUOTED = re.compile(r"'(?:[^']|'')*'")
_FORBIDDEN = re.compile(r";|--|/\*|\b(?:select|from|copy|attach|detach|install|load|pragma|set|export|import|"
                        r"call|create|insert|update|delete|drop|alter)\b|\b(?:read_\w+|glob|sniff_csv|"
                        r"parquet_\w+|getenv|query\w*)\s*\(", re.IGNORECASE)


def _check_file_filter(spec: SourceSpec) -> None:
    bare = _QUOTED.sub("''", spec.query)  # words inside string literals are data, not SQL
    hit = _FORBIDDEN.search(bare)
    if hit:
        raise spec.fail(f"“表或查询”中的筛选条件只能是对本来源各列的条件（如 值 >= 0 AND 类型 = '投诉'），"
                        f"不能含“{hit.group(0).strip()}”。",
                        f"the filter in Table or query may only be a condition on this source's columns "
                        f"(e.g. val >= 0 AND kind = 'complaint'), not {hit.group(0).strip()!r}.")
