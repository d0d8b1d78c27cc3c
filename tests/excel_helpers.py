"""Helpers for the ribbon, macro, UDF and live-engine tests: small real workbooks, VBA text parsing."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from typing import Callable

import pandas as pd

RUNPYTHON = re.compile(r'RunPython\("import xlperf\.macros as m; m\.(\w+)\(\)"\)')
SUB_BLOCK = re.compile(r"^(?:Public |Private )?Sub (\w+)\(([^)]*)\)\r?\n(.*?)^End Sub", re.M | re.S)


@functools.lru_cache(maxsize=1)
def _demo_tables() -> dict[str, pd.DataFrame]:
    from xlperf.demo import demo_tables

    return demo_tables("demo", lang="zh")


def small_tables(lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The demo's tables cut down to two vendors and every third monitoring row (every id still
    resolves, every period keeps data), as fresh copies."""
    tables = {k: v.copy() for k, v in _demo_tables().items()}
    keep = set(tables["vendors"]["vendor_id"].head(2))
    for name in ("vendors", "workers", "observations", "ratings", "goals"):
        frame = tables[name]
        tables[name] = frame.loc[frame["vendor_id"].isin(keep)].reset_index(drop=True)
    tables["observations"] = tables["observations"].iloc[::3].reset_index(drop=True)
    tables["ratings"] = tables["ratings"].iloc[::3].reset_index(drop=True)
    settings = tables["settings"]
    settings.loc[settings["key"] == "lang", "value"] = lang
    return tables


_BUILT: dict[str, Path] = {}


def book(tmp_path: Path, name: str = "book", lang: str = "zh",
         mutate: Callable[[dict[str, pd.DataFrame]], None] | None = None, cache_dir: Path | None = None) -> Path:
    """A real .xlsm built from the template with small demo tables; built once per (lang, name) per
    process and copied into ``tmp_path`` for each test."""
    from xlperf.demo import build_book

    key = f"{lang}-{name}"
    if key not in _BUILT or not _BUILT[key].exists():
        tables = small_tables(lang)
        if mutate is not None:
            mutate(tables)
        target = (cache_dir or tmp_path.parent) / f"built-{key}.xlsm"
        build_book(target, lang, tables)
        _BUILT[key] = target
    out = tmp_path / f"{name}.xlsm"
    shutil.copyfile(_BUILT[key], out)
    return out


def vba_eval(expr: str) -> str:
    """Evaluate the VBA string expressions our generators write: "literal" and XpU("hex") joined by &."""
    out = []
    for piece in re.split(r"\s*&\s*", expr.strip()):
        lit = re.fullmatch(r'"((?:[^"]|"")*)"', piece)
        hexed = re.fullmatch(r'XpU\("([0-9A-F]*)"\)', piece)
        if lit:
            out.append(lit.group(1).replace('""', '"'))
        elif hexed:
            # the same decoding as xlperf_text.XpU: 4 hex digits per UTF-16 code unit
            units = hexed.group(1)
            out.append(bytes.fromhex(units).decode("utf-16-be"))
        else:
            raise ValueError(f"not a generated VBA string expression: {piece!r}")
    return "".join(out)


def xpt_table(text_module_source: str) -> dict[str, str]:
    """key → text of the generated XpT function."""
    return {k: vba_eval(v) for k, v in re.findall(r'^\s*Case "(\w+)": XpT = (.+?)\r?$', text_module_source, re.M)}
