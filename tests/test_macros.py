"""The Python side of every ribbon button, run on real workbook files through the same code path the
live macros use (``run_action`` on a BookEngine), compared with the command line on identical copies."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import pytest
from excel_helpers import book

import xlperf.macros as macros
from xlperf.book import OutputBlock, RawBook
from xlperf.cli import main
from xlperf.errors import FileLockedError
from xlperf.io.filebook import FileBook
from xlperf.macros import ExcelUi, MacroResult, NullUi, run_action

OUTPUTS = ("xp_results", "xp_scores", "xp_warnings")


def damage(tables: dict[str, pd.DataFrame]) -> None:
    obs = tables["observations"]
    obs["value"] = obs["value"].astype(object)
    obs.loc[4, "value"] = "abc"  # text in a number cell
    obs.loc[6, "vendor_id"] = "V999"  # a vendor that does not exist


def twins(tmp_path: Path, name: str = "book", **kw: Any) -> tuple[Path, Path]:
    a = book(tmp_path, name, **kw)
    b = a.with_name(f"{name}-cli.xlsm")
    shutil.copyfile(a, b)
    return a, b


def table(path: Path, name: str) -> pd.DataFrame:
    raw = FileBook(path).read().tables[name]
    frame = raw.data.copy()
    frame.columns = raw.headers
    return frame


def test_recompute_all_button_writes_what_the_cli_writes(tmp_path: Path) -> None:
    macro_book, cli_book = twins(tmp_path)
    ui = NullUi()
    result = run_action("recompute_all", FileBook(macro_book), ui, log_dir=tmp_path / "logs")
    assert main(["recompute", str(cli_book), "--all"]) == 0
    assert result.ok and result.title == "全部重算"
    assert result.message.startswith("已重算 ") and "个评估对象" in result.message
    assert ui.statuses == ["xlperf：正在读取工作簿……", "xlperf：正在写入结果……"]
    for name in OUTPUTS:
        pd.testing.assert_frame_equal(table(macro_book, name), table(cli_book, name))
    runlog_macro, runlog_cli = table(macro_book, "xp_runlog"), table(cli_book, "xp_runlog")
    same = [c for c in runlog_macro.columns if c not in ("时间", "耗时(秒)")]
    pd.testing.assert_frame_equal(runlog_macro[same], runlog_cli[same])
    assert result.detail.periods == list(dict.fromkeys(table(macro_book, "xp_results")["期间"]))


def test_recompute_current_button_is_the_cli_default_period_choice(tmp_path: Path) -> None:
    macro_book, cli_book = twins(tmp_path)
    result = run_action("recompute_current", FileBook(macro_book), log_dir=tmp_path / "logs")
    assert main(["recompute", str(cli_book)]) == 0
    assert result.ok and result.title == "重算本期"
    for name in OUTPUTS:
        pd.testing.assert_frame_equal(table(macro_book, name), table(cli_book, name))
    assert result.detail.periods == list(dict.fromkeys(table(macro_book, "xp_results")["期间"]))


def test_validate_button_lists_findings_like_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    macro_book, cli_book = twins(tmp_path, "bad", mutate=damage)
    result = run_action("validate", FileBook(macro_book), log_dir=tmp_path / "logs")
    assert main(["validate", str(cli_book), "--write"]) == 1
    capsys.readouterr()
    findings = table(macro_book, "xp_findings")
    pd.testing.assert_frame_equal(findings, table(cli_book, "xp_findings"))
    errors = int((findings["级别"] == "严重").sum())  # the severity in the book's language (error)
    assert errors >= 2 and not result.ok
    assert result.message.startswith(f"校验完成：{errors} 个错误")
    assert "校验结果" in result.message
    cells = set(zip(findings["工作表"], findings["代码"]))
    assert any(sheet == "监控记录" for sheet, _code in cells)


def test_recompute_on_bad_inputs_stops_writes_the_findings_and_says_so(tmp_path: Path) -> None:
    path = book(tmp_path, "bad", mutate=damage)
    result = run_action("recompute_all", FileBook(path), log_dir=tmp_path / "logs")
    assert not result.ok
    n = len(result.detail.errors)
    assert result.message == f"输入数据有 {n} 个错误，未计算。问题清单已写入“校验结果”表，请逐条修正后再重算。"
    raw = FileBook(path).read()
    assert "xp_findings" in raw.tables and "xp_results" not in raw.tables


def test_english_workbook_gets_english_messages(tmp_path: Path) -> None:
    path = book(tmp_path, "en", lang="en")
    result = run_action("recompute_all", FileBook(path), log_dir=tmp_path / "logs")
    assert result.ok and result.title == "Recompute all" and result.message.startswith("Recomputed ")
    result = run_action("validate", FileBook(path), log_dir=tmp_path / "logs")
    assert result.title == "Validate" and result.message.startswith("Validation ")


def test_share_button_exports_the_cli_packs_beside_the_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    macro_book, cli_book = twins(tmp_path)
    result = run_action("share", FileBook(macro_book), log_dir=tmp_path / "logs")
    assert result.ok, result.message
    assert main(["share", str(cli_book), "--out", str(tmp_path / "cli-packs")]) == 0
    capsys.readouterr()
    folder = next(tmp_path.glob("book-供应商包-*"))
    assert str(folder) in result.message
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in (tmp_path / "cli-packs").iterdir())
    assert len(result.detail) == len(list(folder.iterdir())) > 0


def test_feedback_button_does_what_the_cli_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Same sheets when the workbook has its feedback prototype sheet; the same message when it has not
    (a workbook from an older template): either way the button and the command agree."""
    macro_book, cli_book = twins(tmp_path)
    result = run_action("feedback", FileBook(macro_book), log_dir=tmp_path / "logs")
    rc = main(["feedback", str(cli_book)])
    err = capsys.readouterr().err.strip()
    if rc == 0:
        assert result.ok, result.message
        assert FileBook(macro_book).read().sheets == FileBook(cli_book).read().sheets
        assert all(name in FileBook(macro_book).read().sheets for name in result.detail)
    else:
        assert not result.ok and result.message.split("\n\n")[0] == err


