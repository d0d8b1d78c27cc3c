"""A small in-memory stand-in for the parts of xlwings' object model XwBook uses (Book, Sheets, Sheet,
Range, Tables, Table, App), so the live engine's logic runs here without Excel. It counts the bulk
value reads and writes, records Excel's application state at each write, and can be told to fail."""

from __future__ import annotations

from typing import Any, Iterator

from xlperf.book import col_letter


class Calls:
    def __init__(self) -> None:
        self.reads = 0
        self.writes = 0
        self.formats = 0
        self.format_reads = 0
        self.states: list[tuple[bool, bool, str]] = []


class FakeApp:
    def __init__(self, calls: Calls) -> None:
        self.screen_updating = True
        self.enable_events = True
        self.calculation = "automatic"
        self.status_bar: str | bool = False
        self.calls = calls
        self.opened: list[str] = []
        self.books = self

    def open(self, path: str) -> None:
        self.opened.append(path)


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int) -> None:
        self.sheet, self.row, self.column, self.r2, self.c2 = sheet, r1, c1, r2, c2

    @property
    def address(self) -> str:
        a = f"${col_letter(self.column - 1)}${self.row}"
        b = f"${col_letter(self.c2 - 1)}${self.r2}"
        return a if a == b else f"{a}:{b}"

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.row + 1, self.c2 - self.column + 1

    def options(self, *args: Any, **kwargs: Any) -> FakeRange:
        return self

    def resize(self, rows: int, cols: int) -> FakeRange:
        return FakeRange(self.sheet, self.row, self.column, self.row + rows - 1, self.column + cols - 1)

    @property
    def value(self) -> Any:
        self.sheet.book.calls.reads += 1
        rows = [[self.sheet.cells.get((r, c)) for c in range(self.column, self.c2 + 1)]
                for r in range(self.row, self.r2 + 1)]
        return rows if (self.r2 > self.row or self.c2 > self.column) else rows[0][0]

    @value.setter
    def value(self, rows: Any) -> None:
        book = self.sheet.book
        book.calls.writes += 1
        app = book.app
        book.calls.states.append((app.screen_updating, app.enable_events, app.calculation))
        if self.sheet.fail_on_write:
            raise RuntimeError("COM error: the sheet is busy")
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.sheet.cells[(self.row + i, self.column + j)] = v

    @property
    def number_format(self) -> str | None:
        """Like Excel: the format every cell of the range shares, None when they differ."""
        self.sheet.book.calls.format_reads += 1
        found = {self.sheet.cell_formats.get((r, c), "General")
                 for r in range(self.row, self.r2 + 1) for c in range(self.column, self.c2 + 1)}
        return found.pop() if len(found) == 1 else None

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        self.sheet.book.calls.formats += 1
        self.sheet.formats[self.column] = fmt

    @property
    def column_width(self) -> float:
        return 8.43

    @column_width.setter
    def column_width(self, width: float) -> None:
        self.sheet.widths[self.column] = width


class FakeTable:
    def __init__(self, name: str, rng: FakeRange) -> None:
        self.name, self.range = name, rng

    def resize(self, rng: FakeRange) -> None:
        self.range = rng


class FakeTables:
    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet = sheet
        self.items: list[FakeTable] = []

    def __iter__(self) -> Iterator[FakeTable]:
        return iter(list(self.items))

    def add(self, source: FakeRange, name: str) -> FakeTable:
        table = FakeTable(name, source)
        self.items.append(table)
        return table


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self.visible = True
        self.cells: dict[tuple[int, int], Any] = {}
        self.tables = FakeTables(self)
        self.formats: dict[int, str] = {}
        self.cell_formats: dict[tuple[int, int], str] = {}  # (row, col) → number format, as a user set it
        self.widths: dict[int, float] = {}
        self.fail_on_write = False

    def range(self, a: tuple[int, int] | str, b: tuple[int, int] | None = None) -> FakeRange:
        if isinstance(a, str):  # "$A$1:$C$4"
            import re

            parts = re.findall(r"\$?([A-Z]+)\$?(\d+)", a)
            from xlperf.book import col_index

            (c1, r1), (c2, r2) = parts[0], parts[-1]
            return FakeRange(self, int(r1), col_index(c1) + 1, int(r2), col_index(c2) + 1)
        r1, c1 = a
        r2, c2 = b if b is not None else a
        return FakeRange(self, r1, c1, r2, c2)

    @property
    def used_range(self) -> FakeRange:
        filled = [k for k, v in self.cells.items() if v is not None]
        if not filled:
            return FakeRange(self, 1, 1, 1, 1)
        rows = [r for r, _ in filled]
        cols = [c for _, c in filled]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    def clear_contents(self) -> None:
        self.cells.clear()

    def delete(self) -> None:
        self.book.sheets.items.remove(self)

    def put_table(self, name: str, rows: list[list[Any]], top: int = 1, left: int = 1, list_object: bool = True) -> None:
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.cells[(top + i, left + j)] = v
        if list_object:
            self.tables.add(FakeRange(self, top, left, top + len(rows) - 1, left + len(rows[0]) - 1), name)


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book
        self.items: list[FakeSheet] = []

    def __iter__(self) -> Iterator[FakeSheet]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> FakeSheet:
        return self.items[i]

    def add(self, name: str, after: FakeSheet | None = None) -> FakeSheet:
        sheet = FakeSheet(self.book, name)
        self.items.insert(self.items.index(after) + 1 if after is not None else 0, sheet)
        return sheet


class FakeBook:
    def __init__(self, fullname: str = "C:\\\\HR\\\\绩效.xlsm") -> None:
        self.fullname = fullname
        self.calls = Calls()
        self.app = FakeApp(self.calls)
        self.sheets = FakeSheets(self)
        self.sheets.add("说明")  # Excel books always hold at least one sheet
        self.saved = 0

    def save(self) -> None:
        self.saved += 1

    def sheet(self, name: str) -> FakeSheet:
        return next(s for s in self.sheets if s.name == name)
