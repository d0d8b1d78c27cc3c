"""The command line in the workbook's language: help and usage errors (argparse's own words too) in
Chinese under a Chinese locale or for a Chinese workbook, info findings summarised by kind, a refused
recompute that names the commands to run, and one wording for which periods a recompute computes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from validation_helpers import ROWS

from xlperf.cli import main
from xlperf.demo import build_book
from xlperf.demo.words import in_book_words
from xlperf.excel.ribbon import BUTTONS
from xlperf.i18n import ALL_OPEN_PERIODS, CURRENT_PERIOD


@pytest.fixture()
def locale(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def use(value: str) -> None:
        for name in ("LC_ALL", "LC_MESSAGES", "XLPERF_LANG"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", value)
    return use


def _book(tmp_path: Path, lang: str = "zh", change=None) -> Path:  # type: ignore[no-untyped-def]
    frames = {name: pd.DataFrame(rows) for name, rows in ROWS.items()}
    frames["settings"].loc[frames["settings"]["key"] == "lang", "value"] = lang
    frames = in_book_words(frames, lang)
    if change is not None:
        change(frames)
    return build_book(tmp_path / f"book-{lang}.xlsm", lang, frames)


def _exit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_help_is_chinese_under_a_chinese_locale(locale, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    locale("zh_CN.UTF-8")
    code, out, _ = _exit(capsys, "recompute", "--help")
    assert code == 0
    assert out.startswith("用法：xlperf recompute [-h]")
    assert "-h, --help       显示本帮助并退出" in out
    assert "校验、计分并写回结果；默认重算本期（参数设置中的“当前期间”；未填写时为全部开放期间），--all 为全部重算" in out
    assert "--all            全部重算：全部开放期间，已关闭的期间保持不变" in out
    assert "--verbose        逐条列出每条提示（默认按类别汇总）" in out
    code, out, _ = _exit(capsys, "--help")
    assert "    validate      校验数据：逐个单元格检查输入" in out and "位置参数" in out and "选项" in out


def test_usage_errors_are_chinese_under_a_chinese_locale(locale, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    locale("zh_CN.UTF-8")
    code, out, err = _exit(capsys, "recompute")
    assert (code, out) == (2, "")
    assert err.startswith("用法：xlperf recompute")
    assert err.endswith("xlperf recompute：错误：缺少必需的参数：book\n")
    code, _, err = _exit(capsys, "export", "a.xlsm", "results", "--format", "xml")
    assert err.endswith("xlperf export：错误：参数 --format：无效的选项 'xml'（可选：'csv', 'json'）\n")


def test_english_locale_gets_english_and_lang_overrides(locale, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    locale("en_US.UTF-8")
    code, out, _ = _exit(capsys, "validate", "--help")
    assert code == 0 and out.startswith("usage: xlperf validate [-h]") and "show this help message and exit" in out
    assert "list every info finding" in out
    _, _, err = _exit(capsys, "recompute")
    assert err.endswith("xlperf recompute: error: the following arguments are required: book\n")
    _, _, err = _exit(capsys, "--lang", "zh", "recompute")
    assert err.endswith("缺少必需的参数：book\n")


def test_a_chinese_workbook_gets_chinese_usage_errors_under_an_english_locale(
        locale, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    locale("en_US.UTF-8")
    zh, en = _book(tmp_path, "zh"), _book(tmp_path, "en")
    _, _, err = _exit(capsys, "export", str(zh), "results", "--format", "xml")
    assert err.endswith("xlperf export：错误：参数 --format：无效的选项 'xml'（可选：'csv', 'json'）\n")
    _, _, err = _exit(capsys, "export", str(en), "results", "--format", "xml")
    assert err.endswith("xlperf export: error: argument --format: invalid choice: 'xml' (choose from 'csv', 'json')\n")


def _messy(frames: dict[str, pd.DataFrame]) -> None:
    obs = frames["observations"]
    obs["value"] = obs["value"].astype(object)
    obs.loc[0, "value"] = "96.5%"
    obs.loc[1, "value"] = "９２"
    obs.loc[2, "value"] = "3%"
    frames["indicators"].loc[0, "method"] = "线性计分"


def test_info_findings_are_summarised_by_kind(locale, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    locale("C.UTF-8")
    book = _book(tmp_path, change=_messy)
    assert main(["validate", str(book)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["[提示] 已规范 2 个百分数、1 个全角字符、1 个选项的其他写法；--verbose 显示明细",
                                "共 0 个错误，0 个警告，4 条提示。"]
    assert main(["validate", str(book), "--verbose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith("[提示] ") for line in lines[:4])
    assert "[提示] 考核指标!F2 normalised-choice: “线性计分”读取为 线性 → 无需处理。" in lines


def test_a_refused_recompute_names_the_commands_to_run(locale, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    locale("C.UTF-8")

    def broken(frames: dict[str, pd.DataFrame]) -> None:
        _messy(frames)
        frames["observations"].loc[3, "vendor_id"] = "V999"

    book = _book(tmp_path, change=broken)
    before = book.read_bytes()
    assert main(["recompute", str(book)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0].startswith("[错误] 监控记录!C5 ")
    assert lines[1:] == ["[提示] 已规范 2 个百分数、1 个全角字符、1 个选项的其他写法；--verbose 显示明细",
                         "共 1 个错误，0 个警告，4 条提示。",
                         (f"输入数据有 1 个错误，未计算。工作簿未改动。错误已逐条列在上方；修正后再运行 xlperf recompute {book}。"
                          f"如需把问题清单写入工作簿的“校验结果”表，请运行：xlperf validate {book} --write")]
    assert "校验结果中的问题" not in captured.err and book.read_bytes() == before


def test_both_doors_say_which_periods_the_same_way(locale, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    tips = {b.key: b.tip for b in BUTTONS}
    assert CURRENT_PERIOD.zh in tips["recompute_current"].zh and CURRENT_PERIOD.en in tips["recompute_current"].en
    assert ALL_OPEN_PERIODS.zh in tips["recompute_all"].zh and ALL_OPEN_PERIODS.en in tips["recompute_all"].en
    for lang, value in (("zh", "zh_CN.UTF-8"), ("en", "en_GB.UTF-8")):
        locale(value)
        _, out, _ = _exit(capsys, "recompute", "--help")
        flat = " ".join(out.split())
        assert CURRENT_PERIOD(lang) in flat and ALL_OPEN_PERIODS(lang) in flat
    from xlperf.contract.tables import SETTINGS_BY_KEY

    assert SETTINGS_BY_KEY["current_period"].doc_zh == "“重算本期”和命令行默认计算的期间；留空则为全部开放期间"


def test_capped_findings_are_counted_and_capped_errors_stay_listed() -> None:
    from xlperf.cli._common import info_summary, is_info
    from xlperf.findings import Finding, Report, Severity

    info = Severity.INFO
    findings = [Finding(code="normalised-percent", severity=info, cell=f"F{i}") for i in range(2, 52)]
    findings.append(Finding(code="more-findings", severity=info, value="10",
                            message="“数值”列另有 10 个同类问题（normalised-percent）未逐一列出"))
    capped_errors = Finding(code="more-findings", severity=info, value="7",
                            message="“数值”列另有 7 个同类问题（not-a-number）未逐一列出")
    findings += [capped_errors, Finding(code="derived-period", severity=info, value="12")]
    report = Report(findings=findings)
    assert info_summary(report, "zh") == "已规范 60 个百分数；12 条记录按日期归入期间；--verbose 显示明细"
    assert info_summary(report, "en") == ("normalised 60 percentage(s); 12 record(s) given their period from the date; "
                                          "--verbose lists them")
    assert not is_info(capped_errors)
