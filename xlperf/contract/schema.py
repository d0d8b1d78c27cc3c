"""The vocabulary the workbook contract is written in: field types, fields and tables.

A table is declared once (in ``tables.py``); everything else — the template builder, the reader's
header matching, the validator, the docs — is derived from these declarations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    BOOL = "bool"  # yes/no-like (是/否, Y/N, TRUE/FALSE, 1/0)
    CHOICE = "choice"  # one of ``Field.choices``
    PERIOD = "period"  # a period id, e.g. 2026-01 or 2026-Q1 (text, referenced to periods)
    ANY = "any"  # settings values: typed by the settings declaration instead


@dataclass(frozen=True)
class Ref:
    """A reference to the key column of another table."""

    table: str
    field: str


@dataclass(frozen=True)
class Field:
    key: str  # stable ASCII key: used in code, JSON, CSV and as the English fallback header
    zh: str  # Chinese header label
    en: str  # English header label
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: Ref | None = None
    unique: bool = False
    min_value: float | None = None
    max_value: float | None = None
    number_format: str | None = None  # Excel number format for the column in the template
    width: float = 14
    doc_zh: str = ""
    doc_en: str = ""
    wrap: bool = False  # output columns whose cells hold several lines (shown wrapped)
    # What a blank cell means (None: blank stays blank). Validation fills it when it types the table
    # (``xlperf.inputs.with_defaults``), so the engine and the worksheet functions never keep their own.
    default: object = None

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Table:
    name: str  # stable ASCII ListObject name
    zh: str  # Chinese sheet name
    en: str  # English sheet name
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()  # field keys forming the unique key (may be empty)
    doc_zh: str = ""
    doc_en: str = ""
    kind: str = "input"  # "input" (HR fills) | "output" (xlperf writes)

    def sheet_name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(f"{self.name} has no field {key!r}")

    def header_map(self) -> dict[str, str]:
        """Every accepted header spelling (normalised) → field key: key, zh and en labels."""
        out: dict[str, str] = {}
        for f in self.fields:
            for spelling in (f.key, f.zh, f.en):
                out[normalise_header(spelling)] = f.key
        return out


def column_spellings(table: Table | None, columns: Iterable[object]) -> dict[str, str]:
    """Normalised header spelling → frame column, for writing a frame whose columns are field keys
    (or labels) into a table headed in either language: each key also answers to its zh/en labels."""
    out: dict[str, str] = {}
    for c in columns:
        names = [str(c)]
        if table is not None and str(c) in table.keys:
            f = table.field(str(c))
            names += [f.zh, f.en]
        for n in names:
            out.setdefault(normalise_header(n), str(c))
    return out


def normalise_header(text: object) -> str:
    """Header matching ignores case, spaces, full-width forms and a trailing '*' (required mark)."""
    import unicodedata

    s = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    s = s.strip().rstrip("*").strip().lower()
    return "".join(s.split())


@dataclass(frozen=True)
class Setting:
    key: str
    zh: str
    en: str
    type: FieldType
    default: object
    choices: tuple[str, ...] = ()
    doc_zh: str = ""  # the short description 参数设置 shows beside the setting
    doc_en: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # former names still read in the key column

    def label(self, lang: str) -> str:
        """The setting's name as the key column of 参数设置 shows it."""
        return self.zh if lang == "zh" else self.en
