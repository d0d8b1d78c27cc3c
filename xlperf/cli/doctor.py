"""xlperf doctor [BOOK] [--json]: is this machine ready for the xlperf ribbon and worksheet functions?

Checks, each with the fix when it fails (zh/en):

- python          Python ≥ 3.11, and whether it is 64-bit (64-bit Office needs a 64-bit Python for UDFs)
- xlperf          xlperf and its libraries import
- xlwings         the installed xlwings is exactly the version xlperf pins (the template's VBA module
                  and the UDF DLL are tied to it)
- template_vba    with BOOK: the xlwings VBA module inside the workbook was built for that same version
- pywin32 / mac   the platform bridge xlwings needs (pywin32 on Windows; on macOS the RunPython
                  AppleScript from ``xlwings runpython install``)
- udf_dll         Windows: xlwings64-<version>.dll beside the interpreter (UDFs load it from there)
- interpreter     the interpreter the Excel buttons will start (INTERPRETER_WIN / INTERPRETER_MAC from
                  the workbook's xlwings.conf sheet, the xlwings.conf file beside it, or the user's
                  ~/.xlwings/xlwings.conf; else ``python`` on PATH) exists and is this one
- udf_modules     the workbook's ``UDF MODULES``, when set, includes ``udfs``
- asr_office_child  Windows: Defender's attack-surface rule "Block all Office applications from creating
                  child processes" is not blocking RunPython (doctor_windows)
- mark_of_the_web Windows, with BOOK: the workbook has no Zone.Identifier ZoneId 3/4 (macros blocked)

Exit code 0 when nothing is an error, 1 otherwise. The same checks run from the ribbon's 环境检查 button
(``xlperf.macros.doctor``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import struct
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import pick

if TYPE_CHECKING:
    from .doctor_windows import Runner, ZoneReader

OK, WARN, ERROR, SKIP = "ok", "warning", "error", "skipped"
UDF_MODULE = "udfs"
CONF_SHEET = "xlwings.conf"


@dataclass
class Check:
    key: str
    status: str  # ok | warning | error | skipped
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""

    def line(self, lang: str) -> str:
        mark = {OK: "✓", WARN: "!", ERROR: "✗", SKIP: "–"}[self.status]
        text = f"{mark} {pick(lang, self.zh, self.en)}"
        fix = pick(lang, self.fix_zh, self.fix_en)
        return text + (f"\n    → {fix}" if fix and self.status in (WARN, ERROR) else "")


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(c.status == ERROR for c in self.checks)

    def by_key(self) -> dict[str, Check]:
        return {c.key: c for c in self.checks}

    def text(self, lang: str = "zh") -> str:
        lines = [c.line(lang) for c in self.checks]
        errors = sum(c.status == ERROR for c in self.checks)
        warns = sum(c.status == WARN for c in self.checks)
        lines.append(pick(lang, f"共 {errors} 个问题，{warns} 个提醒。" if errors or warns else "环境正常。",
                          f"{errors} problem(s), {warns} warning(s)." if errors or warns else "All good."))
        return "\n".join(lines)


def pinned_xlwings() -> str | None:
    """The xlwings version xlperf pins (its package metadata), i.e. the one the templates are built with."""
    try:
        for req in metadata.requires("xlperf") or []:
            match = re.match(r"xlwings\s*==\s*([\w.]+)", req)
            if match:
                return match.group(1)
    except metadata.PackageNotFoundError:
        pass
    return None


def installed(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


# ── the checks ─────────────────────────────────────────────────────────────────────────────────────

def check_python() -> Check:
    v = sys.version_info
    bits = struct.calcsize("P") * 8
    where = f"Python {v.major}.{v.minor}.{v.micro} ({bits}-bit) {sys.executable}"
    if v < (3, 11):
        return Check("python", ERROR, f"{where}：版本过低", f"{where}: too old",
                     "安装 Python 3.11 或更高版本（见 INSTALL.md）", "Install Python 3.11 or newer (see INSTALL.md)")
    if bits != 64 and sys.platform.startswith("win"):
        return Check("python", WARN, where, where, "64 位 Office 的工作表函数需要 64 位 Python",
                     "UDFs in 64-bit Office need a 64-bit Python")
    return Check("python", OK, where, where)


def check_libraries() -> Check:
    missing = []
    for module in ("numpy", "pandas", "openpyxl", "lxml", "pydantic", "python_calamine", "xlperf", "udfs"):
        try:
            __import__(module)
        except Exception:
            missing.append(module)
    if missing:
        names = ", ".join(missing)
        return Check("xlperf", ERROR, f"无法导入：{names}", f"cannot import: {names}",
                     "在该 Python 中运行 pip install xlperf（见 INSTALL.md）", "Run pip install xlperf in this Python (see INSTALL.md)")
    version = installed("xlperf") or "?"
    return Check("xlperf", OK, f"xlperf {version} 及其依赖已安装", f"xlperf {version} and its libraries are installed")


def check_xlwings(pinned: str | None) -> Check:
    have = installed("xlwings")
    if have is None:
        return Check("xlwings", ERROR, "未安装 xlwings", "xlwings is not installed",
                     f"pip install xlwings=={pinned or '?'}", f"pip install xlwings=={pinned or '?'}")
    if pinned and have != pinned:
        return Check("xlwings", ERROR, f"xlwings 版本为 {have}，模板需要 {pinned}",
                     f"xlwings is {have}; the template needs {pinned}",
                     f"pip install xlwings=={pinned}", f"pip install xlwings=={pinned}")
    return Check("xlwings", OK, f"xlwings {have}（与模板一致）", f"xlwings {have} (matches the template)")


def check_template_vba(book: Path | None, pinned: str | None) -> Check:
    if book is None:
        return Check("template_vba", SKIP, "未指定工作簿，跳过模板 VBA 版本检查",
                     "no workbook given: template VBA version not checked")
    try:
        built_for = workbook_xlwings_version(book)
    except Exception as exc:
        return Check("template_vba", WARN, f"无法读取 {book.name} 中的 VBA：{exc}", f"cannot read the VBA in {book.name}: {exc}",
                     "用 xlperf new 从当前模板新建工作簿", "Start a new workbook from the current template with xlperf new")
    if built_for is None:
        return Check("template_vba", ERROR, f"{book.name} 中没有 xlwings VBA 模块", f"{book.name} has no xlwings VBA module",
                     "用 xlperf new 从模板新建工作簿，再把数据复制过去",
                     "Create a workbook from the template with xlperf new and copy the data over")
    have = installed("xlwings")
    if have is not None and built_for != have:
        return Check("template_vba", ERROR, f"{book.name} 的 VBA 为 xlwings {built_for} 构建，已安装 {have}",
                     f"{book.name}'s VBA was built for xlwings {built_for}; {have} is installed",
                     f"pip install xlwings=={built_for}，或用当前模板新建工作簿",
                     f"pip install xlwings=={built_for}, or start from the current template")
    return Check("template_vba", OK, f"{book.name} 的 VBA 为 xlwings {built_for} 构建", f"{book.name}'s VBA is for xlwings {built_for}")


def check_bridge(pinned: str | None) -> Check:
    if sys.platform.startswith("win"):
        if installed("pywin32") is None:
            return Check("bridge", ERROR, "未安装 pywin32（xlwings 在 Windows 上需要）", "pywin32 is missing (xlwings needs it on Windows)",
                         "pip install pywin32", "pip install pywin32")
        return Check("bridge", OK, "pywin32 已安装", "pywin32 is installed")
    if sys.platform == "darwin":
        script = (Path.home() / "Library" / "Application Scripts" / "com.microsoft.Excel"
                  / f"xlwings-{pinned or installed('xlwings')}.applescript")
        if not script.exists():
            return Check("bridge", ERROR, "未安装 RunPython 的 AppleScript", "the RunPython AppleScript is not installed",
                         "在终端运行一次：xlwings runpython install", "Run once in a terminal: xlwings runpython install")
        return Check("bridge", OK, f"RunPython AppleScript：{script}", f"RunPython AppleScript: {script}")
    return Check("bridge", SKIP, f"{platform.system()} 上没有 Excel：只能使用命令行",
                 f"no Excel on {platform.system()}: command line only")


def check_udf_dll(pinned: str | None) -> Check:
    if not sys.platform.startswith("win"):
        return Check("udf_dll", SKIP, "工作表函数（UDF）仅在 Windows 上可用", "worksheet functions (UDFs) work on Windows only")
    bits = struct.calcsize("P") * 8
    name = f"xlwings{bits}-{pinned or installed('xlwings')}.dll"
    exe = Path(sys.executable)
    for folder in (exe.parent, exe.parent.parent):
        if (folder / name).exists():
            return Check("udf_dll", OK, f"{name} 位于 {folder}", f"{name} found in {folder}")
    return Check("udf_dll", ERROR, f"找不到 {name}", f"{name} not found beside {exe}",
                 f"重新安装：pip install --force-reinstall xlwings=={pinned}",
                 f"Reinstall: pip install --force-reinstall xlwings=={pinned}")


def check_interpreter(config: dict[str, str]) -> Check:
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    configured = config.get(key) or config.get("INTERPRETER") or ""
    here = Path(sys.executable)
    if not configured:
        found = shutil.which("python")
        if found and _same(Path(found), here):
            return Check("interpreter", OK, f"未设置 {key}：按钮将使用 PATH 中的 python（即本解释器）",
                         f"{key} not set: the buttons use python on PATH, which is this interpreter")
        return Check("interpreter", WARN,
                     f"未设置 {key}：按钮将使用 PATH 中的 {found or 'python（未找到）'}",
                     f"{key} not set: the buttons will use {found or 'python (not found)'} from PATH",
                     f"在 xlwings.conf 工作表中设置 {key} = {here}", f"Set {key} = {here} on the xlwings.conf sheet")
    path = Path(os.path.expandvars(os.path.expanduser(configured)))
    if not path.exists():
        return Check("interpreter", ERROR, f"{key} = {configured} 不存在", f"{key} = {configured} does not exist",
                     f"改为 {here}", f"Change it to {here}")
    if not _same(path, here):
        return Check("interpreter", WARN, f"{key} = {configured}，不是当前解释器 {here}",
                     f"{key} = {configured}, not this interpreter {here}",
                     f"确认该解释器中已安装 xlperf（{configured} -m xlperf doctor）",
                     f"Make sure xlperf is installed there ({configured} -m xlperf doctor)")
    return Check("interpreter", OK, f"{key} = {configured}", f"{key} = {configured}")


def check_udf_modules(config: dict[str, str], book: Path | None) -> Check:
    """The template's wrappers call the ``udfs`` module directly, so UDF MODULES is not needed; but
    if it is set without ``udfs``, an Import Functions click would replace the XP_* wrappers."""
    if book is None:
        return Check("udf_modules", SKIP, "未指定工作簿，跳过 UDF MODULES 检查", "no workbook given: UDF MODULES not checked")
    value = config.get("UDF MODULES", "")
    if value and UDF_MODULE not in [v.strip() for v in value.split(";")]:
        return Check("udf_modules", WARN, f"UDF MODULES = {value}，不含 {UDF_MODULE}",
                     f"UDF MODULES = {value} does not include {UDF_MODULE}",
                     f"改为 {UDF_MODULE};{value}，否则点击 Import Functions 会移除 XP_* 函数",
                     f"Set it to {UDF_MODULE};{value}, or an Import Functions click drops the XP_* functions")
    return Check("udf_modules", OK, f"UDF MODULES = {value or '（未设置，无需设置）'}",
                 f"UDF MODULES = {value or '(not set; not needed)'}")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.resolve().parent == b.resolve().parent
    except OSError:
        return False


# ── reading the workbook: its xlwings.conf and the version its VBA was built for ───────────────────

def xlwings_config(book: Path | None) -> dict[str, str]:
    """xlwings' own lookup order: the workbook's xlwings.conf sheet, then xlwings.conf beside the
    workbook, then the user's config file (first hit per key wins)."""
    config: dict[str, str] = {}
    files = [user_config_file()]
    if book is not None:
        files.insert(0, book.parent / "xlwings.conf")
    for path in reversed(files):
        if path.is_file():
            config.update(_conf_file(path))
    if book is not None:
        config.update(_conf_sheet(book))
    return config


