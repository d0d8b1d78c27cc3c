"""Feedback sheets: the prototype, the layout from placeholders, writing into a real workbook, and
keeping the interview record HR typed when the sheets are regenerated."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from reports_helpers import make_inputs, make_results

from xlperf.io.package import Package
from xlperf.reports import layout
from xlperf.reports.feedback import feedback_data, previous_period
from xlperf.reports.fill import render
from xlperf.reports.prototype import add_prototype_sheet, default_prototype_workbook, prototype_from_worksheet
from xlperf.reports.writeback import read_interview, write_reports

GEN = "2026-03-01 09:00"


@pytest.fixture(scope="module")
def data():
    return make_inputs(), make_results()


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "供应商"
    ws["A1"] = "HR 自己的表"
    ws["B2"] = 12345
    add_prototype_sheet(wb, "zh")
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def _save(pkg: Package, path: Path) -> None:
    path.write_bytes(pkg.to_bytes())


def test_prototype_carries_every_placeholder():
    _, ws = default_prototype_workbook("zh")
    proto = prototype_from_worksheet(ws)
    found = proto.placeholders()
    assert {"vendor_name", "period", "total", "grade", "rank_text", "change", "fee_adjust", "action", "chart"} <= found
    for lst in layout.LISTS:
        assert any(p.startswith(lst + ".") for p in found), lst
    assert {f"interview.{f}" for f in layout.INTERVIEW_FIELDS} <= found
    assert ws.title == "反馈表模板"
    _, ws_en = default_prototype_workbook("en")
    assert ws_en.title == "Feedback template"


def test_feedback_data_worked_example(data):
    inputs, results = data
    d = feedback_data(inputs, results, "V002", "2026-02", "zh", generated=GEN)
    s = d.scalars
    assert (s["total"], s["grade"], s["rank_text"]) == (55.83, "D", "2 / 3")
    assert s["change"].startswith("-0.86")  # 55.83 against 56.69 in 2026-01
    assert s["fee_adjust"] == -8000.0 and s["fee_adjust_pct"] == "按等级 D 调整 -10%"
    assert [x["dimension"] for x in d.lists["dimensions"]] == ["质量", "效率", "团队"]
    # the weakest weighted indicators, each with its improvement tip
    weakest = d.lists["improvements"][0]
    assert (weakest["indicator_id"], weakest["score"], weakest["tip"]) == ("Q1", 25.0, "加强过程质检，关键工序双人复核")
    assert [w["worker_id"] for w in d.lists["workers"]] == ["W0201", "W0202"]
    assert [g["goal_id"] for g in d.lists["goals"]] == ["G2"]
    assert {w["rule"] for w in d.lists["warnings"]} == {"低分"}  # the rule in the sheet's language (low_score)
    assert previous_period(inputs, results, "2026-01") is None


def test_marker_rows_repeat_and_merges_follow(data):
    inputs, results = data
    _, ws = default_prototype_workbook("zh")
    proto = prototype_from_worksheet(ws)
    d = feedback_data(inputs, results, "V001", "2026-02", "zh", generated=GEN)
    out = render(proto, d, "反馈_V001_2026-02", "zh")
    first, last = out.list_rows["indicators"]
    assert last - first + 1 == 7  # Q1 Q2 E1 E2 T1 A1 X1
    names = [out.value_at(r, 1) for r in range(first, last + 1)]
    assert names[0] == "一次交验合格率"
    # the explanation cell of every indicator row is merged over two columns, like the prototype's
    assert all((r, 7, r, 8) in out.merges for r in range(first, last + 1))
    assert out.value_at(*out.interview_cells["date"]) is None
    assert out.chart_box is not None and out.dim_rows == (8, 10)
    # a list with no items shows (none) once
    d.lists["warnings"] = []
    out2 = render(proto, d, "x", "zh")
    w_first, w_last = out2.list_rows["warnings"]
    assert w_first == w_last and out2.value_at(w_first, 1) == "（无）"


def _sheet_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_write_into_book_changes_only_xlperf_sheets(book: Path, data):
    inputs, results = data
    before = _sheet_parts(book)
    pkg = Package.open(book)
    names = write_reports(pkg, inputs, results, "2026-02", "zh", generated=GEN)
    _save(pkg, book)
    assert names == ["反馈_V001_2026-02", "反馈_V002_2026-02", "反馈_V003_2026-02", "绩效汇总"]
    after = _sheet_parts(book)
    # the user's sheet and the prototype are byte-identical
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml"):
        assert after[part] == before[part]
    wb = openpyxl.load_workbook(book)
    ws = wb["反馈_V002_2026-02"]
    assert ws["B2"].value == "启明外包服务有限公司（V002）"
    assert ws["B3"].value == 55.83 and ws["D3"].value == "D" and ws["F3"].value == "2 / 3"
    # the cell keeps the prototype's look (same style index, so same number format and font)
    assert ws["B3"].number_format == wb["反馈表模板"]["B3"].number_format == "0.00"
    assert ws["B3"].font.b and ws["A1"].font.sz == 16
    # one real chart per feedback sheet, its caches holding only that vendor's dimension scores
    charts = sorted(n for n in after if n.startswith("xl/charts/chart"))
    assert len(charts) == 5  # 3 feedback + 2 summary
    text = after[charts[1]].decode()
    assert "'反馈_V002_2026-02'!$C$8:$C$10" in text
    assert re.findall(r"<c:v>([0-9.]+)</c:v>", text) == ["47.5", "64.6", "63.5"]


def test_regenerating_keeps_the_interview_record(book: Path, data):
    inputs, results = data
    pkg = Package.open(book)
    write_reports(pkg, inputs, results, "2026-02", "zh", generated=GEN)
    _save(pkg, book)
    # HR types the interview record in Excel (here: openpyxl, which also rewrites the whole file)
    wb = openpyxl.load_workbook(book)
    ws = wb["反馈_V001_2026-02"]
    spots = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(row=spots["面谈日期"], column=2).value = "2026-03-05"
    ws.cell(row=spots["参加人员"], column=2).value = "HR 李敏；华信 赵经理"
    ws.cell(row=spots["约定改进措施"], column=2).value = "每周复盘一次交验问题"
    ws.cell(row=spots["供应商反馈"], column=2).value = "同意，4 月底前完成"
    wb.save(book)
    # a new observation adds a worker row above the interview block; the record must follow its labels
    results.results.loc[len(results.results)] = results.results[results.results["worker_id"] == "W0101"].iloc[-1]
    results.results.loc[len(results.results) - 1, "worker_id"] = "W0109"
    pkg = Package.open(book)
    assert read_interview(pkg, "V001", "2026-02")["attendees"] == "HR 李敏；华信 赵经理"
    write_reports(pkg, inputs, results, "2026-02", "zh", generated=GEN)
    _save(pkg, book)
    ws = openpyxl.load_workbook(book)["反馈_V001_2026-02"]
    spots2 = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    assert spots2["面谈日期"] == spots["面谈日期"] + 1
    assert ws.cell(row=spots2["面谈日期"], column=2).value == "2026-03-05"
    assert ws.cell(row=spots2["约定改进措施"], column=2).value == "每周复盘一次交验问题"
    assert ws.cell(row=spots2["供应商反馈"], column=2).value == "同意，4 月底前完成"
    assert ws.cell(row=spots2["签字确认"], column=2).value is None
    # the other vendors' sheets had nothing typed and still have nothing
    assert read_interview(Package.open(book), "V002", "2026-02") == {}


def test_summary_ranks_every_vendor_and_counts_grades(book: Path, data):
    inputs, results = data
    pkg = Package.open(book)
    write_reports(pkg, inputs, results, "2026-02", "zh", generated=GEN)
    _save(pkg, book)
    ws = openpyxl.load_workbook(book)["绩效汇总"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == "排名")
    ranking = [r[:6] for r in rows[at + 1: at + 4]]
    assert ranking == [[1, "V001", "华信人力资源有限公司", 93.99, "S", 4.2],
                       [2, "V002", "启明外包服务有限公司", 55.83, "D", -0.86],
                       [3, "V003", "东方劳务派遣有限公司", 0, "D", -112.36]]
    at = next(i for i, r in enumerate(rows) if r[0] == "等级")
    dist = {r[0]: (r[1], r[2], r[3]) for r in rows[at + 1: at + 6]}
    assert dist["S"] == (10, 1, 33.33) and dist["D"] == (5, 2, 66.67) and dist["B"] == (50, 0, 0)


def test_book_without_prototype_is_refused_with_a_message(tmp_path: Path, data):
    from xlperf.errors import UsageError

    wb = openpyxl.Workbook()
    path = tmp_path / "bare.xlsx"
    wb.save(path)
    with pytest.raises(UsageError) as err:
        write_reports(Package.open(path), *data, "2026-02", "zh")
    assert "反馈表模板" in err.value.zh


def test_the_interview_record_travels_into_the_vendor_pack(book: Path, data):
    from io import BytesIO

    from xlperf.reports.share import ScoredBook, make_packs

    inputs, results = data
    pkg = Package.open(book)
    write_reports(pkg, inputs, results, "2026-02", "zh", generated=GEN)
    _save(pkg, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["反馈_V003_2026-02"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "约定改进措施")
    ws.cell(row=row, column=2).value = "安全培训全员复训"
    wb.save(book)
    scored = ScoredBook(book, Package.open(book), inputs, results, "2026-02", "zh")
    (pack,) = make_packs(scored, ["V003"], generated=GEN)
    fb = openpyxl.load_workbook(BytesIO(pack.data)).worksheets[0]
    row = next(r for r in range(1, fb.max_row + 1) if fb.cell(row=r, column=1).value == "约定改进措施")
    assert fb.cell(row=row, column=2).value == "安全培训全员复训"
    # the sheet is protected, but the interview cells stay open for the vendor's response
    assert fb.protection.sheet and fb.cell(row=row + 1, column=2).protection.locked is False
    assert fb.cell(row=1, column=1).protection.locked is not False