def test_doctor_button_checks_this_workbooks_vba(tmp_path: Path) -> None:
    import xlwings

    path = book(tmp_path)
    result = run_action("doctor", FileBook(path), log_dir=tmp_path / "logs")
    assert result.title == "环境检查"
    assert f"book.xlsm 的 VBA 为 xlwings {xlwings.__version__} 构建" in result.message
    assert result.detail.by_key()["xlwings"].status == "ok"


class Exploding:
    """A BookEngine that fails the way a bug or a locked file would."""

    def __init__(self, on_read: BaseException | None = None, on_write: BaseException | None = None,
                 inner: FileBook | None = None) -> None:
        self.on_read, self.on_write, self.inner = on_read, on_write, inner

    def read(self) -> RawBook:
        if self.on_read:
            raise self.on_read
        assert self.inner is not None
        return self.inner.read()

    def read_tables(self, names: Sequence[str]) -> RawBook:
        if self.on_read:
            raise self.on_read
        assert self.inner is not None
        return self.inner.read_tables(names)

    def write(self, blocks: Sequence[OutputBlock]) -> None:
        if self.on_write:
            raise self.on_write


def test_an_unexpected_error_gives_a_message_and_the_log_path_never_a_traceback(tmp_path: Path) -> None:
    result = run_action("recompute_all", Exploding(on_read=RuntimeError("boom")), log_dir=tmp_path / "logs")
    assert not result.ok and result.log_path is not None
    assert result.message.startswith("xlperf 出现意外错误")
    assert str(result.log_path) in result.message
    assert "Traceback" not in result.message and "boom" not in result.message
    log = result.log_path.read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: boom" in log