def user_config_file() -> Path:
    """Where xlwings' VBA looks for the user's config: inside Excel's sandbox on macOS."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    return Path.home() / ".xlwings" / "xlwings.conf"


def _conf_file(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = re.match(r'\s*"([^"]+)"\s*,\s*"([^"]*)"', line)
        if match:
            out[match.group(1).upper()] = match.group(2)
    return out


def _conf_sheet(book: Path) -> dict[str, str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(book, read_only=True, data_only=True)
    except Exception:
        return {}
    try:
        if CONF_SHEET not in wb.sheetnames:
            return {}
        out: dict[str, str] = {}
        for row in wb[CONF_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            key = row[0]
            if key is None or str(key).strip() == "":
                break  # xlwings reads down to the first blank key
            out[str(key).strip().upper()] = "" if row[1] is None else str(row[1])
        return out
    finally:
        wb.close()


def workbook_xlwings_version(book: Path) -> str | None:
    """The XLWINGS_VERSION constant of the xlwings VBA module stored in the workbook, or None.
    Read with xlperf's own vbaProject reader (works on Excel-saved projects with p-code too)."""
    import zipfile

    from ..excel.vba.reader import read_vba_project
    from ..excel.vba_sources import xlwings_version_of

    with zipfile.ZipFile(book) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith("vbaproject.bin")]
        if not names:
            return None
        data = zf.read(names[0])
    for module in read_vba_project(data).modules:
        if module.name.lower() == "xlwings":
            try:
                return xlwings_version_of(module.source)
            except ValueError:
                return None
    return None


