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

from ..errors import XlperfError

# Command modules, in the order `xlperf --help` lists them. Each defines register(subparsers).
COMMANDS: tuple[str, ...] = (
    "new", "demo", "validate", "recompute", "feedback", "share",
    "import_", "export", "template", "doctor",
)
COMMANDS = (*COMMANDS, "pull")  # issue 16: monitoring data from files and databases


def build_parser() -> argparse.ArgumentParser:
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
    return parser


def cli_lang(args: argparse.Namespace, book_lang: str | None = None) -> str:
    """--lang, else XLPERF_LANG, else the workbook's language (when known), else zh."""
    return str(getattr(args, "lang", None) or os.environ.get("XLPERF_LANG") or book_lang or "zh")


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
    _prefetch(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        with warnings.catch_warnings():
            # numpy/pandas warnings (an overflow on an absurd input value ...) are developer noise with
            # file paths in them, not messages for HR; the findings and results say what matters.
            warnings.simplefilter("ignore")
            return int(args.run(args) or 0)
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
