"""The command line's own words in both languages: the help of every command and option, argparse's
messages (usage, errors, required arguments), and which language they are said in.

The language of help and usage errors: ``--lang`` or XLPERF_LANG when given; else Chinese under a
Chinese locale (LC_ALL / LC_MESSAGES / LANG = zh_*); else the language of the workbook named on the
command line (looked at only when help or an error is printed); else English under another named
locale; else Chinese. The command modules keep their ``register(subparsers)``; their help strings are
replaced here, by (command, option dest), so the words live in one place.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..i18n import ALL_OPEN_PERIODS, CURRENT_PERIOD, Text

T = Text

# argparse's messages (Python 3.11's msgids), in Chinese.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个取值",
    "expected at most one argument": "最多一个取值",
    "expected at least one argument": "至少一个取值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ignored explicit argument %r": "忽略了多余的取值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
ARGPARSE_ZH_PLURAL: dict[str, str] = {"expected %s argument": "需要 %s 个取值"}

BOOK = T("工作簿文件（.xlsm / .xlsx）", "the workbook file (.xlsm / .xlsx)")
OUT_FILE = T("写入这个新文件，不改动原工作簿", "write into this new file instead of the workbook itself")
PERIOD_DEFAULT = T(f"期间（默认：{CURRENT_PERIOD.zh}）", f"the period (default: {CURRENT_PERIOD.en})")
VENDOR = T("只处理这个供应商（可重复）", "only this vendor (repeatable)")

PROG = T("劳务外包绩效管理：在 Excel 中校验、计分、反馈", "outsourced-labour performance management in Excel")

# (command, option dest) → help; (command, None) → the command's line in `xlperf --help`.
HELP: dict[tuple[str, str | None], Text] = {
    ("", "lang"): T("提示信息的语言（默认：工作簿的语言，否则中文；环境变量 XLPERF_LANG）",
                    "message language (default: the workbook's, else zh; env XLPERF_LANG)"),
    ("new", None): T("新建工作簿（空白模板）", "a fresh workbook from the template"),
    ("new", "path"): T("新建的 .xlsm 文件", "the new .xlsm file"),
    ("new", "book_lang"): T("模板语言（默认中文，或全局 --lang）", "template language (default: zh, or the global --lang)"),
    ("new", "force"): T("覆盖已有文件", "overwrite an existing file"),
    ("demo", None): T("示例：生成 DIR/xlperf-demo.xlsm 并运行全部功能", "build DIR/xlperf-demo.xlsm and run every job on it"),
    ("demo", "dir"): T("示例文件所在文件夹（默认：当前文件夹）", "folder for the demo files (default: .)"),
    ("demo", "demo_lang"): T("示例工作簿的语言（默认中文）", "language of the demo workbook (default zh)"),
    ("validate", None): T("校验数据：逐个单元格检查输入", "check the workbook's inputs"),
    ("validate", "book"): BOOK,
    ("validate", "json"): T("以 JSON 输出全部问题", "print the findings as JSON"),
    ("validate", "write"): T("在工作簿中写入（或刷新）“校验结果”表", "add or refresh the findings sheet (Findings)"),
    ("validate", "verbose"): T("逐条列出每条提示（默认按类别汇总）", "list every info finding (by default they are summarised by kind)"),
    ("recompute", None): T(f"校验、计分并写回结果；默认重算本期（{CURRENT_PERIOD.zh}），--all 为全部重算",
                           f"validate, score and write the results; by default the current period ({CURRENT_PERIOD.en}), "
                           "--all for every open period"),
    ("recompute", "book"): BOOK,
    ("recompute", "period"): T("只算这个期间（汇总期间表示其下各期间）",
                               "only this period (a roll-up period means its child periods)"),
    ("recompute", "all_periods"): T(f"全部重算：{ALL_OPEN_PERIODS.zh}", f"recompute all: {ALL_OPEN_PERIODS.en}"),
    ("recompute", "force"): T("已关闭的期间也重算", "also recompute closed periods"),
    ("recompute", "out"): OUT_FILE,
    ("recompute", "json"): T("以 JSON 输出摘要（或问题）", "print the summary (or the findings) as JSON"),
    ("recompute", "verbose"): T("逐条列出每条提示（默认按类别汇总）", "list every info finding (by default they are summarised by kind)"),
    ("feedback", None): T("生成反馈表与汇总表", "write feedback sheets and the summary sheet"),
    ("feedback", "book"): BOOK,
    ("feedback", "period"): PERIOD_DEFAULT,
    ("feedback", "vendor"): VENDOR,
    ("feedback", "out"): OUT_FILE,
    ("share", None): T("生成供应商反馈包（每个供应商一个安全的 .xlsx）", "one safe .xlsx per vendor"),
    ("share", "book"): BOOK,
    ("share", "vendor"): VENDOR,
    ("share", "period"): PERIOD_DEFAULT,
    ("share", "out"): T("反馈包保存到的文件夹", "the folder the packs go into"),
    ("import", None): T("导入：把 CSV（UTF-8 或 GBK）载入一张表", "load a CSV (UTF-8 or GBK) into a table"),
    ("import", "book"): BOOK,
    ("import", "csv"): T("CSV 文件", "the CSV file"),
    ("import", "append"): T("追加到已有行之后，而不是替换", "append instead of replacing the rows"),
    ("export", None): T("导出：把一张表、校验结果或计算结果导出为 CSV 或 JSON",
                        "export a table, the findings or the results as CSV or JSON"),
    ("export", "book"): BOOK,
    ("export", "format"): T("输出格式（默认 csv）", "output format (default csv)"),
    ("export", "out"): T("写入的文件（默认：直接输出）", "file to write (default: print)"),
    ("template", None): T("模板构建（开发用）", "build the workbook templates (for developers)"),
    ("doctor", None): T("环境检查：Python、xlwings 和 Excel 设置", "check Python, xlwings and the Excel setup"),
    ("doctor", "book"): T("同时检查这个工作簿的 VBA 版本和 xlwings.conf", "also check this workbook's VBA version and xlwings.conf"),
    ("doctor", "json"): T("以 JSON 输出检查结果", "print the checks as JSON"),
}
# Help that names something from the command module (the table list, the export choices).
HELP_PREFIX: dict[tuple[str, str], Text] = {
    ("import", "table"): T("表格名称：", "table name: "),
    ("export", "what"): T("可选：", "one of: "),
}


def locale_lang(environ: Mapping[str, str] | None = None) -> str | None:
    """zh or en from the locale (the first of LC_ALL, LC_MESSAGES, LANG that is set); None for C/POSIX
    or none at all."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            base = value.split(".")[0].split("@")[0].lower()
            if base.startswith("zh"):
                return "zh"
            return None if base in ("c", "posix") else "en"
    return None


