"""xlperf template build [--check] [--out DIR]: rebuild the committed .xlsm templates from their sources."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import pick
from . import cli_lang


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("template", help="模板构建（开发用）/ build the workbook templates (for developers)")
    actions = p.add_subparsers(dest="template_action", metavar="ACTION")
    build = actions.add_parser("build", help="rebuild workbook_templates/xlperf.xlsm and xlperf_en.xlsm")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if a committed template differs from a fresh build")
    build.add_argument("--out", default=None,
                       help="output folder for both templates and WORKBOOK.md (default: workbook_templates/ and docs/)")
    build.set_defaults(run=run_build)
    p.set_defaults(run=run_help, template_parser=p)


def run_help(args: argparse.Namespace) -> int:
    args.template_parser.print_help()
    return 2


def run_build(args: argparse.Namespace) -> int:
    from ..excel.template import build_templates, stale_templates

    lang = cli_lang(args)
    out = Path(args.out) if args.out else None
    if args.check:
        stale = stale_templates(out)
        for path in stale:
            print(pick(lang, f"模板需要重新构建：{path}", f"template out of date: {path}"))
        if not stale:
            print(pick(lang, "模板与源文件一致。", "Templates match their sources."))
        return 1 if stale else 0
    for path in build_templates(out):
        print(pick(lang, f"已生成 {path}", f"wrote {path}"))
    return 0
