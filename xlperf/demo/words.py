"""The demo's tables as HR would type them into a workbook of ``lang``: every choice as the word the
workbook's dropdown offers (线性, 供应商, 开放 in Chinese; the keys in English), and 参数设置 by each
setting's name with its description. The generator itself works in keys (benchmarks and tests use
its frames directly); this is applied when the sample workbook is written."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..contract.choices import Vocab
from ..contract.tables import SETTINGS_BY_KEY, TABLES_BY_NAME


def in_book_words(tables: Mapping[str, pd.DataFrame], lang: str) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        table = TABLES_BY_NAME.get(name)
        if table is None:
            out[name] = frame
            continue
        frame = frame.copy()
        if name == "settings":
            out[name] = _settings(frame, lang)
            continue
        for f in table.fields:
            if isinstance(f.choices, Vocab) and f.key in frame.columns:
                words = {key: f.choices.word(key, lang) for key in f.choices}
                col = frame[f.key]
                frame[f.key] = col.map(words).where(col.isin(list(words)), col)  # one map per column
        out[name] = frame
    return out


def _settings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = []
    for row in frame.to_dict("records"):  # ten rows
        s = SETTINGS_BY_KEY.get(str(row.get("key")))
        if s is None:
            rows.append(row)
            continue
        value = row.get("value")
        if isinstance(s.choices, Vocab) and isinstance(value, str):
            value = s.choices.word(value, lang)
        rows.append({**row, "key": s.label(lang), "value": value,
                     "description": s.doc_zh if lang == "zh" else s.doc_en})
    return pd.DataFrame(rows, columns=frame.columns)
