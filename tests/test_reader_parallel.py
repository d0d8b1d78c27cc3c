"""The reader reads several sheets at once (and with Python's cycle collector paused): reading them on
two threads must give the very same RawBook as reading them one at a time, value for value and type
for type, note for note, and the very same refusals — on a workbook holding every kind of cell (whose
cells are also checked against worked expectations), on the demo workbook and on the bad-input corpus.
Tables and notes come in the order of the workbook's sheets, whichever sheet finished first.

(When the threads landed they were also compared with the sequential reader they replaced, commit
117d6dc; that frozen copy is not kept, so reader changes need not be made twice.)"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus_helpers import damage, shared_valid_book
from reader_helpers import ZOO_ROWS, cell_kinds, same_book, same_outcome, zoo_book, zoo_expectations
from test_corpus import CASES
from test_corpus_hostile import HOSTILE

from xlperf.book import RawBook
from xlperf.demo import write_demo_book
from xlperf.errors import UnusableFileError
from xlperf.io import guard, reader
from xlperf.io.reader import read_book


def one_at_a_time(path: Path, **kw: Any) -> RawBook:
    """The same reader with one value thread: the sheets parsed one after the other."""
    saved = reader.VALUE_THREADS
    reader.VALUE_THREADS = 1
    try:
        return read_book(path, **kw)
    finally:
        reader.VALUE_THREADS = saved


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zoo_book(tmp_path_factory.mktemp("zoo") / "zoo.xlsx")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_book(tmp_path_factory.mktemp("demo") / "demo.xlsm")


@pytest.fixture(params=["measured first", "measured while read"])
def threshold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both paths of the extent check: small sheets are measured before calamine reads them; with the
    threshold lowered, every sheet is read while it is scanned (the path of million-row sheets)."""
    if request.param == "measured while read":
        monkeypatch.setattr(guard, "EXTENT_CHECK_MAX_BYTES", 2_000)
    yield request.param


