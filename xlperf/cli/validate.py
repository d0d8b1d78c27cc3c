"""xlperf validate BOOK [--json] [--write] [--verbose]: every problem in one pass, cell by cell (info
findings summarised by kind unless --verbose)."""

from __future__ import annotations

import argparse

from . import cli_lang
from ._common import book_lock, file_engine, print_findings, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help="校验数据 / check the workbook's inputs")
    p.add_argument("book")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--write", action="store_true", help="add or refresh the findings sheet (校验结果)")
    p.add_argument("--verbose", action="store_true", help="list every info finding (default: summarised by kind)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs import run_validate
    if args.write:
        with book_lock(args.book, None, "validate --write"):
            report = run_validate(file_engine(args.book), write=True, lang=args.lang)
    else:  # reading only: a concurrent save is atomic, the file read is always whole
        report = run_validate(file_engine(args.book), write=False, lang=args.lang)
    lang = cli_lang(args, report.lang)
    if args.json:
        print_json([f.to_row() for f in report.sorted()])
    else:
        print_findings(report, lang, verbose=args.verbose)
    return 0 if report.valid else 1

