"""Safe saves: never a half-written workbook, never over a file Excel holds, one backup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from writer_helpers import blocks, records_book

from xlperf.errors import FileLockedError, WriteError
from xlperf.io.safesave import atomic_write, backup_path, lock_file
from xlperf.io.writer import write_blocks

ROOT = Path(__file__).resolve().parents[1]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~xlperf-"))


def test_names_of_backup_and_lock_file() -> None:
    assert backup_path(Path("/x/绩效.xlsm")) == Path("/x/绩效.bak.xlsm")
    assert backup_path(Path("book.xlsx")) == Path("book.bak.xlsx")
    assert lock_file(Path("/x/绩效.xlsm")) == Path("/x/~$绩效.xlsm")


def test_refuses_while_excel_holds_the_file(tmp_path: Path) -> None:
    book = records_book(tmp_path / "绩效.xlsx")
    before = book.read_bytes()
    lock_file(book).write_bytes(b"\x05HR")
    with pytest.raises(FileLockedError) as err:
        write_blocks(book, blocks())
    assert "请先在 Excel 中关闭此文件" in err.value.zh and "Close it in Excel first" in err.value.en
    assert "绩效.xlsx" in err.value.zh
    assert err.value.exit_code == 3
    assert book.read_bytes() == before and leftovers(tmp_path) == []
    assert not backup_path(book).exists()


def test_keeps_one_backup_of_the_previous_version(tmp_path: Path) -> None:
    book = records_book(tmp_path / "b.xlsx")
    v0 = book.read_bytes()
    mode = 0o640
    book.chmod(mode)
    write_blocks(book, blocks()[:1])
    v1 = book.read_bytes()
    assert backup_path(book).read_bytes() == v0 and v1 != v0
    write_blocks(book, blocks())
    assert backup_path(book).read_bytes() == v1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.bak.xlsx", "b.xlsx"]
    assert book.stat().st_mode & 0o777 == mode


def test_writing_to_out_leaves_the_source_alone(tmp_path: Path) -> None:
    book = records_book(tmp_path / "src.xlsx")
    v0 = book.read_bytes()
    out = write_blocks(book, blocks(), out=tmp_path / "out.xlsx")
    assert book.read_bytes() == v0 and out.exists() and not backup_path(book).exists()
    assert not backup_path(out).exists()  # nothing was there to back up


def test_a_failure_while_writing_changes_nothing(tmp_path: Path) -> None:
    book = records_book(tmp_path / "b.xlsx")
    v0 = book.read_bytes()
    with pytest.raises(RuntimeError), atomic_write(book) as fp:
        fp.write(b"PK half a zip")
        raise RuntimeError("disk on fire")
    assert book.read_bytes() == v0 and leftovers(tmp_path) == [] and not backup_path(book).exists()


def test_unwritable_folder_is_a_write_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = tmp_path / "no-such-folder" / "b.xlsx"  # root ignores permissions: use a missing folder
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "b.xlsx"
    with pytest.raises(WriteError) as err, atomic_write(target) as fp:
        fp.write(b"x")
    assert "无法在文件夹" in err.value.zh


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from xlperf.io.package import Package
    from xlperf.io.safesave import atomic_write
    from xlperf.io.writer import Styles, put_block
    sys.path.insert(0, {tests!r})
    from writer_helpers import blocks, results_frame
    from xlperf.book import OutputBlock
    from xlperf.contract import outputs

    class Stall:
        # passes writes through until half a MB is out, then says so and hangs: the test kills us here
        def __init__(self, fp):
            self.fp, self.n, self.told = fp, 0, False
        def write(self, b):
            written = self.fp.write(b)
            self.n += len(b)
            if self.n > 500_000 and not self.told:
                self.fp.flush()
                print("MID", flush=True)
                self.told = True
                time.sleep(120)
            return written
        def tell(self):
            return self.fp.tell()
        def seek(self, *a):
            return self.fp.seek(*a)

    path = sys.argv[1]
    pkg = Package.open(path)
    styles = Styles.of(pkg)
    big = results_frame().sample(40_000, replace=True, random_state=1)
    put_block(pkg, OutputBlock(outputs.results, big), styles)
    styles.commit(pkg)
    with atomic_write(path) as fp:
        pkg.save(Stall(fp))
""")


def test_killed_mid_write_leaves_the_original_intact_and_openable(tmp_path: Path) -> None:
    book = records_book(tmp_path / "绩效.xlsx")
    v0 = book.read_bytes()
    script = tmp_path / "writer.py"
    script.write_text(KILLED_WRITER.format(tests=str(ROOT / "tests")), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(book)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "MID", line
        partial = leftovers(tmp_path)
        assert len(partial) == 1 and (tmp_path / partial[0]).stat().st_size > 400_000  # really mid-write
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert book.read_bytes() == v0
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
    assert openpyxl.load_workbook(book)["监测记录"]["A2"].value == "日期"
    assert not backup_path(book).exists()
    # the next run works and is not confused by the stray temp file
    write_blocks(book, blocks())
    assert "计算结果" in openpyxl.load_workbook(book).sheetnames
