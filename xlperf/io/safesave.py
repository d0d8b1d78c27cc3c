"""Saving a workbook so that no failure can cost the user the file they had.

``atomic_write(path)`` gives a temporary file in the same folder as ``path``; only when everything
was written, flushed and fsync'ed is it renamed over ``path`` with ``os.replace`` (atomic on POSIX
and on Windows/NTFS within one volume). A crash or a kill at any moment before that leaves the
original untouched; at worst a stray ``.~xlperf-<name>-*.tmp`` file stays behind in the folder.

Guarantees, each proved by tests/test_safesave.py:
- the file is never written while Excel holds it: Excel keeps a lock file ``~$<name>`` beside an open
  workbook, and its presence raises ``FileLockedError`` ("请先在 Excel 中关闭此文件"); the same for
  WPS and LibreOffice (their lock files: ``applocks``) and for another xlperf run holding
  xlperf's own lock (``booklock``);
- the previous version is kept as one backup, ``<stem>.bak<suffix>`` (``绩效.xlsm`` →
  ``绩效.bak.xlsm``), replaced on every save, so Excel can still open it by double-click;
- the backup is made by hard link where the file system allows (no copy, no window in which
  neither file exists), else by a copy finished before the new file is renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import FileLockedError, WriteError


def lock_file(path: str | Path) -> Path:
    """The owner file Excel creates beside an open workbook."""
    p = Path(path)
    return p.with_name("~$" + p.name)


def backup_path(path: str | Path) -> Path:
    """Where the previous version goes: ``name.bak.xlsm`` beside ``name.xlsm``."""
    p = Path(path)
    return p.with_name(f"{p.stem}.bak{p.suffix}")


def check_not_locked(path: str | Path) -> None:
    """Raise FileLockedError if Excel, WPS or LibreOffice has the workbook open (their lock files, see
    ``applocks``), or another xlperf run holds xlperf's own lock on it (``booklock``)."""
    from .booklock import blocking_lock, refusal

    check_not_open(path)
    holder = blocking_lock(path)
    if holder is not None:
        raise refusal(path, holder)


def check_not_open(path: str | Path) -> None:
    """Raise FileLockedError if Excel, WPS or LibreOffice has the workbook open (their lock files)."""
    from .applocks import find_app_lock

    p = Path(path)
    found = find_app_lock(p)
    if found is not None:
        app, name = found.app, found.path.name
        by_zh = f"，打开者 {found.owner}" if found.owner else ""
        by_en = f" by {found.owner}" if found.owner else ""
        raise FileLockedError(
            f"工作簿“{p.name}”正在 {app} 中打开（存在锁文件 {name}{by_zh}）。请先在 {app} 中关闭此文件，然后重试；"
            f"如果 {app} 已经关闭（例如曾经崩溃），删除锁文件 {name} 后重试。",
            f"The workbook {p.name!r} is open in {app} (lock file {name} exists{by_en}). "
            f"Close it in {app} first, then try again; if {app} is not running (it crashed), delete {name} and retry.")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_backup(path: Path) -> None:
    bak = backup_path(path)
    fd, staging = tempfile.mkstemp(prefix=f".~xlperf-{path.name}-", suffix=".bak", dir=path.parent)
    os.close(fd)
    os.unlink(staging)
    try:
        os.link(path, staging)
    except OSError:
        shutil.copy2(path, staging)
    os.replace(staging, bak)


def _match_mode(tmp: str, path: Path) -> None:
    """mkstemp creates 0600; the saved workbook keeps the old file's mode (else the umask default)."""
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


@contextmanager
def atomic_write(path: str | Path, backup: bool = True) -> Iterator[BinaryIO]:
    """Write ``path`` through a temporary file that replaces it only once complete (see module doc)."""
    p = Path(path)
    check_not_locked(p)
    folder = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".~xlperf-{p.name}-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"无法在文件夹 {folder} 中写入：{exc.strerror}。请检查权限或磁盘空间。",
                         f"Cannot write in folder {folder}: {exc.strerror}. Check permissions and free space.") from exc
    done = False
    try:
        _match_mode(tmp, p)
        with os.fdopen(fd, "w+b") as fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        check_not_locked(p)  # Excel may have opened it while we were writing
        try:
            if backup and p.exists():
                _make_backup(p)
            os.replace(tmp, p)
        except PermissionError as exc:
            raise FileLockedError(
                f"无法替换“{p.name}”：文件被占用或只读。请先在 Excel 中关闭此文件，然后重试。",
                f"Cannot replace {p.name!r}: the file is in use or read-only. Close it in Excel first, then retry.",
            ) from exc
        except OSError as exc:
            raise WriteError(f"保存“{p.name}”失败：{exc.strerror}。原文件未改动。",
                             f"Saving {p.name!r} failed: {exc.strerror}. The original file is unchanged.") from exc
        done = True
        _fsync_dir(folder)
    finally:
        if not done:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def save_with(path: str | Path, write: Callable[[BinaryIO], None], backup: bool = True) -> Path:
    """``atomic_write`` for a function that writes the whole file to a stream."""
    with atomic_write(path, backup=backup) as fp:
        write(fp)
    return Path(path)
