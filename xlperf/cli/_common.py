"""Small helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..findings import Finding, Report, Severity
from ..i18n import pick

SEVERITY_LABEL = {
    Severity.ERROR: ("错误", "error"),
    Severity.WARNING: ("警告", "warning"),
    Severity.INFO: ("提示", "info"),
}


def file_engine(path: str, out: str | None = None):  # type: ignore[no-untyped-def]
    from ..io.extension import check_extension
    from ..io.filebook import FileBook

    if out:
        check_extension(out)  # refused before any work: .xlsx (macro-free) or .xlsm only
    return FileBook(Path(path), Path(out) if out else None)


@contextmanager
def book_lock(book: str, out: str | None, command: str) -> Iterator[None]:
    """xlperf's own lock on the file a command will write (``out`` when given, else the book), held
    from the first read to the last write so two runs never lose each other's rows."""
    from ..io.booklock import hold
    from ..io.safesave import check_not_open

    target = Path(out) if out else Path(book)
    check_not_open(target)  # open in Excel/WPS/LibreOffice: refuse before any work, not after it
    with hold(target, command=f"xlperf {command}"):
        yield


def print_findings(report: Report, lang: str, *, limit: int = 200, stream=None) -> None:  # type: ignore[no-untyped-def]
    # sys.stdout is looked up per call, not bound at import: callers that swap it (tests, in-process
    # runs) must not get a stale, closed stream.
    stream = stream if stream is not None else sys.stdout
    shown = 0
    for f in report.sorted():
        if shown >= limit:
            rest = len(report) - shown
            print(pick(lang, f"……另有 {rest} 条，完整列表见 --json 或 --write 生成的“校验结果”表。",
                       f"... {rest} more; see --json or the Findings sheet written by --write."), file=stream)
            break
        print(format_finding(f, lang), file=stream)
        shown += 1
    errors, warnings = len(report.errors), len(report.warnings)
    infos = len(report) - errors - warnings
    print(pick(lang, f"共 {errors} 个错误，{warnings} 个警告，{infos} 条提示。",
               f"{errors} error(s), {warnings} warning(s), {infos} info."), file=stream)


def format_finding(f: Finding, lang: str) -> str:
    label = SEVERITY_LABEL[f.severity][0 if lang == "zh" else 1]
    where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or f.table or "")
    hint = f" → {f.hint}" if f.hint else ""
    return f"[{label}] {where} {f.code}: {f.message}{hint}"


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1, default=str))
