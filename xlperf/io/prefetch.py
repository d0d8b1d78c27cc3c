"""Parse a workbook's biggest sheet while the interpreter is still importing pandas.

Why: a fresh ``xlperf recompute`` spends one to two seconds importing pandas, numpy, pyarrow and
pydantic, on one core, before it can read anything; calamine parses a 400 000-row sheet in seconds,
in Rust, mostly without the GIL. The CLI calls ``start`` before its heavy imports, so the two
overlap on the two cores (measured at size M: 1 to 1.9 s saved); the reader then ``take``s the
parsed grid instead of parsing the sheet again.

Only sheets the reader would parse without measuring first are prefetched (over
``guard.EXTENT_CHECK_MAX_BYTES`` of XML; smaller ones are cheap anyway), and only after the package
passed the guard, so a hostile file meets the same checks as on the normal path. Anything that goes
wrong here is dropped silently: the reader then does its usual work and reports what it finds. A
grid is handed out once, for the very file it was parsed from (same path, size and modification time).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from . import guard, opc
from .gcpause import gc_paused

Grid = list[list[Any]]
_Stamp = tuple[int, int]  # (size, mtime_ns)

_lock = threading.Lock()
_jobs: dict[tuple[str, str], tuple[_Stamp, Future[Grid]]] = {}  # (resolved path, sheet) → job


def _stamp(p: Path) -> _Stamp:
    st = p.stat()
    return st.st_size, st.st_mtime_ns


def start(path: str | Path) -> str | None:
    """Start parsing the biggest sheet of the workbook at ``path`` in a background thread if it is
    big enough to be worth it. Returns the sheet's name, or None if nothing was started."""
    try:
        p = Path(path).resolve()
        stamp = _stamp(p)
        with guard.open_package(p) as zf:
            parts = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            if not parts:
                return None
            biggest = max(parts, key=lambda i: i.file_size)
            if biggest.file_size <= guard.EXTENT_CHECK_MAX_BYTES:
                return None
            info = opc.read_workbook(zf, p.name)
        sheet = next((s.name for s in info.sheets if s.part == biggest.filename and s.kind == "worksheet"), None)
        if sheet is None:
            return None
    except Exception:  # noqa: BLE001 - a prefetch never fails a run; the reader will say what is wrong
        return None
    future: Future[Grid] = Future()
    with _lock:
        _jobs[(str(p), sheet)] = (stamp, future)
    # Not a daemon: if the command ends early (a usage error), the interpreter waits for the parse
    # rather than finalising under a thread that is inside calamine and would come back for the GIL.
    threading.Thread(target=_parse, args=(p, sheet, future), name="xlperf-prefetch").start()
    return sheet


def _parse(p: Path, sheet: str, future: Future[Grid]) -> None:
    try:
        import python_calamine as pc

        with gc_paused():
            wb = pc.CalamineWorkbook.from_path(str(p))
            try:
                future.set_result(wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            finally:
                wb.close()
    except BaseException as exc:  # noqa: BLE001 - handed to take(), which drops it
        future.set_exception(exc)


def take(path: str | Path, sheet: str) -> Grid | None:
    """The grid prefetched for ``sheet`` of this very file (waiting for it if still parsing), or
    None: not prefetched, the file changed since, or the parse failed (the reader then reads as
    usual and reports the failure in its own words)."""
    try:
        p = Path(path).resolve()
        with _lock:
            job = _jobs.pop((str(p), sheet), None)
        if job is None:
            return None
        stamp, future = job
        grid = future.result()
        return grid if _stamp(p) == stamp else None
    except Exception:  # noqa: BLE001
        return None
