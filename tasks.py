#!/usr/bin/env python3
"""One-command entry points that set themselves up on a fresh machine (only Python 3.11+ needed).

    python3 tasks.py demo [DIR]     build the demo workbook and run every job on it
    python3 tasks.py test [ARGS]    install what the tests need and run the whole suite
    python3 tasks.py xlperf ARGS    any xlperf command, inside the project's environment

The environment lives in .venv/ and is refreshed whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".xlperf-installed"


def _run(cmd: list[str], **kw: object) -> int:
    return subprocess.call(cmd, **kw)  # type: ignore[arg-type]


def ensure_env() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        print("· creating .venv", flush=True)
        venv.create(VENV, with_pip=True)
    print("· installing xlperf and its test tools (first run only)", flush=True)
    # uv is much faster than pip; fall back to pip if it cannot be had.
    if _run([str(PY), "-m", "pip", "install", "-q", "uv"]) == 0:
        rc = _run([str(PY), "-m", "uv", "pip", "install", "--python", str(PY), "-q", "-e", ".[test,bench]"], cwd=ROOT)
    else:
        rc = 1
    if rc != 0:
        rc = _run([str(PY), "-m", "pip", "install", "-q", "-e", ".[test,bench]"], cwd=ROOT)
    if rc != 0:
        sys.exit("installation failed")
    STAMP.write_text(wanted)


def ensure_libreoffice() -> None:
    """The tests check our files with a real spreadsheet application (LibreOffice headless)."""
    if shutil.which("soffice"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("· installing LibreOffice (headless) for the tests", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        _run(["apt-get", "update", "-qq"], env=env)
        _run(["apt-get", "install", "-y", "-qq", "libreoffice-calc-nogui", "python3-uno"], env=env)
    if not shutil.which("soffice"):
        sys.exit("LibreOffice (soffice) is needed by the tests: install libreoffice-calc-nogui")
    # the PDF tests check that Chinese prints with a CJK font, not as boxes
    has_cjk = shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh"], capture_output=True,
                                                          text=True, check=False).stdout.strip()
    if not has_cjk and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("· installing a CJK font (fonts-noto-cjk) for the PDF tests", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        _run(["apt-get", "update", "-qq"], env=env)
        _run(["apt-get", "install", "-y", "-qq", "fonts-noto-cjk"], env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "xlperf"):
        print(__doc__)
        return 2
    ensure_env()
    cmd, rest = argv[0], argv[1:]
    if cmd == "demo":
        return _run([str(PY), "-m", "xlperf", "demo", *(rest or ["demo-output"])], cwd=ROOT)
    if cmd == "xlperf":
        return _run([str(PY), "-m", "xlperf", *rest], cwd=ROOT)
    ensure_libreoffice()
    return _run([str(PY), "-m", "pytest", "-n", "2", "-q", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
