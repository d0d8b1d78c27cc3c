"""xlperf recompute BOOK [--period P] [--all] [--force] [--out PATH] [--json] [--verbose].

Without --period or --all it computes what the ribbon's 重算本期 computes (the Current period setting;
when blank, every open period); --all is the ribbon's 全部重算 (every open period)."""

from __future__ import annotations

import argparse
import sys

from ..errors import ValidationFailed
from . import cli_lang
from ._common import book_lock, file_engine, print_findings, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("recompute", help="全部重算 / validate, score and write the results")
    p.add_argument("book")
    p.add_argument("--period", help="only this period (a roll-up period means its child periods)")
    p.add_argument("--all", dest="all_periods", action="store_true", help="every open period")
    p.add_argument("--force", action="store_true", help="also recompute closed periods")
    p.add_argument("--out", help="write into this new file instead of the workbook itself")
    p.add_argument("--json", action="store_true", help="print the summary (or the findings) as JSON")
    p.add_argument("--verbose", action="store_true", help="list every info finding (default: summarised by kind)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs import run_recompute
    try:
        with book_lock(args.book, args.out, "recompute"):
            summary = run_recompute(file_engine(args.book, args.out), period=args.period,
                                    all_periods=args.all_periods, force=args.force, lang=args.lang)
    except ValidationFailed as exc:
        lang = cli_lang(args, exc.lang)
        if args.json:
            print_json({"ok": False, "findings": [f.to_row() for f in exc.report.sorted()]})
        else:
            print_findings(exc.report, lang, stream=sys.stderr, verbose=args.verbose)
        raise
    if args.json:
        print_json({"ok": True, "periods": summary.periods, "kept_closed": summary.kept_closed,
                    "subjects": summary.subjects, "scores": summary.score_rows, "warnings": summary.warnings,
                    "findings": summary.findings, "grades": summary.grade_counts,
                    "rows_below_tables": [f.to_row() for f in summary.row_notes],
                    "duration_s": round(summary.duration_s, 3)})
    else:
        print(summary.text(cli_lang(args, summary.lang)))
    return 0