# ── entry points ───────────────────────────────────────────────────────────────────────────────────

def run_checks(book: Path | None = None, *, lang: str = "zh", windows: bool | None = None,
               runner: Runner | None = None, zone_reader: ZoneReader | None = None) -> DoctorReport:
    """Every check. ``windows`` (default: this machine is Windows) adds what blocks the buttons on a
    managed PC, read through ``runner`` / ``zone_reader`` (see doctor_windows; tests pass recorded
    outputs)."""
    from .doctor_windows import skipped_checks, windows_checks

    pinned = pinned_xlwings()
    config = xlwings_config(book)
    on_windows = sys.platform == "win32" if windows is None else windows
    return DoctorReport([
        check_python(), check_libraries(), check_xlwings(pinned), check_template_vba(book, pinned),
        check_bridge(pinned), check_udf_dll(pinned), check_interpreter(config), check_udf_modules(config, book),
        *(windows_checks(book, runner, zone_reader) if on_windows else skipped_checks()),
    ])


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("doctor", help="环境检查 / check Python, xlwings and the Excel setup")
    p.add_argument("book", nargs="?", help="also check this workbook's VBA version and xlwings.conf")
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import cli_lang

    lang = cli_lang(args)
    report = run_checks(Path(args.book) if args.book else None, lang=lang)
    if args.json:
        print(json.dumps({"ok": report.ok, "checks": [asdict(c) for c in report.checks]}, ensure_ascii=False, indent=1))
    else:
        print(report.text(lang))
    return 0 if report.ok else 1
