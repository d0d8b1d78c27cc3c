"""LibreOffice headless as an independent spreadsheet application: convert, recalculate, render.

Used by the test suite and the benchmarks to check our files with a real application, and available
to users for PDF renderings of feedback sheets. Each call gets a private user profile so parallel runs
never share (and lock) one; the profile forces a full recalculation on load, because LibreOffice
otherwise trusts the cached values stored in .xlsx files.

The first start on a new machine. A fresh profile makes soffice initialise it (and, on a machine
where LibreOffice never ran, do its one-time first-start work) before converting; two such starts at
once have failed to write their output (the suite's first run after LibreOffice was installed, issue
11). So a profile is initialised ONCE per installation, by one process at a time under a file lock
(``first_start_lock``), kept in a cache folder (``XLPERF_LO_CACHE``, else ``~/.cache/xlperf/
libreoffice``), and every conversion starts from a copy of it: no conversion is ever a first start.
A conversion that still writes nothing is tried once more with a new copy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import XlperfError

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise XlperfError("未找到 LibreOffice（soffice）。", "LibreOffice (soffice) was not found.")
    return exe


def cache_dir() -> Path:
    """Where the initialised profile and the first-start lock live (per user, survives runs)."""
    if os.environ.get("XLPERF_LO_CACHE"):
        return Path(os.environ["XLPERF_LO_CACHE"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "xlperf" / "libreoffice"
    return Path.home() / ".cache" / "xlperf" / "libreoffice"


def _url(folder: Path) -> str:
    return folder.absolute().as_uri()


@contextmanager
def first_start_lock(folder: Path, timeout: float = 600) -> Iterator[None]:
    """One process at a time, machine-wide (per cache folder): an OS file lock, released by the OS
    when its holder dies, so a crashed run never blocks the next one."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "first-start.lock", "a+b") as fh:
        if sys.platform == "win32":
            import msvcrt

            deadline = time.monotonic() + timeout
            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _installation_key(exe: str) -> str:
    """A new or upgraded LibreOffice gets its own initialised profile."""
    real = Path(exe).resolve()
    try:
        stamp = f"{real}:{real.stat().st_mtime_ns}:{real.stat().st_size}"
    except OSError:
        stamp = str(real)
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]


def initialised_profile(timeout: float = 300) -> Path:
    """The profile folder LibreOffice initialised once for this installation (made on first use)."""
    exe = soffice()
    folder = cache_dir()
    ready = folder / f"profile-{_installation_key(exe)}"
    if (ready / "user" / "registrymodifications.xcu").is_file():
        return ready
    with first_start_lock(folder):
        if (ready / "user" / "registrymodifications.xcu").is_file():  # another process made it meanwhile
            return ready
        for attempt in range(2):
            staging = folder / f".staging-{uuid.uuid4().hex}"
            try:
                subprocess.run([exe, f"-env:UserInstallation={_url(staging)}", "--headless", "--norestore",
                                "--terminate_after_init"], capture_output=True, timeout=timeout, check=False)
                if (staging / "user" / "registrymodifications.xcu").is_file():
                    shutil.rmtree(ready, ignore_errors=True)
                    os.replace(staging, ready)
                    return ready
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    raise XlperfError("LibreOffice 无法初始化用户配置文件。", "LibreOffice could not initialise a user profile.")


def _private_profile(folder: Path, recalc: bool) -> None:
    """A copy of the initialised profile in ``folder``, set to recalculate on load when asked."""
    shutil.copytree(initialised_profile() / "user", folder / "user")
    if recalc:
        xcu = folder / "user" / "registrymodifications.xcu"
        text = xcu.read_text(encoding="utf-8")
        items = _RECALC_ALWAYS.split("\n", 2)[2].replace("</oor:items>\n", "")
        at = text.rfind("</oor:items>")
        xcu.write_text(text[:at] + items + text[at:] if at >= 0 else _RECALC_ALWAYS, encoding="utf-8")


def convert_many(paths: Sequence[Path], fmt: str, outdir: Path, *, recalc: bool = True, timeout: float = 300,
                 filter_options: str | None = None) -> tuple[list[Path], str]:
    """Convert several files in ONE LibreOffice start (starting it is most of the cost).

    Returns the paths LibreOffice was asked to write (check they exist: it exits 0 on many failures)
    and its stderr. ``filter_options`` is appended to the format as soffice expects: "Filter:options".
    Files it did not write are tried once more, with a new profile (see the module docstring).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = [outdir / f"{Path(p).stem}.{fmt.split(':')[0]}" for p in paths]
    todo, errors = list(paths), []
    for _ in range(2):
        with tempfile.TemporaryDirectory(prefix="xlperf-lo-") as profile:
            _private_profile(Path(profile), recalc)
            target = fmt if filter_options is None else f"{fmt}:{filter_options}"
            cmd = [soffice(), f"-env:UserInstallation={_url(Path(profile))}", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", str(outdir), *map(str, todo)]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        errors.append(proc.stderr.strip())
        todo = [p for p, out in zip(paths, wanted) if p in todo and not _written(out, outdir, Path(p).stem, fmt)]
        if not todo:
            break
    return wanted, errors[-1]


def _written(out: Path, outdir: Path, stem: str, fmt: str) -> bool:
    return out.exists() or any(outdir.glob(f"{stem}-*.{fmt.split(':')[0]}"))


def convert(path: Path, fmt: str, outdir: Path, *, recalc: bool = True, timeout: float = 300,
            filter_options: str | None = None) -> Path:
    """Convert ``path`` to ``fmt`` (e.g. "csv", "pdf", "xlsx") in ``outdir``; return the new file.

    Raises XlperfError when LibreOffice fails or produces nothing.
    """
    (produced,), err = convert_many([path], fmt, outdir, recalc=recalc, timeout=timeout,
                                    filter_options=filter_options)
    if not produced.exists() and not any(outdir.glob(f"{path.stem}-*.{fmt}")):
        raise XlperfError(f"LibreOffice 无法打开或转换 {path.name}：{err[:300]}",
                          f"LibreOffice could not open or convert {path.name}: {err[:300]}")
    return produced


def csv_sheets(path: Path, outdir: Path, *, recalc: bool = True, timeout: float = 300) -> dict[str, Path]:
    """Every sheet as UTF-8 CSV after a full recalculation: {sheet name: csv path}."""
    # Text CSV filter tokens: comma, double quote, UTF-8, from line 1, ..., and -1 = every sheet,
    # which LibreOffice writes as <stem>-<sheet name>.csv.
    opts = "Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    outdir.mkdir(parents=True, exist_ok=True)
    before = set(outdir.glob(f"{path.stem}-*.csv"))
    try:
        convert(path, "csv", outdir, recalc=recalc, timeout=timeout, filter_options=opts)
    except XlperfError:
        if not set(outdir.glob(f"{path.stem}-*.csv")) - before:
            raise
    prefix = f"{path.stem}-"
    return {p.stem[len(prefix):]: p for p in sorted(outdir.glob(f"{path.stem}-*.csv"))}
