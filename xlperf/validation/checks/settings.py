"""The settings table: known keys (by key or either label), values of the declared type, defaults
for what is blank. Builds ``ctx.settings``."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ...book import RawBook
from ...contract.schema import FieldType, Setting
from ...contract.tables import SETTINGS
from ...findings import Finding
from ...i18n import pick
from ...settings import Settings
from ..aliases import ALIASES
from ..codes import choice_list, choice_name
from ..context import Context, Located
from ..parse import Parsed, display, parse_choice, parse_number, parse_text

CODES = ("unknown-setting", "invalid-setting")
POSITIVE = frozenset({"total_cap"})


def _norm(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


_BY_SPELLING: dict[str, Setting] = {}
for _s in SETTINGS:
    for _spelling in (_s.key, _s.zh, _s.en):
        _BY_SPELLING[_norm(_spelling)] = _s


def setting_for(key: object) -> Setting | None:
    return _BY_SPELLING.get(_norm(key)) if key is not None else None


def detect_lang(raw: RawBook) -> str:
    """The ``lang`` setting as typed, before anything is validated (messages need it first)."""
    table = raw.tables.get("settings")
    if table is None or table.data.shape[1] < 2:
        return "zh"
    header_map = {_norm(h): j for j, h in enumerate(table.headers)}
    jk = next((header_map[h] for h in ("key", "参数") if h in header_map), 0)
    jv = next((header_map[h] for h in ("value", "取值") if h in header_map), 1)
    for k, v in zip(table.data.iloc[:, jk], table.data.iloc[:, jv]):
        s = setting_for(k)
        if s is not None and s.key == "lang":
            value = _norm(v) if v is not None else ""
            value = ALIASES.get(value, value)
            return value if value in ("zh", "en") else "zh"
    return "zh"


def parse_value(s: Setting, value: object) -> Parsed:
    one = pd.Series([value], dtype=object)
    if s.type == FieldType.NUMBER:
        return parse_number(one)
    if s.type == FieldType.CHOICE:
        return parse_choice(one, s.choices, ALIASES)
    return parse_text(one, clean=s.type == FieldType.PERIOD, period=s.type == FieldType.PERIOD)


def check(ctx: Context) -> Iterator[Finding]:
    loc = ctx.located.get("settings")
    frame = ctx.frames.get("settings")
    if loc is None or frame is None or not loc.has("key"):
        return
    values: dict[str, Any] = {}
    known = " / ".join(s.key for s in SETTINGS)
    for i, key in zip(frame.index, frame["key"]):
        if key is None:
            continue  # reported as required-empty
        s = setting_for(key)
        if s is None:
            yield ctx.at("unknown-setting", loc, "key", int(i), choices=known)
            continue
        jv = loc.columns.get("value")
        raw_value = loc.raw.data.iat[int(i), jv] if jv is not None and jv < loc.raw.data.shape[1] else None
        yield from _value(ctx, loc, s, int(i), raw_value, values)
    try:
        ctx.settings = Settings(**values)
    except ValidationError:  # every value was checked above; keep defaults rather than fail
        ctx.settings = Settings()


def _value(ctx: Context, loc: Located, s: Setting, i: int, raw_value: object,
           values: dict[str, Any]) -> Iterator[Finding]:
    p = parse_value(s, raw_value)
    if p.blank[0]:
        return  # the default applies
    # Numbers that must be above 0: a total cap of 0 (or less) clips every total to 0, and every
    # worker gets the lowest grade without a word.
    not_positive = s.key in POSITIVE and not (p.error[0] or p.bad[0]) and not float(p.values.iloc[0]) > 0
    if p.error[0] or p.bad[0] or not_positive:
        if not_positive:
            expect = pick(ctx.lang, "应大于 0", "it must be above 0")
        elif s.type == FieldType.CHOICE:
            expect = pick(ctx.lang, "可选：", "allowed: ") + choice_list(s.choices, ctx.lang)
        else:
            expect = pick(ctx.lang, "应为数字", "a number is needed")
        label = f"{pick(ctx.lang, s.zh, s.en)} ({s.key})"
        default = choice_name(s.default, ctx.lang) if s.type == FieldType.CHOICE else display(s.default)
        yield ctx.at("invalid-setting", loc, "value", i, key=label, expect=expect, default=default)
        return
    for code in p.note_codes():
        new = p.values.iloc[0]
        yield ctx.at(code, loc, "value", i, new=display(float(new) if isinstance(new, np.floating) else new))
    values[s.key] = p.values.iloc[0] if s.type != FieldType.NUMBER else float(p.values.iloc[0])