@pytest.mark.parametrize("slice_rows", [None, 7])
def test_every_kind_of_cell_reads_as_before(zoo: Path, threshold: str, slice_rows: int | None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if slice_rows:  # many slices of rows, and dates, blanks and errors at their edges
        monkeypatch.setattr(reader, "_SLICE_ROWS", slice_rows)
    new, old = read_book(zoo), one_at_a_time(zoo)
    same_book(new, old)
    # and the oracle itself reads what the cells hold (a worked example, not just "same as before")
    for (name, i, j), want in zoo_expectations().items():
        assert cell_kinds(new.tables[name])[i][j] == want, (name, i, j)
    assert new.tables["observations"].data.shape == (ZOO_ROWS, 10)
    # 4 rows in the table and the one typed right below it (row 6), read as its row since issue 11
    assert new.tables["vendors"].data.shape == (5, 8) and new.tables["vendors"].appended_rows == 1
    assert new.tables["vendors"].data.iloc[4].tolist() == [None, "表格下方的数据", *[None] * 6]
    assert new.tables["periods"].data.shape == (0, 3)
    assert new.hidden_sheets == ["参数设置"] and new.protected_sheets == ["评分记录"]
    assert {n.code for n in new.notes} >= {"reader.rows-below-table", "reader.no-list-object",
                                           "reader.hidden-sheet", "reader.formula-without-value"}


def test_tables_and_notes_come_in_sheet_order(zoo: Path) -> None:
    # the biggest sheet (observations) is parsed first but is not the first sheet
    book = read_book(zoo)
    at = {name: i for i, name in enumerate(book.sheets)}
    table_sheets = [at[t.sheet] for t in book.tables.values()]
    note_sheets = [at[n.sheet] for n in book.notes if n.code != "reader.unlocated-cells"]
    assert table_sheets == sorted(table_sheets) and len(set(table_sheets)) > 2
    assert note_sheets == sorted(note_sheets) and len(set(note_sheets)) > 1
    assert at[book.tables["observations"].sheet] > min(table_sheets)


def test_tables_subset_and_english_notes_read_as_before(zoo: Path) -> None:
    from xlperf.contract import TABLES_BY_NAME

    wanted = [TABLES_BY_NAME[n] for n in ("settings", "observations", "ratings")]
    same_book(read_book(zoo, lang="en", tables=wanted), one_at_a_time(zoo, lang="en", tables=wanted))


def test_demo_book_reads_as_before(demo: Path, threshold: str, monkeypatch: pytest.MonkeyPatch) -> None:
    same_book(read_book(demo), one_at_a_time(demo))
    monkeypatch.setattr(reader, "_SLICE_ROWS", 5)
    same_book(read_book(demo), one_at_a_time(demo))


# The corpus cases that change what the reader sees (values, errors, formulas, layout, sheets).
READER_CASES = {
    "text-in-number", "error-NA-in-number", "error-DIV0-in-number", "error-in-text-column", "error-in-id",
    "blank-required-date", "renamed-sheets", "reordered-sheets", "deleted-required-column",
    "reordered-columns", "merged-over-required", "title-rows-above-table", "title-rows-no-list-object",
    "formula-with-cached-value", "formula-without-value", "date-serial-number", "100k-styled-rows-in-table",
    "password-protected-sheets", "hidden-sheet", "number-as-text", "missing-observations-table",
    "rows-below-table", "english-book", "excel-365-error-values", "TRUE-in-number-column",
    "numeric-vendor-ids", "period-typed-as-date", "duplicate-column",
}


@pytest.mark.parametrize("case", [c for c in CASES if c.id in READER_CASES], ids=lambda c: c.id)
def test_corpus_case_reads_as_before(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, where = damage(shared_valid_book(case.lang), tmp_path / f"{case.id}.xlsm", case.edit)
    if case.after is not None:
        case.after(path, where)
    same_outcome(read_book, one_at_a_time, path)


def test_all_reader_cases_exist() -> None:
    assert READER_CASES <= {c.id for c in CASES}


@pytest.mark.parametrize("case_id,maker", [(h[0], h[1]) for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_as_before(case_id: str, maker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = maker(shared_valid_book(), tmp_path)
    same_outcome(read_book, one_at_a_time, path)
    with pytest.raises(UnusableFileError):
        read_book(path)


def test_a_far_cell_beside_big_sheets_is_refused_before_any_parse(zoo: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A bomb on a small sheet while the big sheet is read in the other thread: refused with the same
    sentence, and calamine never asked for the bomb sheet."""
    from corpus_helpers import patch_part, sheet_part

    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zoo.read_bytes())
    part = sheet_part(bomb, "考核期间")
    patch_part(bomb, part, lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                               b"</sheetData>"))
    asked: list[str] = []

    class Spy:
        def __init__(self, wb: Any) -> None:
            self.wb = wb

        def get_sheet_by_name(self, name: str) -> Any:
            asked.append(name)
            return self.wb.get_sheet_by_name(name)

    class SpyBooks(reader._Workbooks):
        def get(self) -> Any:
            return Spy(super().get())

    monkeypatch.setattr(reader, "_Workbooks", SpyBooks)
    same_outcome(read_book, one_at_a_time, bomb)
    assert asked and "考核期间" not in asked  # other sheets were parsed, the bomb never


@pytest.mark.parametrize("enabled", [True, False])
def test_cycle_collector_state_is_restored(zoo: Path, tmp_path: Path, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        read_book(zoo)
        assert gc.isenabled() is enabled
        bad = tmp_path / "bad.xlsx"
        bad.write_bytes(b"PK\x03\x04broken")
        with pytest.raises(UnusableFileError):
            read_book(bad)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_reads_in_several_threads_at_once(zoo: Path) -> None:
    """Overlapping reads (a UDF server, a test runner) each get the whole book, and the collector is on
    again once the last one ends."""
    want = one_at_a_time(zoo)
    out: list[object] = [None] * 3

    def run(k: int) -> None:
        out[k] = read_book(zoo)

    assert gc.isenabled()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got in out:
        same_book(got, want)  # type: ignore[arg-type]
    assert gc.isenabled()
