"""xlperf demo [DIR]: build the realistic sample workbook and run every job on it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..i18n import pick
from . import cli_lang
from ._common import file_engine


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="示例 / build DIR/xlperf-demo.xlsm and run every job on it")
    p.add_argument("dir", nargs="?", default=".", help="folder for the demo files (default: .)")
    p.add_argument("--lang", dest="demo_lang", choices=("zh", "en"), default=None,
                   help="language of the demo workbook (default zh)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..demo import write_demo_book
    from ..jobs import run_recompute, run_validate
    from ..reports.share import load_scored, packs_report, write_feedback, write_packs

    lang = args.demo_lang or cli_lang(args)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / ("xlperf-demo.xlsm" if lang == "zh" else "xlperf-demo-en.xlsm")
    started = time.perf_counter()

    def step(zh: str, en: str) -> None:
        print(pick(lang, f"▶ {zh}", f"▶ {en}"), flush=True)

    step(f"生成示例工作簿 {book}", f"Building the sample workbook {book}")
    write_demo_book(book, "demo", lang)
    engine = file_engine(str(book))

    step("校验数据（写入“校验结果”表）", "Validating (writing the Findings sheet)")
    report = run_validate(engine, write=True, lang=lang)
    print("  " + pick(lang, f"{len(report.errors)} 个错误，{len(report.warnings)} 个警告，"
                            f"{len(report) - len(report.errors) - len(report.warnings)} 条提示",
                      f"{len(report.errors)} errors, {len(report.warnings)} warnings, "
                      f"{len(report) - len(report.errors) - len(report.warnings)} info"))

    step("全部重算", "Recomputing every open period")
    summary = run_recompute(engine, all_periods=True, lang=lang)
    print("  " + summary.text(lang))

    step("生成反馈表与内部汇总表", "Writing feedback sheets and the internal summary")
    scored = load_scored(str(book), None, lang)
    names = write_feedback(scored, None, None)
    print("  " + pick(lang, f"{len(names)} 张工作表（期间 {scored.period}）", f"{len(names)} sheets (period {scored.period})"))

    step("导出供应商反馈包", "Exporting vendor packs")
    packs = write_packs(load_scored(str(book), None, lang), str(folder / "packs"), None)
    for line in packs_report(packs, lang).splitlines():
        print("  " + line)

    from ..jobs_review import run_analyze, run_simulate

    step("方案模拟（写入“模拟结果”表，真实结果不变）", "Simulating the scenarios (the Simulation sheet; real results unchanged)")
    print("  " + run_simulate(engine, lang=lang).text(lang))

    step("指标体系评估", "Reviewing the indicators and raters")
    print("  " + run_analyze(engine, lang=lang).text(lang))

    took = time.perf_counter() - started
    print(pick(lang, f"完成，用时 {took:.1f} 秒。用 Excel 打开 {book} 查看结果。",
               f"Done in {took:.1f} s. Open {book} in Excel to see the results."))
    return 0
