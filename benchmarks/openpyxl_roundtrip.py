"""What a naive script pays before computing anything: an openpyxl load and save of the workbook.

    python -m benchmarks.openpyxl_roundtrip BOOK OUT
"""

from __future__ import annotations

import sys

import openpyxl


def main(argv: list[str]) -> int:
    wb = openpyxl.load_workbook(argv[0], keep_vba=argv[0].endswith(".xlsm"))
    wb.save(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
