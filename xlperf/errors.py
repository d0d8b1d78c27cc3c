"""xlperf's exception hierarchy. Every failure an HR user can meet is one of these, with a message
in both languages; adapters translate lower-level exceptions (zipfile, lxml, COM, openpyxl) into them
with ``raise ... from exc`` so no traceback ever reaches a user.

    XlperfError
    ├── UnusableFileError   the file is not a workbook we can read (exit code 2)
    ├── FileLockedError     Excel holds the file (a ~$ lock file exists)
    ├── ValidationFailed    the inputs have errors; carries the findings (exit code 1)
    ├── WriteError          writing the workbook failed; the original is untouched
    └── UsageError          a bad command-line argument (unknown table, period...)
"""

from __future__ import annotations

from typing import Any


class XlperfError(Exception):
    exit_code = 3

    def __init__(self, zh: str, en: str | None = None) -> None:
        self.zh = zh
        self.en = en or zh
        super().__init__(self.en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


class UnusableFileError(XlperfError):
    exit_code = 2


class FileLockedError(XlperfError):
    exit_code = 3


class WriteError(XlperfError):
    exit_code = 3


class UsageError(XlperfError):
    exit_code = 2


class ValidationFailed(XlperfError):
    exit_code = 1

    def __init__(self, report: Any) -> None:
        self.report = report
        self.lang: str | None = getattr(report, "lang", None)
        n = len(report.errors)
        # Said the same in both doors; each door adds where the list is (the ribbon writes 校验结果,
        # the command line prints the errors and says what to run).
        super().__init__(f"输入数据有 {n} 个错误，未计算。", f"The inputs have {n} error(s); nothing was computed.")
