"""xlperf pull BOOK [--source S] [--period P] [--out PATH] [--json]: refresh 监控记录 from the sources table."""

from __future__ import annotations

import argparse
import sys

from ..errors import ValidationFailed
from . import cli_lang
from ._common import book_lock, file_engine, print_findings, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("pull", help="刷新监控数据 / group the configured sources into the observations table")
    p.add_argument("book")
    p.add_argument("--source", help="only this source_id (enabled or not)")
    p.add_argument("--period", help="only this period (a roll-up period means its child periods); "
                                    "default: the current_period setting, else every open period")
    p.add_argument("--out", help="write into this new file instead of the workbook itself")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..sources.job import run_pull

    try:
        with book_lock(args.book, args.out, "pull"):
            summary = run_pull(file_engine(args.book, args.out), source=args.source, period=args.period,
                               lang=args.lang)
    except ValidationFailed as exc:
        print_findings(exc.report, cli_lang(args, exc.lang), stream=sys.stderr)
        raise
    if args.json:
        print_json({"ok": True, "sources": summary.sources, "periods": summary.periods, "rows": summary.rows,
                    "records": summary.records, "replaced": summary.replaced, "notes": summary.notes,
                    "duration_s": round(summary.duration_s, 3)})
    else:
        print(summary.text(cli_lang(args, summary.lang)))
    return 0
