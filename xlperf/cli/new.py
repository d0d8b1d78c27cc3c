"""xlperf new PATH [--lang zh|en] [--force]: a fresh, empty workbook from the template."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import pick


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("new", help="新建工作簿 / a fresh workbook from the template")
    p.add_argument("path", help="the new .xlsm file")
    # Own dest: the top-level --lang (message language) must not be overwritten by this default.
    p.add_argument("--lang", dest="book_lang", choices=("zh", "en"), default=None,
                   help="template language (default: zh, or the global --lang)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..excel.template import new_book

    lang = args.book_lang or getattr(args, "lang", None) or "zh"
    path = new_book(Path(args.path), lang, force=args.force)
    print(pick(lang, f"已创建 {path}。请先阅读“说明”工作表。", f"Created {path}. Start with the Instructions sheet."))
    return 0
