"""xlperf share BOOK [--vendor V] [--period P] --out DIR."""

from __future__ import annotations

import argparse

from . import cli_lang


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("share", help="生成供应商反馈包 / one safe .xlsx per vendor")
    p.add_argument("book")
    p.add_argument("--vendor", action="append", help="only this vendor (repeatable)")
    p.add_argument("--period", help="the period (default: the current_period setting)")
    p.add_argument("--out", required=True, help="the folder the packs go into")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..reports.share import load_scored, packs_report, write_packs

    book = load_scored(args.book, args.period, args.lang)
    from ..jobs import row_note_lines

    files = write_packs(book, args.out, args.vendor)
    lang = args.lang or book.lang or cli_lang(args)
    print("\n".join([packs_report(files, lang), *row_note_lines(book.row_notes, lang)]))
    return 0
