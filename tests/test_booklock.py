"""Every application's lock file, and xlperf's own lock for a whole read-modify-write.

A workbook open in Excel, WPS or LibreOffice gets the same refusal (exit 3, the file untouched);
two xlperf runs on one book take turns (the second waits, or refuses with a sentence) and never lose
each other's rows; a lock left by a crashed run is recognised as stale and taken over.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xlperf.cli import main
from xlperf.demo import write_demo_book
from xlperf.errors import FileLockedError
from xlperf.io import booklock
from xlperf.io.applocks import find_app_lock
from xlperf.io.filebook import FileBook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_book(tmp_path_factory.mktemp("demo") / "demo.xlsm")


@pytest.fixture()
def book(demo_master: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(demo_master, tmp_path / "绩效考核2026.xlsm"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def vendor_ids(path: Path) -> list[str]:
    raw = FileBook(path).read_tables(["vendors"])
    return [str(v) for v in raw.tables["vendors"].data.iloc[:, 0].dropna()]


# ── other applications' lock files ────────────────────────────────────────────────────────────────

LO_LOCK = "张 敏,HR-PC-07,zhangmin,04.12.2026 09:15,file:///home/zhangmin/.config/libreoffice/4;"


@pytest.mark.parametrize("app,lock_name,content", [
    ("Excel", "~$绩效考核2026.xlsm", b"\x08zhangmin"),
    ("LibreOffice", ".~lock.绩效考核2026.xlsm#", LO_LOCK.encode()),
    ("WPS", ".~绩效考核2026.xlsm", b""),          # WPS on Linux
    ("WPS", ".~考核2026.xlsm", b""),               # WPS, a long name shortened by two characters
])
def test_every_applications_lock_refuses_like_excel(book: Path, app: str, lock_name: str, content: bytes,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (book.parent / lock_name).write_bytes(content)
    before = sha(book)
    for argv in (["recompute", str(book)], ["validate", str(book), "--write"], ["feedback", str(book)]):
        code, out, err = run(capsys, *argv)
        assert code == 3, (argv, out, err)
        assert f"正在 {app} 中打开" in err and lock_name in err, err
        assert out == ""
    assert sha(book) == before
    assert sorted(p.name for p in book.parent.iterdir()) == sorted([book.name, lock_name]), \
        "nothing written: no backup, temp file or xlperf lock left"


def test_lock_files_name_who_holds_the_book(tmp_path: Path) -> None:
    path = tmp_path / "绩效.xlsm"
    (tmp_path / ".~lock.绩效.xlsm#").write_text(LO_LOCK, encoding="utf-8")
    found = find_app_lock(path)
    assert found is not None and (found.app, found.owner) == ("LibreOffice", "张 敏@HR-PC-07")
    (tmp_path / ".~lock.绩效.xlsm#").unlink()
    (tmp_path / "~$绩效.xlsm").write_bytes(b"\x08zhangmin" + b"\x00" * 40)
    found = find_app_lock(path)
    assert found is not None and (found.app, found.owner) == ("Excel", "zhangmin")


def test_a_shortened_lock_name_belongs_to_the_book_of_that_name_when_there_is_one(tmp_path: Path) -> None:
    ours, other = tmp_path / "ab绩效表.xlsm", tmp_path / "绩效表.xlsm"
    ours.write_bytes(b"x")
    (tmp_path / ".~绩效表.xlsm").write_bytes(b"")  # WPS's lock of 绩效表.xlsm, or ours shortened
    found = find_app_lock(ours)
    assert found is not None and found.app == "WPS"
    other.write_bytes(b"x")                           # now it is the other book's lock
    assert find_app_lock(ours) is None
    assert find_app_lock(other) is not None


# ── xlperf's own lock ─────────────────────────────────────────────────────────────────────────────

HOLDER = """
import sys, time
from pathlib import Path
from xlperf.io.booklock import hold
book, ready, release = map(Path, sys.argv[1:4])
with hold(book, command="xlperf recompute"):
    ready.write_text("held")
    while not release.exists():
        time.sleep(0.05)
