"""xlperf feedback BOOK [--period P] [--vendor V] [--out PATH]."""

from __future__ import annotations

import argparse

from ..i18n import pick
from . import cli_lang
from ._common import book_lock


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("feedback", help="生成反馈表与汇总表 / write feedback sheets and the summary sheet")
    p.add_argument("book")
    p.add_argument("--period", help="the period (default: the current_period setting)")
    p.add_argument("--vendor", action="append", help="only this vendor (repeatable)")
    p.add_argument("--out", help="write into this new file instead of the workbook itself")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..io.extension import check_extension
    from ..reports.share import load_scored, write_feedback

    if args.out:
        check_extension(args.out)  # refused before any work: .xlsx (macro-free) or .xlsm only
    with book_lock(args.book, args.out, "feedback"):
        book = load_scored(args.book, args.period, args.lang)
        names = write_feedback(book, args.out, args.vendor)
    lang = args.lang or book.lang or cli_lang(args)
    target = args.out or args.book
    print(pick(lang, f"已写入 {len(names)} 张工作表到 {target}（期间 {book.period}）：{'、'.join(names)}",
               f"Wrote {len(names)} sheet(s) into {target} (period {book.period}): {', '.join(names)}"))
    from ..jobs import row_note_lines

    for line in row_note_lines(book.row_notes, lang):  # rows under tables: read, or left out
        print(line)
    return 0
