"""The file engine: a workbook on disk, read and written without Excel (BookEngine protocol)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..book import OutputBlock, RawBook, book_lang
from .writer import write_blocks


class FileBook:
    """``read()`` gives every contract table (xlperf.io.reader); ``write(blocks)`` puts all blocks
    into the package in one safe save. With ``out``, the source is never modified: the first write
    copies it to ``out`` with the blocks, later writes build on ``out``."""

    def __init__(self, path: str | Path, out: str | Path | None = None, *, lang: str | None = None) -> None:
        self.path = Path(path)
        self.lang = lang  # language of the reader's own notes; None: the workbook's
        self.out = Path(out) if out is not None else None
        self._wrote_out = False
        # tables whose rows go on below their range (xlperf.io.belowtable): name → last data row,
        # extended on the next write, as Excel's AutoExpand would
        self._grow: dict[str, int] = {}

    @property
    def current(self) -> Path:
        """The file that holds the latest state (``out`` once written, else ``path``)."""
        return self.out if (self.out is not None and self._wrote_out) else self.path

    def read(self) -> RawBook:
        from ..contract import INPUT_TABLES, OUTPUT_TABLES

        return self.read_tables([t.name for t in (*INPUT_TABLES, *OUTPUT_TABLES)])

    def read_tables(self, names: Sequence[str]) -> RawBook:
        from ..contract import INPUT_TABLES, OUTPUT_TABLES
        from .reader import read_book  # the read side lives in its own module

        wanted = [t for t in (*INPUT_TABLES, *OUTPUT_TABLES) if t.name in set(names)]
        raw = read_book(self.current, lang=self.lang or "zh", tables=wanted)
        # The reader's own notes are worded before the settings are known; in the rare case there
        # are notes and the workbook is English, read once more to word them in English.
        if self.lang is None and raw.notes and book_lang(raw) != "zh":
            raw = read_book(self.current, lang=book_lang(raw), tables=wanted)
        for table in raw.tables.values():
            if table.appended_rows:
                self._grow[table.name] = table.header_row + len(table.data)
        return raw

    def write(self, blocks: Sequence[OutputBlock]) -> None:
        write_blocks(self.current, blocks, out=self.out, grow=self._grow)
        self._grow = {}  # the tables now span their rows
        if self.out is not None:
            self._wrote_out = True

    # issue 16 (xlperf pull): an input table's data rows rewritten whole, in the same safe save
    def replace_rows(self, table_name: str, frame: object, keep: int | None = None) -> None:
        """The data rows after the first ``keep`` (all of them when None) replaced by ``frame``."""
        from .writer import replace_table_rows

        replace_table_rows(self.current, table_name, frame, out=None if self._wrote_out else self.out,  # type: ignore[arg-type]
                           keep=keep)
        if self.out is not None:
            self._wrote_out = True