"""


class Holder:
    """Another process holding xlperf's lock on a book until told to let go."""

    def __init__(self, book: Path, tmp: Path) -> None:
        self.ready, self.release = tmp / "ready", tmp / "release"
        script = tmp / "holder.py"
        script.write_text(HOLDER, encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, str(script), str(book), str(self.ready), str(self.release)],
                                     cwd=ROOT)
        while not self.ready.exists():
            assert self.proc.poll() is None, "the holder process died"
            time.sleep(0.05)

    def let_go(self) -> None:
        self.release.write_text("go")
        assert self.proc.wait(timeout=60) == 0


def test_a_run_in_progress_makes_the_next_one_refuse_with_a_sentence(
        book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    holder = Holder(book, tmp_path)
    try:
        monkeypatch.setenv("XLPERF_LOCK_WAIT", "0")
        before = sha(book)
        code, out, err = run(capsys, "recompute", str(book))
        assert code == 3 and out == ""
        assert "另一个 xlperf 任务正在处理工作簿“绩效考核2026.xlsm”" in err
        assert f"@{socket.gethostname()}，进程 {holder.proc.pid}" in err and "xlperf recompute" in err
        assert sha(book) == before
    finally:
        holder.let_go()
    assert not booklock.lock_path(book).exists(), "the holder removed its lock on the way out"


def test_the_second_run_waits_for_the_first(book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    holder = Holder(book, tmp_path)
    monkeypatch.setenv("XLPERF_LOCK_WAIT", "60")
    import threading

    threading.Timer(0.5, holder.release.write_text, args=("go",)).start()
    code, _, err = run(capsys, "validate", str(book), "--write")
    assert code == 0, err
    assert holder.proc.wait(timeout=60) == 0
    import zipfile

    from xlperf.io.opc import read_workbook

    with zipfile.ZipFile(book) as zf:
        assert "校验结果" in [s.name for s in read_workbook(zf).sheets]
    assert not booklock.lock_path(book).exists()


def _write_lock(book: Path, *, pid: int, host: str, age_s: float) -> Path:
    lock = booklock.lock_path(book)
    lock.write_text(json.dumps({"pid": pid, "host": host, "user": "hr", "started": "2026-12-04T08:00:00",
                                "command": "xlperf recompute", "token": "t0"}), encoding="utf-8")
    then = time.time() - age_s
    os.utime(lock, (then, then))
    return lock


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_rule() -> None:
    here = socket.gethostname()
    now = time.time()
    live = booklock.LockInfo(os.getpid(), here, "", "", "", "t")
    dead = booklock.LockInfo(_dead_pid(), here, "", "", "", "t")
    elsewhere = booklock.LockInfo(1, "OTHER-PC", "", "", "", "t")
    assert not booklock.is_stale(live, now - 1, now)
    assert booklock.is_stale(dead, now - 1, now), "this host, the process is gone"
    assert not booklock.is_stale(elsewhere, now - 60, now), "another host: its process cannot be asked"
    assert not booklock.is_stale(elsewhere, now - booklock.STALE_AFTER_S + 1, now)
    assert booklock.is_stale(elsewhere, now - booklock.STALE_AFTER_S - 1, now), "no heartbeat for 5 minutes"
    assert booklock.is_stale(live, now - booklock.STALE_AFTER_S - 1, now)
    assert not booklock.is_stale(None, now - 1, now), "half-written: being created right now"


def test_a_crashed_runs_lock_is_taken_over(book: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLPERF_LOCK_WAIT", "0")
    _write_lock(book, pid=_dead_pid(), host=socket.gethostname(), age_s=1)
    code, _, err = run(capsys, "recompute", str(book))
    assert code == 0, err
    assert not booklock.lock_path(book).exists()
    _write_lock(book, pid=4242, host="HR-PC-09", age_s=booklock.STALE_AFTER_S + 60)
    code, _, err = run(capsys, "validate", str(book), "--write")
    assert code == 0, err
    _write_lock(book, pid=4242, host="HR-PC-09", age_s=30)  # alive on another PC: refused
    before = sha(book)
    code, _, err = run(capsys, "--lang", "en", "recompute", str(book))
    assert code == 3 and "Another xlperf run is working on" in err and "hr@HR-PC-09, process 4242" in err
    assert sha(book) == before


def test_a_write_that_skipped_the_lock_still_cannot_overwrite_a_run_in_progress(book: Path) -> None:
    from xlperf.io.safesave import atomic_write

    _write_lock(book, pid=4242, host="HR-PC-09", age_s=1)
    with pytest.raises(FileLockedError), atomic_write(book) as fp:
        fp.write(b"x")
    with pytest.raises(FileLockedError) as err, booklock.hold(book, wait=0):
        pass
    assert "HR-PC-09" in err.value.zh


def test_the_lock_is_reentrant_and_released(book: Path) -> None:
    with booklock.hold(book, wait=0):
        with booklock.hold(book, wait=0):
            assert booklock.held_here(book)
        assert booklock.lock_path(book).exists()
        info = booklock.read_lock(book)
        assert info is not None and info[0] is not None and info[0].pid == os.getpid()
    assert not booklock.lock_path(book).exists() and not booklock.held_here(book)


def test_two_writers_at_once_never_lose_a_write(book: Path, tmp_path: Path) -> None:
    """Two real processes append a vendor each to the same book at the same moment."""
    csvs = []
    for vid in ("V901", "V902"):
        src = tmp_path / f"{vid}.csv"
        src.write_text(f"供应商编号,供应商名称,合同编号\n{vid},并发劳务{vid}有限公司,HT-{vid}\n", encoding="utf-8")
        csvs.append((vid, src))
    env = dict(os.environ, XLPERF_LOCK_WAIT="120")
    procs = [(vid, subprocess.Popen([sys.executable, "-m", "xlperf", "import", str(book), "vendors", str(src),
                                     "--append"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)) for vid, src in csvs]
    outcomes = {vid: (p.wait(timeout=300), p.stderr.read() if p.stderr else "") for vid, p in procs}
    ids = vendor_ids(book)
    for vid, (code, err) in outcomes.items():
        if code == 0:
            assert vid in ids, f"{vid} was reported written but is lost"
        else:
            assert code == 3 and "另一个 xlperf 任务正在处理" in err and vid not in ids, err
    assert all(code == 0 for code, _ in outcomes.values()), "with a 120 s wait the second run waits its turn"
    assert ids.count("V901") == 1 and ids.count("V902") == 1
    assert not booklock.lock_path(book).exists()


def test_the_ribbon_refuses_while_a_cli_run_holds_the_book(book: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from xlperf.macros import run_action

    holder = Holder(book, tmp_path)
    try:
        monkeypatch.setenv("XLPERF_LOCK_WAIT", "0")
        before = sha(book)
        result = run_action("recompute_all", FileBook(book), log_dir=tmp_path / "logs")
        assert not result.ok and "另一个 xlperf 任务正在处理工作簿" in result.message
        assert sha(book) == before
    finally:
        holder.let_go()
    result = run_action("recompute_all", FileBook(book), log_dir=tmp_path / "logs")
    assert result.ok, result.message


def test_where_no_lock_file_can_be_made_the_live_engine_runs_unlocked(tmp_path: Path) -> None:
    from xlperf.errors import WriteError

    nowhere = tmp_path / "no-such-folder" / "绩效.xlsm"
    with pytest.raises(WriteError) as err, booklock.hold(nowhere):
        pass
    assert "无法在文件夹" in err.value.zh
    ran = []
    with booklock.hold(nowhere, required=False):
        ran.append(True)
    assert ran == [True] and not booklock.held_here(nowhere)
