"""The command line end to end on the demo workbook: validate, recompute, export, import — and the
guarantees that span jobs: idempotent recompute, closed periods left alone, nothing written on errors."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from xlperf.cli import main
from xlperf.demo import write_demo_book


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_book(tmp_path_factory.mktemp("demo") / "demo.xlsm")


@pytest.fixture()
def book(demo_master: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(demo_master, tmp_path / "book.xlsm"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sheet_parts(path: Path) -> dict[str, bytes]:
    """Sheet name → the bytes of its worksheet part and its table parts."""
    from xlperf.io.opc import read_workbook

    with zipfile.ZipFile(path) as zf:
        info = read_workbook(zf)
        return {s.name: zf.read(s.part) + b"".join(zf.read(t.part) for t in s.tables) for s in info.sheets}


def test_validate_json_has_the_documented_keys(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(book), "--json")
    assert code == 0
    findings = json.loads(out)
    assert findings, "the demo has normalisations, reported as info findings"
    assert set(findings[0]) == {"code", "severity", "sheet", "cell", "table", "field", "value", "message", "hint"}
    assert {f["severity"] for f in findings} == {"info"}


def test_recompute_then_export_results(book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "recompute", str(book), "--all", "--json")
    assert code == 0, out
    summary = json.loads(out)
    assert summary["periods"] == ["2026-07", "2026-08", "2026-09", "2026-Q3"]
    code, out, _ = run(capsys, "export", str(book), "results", "--format", "json")
    rows = json.loads(out)
    keys = {"period_id", "level", "vendor_id", "worker_id", "total", "grade", "rank", "rank_of", "vetoed",
            "completeness", "bonus", "fee_adjust", "action", "explanation"}
    assert keys <= set(rows[0])
    assert any(k.startswith("dim:") for k in rows[0])
    # every vendor and worker has a result in every period, with a grade and an explanation
    workers = {r["worker_id"] for r in rows if r["level"] == "worker"}
    assert len(workers) == 200
    for period in summary["periods"]:
        assert {r["worker_id"] for r in rows if r["level"] == "worker" and r["period_id"] == period} == workers
    assert all(r["explanation"] for r in rows)
    code, _, _ = run(capsys, "export", str(book), "scores", "--out", str(tmp_path / "s.csv"))
    with open(tmp_path / "s.csv", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert header[:5] == ["period_id", "level", "vendor_id", "worker_id", "indicator_id"]


def test_recompute_twice_gives_identical_parts(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "recompute", str(book), "--all")[0] == 0
    first = sheet_parts(book)
    assert run(capsys, "recompute", str(book), "--all")[0] == 0
    second = sheet_parts(book)
    assert {"计算结果", "指标得分", "预警", "运行日志"} <= set(first)
    changed = sorted(n for n in first if first[n] != second.get(n))
    # The run log is the one place that records time (and it gains a row per run).
    assert changed == ["运行日志"]


def test_closed_period_is_left_alone_unless_forced(book: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "recompute", str(book), "--all")[0] == 0
    before = json.loads(run(capsys, "export", str(book), "results", "--format", "json")[1])
    periods = tmp_path / "periods.csv"
    assert run(capsys, "export", str(book), "periods", "--out", str(periods))[0] == 0
    text = periods.read_text(encoding="utf-8-sig").splitlines()
    text = [line.replace(",open", ",closed") if line.startswith("2026-07,") else line for line in text]
    periods.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert run(capsys, "import", str(book), "periods", str(periods))[0] == 0

    code, _, err = run(capsys, "recompute", str(book), "--period", "2026-07")
    assert code == 2 and "已关闭" in err and "--force" in err
    code, out, _ = run(capsys, "recompute", str(book), "--all", "--json")
    summary = json.loads(out)
    assert summary["kept_closed"] == ["2026-07"] and "2026-07" not in summary["periods"]
    after = json.loads(run(capsys, "export", str(book), "results", "--format", "json")[1])
    july = lambda rows: [r for r in rows if r["period_id"] == "2026-07"]  # noqa: E731
    assert july(after) == july(before) and len(july(after)) > 0
    code, out, _ = run(capsys, "recompute", str(book), "--period", "2026-07", "--force", "--json")
    assert code == 0 and json.loads(out)["periods"][0] == "2026-07"


def test_errors_stop_recompute_and_leave_the_file_unchanged(book: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("dimension,level,weight\n质量,worker,70\n效率,worker,20\n", encoding="utf-8")
    assert run(capsys, "import", str(book), "dimensions", str(bad))[0] == 0
    before = book.read_bytes()
    code, _, err = run(capsys, "recompute", str(book), "--all")
    assert code == 1
    assert "错误" in err
    assert book.read_bytes() == before


def test_import_gbk_csv_and_export_round_trip(book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "vendors.csv"
    src.write_bytes("供应商编号,供应商名称,合同编号\nV900,新华劳务有限公司,HT-900\n".encode("gbk"))
    code, out, _ = run(capsys, "import", str(book), "vendors", str(src), "--append")
    assert code == 0, out
    code, out, _ = run(capsys, "export", str(book), "vendors", "--format", "json")
    vendors = json.loads(out)
    assert vendors[-1]["vendor_id"] == "V900" and vendors[-1]["name"] == "新华劳务有限公司"


def test_unusable_file_is_one_sentence_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n1,2\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(fake))
    assert code == 2
    assert "Traceback" not in err and err.strip().count("\n") == 0


def test_the_demo_command_runs_every_job_and_leaves_a_valid_book(tmp_path: Path) -> None:
    """The README's main job: `xlperf demo DIR` builds the book and runs every job on it, ending with
    the review jobs (方案模拟, 指标体系评估), whose sheets are there and leave the book valid."""
    import contextlib
    import io

    import openpyxl

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", str(tmp_path)]) == 0
    text = out.getvalue()
    assert "▶ 方案模拟" in text and "质量优先：" in text and "▶ 指标体系评估" in text
    book = tmp_path / "xlperf-demo.xlsm"
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert {"计算结果", "指标得分", "预警", "模拟结果", "指标体系评估", "评分人分析", "供应商趋势"} <= set(sheets)
    assert len(list((tmp_path / "packs").glob("*.xlsx"))) == 6
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["validate", str(book)]) == 0