def explicit_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """--lang zh|en anywhere on the command line, else XLPERF_LANG."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:] if arg.startswith("--lang=") else None
        if value in ("zh", "en"):
            return value
    env = os.environ if environ is None else environ
    value = env.get("XLPERF_LANG")
    return value if value in ("zh", "en") else None


def quick_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of help and errors without opening any file (the parser is built in it)."""
    explicit = explicit_lang(argv, environ)
    return explicit or locale_lang(environ) or "zh"


def full_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of help and errors, looking at the workbook on the command line when the locale
    does not settle it (only when help or an error is about to be printed)."""
    explicit = explicit_lang(argv, environ)
    if explicit:
        return explicit
    loc = locale_lang(environ)
    if loc == "zh":
        return "zh"
    book = book_lang_of(argv)
    return book or loc or "zh"


def book_lang_of(argv: Sequence[str]) -> str | None:
    """The language of the first existing workbook named on the command line, or None."""
    for arg in argv[1:]:
        if arg.startswith("-") or not arg.lower().endswith((".xlsm", ".xlsx")) or not os.path.isfile(arg):
            continue
        try:
            from ..book import settings_lang
            from ..io.filebook import FileBook

            return settings_lang(FileBook(Path(arg)).read_tables(["settings"]))
        except Exception:  # noqa: BLE001 — an unreadable book: its own command says why
            return None
    return None


def localise(parser: argparse.ArgumentParser, lang: str) -> None:
    """Put the help of ``lang`` on the parser built by the command modules."""
    parser.description = PROG(lang)
    _actions(parser, "", lang)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:  # the command list of `xlperf --help`
                text = HELP.get((choice.dest, None))
                if text is not None:
                    choice.help = text(lang)
            for name, sub in action.choices.items():
                text = HELP.get((name, None))
                if text is not None:
                    sub.description = text(lang)


def _actions(parser: argparse.ArgumentParser, command: str, lang: str) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = ARGPARSE_ZH["show this help message and exit"] if lang == "zh" else action.help
            continue
        text = HELP.get((command, action.dest))
        if text is not None:
            action.help = text(lang)
        prefix = HELP_PREFIX.get((command, action.dest))
        if prefix is not None and action.help and ":" in action.help:
            action.help = prefix(lang) + action.help.split(":", 1)[1].strip()
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if sub is not parser:
                    _actions(sub, f"{command} {name}".strip(), lang)


@contextlib.contextmanager
def argparse_speaks(lang: str) -> Iterator[None]:
    """argparse's own messages (usage, errors) in ``lang`` while the block runs. argparse looks its
    gettext functions up in its module at call time, so they are swapped there and put back."""
    if lang != "zh":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return ARGPARSE_ZH.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return ARGPARSE_ZH_PLURAL.get(singular, singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
