"""xlperf analyze BOOK [--period P] [--out PATH] [--json]: 指标体系评估 (indicator and rater health)."""

from __future__ import annotations

import argparse

from ._common import book_lock, file_engine, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("analyze", help="指标体系评估 / indicator and rater health, vendor trends")
    p.add_argument("book")
    p.add_argument("--period", help="this period (default: the current_period setting, else every period)")
    p.add_argument("--out", help="write into this new file instead of the workbook itself")
    p.add_argument("--json", action="store_true", help="print the flags as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs_review import run_analyze

    with book_lock(args.book, args.out, "analyze"):
        summary = run_analyze(file_engine(args.book, args.out), period=args.period, lang=args.lang)
    if args.json:
        health, raters = summary.frames["indicator_health"], summary.frames["rater_analysis"]
        print_json({"ok": True, "periods": summary.periods, "flagged": summary.flagged,
                    "indicators": [{"period_id": p, "indicator_id": i, "flags": f} for p, i, f in
                                   zip(health["period_id"], health["indicator_id"], health["flags"]) if f],
                    "raters": [{"period_id": p, "rater": r, "flags": f} for p, r, f in
                               zip(raters["period_id"], raters["rater"], raters["flags"]) if f]})
    else:
        print(summary.text())
    return 0
