"""The prefetch of a workbook's biggest sheet (parsed while the CLI imports pandas): handed out once,
only for the very file it was parsed from, silent on anything odd, and the reader's result the same."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from xlperf.cli import _prefetch
from xlperf.demo import write_demo_book
from xlperf.io import guard, prefetch
from xlperf.io.reader import read_book


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_book(tmp_path_factory.mktemp("prefetch") / "demo.xlsm")


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's sheets are far below the 32 MB at which the reader stops measuring first.
    monkeypatch.setattr(guard, "EXTENT_CHECK_MAX_BYTES", 10_000)


def test_biggest_sheet_is_parsed_once_for_this_file(demo: Path, small_threshold: None) -> None:
    sheet = prefetch.start(demo)
    assert sheet == "监控记录"  # the monitoring records are the demo's biggest sheet
    grid = prefetch.take(demo, sheet)
    want = CalamineWorkbook.from_path(str(demo)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    assert grid == want
    assert prefetch.take(demo, sheet) is None  # handed out once
    assert prefetch.take(demo, "外包人员") is None  # never started


def test_small_books_are_not_prefetched(demo: Path) -> None:
    assert prefetch.start(demo) is None


def test_a_changed_file_is_not_served(tmp_path: Path, demo: Path, small_threshold: None) -> None:
    book = tmp_path / "b.xlsm"
    book.write_bytes(demo.read_bytes())
    sheet = prefetch.start(book)
    assert sheet is not None
    st = book.stat()
    os.utime(book, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # saved again meanwhile
    assert prefetch.take(book, sheet) is None


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken", b""])
def test_unusable_files_start_nothing_and_raise_nothing(tmp_path: Path, content: bytes, small_threshold: None) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    assert prefetch.start(bad) is None
    assert prefetch.start(tmp_path / "missing.xlsx") is None


def test_reader_with_a_prefetched_sheet_reads_the_same_book(demo: Path, small_threshold: None) -> None:
    plain = read_book(demo)
    assert prefetch.start(demo) == "监控记录"
    fetched = read_book(demo)
    assert prefetch.take(demo, "监控记录") is None  # the reader took it
    assert fetched.tables.keys() == plain.tables.keys()
    for name, table in plain.tables.items():
        pd.testing.assert_frame_equal(fetched.tables[name].data, table.data)
        assert fetched.tables[name].headers == table.headers
    assert [f.code for f in fetched.notes] == [f.code for f in plain.notes]


def test_cli_prefetches_only_for_commands_that_read_a_book_first(demo: Path, small_threshold: None) -> None:
    _prefetch(["--lang", "en", "feedback", str(demo)])
    assert prefetch.take(demo, "监控记录") is None
    _prefetch(["--lang", "en", "recompute", "--all", str(demo)])
    assert prefetch.take(demo, "监控记录") is not None
    _prefetch(["validate", "--json", str(demo)])
    assert prefetch.take(demo, "监控记录") is not None
