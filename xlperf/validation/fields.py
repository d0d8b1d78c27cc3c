"""How one contract column's cells are parsed: the parser for its field type (ids cleaned harder)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..contract.schema import Field, FieldType, Table
from ..contract.tables import INPUT_TABLES
from .parse import Parsed, parse_bool, parse_choice, parse_date, parse_number, parse_text

# Columns other tables point at: cleaned like ids even though their own field has no ``ref``.
_REF_TARGETS = frozenset({(f.ref.table, f.ref.field) for t in INPUT_TABLES for f in t.fields if f.ref}
                         | {("rater_weights", "indicator_id"), ("rater_weights", "rater_role")})


def is_id_like(table: Table, f: Field) -> bool:
    return bool(f.ref or f.unique or f.key in table.key or (table.name, f.key) in _REF_TARGETS)


def parse_field(table: Table, f: Field, s: pd.Series[Any], lang: str | None = None) -> Parsed:  # lang: the book's
    if f.type in (FieldType.NUMBER, FieldType.INTEGER):
        return parse_number(s)
    if f.type == FieldType.DATE:
        return parse_date(s)
    if f.type == FieldType.BOOL:
        return parse_bool(s)
    if f.type == FieldType.CHOICE and table.name != "settings":  # unknown settings keys are only warnings
        return parse_choice(s, f.choices, lang=lang)
    if f.type == FieldType.PERIOD or (table.name, f.key) == ("periods", "period_id"):
        return parse_text(s, clean=True, period=True)
    if f.type == FieldType.ANY:
        return parse_text(s, clean=False)
    return parse_text(s, clean=is_id_like(table, f))
