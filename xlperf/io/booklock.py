"""xlperf's own lock on a workbook, held for a whole read-modify-write.

Two xlperf runs on one book (two HR staff on a shared drive, two ribbon clicks, a scheduled job)
would otherwise both read the old file and the later save would silently drop the earlier one's
rows. ``hold(path)`` makes them take turns:

- the lock is a small file ``.~xlperf-lock.NAME`` beside the workbook, created with O_CREAT|O_EXCL
  (atomic on local disks and on SMB/NFS shares, unlike byte-range locks, which shares often do not
  honour); it records who holds it: pid, host, user, start time, command and a random token;
- a second run waits up to ``wait`` seconds (default 10, ``XLPERF_LOCK_WAIT``) for the first to
  finish, then refuses with a sentence naming the holder (FileLockedError, exit code 3, nothing
  written);
- while held, a heartbeat thread touches the file every ``HEARTBEAT_S`` seconds;
- **stale rule**: a lock is stale — left by a crashed or killed run — when it was written on this
  host by a process that no longer runs, or when its heartbeat is older than ``STALE_AFTER_S``
  (5 minutes: far above the heartbeat, and above the clock difference Windows domains allow between
  machines). A stale lock is taken over, under a short-lived ``.break`` file so two runs never both
  take over the same one;
- released on exit, only if the file is still this run's (same token); re-entrant within a process.

``safesave.check_not_locked`` refuses a write while another run holds this lock, so a write path
that forgot ``hold`` still cannot overwrite a run in progress.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ..errors import FileLockedError, WriteError

PREFIX = ".~xlperf-lock."
HEARTBEAT_S = 20.0
STALE_AFTER_S = 300.0
BREAK_STALE_S = 30.0  # a .break file older than this was left by a run killed while taking over
DEFAULT_WAIT_S = 10.0
POLL_S = 0.1


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    user: str
    started: str  # ISO time, local clock of the holder
    command: str
    token: str


def lock_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(PREFIX + p.name)


def this_host() -> str:
    return socket.gethostname()


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (some services, containers)
        return ""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill would terminate the process on Windows: ask the kernel
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32")
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(ok) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def read_lock(path: str | Path) -> tuple[LockInfo | None, float] | None:
    """(what the lock file says or None when unreadable, its mtime); None when there is no lock."""
    lock = lock_path(path)
    try:
        mtime = lock.stat().st_mtime
        data = lock.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        return None, time.time()
    try:
        raw = json.loads(data)
        info = LockInfo(int(raw["pid"]), str(raw["host"]), str(raw.get("user", "")), str(raw.get("started", "")),
                        str(raw.get("command", "")), str(raw["token"]))
    except (ValueError, KeyError, TypeError):
        info = None  # half-written (the holder is writing it now) or damaged: judged by its age alone
    return info, mtime


def is_stale(info: LockInfo | None, mtime: float, now: float | None = None) -> bool:
    """The stale rule (module docstring)."""
    now = time.time() if now is None else now
    if info is not None and info.host == this_host() and not pid_alive(info.pid):
        return True
    return now - mtime > STALE_AFTER_S


# Locks this process holds: lock path → how many nested ``hold`` blocks are inside it.
_HELD: dict[str, int] = {}
_HELD_GUARD = threading.Lock()


def held_here(path: str | Path) -> bool:
    """Whether this process holds xlperf's lock on ``path``."""
    with _HELD_GUARD:
        return str(lock_path(path).absolute()) in _HELD


def blocking_lock(path: str | Path) -> LockInfo | None:
    """The live lock another run holds on ``path`` (None: free, stale or ours). Used before writes."""
    if held_here(path):
        return None
    found = read_lock(path)
    if found is None:
        return None
    info, mtime = found
    if is_stale(info, mtime):
        return None
    return info or LockInfo(0, "?", "", "", "", "")


