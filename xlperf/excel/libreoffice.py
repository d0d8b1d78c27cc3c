"""LibreOffice headless as an independent spreadsheet application: convert, recalculate, render.

Used by the test suite and the benchmarks to check our files with a real application, and available
to users for PDF renderings of feedback sheets. Each call gets a private user profile so parallel runs
never share (and lock) one; the profile forces a full recalculation on load, because LibreOffice
otherwise trusts the cached values stored in .xlsx files.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
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


def convert_many(paths: Sequence[Path], fmt: str, outdir: Path, *, recalc: bool = True, timeout: float = 300,
                 filter_options: str | None = None) -> tuple[list[Path], str]:
    """Convert several files in ONE LibreOffice start (starting it is most of the cost).

    Returns the paths LibreOffice was asked to write (check they exist: it exits 0 on many failures)
    and its stderr. ``filter_options`` is appended to the format as soffice expects: "Filter:options".
    """
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlperf-lo-") as profile:
        if recalc:
            user = Path(profile) / "user"
            user.mkdir(parents=True)
            (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        target = fmt if filter_options is None else f"{fmt}:{filter_options}"
        cmd = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), *map(str, paths)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return [outdir / f"{Path(p).stem}.{fmt.split(':')[0]}" for p in paths], proc.stderr.strip()


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
