"""The settings table: known keys (by key or either label), values of the declared type, defaults
for what is blank. Builds ``ctx.settings``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ...book import RawBook, settings_lang
from ...contract.schema import FieldType, Setting
from ...contract.tables import SETTINGS, setting_named
from ...findings import Finding
from ...i18n import pick
from ...settings import Settings
from ..codes import choice_list, choice_name
from ..context import Context, Located
from ..parse import Parsed, display, parse_choice, parse_number, parse_text

CODES = ("unknown-setting", "invalid-setting")
POSITIVE = frozenset({"total_cap"})


def setting_for(key: object) -> Setting | None:
    return setting_named(key)


def detect_lang(raw: RawBook) -> str:
    """The ``lang`` setting as typed, before anything is validated (messages need it first)."""
    return settings_lang(raw)


def parse_value(s: Setting, value: object, lang: str | None = None) -> Parsed:
    """A setting's value parsed into its type; ``lang`` is the workbook's (what its dropdowns offer)."""
    one = pd.Series([value], dtype=object)
    if s.type == FieldType.NUMBER:
        return parse_number(one)
    if s.type == FieldType.CHOICE:
        return parse_choice(one, s.choices, lang=lang)
    return parse_text(one, clean=s.type == FieldType.PERIOD, period=s.type == FieldType.PERIOD)


def check(ctx: Context) -> Iterator[Finding]:
    loc = ctx.located.get("settings")
    frame = ctx.frames.get("settings")
    if loc is None or frame is None or not loc.has("key"):
        return
    values: dict[str, Any] = {}
    known = " / ".join(s.label(ctx.lang) for s in SETTINGS)
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
    p = parse_value(s, raw_value, ctx.book_lang or ctx.lang)
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
        label = f"{s.label(ctx.lang)} ({s.key})"
        default = choice_name(s.default, ctx.lang, s.choices) if s.type == FieldType.CHOICE else display(s.default)
        yield ctx.at("invalid-setting", loc, "value", i, key=label, expect=expect, default=default)
        return
    for code in p.note_codes():
        new = p.values.iloc[0]
        shown = choice_name(new, ctx.lang, s.choices) if s.type == FieldType.CHOICE else \
            display(float(new) if isinstance(new, np.floating) else new)
        yield ctx.at(code, loc, "value", i, new=shown)
    values[s.key] = p.values.iloc[0] if s.type != FieldType.NUMBER else float(p.values.iloc[0])
