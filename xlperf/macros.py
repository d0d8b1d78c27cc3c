"""The Python side of the ribbon buttons: what ``RunPython "import xlperf.macros as m; m.validate()"`` runs.

Every button has one function here, taking the calling workbook (``xw.Book.caller()`` when called from
Excel). Each runs the SAME job as the command line (``xlperf.jobs``) on a ``BookEngine``: ``XwBook`` for
the open workbook, ``FileBook`` in tests. The split:

    validate(book=None)            ← ribbon: live book → run_action("validate", XwBook(book), ExcelUi)
    run_action(action, engine, ui) ← the testable core: any BookEngine, any Ui; never raises

``run_action`` turns every outcome into a ``MacroResult`` (ok, title, message, log path) in the
workbook's language; a failure gives a readable message and the path of the log that holds the details
(the traceback goes to the log, never to the user). The live entry points then show that result with
Excel's own dialog and leave the status bar as Excel had it. Python must not write to stderr here:
xlwings shows anything on stderr as an error popup (macOS) or treats a non-zero exit as a failure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import sys
import time
import traceback
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .book import BookEngine, OutputBlock, RawBook
from .errors import ValidationFailed, XlperfError
from .i18n import Text, pick

if TYPE_CHECKING:
    import xlwings as xw

ACTIONS = ("validate", "recompute_all", "recompute_current", "feedback", "share", "doctor", "simulate", "analyze")
LOG = logging.getLogger("xlperf.macros")

TITLES: dict[str, Text] = {
    "validate": Text("校验数据", "Validate"),
    "recompute_all": Text("全部重算", "Recompute all"),
    "recompute_current": Text("重算本期", "Recompute period"),
    "feedback": Text("生成反馈表", "Feedback sheets"),
    "share": Text("导出供应商包", "Vendor packs"),
    "doctor": Text("环境检查", "Check setup"),
    "simulate": Text("方案模拟", "Simulate"),
    "analyze": Text("指标体系评估", "Review indicators"),
}
# issue 16: 刷新监控数据
ACTIONS = (*ACTIONS, "pull")
TITLES["pull"] = Text("刷新监控数据", "Refresh monitoring")

STAGES = {
    "read": Text("xlperf：正在读取工作簿……", "xlperf: reading the workbook..."),
    "write": Text("xlperf：正在写入结果……", "xlperf: writing the results..."),
}


@dataclass
class MacroResult:
    action: str
    ok: bool
    title: str
    message: str
    log_path: Path | None = None
    detail: Any = field(default=None, repr=False)  # the job's own result (Report, RecomputeSummary...)

    def text(self) -> str:
        return self.message


class Ui(Protocol):
    """Where progress and the final dialog go (Excel's status bar and MsgBox live; a recorder in tests)."""

    def status(self, text: str) -> None: ...

    def show(self, result: MacroResult) -> None: ...


class NullUi:
    def __init__(self) -> None:
        self.statuses: list[str] = []
        self.shown: list[MacroResult] = []

    def status(self, text: str) -> None:
        self.statuses.append(text)

    def show(self, result: MacroResult) -> None:
        self.shown.append(result)


# ── the testable core ─────────────────────────────────────────────────────────────────────────────

class _Watched:
    """A BookEngine wrapper that reports read/write progress and remembers what was read (for the
    workbook's language when a job fails after reading)."""

    def __init__(self, engine: BookEngine, ui: Ui, lang: str | None) -> None:
        self.engine = engine
        self.ui = ui
        self.lang = lang
        self.raw: RawBook | None = None

    def _lang(self) -> str:
        if self.lang:
            return self.lang
        if self.raw is not None:
            from .book import book_lang

            return book_lang(self.raw)
        return "zh"

    def book_path(self) -> Path | None:
        """The workbook file behind the engine, when there is one (doctor checks its VBA version)."""
        for attr in ("current", "path", "book"):
            value = getattr(self.engine, attr, None)
            if isinstance(value, Path):
                return value
            fullname = getattr(value, "fullname", None)
            if isinstance(fullname, str) and Path(fullname).is_file():
                return Path(fullname)
        return None

    def report_source(self) -> tuple[Path, bool]:
        """The workbook file the report jobs read, and whether it is open in Excel (live)."""
        saved_path = getattr(self.engine, "saved_path", None)
        if callable(saved_path):
            return Path(saved_path()), True
        path = self.book_path()
        if path is None:
            raise XlperfError("找不到工作簿文件。", "The workbook file was not found.")
        return path, False

    def open_file(self, path: Path) -> None:
        opener = getattr(self.engine, "open_file", None)
        if callable(opener):
            opener(path)

    def read(self) -> RawBook:
        self.ui.status(STAGES["read"](self._lang()))
        self.raw = self.engine.read()
        return self.raw

    def read_tables(self, names: Sequence[str]) -> RawBook:
        self.ui.status(STAGES["read"](self._lang()))
        raw = self.engine.read_tables(names)
        if self.raw is None:
            self.raw = raw
        return raw

    def write(self, blocks: Sequence[OutputBlock]) -> None:
        self.ui.status(STAGES["write"](self._lang()))
        self.engine.write(blocks)

    def replace_rows(self, table_name: str, frame: Any, keep: int | None = None) -> None:  # issue 16: a pull's write
        self.ui.status(STAGES["write"](self._lang()))
        writer = getattr(self.engine, "replace_rows", None)
        if not callable(writer):
            raise XlperfError("此工作簿引擎不能改写输入表。", "This workbook engine cannot rewrite input tables.")
        writer(table_name, frame, keep=keep)


def run_action(action: str, engine: BookEngine, ui: Ui | None = None, *, lang: str | None = None,
               log_dir: Path | None = None, where: str = "") -> MacroResult:
    """Run one ribbon action on ``engine``; never raises. ``where`` names the workbook in the log."""
    ui = ui or NullUi()
    watched = _Watched(engine, ui, lang)
    where = where or str(watched.book_path() or "")
    log_path = log_file(log_dir)
    started = time.perf_counter()
    try:
        with _quiet_python(), _book_lock(watched, action):
            result = _dispatch(action, watched, lang)
        _log(log_path, action, where, f"ok in {time.perf_counter() - started:.2f}s: {result.message}")
        return result
    except ValidationFailed as exc:
        lang_ = watched._lang()
        written = _write_findings(watched, exc, lang_)
        message = exc.message(lang_) + (pick(lang_, "问题清单已写入“校验结果”表，请逐条修正后再重算。",
                                              " The list is on the Findings sheet: fix each one, then recompute.")
                                         if written else pick(lang_, "请点击“校验数据”查看问题清单。",
                                                              " Click Validate to see the list."))
        _log(log_path, action, where, "validation failed: " + exc.message("en"))
        return MacroResult(action, False, TITLES[action](lang_), message, log_path, exc.report)
    except XlperfError as exc:
        lang_ = watched._lang()
        _log(log_path, action, where, f"{type(exc).__name__}: {exc.message('en')}")
        return MacroResult(action, False, TITLES.get(action, Text(action, action))(lang_),
                           exc.message(lang_) + "\n\n" + _log_hint(lang_, log_path), log_path)
    except Exception:  # anything else: a bug or an environment problem; details to the log only
        lang_ = watched._lang()
        _log(log_path, action, where, "unexpected error\n" + traceback.format_exc())
        title = TITLES.get(action, Text(action, action))(lang_)
        message = pick(lang_, "xlperf 出现意外错误，工作簿中已写入的结果保持不变。", "xlperf hit an unexpected error; "
                       "the workbook's results were left as they were.") + "\n\n" + _log_hint(lang_, log_path)
        return MacroResult(action, False, title, message, log_path)


@contextlib.contextmanager
def _book_lock(engine: _Watched, action: str) -> Iterator[None]:
    """xlperf's own lock on the workbook file for the whole action, as the command line takes it:
    a ribbon click and a CLI run (or two clicks) on one file never lose each other's writes. The
    environment check writes nothing and takes none."""
    if action == "doctor":
        yield
        return
    from .io.booklock import hold_optional

    # not required: in a folder where no lock file can be made the file write itself says why it failed
    with hold_optional(engine.book_path(), command=f"ribbon {action}", required=False):
        yield


def _dispatch(action: str, engine: _Watched, lang: str | None) -> MacroResult:
    from . import jobs

    if action == "validate":
        report = jobs.run_validate(engine, write=True, lang=lang)
        lang_ = engine._lang()
        errors, warns = len(report.errors), len(report.warnings)
        if report.valid and not warns:
            message = pick(lang_, "校验通过：没有发现问题。", "Validation passed: no problems found.")
        else:
            message = pick(lang_, f"校验完成：{errors} 个错误，{warns} 个警告。问题逐条列在“校验结果”表中，"
                                  f"每条注明工作表、单元格和修改建议。",
                           f"Validation finished: {errors} error(s), {warns} warning(s). Each is listed on the "
                           f"Findings sheet with its sheet, cell and a hint.")
        return MacroResult(action, report.valid, TITLES[action](lang_), message, detail=report)
    if action in ("recompute_all", "recompute_current"):
        summary = jobs.run_recompute(engine, all_periods=action == "recompute_all", lang=lang)
        lang_ = engine._lang()
        return MacroResult(action, True, TITLES[action](lang_), summary.text(lang_), detail=summary)
    if action in ("feedback", "share"):
        return _reports(action, engine, lang)
    if action == "doctor":
        from .cli.doctor import run_checks

        lang_ = engine._lang() if engine.raw is not None else (lang or "zh")
        checks = run_checks(engine.book_path(), lang=lang_)
        return MacroResult(action, checks.ok, TITLES[action](lang_), checks.text(lang_), detail=checks)
    if action in ("simulate", "analyze"):  # issue 15: the review jobs, same as `xlperf simulate/analyze`
        from . import jobs_review

        review = jobs_review.run_simulate(engine, lang=lang) if action == "simulate" else \
            jobs_review.run_analyze(engine, lang=lang)
        lang_ = engine._lang()
        return MacroResult(action, True, TITLES[action](lang_), review.text(lang_), detail=review)
    if action == "pull":  # issue 16
        from .sources.job import run_pull

        pulled = run_pull(engine, lang=lang)
        lang_ = engine._lang()
        return MacroResult(action, True, TITLES[action](lang_), pulled.text(lang_), detail=pulled)
    raise XlperfError(f"未知操作 {action}", f"unknown action {action}")


def _reports(action: str, engine: _Watched, lang: str | None) -> MacroResult:
    """Feedback sheets and vendor packs are built from the workbook FILE by the same functions as
    ``xlperf feedback`` / ``xlperf share``. Live, the open workbook is saved first so the file holds
    HR's latest edits; the feedback then goes into a new workbook beside it (Excel holds the open
    file, which must not be rewritten under it) that is opened for the user."""
    from .reports.share import load_scored, write_feedback, write_packs

    path, live = engine.report_source()
    engine.ui.status(STAGES["read"](engine._lang()))
    scored = load_scored(path, None, lang)
    lang_ = scored.lang
    engine.ui.status(STAGES["write"](lang_))
    if action == "feedback":
        out = path.with_name(f"{path.stem}-{pick(lang_, '反馈表', 'feedback')}-{scored.period}{path.suffix}") if live else None
        names = write_feedback(scored, out)
        if live and out is not None:
            engine.open_file(out)
        where = pick(lang_, f"新工作簿 {out}（已打开）", f"the new workbook {out} (now open)") if out else path.name
        message = pick(lang_, f"已生成期间 {scored.period} 的 {len(names)} 张反馈表，位于{where}。",
                       f"Wrote {len(names)} feedback sheet(s) for period {scored.period} into {where}.")
        return MacroResult(action, True, TITLES[action](lang_), message, detail=names)
    folder = path.parent / f"{path.stem}-{pick(lang_, '供应商包', 'vendor-packs')}-{scored.period}"
    files = write_packs(scored, folder)
    encrypted = sum(f.encrypted for f in files)
    message = pick(lang_, f"已导出期间 {scored.period} 的 {len(files)} 个供应商包（{encrypted} 个已加密），"
                          f"保存在文件夹：\n{folder}\n每个包只含该供应商自己的数据，不含宏。",
                   f"Exported {len(files)} vendor pack(s) for period {scored.period} ({encrypted} encrypted) "
                   f"into the folder:\n{folder}\nEach holds only that vendor's own data and no macros.")
    return MacroResult(action, True, TITLES[action](lang_), message, detail=files)


def _write_findings(engine: _Watched, exc: ValidationFailed, lang: str) -> bool:
    """Recompute stopped on input errors: put the findings where HR looks for them."""
    from .jobs import findings_block

    try:
        with _book_lock(engine, "validate"):
            engine.write([findings_block(exc.report, lang)])
        return True
    except Exception:
        LOG.exception("could not write the findings sheet")
        return False


@contextlib.contextmanager
def _quiet_python() -> Iterator[None]:
    """Warnings and stray prints go to the log, not to stderr (xlwings would show them as errors)."""
    sink = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sink), \
            contextlib.redirect_stdout(sink):
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                LOG.info("warning: %s", w.message)
            if sink.getvalue():
                LOG.info("output: %s", sink.getvalue()[-4000:])


