"""xlperf import BOOK TABLE FILE.csv [--append]: fill a table from another system's export."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..contract import TABLES_BY_NAME
from ..errors import UsageError
from ..i18n import pick
from . import cli_lang
from ._common import book_lock


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="导入 / load a CSV (UTF-8 or GBK) into a table")
    p.add_argument("book")
    p.add_argument("table", help="table name: " + ", ".join(TABLES_BY_NAME))
    p.add_argument("csv")
    p.add_argument("--append", action="store_true", help="append instead of replacing the rows")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..io.csvio import read_csv_table
    from ..io.writer import replace_table_rows

    lang = cli_lang(args)
    table = TABLES_BY_NAME.get(args.table)
    if table is None:
        raise UsageError(f"没有名为 {args.table} 的表。可用：{', '.join(TABLES_BY_NAME)}",
                         f"There is no table {args.table!r}. Tables: {', '.join(TABLES_BY_NAME)}")
    frame = read_csv_table(Path(args.csv), table)
    with book_lock(args.book, None, "import"):
        replace_table_rows(Path(args.book), table.name, frame, append=args.append)
    verb = pick(lang, "追加" if args.append else "替换为", "appended" if args.append else "replaced with")
    print(pick(lang, f"{table.sheet_name(lang)}（{table.name}）已{verb} {len(frame)} 行。运行 xlperf validate 检查数据。",
               f"{table.sheet_name(lang)} ({table.name}) {verb} {len(frame)} rows. Run xlperf validate to check them."))
    return 0
