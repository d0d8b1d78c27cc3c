"""python -m benchmarks.lo_recalc BOOK OUTDIR: LibreOffice headless opens BOOK, recalculates every
formula (forced by the profile) and saves the results; the harness times this as a fresh process."""

from __future__ import annotations

import sys
from pathlib import Path

from xlperf.excel.libreoffice import convert


def main(argv: list[str]) -> int:
    convert(Path(argv[0]), "csv", Path(argv[1]), recalc=True, timeout=3600)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