def test_an_xlperf_error_is_shown_in_the_workbooks_language(tmp_path: Path) -> None:
    path = book(tmp_path)
    locked = FileLockedError("文件正被 Excel 打开，请先关闭。", "The file is open in Excel; close it first.")
    result = run_action("recompute_all", Exploding(on_write=locked, inner=FileBook(path)), log_dir=tmp_path / "logs")
    assert not result.ok
    assert result.message.startswith("文件正被 Excel 打开，请先关闭。\n\n详细信息已记录在日志：")


def test_nothing_reaches_stderr_during_an_action(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """xlwings shows anything on stderr as an error popup: warnings and prints go to the log."""
    import sys
    import warnings

    class Noisy(Exploding):
        def read(self) -> RawBook:
            print("stray output", file=sys.stderr)
            warnings.warn("a library warning", FutureWarning)
            raise ValueError("bad")

        def read_tables(self, names: Sequence[str]) -> RawBook:
            return self.read()

    result = run_action("validate", Noisy(), log_dir=tmp_path / "logs")
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    assert not result.ok


def test_live_entry_point_outside_excel_says_so_readably(capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XLPERF_LOG_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exc:
        macros.validate()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "xlperf 无法连接调用它的 Excel 工作簿" in err and "Traceback" not in err
    assert "Traceback" in next(tmp_path.glob("xlperf-*.log")).read_text(encoding="utf-8")


class FakeApp:
    def __init__(self) -> None:
        self.status_bar: str | bool = False
        self.history: list[object] = []

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None,
              callback: str | None = None) -> str:
        self.history.append(("alert", prompt, title, mode, self.status_bar))
        return "ok"


def test_excel_ui_shows_progress_then_hands_the_status_bar_back_before_the_dialog() -> None:
    app = FakeApp()
    ui = ExcelUi(app)  # type: ignore[arg-type]
    ui.status("xlperf：正在读取工作簿……")
    assert app.status_bar == "xlperf：正在读取工作簿……"
    ui.show(MacroResult("validate", False, "校验数据", "校验完成：2 个错误"))
    assert app.history == [("alert", "校验完成：2 个错误", "xlperf · 校验数据", "critical", False)]


# ── xlperf doctor (the 环境检查 button and the command) ─────────────────────────────────────────────

def test_doctor_names_a_wrong_xlwings_version_and_its_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from xlperf.cli import doctor

    path = book(tmp_path)
    real = doctor.installed
    monkeypatch.setattr(doctor, "installed", lambda dist: "0.30.0" if dist == "xlwings" else real(dist))
    assert main(["doctor", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✗ xlwings 版本为 0.30.0，模板需要 0.37.8\n    → pip install xlwings==0.37.8" in out
    assert "✗ book.xlsm 的 VBA 为 xlwings 0.37.8 构建，已安装 0.30.0" in out
    assert "共 2 个问题" in out.splitlines()[-1]


def test_doctor_reads_the_interpreter_setting_from_a_config_file_beside_the_workbook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import sys

    path = book(tmp_path)
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    (tmp_path / "xlwings.conf").write_text(f'"{key}","{tmp_path / "no" / "python.exe"}"\n"UDF MODULES","mymodule"\n',
                                           encoding="utf-8")
    assert main(["--lang", "en", "doctor", str(path), "--json"]) == 1
    checks = {c["key"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["interpreter"]["status"] == "error"
    assert checks["interpreter"]["en"] == f"{key} = {tmp_path / 'no' / 'python.exe'} does not exist"
    assert checks["interpreter"]["fix_en"] == f"Change it to {Path(sys.executable)}"
    assert checks["udf_modules"]["status"] == "warning" and "udfs;mymodule" in checks["udf_modules"]["fix_en"]
    assert checks["template_vba"]["status"] == "ok"


def test_doctor_without_a_workbook_skips_the_workbook_checks(capsys: pytest.CaptureFixture[str]) -> None:
    from xlperf.cli.doctor import run_checks

    report = run_checks(None)
    assert report.by_key()["template_vba"].status == "skipped"
    assert report.by_key()["xlperf"].status == "ok" and report.by_key()["python"].status == "ok"
