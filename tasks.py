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
        rc = _run([str(PY), "-m", "uv", "pip", "install", "--python", str(PY), "-q",
                   # compiled now, so no command pays for compiling pandas on its first runs
                   "--compile-bytecode", "-e", ".[test,bench]"], cwd=ROOT)
    else:
        rc = 1
    if rc != 0:
        rc = _run([str(PY), "-m", "pip", "install", "-q", "-e", ".[test,bench]"], cwd=ROOT)
    if rc != 0:
        sys.exit("installation failed")
    STAMP.write_text(wanted)


def _missing_test_packages() -> list[str]:
    """Debian packages the tests need that this machine lacks: LibreOffice (the real-application
    checks), a CJK font (PDFs must print Chinese, not boxes), PostgreSQL (xlperf pull's real server)."""
    missing = []
    if not shutil.which("soffice"):
        missing += ["libreoffice-calc-nogui", "python3-uno"]
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout \
        if shutil.which("fc-list") else ""
    if not fonts.strip():
        missing.append("fonts-noto-cjk")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql")
    return missing


def ensure_test_tools() -> None:
    """Install what the tests need with apt-get (as root, where it is the package manager)."""
    missing = _missing_test_packages()
    if missing and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"· installing {', '.join(missing)} for the tests (first run only)", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        _run(["apt-get", "update", "-qq"], env=env)
        _run(["apt-get", "install", "-y", "-qq", *missing], env=env)
    if not shutil.which("soffice"):
        sys.exit("LibreOffice (soffice) is needed by the tests: install libreoffice-calc-nogui")
    # without a CJK font or PostgreSQL the tests that need them fail or skip saying why


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
    ensure_test_tools()
    return _run([str(PY), "-m", "pytest", "-n", "2", "-q", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