# ── logs ──────────────────────────────────────────────────────────────────────────────────────────

def log_dir_default() -> Path:
    """Per-user log folder: %LOCALAPPDATA%\\xlperf\\logs on Windows, ~/Library/Logs/xlperf on macOS,
    ~/.xlperf/logs elsewhere; XLPERF_LOG_DIR overrides."""
    if os.environ.get("XLPERF_LOG_DIR"):
        return Path(os.environ["XLPERF_LOG_DIR"])
    if sys.platform.startswith("win") and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "xlperf" / "logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "xlperf"
    return Path.home() / ".xlperf" / "logs"


def log_file(log_dir: Path | None = None) -> Path:
    folder = log_dir or log_dir_default()
    return folder / f"xlperf-{dt.date.today():%Y%m%d}.log"


def _log(path: Path, action: str, where: str, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {action} {where}\n{text}\n\n")
    except OSError:
        pass  # a log we cannot write must not turn into a second failure


def _log_hint(lang: str, path: Path | None) -> str:
    return pick(lang, f"详细信息已记录在日志：{path}\n如需帮助，请把该文件发给 IT。",
                f"Details are in the log: {path}\nSend that file to IT if you need help.")


# ── the live entry points RunPython calls ─────────────────────────────────────────────────────────

class ExcelUi:
    """Progress in Excel's status bar, the result in a message box owned by Excel's window."""

    def __init__(self, app: xw.App) -> None:
        self.app = app

    def status(self, text: str) -> None:
        try:
            self.app.status_bar = text
        except Exception:
            pass

    def show(self, result: MacroResult) -> None:
        try:
            self.app.status_bar = False  # hand the status bar back to Excel
        except Exception:
            pass
        self.app.alert(result.message, title=f"xlperf · {result.title}", mode="info" if result.ok else "critical")


def run_live(action: str, book: xw.Book | None = None) -> MacroResult:
    """Run ``action`` on the calling workbook and show its result in Excel."""
    import xlwings as xw

    from .live.xwbook import XwBook

    try:
        wb = book if book is not None else xw.Book.caller()
    except Exception:  # not started from Excel, or Excel unreachable: say so on stderr (xlwings shows it)
        path = log_file()
        _log(path, action, "", "could not reach the calling workbook\n" + traceback.format_exc())
        print(f"xlperf 无法连接调用它的 Excel 工作簿 / xlperf could not reach the calling workbook. "
              f"Log: {path}", file=sys.stderr)
        raise SystemExit(1)
    ui = ExcelUi(wb.app)
    result = run_action(action, XwBook(wb), ui, where=wb.fullname)
    try:
        ui.show(result)
    except Exception:
        _log(result.log_path or log_file(), action, wb.fullname, "could not show the result\n" + traceback.format_exc())
    return result


def validate(book: xw.Book | None = None) -> MacroResult:
    """校验数据: check every input table; the findings sheet lists each problem."""
    return run_live("validate", book)


def recompute_all(book: xw.Book | None = None) -> MacroResult:
    """全部重算: validate, then score every open period (closed ones stay as they are), as ``xlperf
    recompute --all``."""
    return run_live("recompute_all", book)


def recompute_current(book: xw.Book | None = None) -> MacroResult:
    """重算本期: the current period — the Current period setting; when blank, every open period — as
    ``xlperf recompute`` without --period or --all (i18n.CURRENT_PERIOD says it the same way)."""
    return run_live("recompute_current", book)


def feedback(book: xw.Book | None = None) -> MacroResult:
    """生成反馈表: one feedback sheet per vendor."""
    return run_live("feedback", book)


def share(book: xw.Book | None = None) -> MacroResult:
    """导出供应商包: one macro-free workbook per vendor with only its own data."""
    return run_live("share", book)


def doctor(book: xw.Book | None = None) -> MacroResult:
    """环境检查: Python, xlperf, xlwings versions and the interpreter setting."""
    return run_live("doctor", book)


def simulate(book: xw.Book | None = None) -> MacroResult:
    """方案模拟: every scenario re-scored; the 模拟结果 sheet, the real results unchanged."""
    return run_live("simulate", book)


def analyze(book: xw.Book | None = None) -> MacroResult:
    """指标体系评估: indicator and rater health, vendor trends."""
    return run_live("analyze", book)


def pull(book: xw.Book | None = None) -> MacroResult:
    """刷新监控数据 (issue 16): every enabled source of 数据来源配置, grouped where it lives, into 监控记录."""
    return run_live("pull", book)
