"""Small helpers shared by the command modules."""

from __future__ import annotations

import json
import re
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


# How the CLI counts info findings by kind: "已规范 38 个百分数、12 个全角字符". Each phrase takes the count.
INFO_KINDS: dict[str, tuple[str, str]] = {
    "normalised-percent": ("{n} 个百分数", "{n} percentage(s)"),
    "normalised-percent-fraction": ("{n} 个按小数读取的百分数", "{n} percentage(s) read as fractions"),
    "normalised-fullwidth": ("{n} 个全角字符", "{n} full-width value(s)"),
    "normalised-thousands": ("{n} 个带千位分隔符的数字", "{n} number(s) with thousands separators"),
    "normalised-spaces": ("{n} 处多余空格", "{n} value(s) with stray spaces"),
    "normalised-text-number": ("{n} 个文本型数字", "{n} number(s) typed as text"),
    "normalised-yes-no": ("{n} 个是/否", "{n} yes/no value(s)"),
    "normalised-serial-date": ("{n} 个日期序号", "{n} date serial number(s)"),
    "normalised-text-date": ("{n} 个文本日期", "{n} date(s) typed as text"),
    "normalised-choice": ("{n} 个选项的其他写法", "{n} choice(s) in another spelling"),
    "normalised-period": ("{n} 个被 Excel 转成日期的期间", "{n} period(s) Excel had turned into dates"),
}
_MORE = "more-findings"


def capped_code(f: Finding) -> str:
    """The code a ``more-findings`` finding counts (its message names it), else the finding's own."""
    if f.code != _MORE:
        return f.code
    from ..validation.codes import CODES

    return next((w for w in re.findall(r"[a-z]+(?:-[a-z]+)+", f.message) if w in CODES and w != _MORE), _MORE)


def is_info(f: Finding) -> bool:
    """An info finding, or the count of more of them (the count of capped errors is not one)."""
    if f.severity != Severity.INFO:
        return False
    if f.code != _MORE:
        return True
    from ..validation.codes import CODES

    code = capped_code(f)
    return code == _MORE or CODES[code].severity == Severity.INFO


def info_counts(report: Report) -> tuple[dict[str, int], int, int]:
    """(normalisations by code, records whose period was derived from the date, other info findings).
    A column's findings past the cap are one ``more-findings`` finding holding their count."""
    counts: dict[str, int] = {}
    derived = other = 0
    for f in report.findings:
        if not is_info(f):
            continue
        n = int(f.value) if f.code == _MORE and f.value.isdigit() else 1
        code = capped_code(f)
        if code in INFO_KINDS:
            counts[code] = counts.get(code, 0) + n
        elif code == "derived-period":
            derived += int(f.value) if f.value.isdigit() else 1
        else:
            other += n
    return counts, derived, other


def info_summary(report: Report, lang: str) -> str:
    """The info findings in one line: what was read differently from how it was typed, by kind."""
    counts, derived, other = info_counts(report)
    parts: list[str] = []
    if counts:
        order = list(INFO_KINDS)  # the most frequent kind first
        ranked = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
        kinds = [INFO_KINDS[c][0 if lang == "zh" else 1].format(n=n) for c, n in ranked]
        parts.append(pick(lang, "已规范 " + "、".join(kinds), "normalised " + ", ".join(kinds)))
    if derived:
        parts.append(pick(lang, f"{derived} 条记录按日期归入期间", f"{derived} record(s) given their period from the date"))
    if other:
        parts.append(pick(lang, f"另有 {other} 条提示", f"{other} other info finding(s)"))
    if not parts:
        return ""
    return pick(lang, "；".join(parts) + "；--verbose 显示明细", "; ".join(parts) + "; --verbose lists them")


def print_findings(report: Report, lang: str, *, limit: int = 200, stream=None,  # type: ignore[no-untyped-def]
                   verbose: bool = False) -> None:
    """Errors and warnings one per line; info findings (normalisations HR need not act on) summarised
    by kind in one line, or one per line with ``verbose``."""
    # sys.stdout is looked up per call, not bound at import: callers that swap it (tests, in-process
    # runs) must not get a stale, closed stream.
    stream = stream if stream is not None else sys.stdout
    listed = [f for f in report.sorted() if verbose or not is_info(f)]
    for shown, f in enumerate(listed):
        if shown >= limit:
            rest = len(listed) - shown
            print(pick(lang, f"……另有 {rest} 条，完整列表见 --json 或 --write 生成的“校验结果”表。",
                       f"... {rest} more; see --json or the Findings sheet written by --write."), file=stream)
            break
        print(format_finding(f, lang), file=stream)
    errors, warnings = len(report.errors), len(report.warnings)
    infos = len(report) - errors - warnings
    if not verbose and any(is_info(f) for f in report.findings):
        print(pick(lang, "[提示] ", "[info] ") + info_summary(report, lang), file=stream)
    print(pick(lang, f"共 {errors} 个错误，{warnings} 个警告，{infos} 条提示。",
               f"{errors} error(s), {warnings} warning(s), {infos} info."), file=stream)


def format_finding(f: Finding, lang: str) -> str:
    label = SEVERITY_LABEL[f.severity][0 if lang == "zh" else 1]
    where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or f.table or "")
    hint = f" → {f.hint}" if f.hint else ""
    return f"[{label}] {where} {f.code}: {f.message}{hint}"


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1, default=str))