def refusal(path: str | Path, info: LockInfo | None) -> FileLockedError:
    p = Path(path)
    if info is not None and info.host != "?":
        who_zh = f"（{info.user or '?'}@{info.host}，进程 {info.pid}，开始于 {info.started[:19]}，{info.command}）"
        who_en = f" ({info.user or '?'}@{info.host}, process {info.pid}, started {info.started[:19]}, {info.command})"
    else:
        who_zh = who_en = ""
    minutes = int(STALE_AFTER_S // 60)
    return FileLockedError(
        f"另一个 xlperf 任务正在处理工作簿“{p.name}”{who_zh}，本次未写入任何内容。请等它完成后重试。"
        f"如果那个任务已中断，锁文件 {lock_path(p).name} 会在 {minutes} 分钟无响应后自动失效。",
        f"Another xlperf run is working on {p.name!r}{who_en}; nothing was written. Try again when it has "
        f"finished. If that run was interrupted, its lock file {lock_path(p).name} expires after {minutes} "
        "minutes without a heartbeat.")


def _create(lock: Path, info: LockInfo) -> bool:
    """Create the lock file atomically; False when it exists."""
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    except OSError as exc:
        raise WriteError(f"无法在文件夹 {lock.parent} 中创建锁文件：{exc.strerror}。请检查权限或磁盘空间。",
                         f"Cannot create a lock file in folder {lock.parent}: {exc.strerror}. "
                         "Check permissions and free space.") from exc
    try:
        os.write(fd, json.dumps(asdict(info), ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _take_over(path: Path, seen: LockInfo | None, seen_mtime: float) -> None:
    """Remove a stale lock, unless someone replaced it since we looked at it."""
    lock = lock_path(path)
    breaker = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            if time.time() - breaker.stat().st_mtime > BREAK_STALE_S:
                breaker.unlink()
        except OSError:
            pass
        return  # another run is taking over: look again
    except OSError:
        return
    os.close(fd)
    try:
        now = read_lock(path)
        if now is None:
            return
        info, mtime = now
        same = (info == seen) if (info is not None or seen is not None) else mtime == seen_mtime
        if same and is_stale(info, mtime):
            try:
                lock.unlink()
            except FileNotFoundError:
                pass
    finally:
        try:
            breaker.unlink()
        except OSError:
            pass


def _wait_default() -> float:
    try:
        return float(os.environ.get("XLPERF_LOCK_WAIT", DEFAULT_WAIT_S))
    except ValueError:
        return DEFAULT_WAIT_S


class _Heartbeat(threading.Thread):
    def __init__(self, lock: Path) -> None:
        super().__init__(name="xlperf-lock-heartbeat", daemon=True)
        self.lock = lock
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(HEARTBEAT_S):
            try:
                os.utime(self.lock)
            except OSError:
                pass


@contextmanager
def hold(path: str | Path, *, wait: float | None = None, command: str = "", required: bool = True) -> Iterator[None]:
    """Hold xlperf's lock on the workbook ``path`` for the block (see the module docstring).

    ``required=False``: when the folder does not let us create the lock file at all (read-only share,
    an e-mail attachment's temporary folder) run without it instead of failing — for the live engine,
    whose work happens in Excel's memory and whose file Excel itself guards."""
    p = Path(path)
    lock = lock_path(p)
    key = str(lock.absolute())
    with _HELD_GUARD:
        if key in _HELD:  # re-entrant: an inner step of a run that already holds it
            _HELD[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD[key] -= 1
        return
    info = LockInfo(os.getpid(), this_host(), _user(), datetime.now().isoformat(timespec="seconds"),
                    command or " ".join(os.path.basename(a) for a in sys.argv[:2]), uuid.uuid4().hex)
    deadline = time.monotonic() + (_wait_default() if wait is None else wait)
    locked = False
    while not locked:
        try:
            locked = _create(lock, info)
        except WriteError:
            if required:
                raise
            break  # no lock file can be made here: run unlocked (see the docstring)
        if locked:
            break
        found = read_lock(p)
        if found is None:
            continue  # released between our attempt and our look
        seen, mtime = found
        if is_stale(seen, mtime):
            _take_over(p, seen, mtime)
            continue
        if time.monotonic() >= deadline:
            raise refusal(p, seen)
        time.sleep(POLL_S)
    if not locked:
        yield
        return
    with _HELD_GUARD:
        _HELD[key] = 1
    beat = _Heartbeat(lock)
    beat.start()
    try:
        yield
    finally:
        beat.stop.set()
        with _HELD_GUARD:
            _HELD.pop(key, None)
        found = read_lock(p)
        if found is not None and found[0] is not None and found[0].token == info.token:
            try:
                lock.unlink()
            except OSError:
                pass


@contextmanager
def hold_optional(path: str | Path | None, *, wait: float | None = None, command: str = "",
                  required: bool = True) -> Iterator[None]:
    """``hold`` when there is a file to lock; nothing for a workbook never saved."""
    if path is None:
        yield
        return
    with hold(path, wait=wait, command=command, required=required):
        yield
