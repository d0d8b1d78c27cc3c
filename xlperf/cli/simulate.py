"""xlperf simulate BOOK [--scenario S] [--period P] [--out PATH] [--json]: 方案模拟."""

from __future__ import annotations

import argparse

from ._common import book_lock, file_engine, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("simulate", help="方案模拟 / re-score everyone under each scenario; the real results stay")
    p.add_argument("book")
    p.add_argument("--scenario", help="only this scenario (default: every scenario in the table)")
    p.add_argument("--period", help="this period (default: the current_period setting, else every period)")
    p.add_argument("--out", help="write into this new file instead of the workbook itself")
    p.add_argument("--json", action="store_true", help="print the per-scenario summary as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs_review import run_simulate

    with book_lock(args.book, args.out, "simulate"):
        summary = run_simulate(file_engine(args.book, args.out), scenario=args.scenario, period=args.period,
                               lang=args.lang)
    if args.json:
        print_json({"ok": True, "scenarios": summary.scenarios, "periods": summary.periods, "rows": summary.rows,
                    "moved": {k: {"up": u, "down": d} for k, (u, d) in summary.moved.items()},
                    "duration_s": round(summary.duration_s, 3)})
    else:
        print(summary.text())
    return 0
