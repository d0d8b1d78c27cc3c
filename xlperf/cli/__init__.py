"""The command line: ``xlperf <command> ...``. Each command lives in its own module here and
registers itself; this module only parses, dispatches and turns xlperf errors into messages and exit
codes (0 ok, 1 input errors, 2 unusable file or bad usage, 3 could not write, 4 internal error
with its details in a log file)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Sequence

from ..errors import ValidationFailed, XlperfError
from ..i18n import pick

# Command modules, in the order `xlperf --help` lists them. Each defines register(subparsers).
COMMANDS: tuple[str, ...] = (
    "new", "demo", "validate", "recompute", "feedback", "share",
    "import_", "export", "template", "doctor",
    "simulate", "analyze",
)
COMMANDS = (*COMMANDS, "pull")  # issue 16: monitoring data from files and databases


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser, its help in ``lang`` (default: the language the environment asks for)."""
    from .texts import localise, quick_lang

    parser = argparse.ArgumentParser(
        prog="xlperf", description="劳务外包绩效管理 / outsourced-labour performance management in Excel")
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="message language (default: the workbook's, else zh; env XLPERF_LANG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command still being built is simply not offered
            if exc.name and exc.name.startswith(__name__):
                continue
            raise
        module.register(sub)
    localise(parser, lang or quick_lang([]))
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``; help and usage errors (argparse's own words too) in the language the command
    line, the environment or the workbook named on it asks for (see ``texts``)."""
    import contextlib
    import io

    from .texts import argparse_speaks, full_lang, quick_lang

    lang = quick_lang(argv)
    out, err = io.StringIO(), io.StringIO()
    try:
        with argparse_speaks(lang), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return build_parser(lang).parse_args(argv)
    except SystemExit:
        # Help or a usage error: only now is it worth opening the workbook to learn its language.
        full = full_lang(argv)
        if full != lang:
            with argparse_speaks(full):
                build_parser(full).parse_args(argv)  # prints in that language and exits
        sys.stdout.write(out.getvalue())
        sys.stderr.write(err.getvalue())
        raise


def cli_lang(args: argparse.Namespace, book_lang: str | None = None) -> str:
    """--lang, else XLPERF_LANG, else the workbook's language (when known), else the locale's, else zh."""
    from .texts import locale_lang

    return str(getattr(args, "lang", None) or os.environ.get("XLPERF_LANG") or book_lang or locale_lang() or "zh")


# Commands that read a whole workbook first: their biggest sheet is worth parsing while the command
# modules import pandas (see xlperf.io.prefetch).
_PREFETCH = frozenset({"recompute", "validate"})


def _prefetch(argv: Sequence[str]) -> None:
    """Sniff ``<command> BOOK`` from the raw arguments and start parsing BOOK's biggest sheet."""
    words, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    if len(words) >= 2 and words[0] in _PREFETCH and os.path.isfile(words[1]):
        from ..io import prefetch

        prefetch.start(words[1])


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_stdio()
    words = list(sys.argv[1:] if argv is None else argv)
    _prefetch(words)
    args = parse_args(words)
    if not getattr(args, "run", None):
        from .texts import argparse_speaks, full_lang

        lang = full_lang(words)
        with argparse_speaks(lang):
            build_parser(lang).print_help()
        return 2
    try:
        with warnings.catch_warnings():
            # numpy/pandas warnings (an overflow on an absurd input value ...) are developer noise with
            # file paths in them, not messages for HR; the findings and results say what matters.
            warnings.simplefilter("ignore")
            return int(args.run(args) or 0)
    except ValidationFailed as exc:
        lang = cli_lang(args, exc.lang)
        print(exc.message(lang) + refusal_hint(args, lang), file=sys.stderr)
        return exc.exit_code
    except XlperfError as exc:
        print(exc.message(cli_lang(args, getattr(exc, "lang", None))), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `xlperf export ... | head`: the reader stopped listening, not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the last line of defence: never a traceback to a user
        log = _write_crash_log(exc)
        lang = cli_lang(args)
        print(("xlperf 内部错误，文件未被修改。详细信息已记录在 {log}，请发给 IT 支持。" if lang == "zh" else
               "xlperf hit an internal error; your file was not changed. Details are in {log}: send it to IT support."
               ).format(log=log), file=sys.stderr)
        return 4


def refusal_hint(args: argparse.Namespace, lang: str) -> str:
    """What a command-line user does when the inputs have errors: the command line wrote no 校验结果
    sheet, so it names the commands to run rather than a sheet."""
    import shlex

    book = shlex.quote(str(getattr(args, "book", None) or "BOOK"))
    listed = getattr(args, "command", None) == "recompute" and not getattr(args, "json", False)
    again = f"xlperf {args.command} {book}" if getattr(args, "command", None) else f"xlperf recompute {book}"
    return pick(lang,
                f"工作簿未改动。{'错误已逐条列在上方；' if listed else ''}修正后再运行 {again}。"
                f"如需把问题清单写入工作簿的“校验结果”表，请运行：xlperf validate {book} --write",
                f" The workbook was not changed. {'The errors are listed above; ' if listed else ''}fix them and run "
                f"{again} again. To put the list on the workbook's Findings sheet, run: xlperf validate {book} --write")


def _write_crash_log(exc: BaseException) -> str:
    import tempfile
    import traceback
    from datetime import datetime
    from pathlib import Path

    folder = Path(os.environ.get("XLPERF_LOG_DIR") or Path(tempfile.gettempdir()) / "xlperf-logs")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"xlperf-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        return str(path)
    except OSError:
        return "(log could not be written)"


def _utf8_stdio() -> None:
    # Chinese messages must print on Windows consoles and when piped.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
