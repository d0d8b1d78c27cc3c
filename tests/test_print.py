"""Sheets HR can send: widths from what cells hold, 待改进 only below the line, the top warnings with a
count of the rest, and the print set-up (A4, one page wide, title rows repeated, page numbers)."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from reports_helpers import make_inputs, make_results

from xlperf.engine.results import Results
from xlperf.io.package import Package
from xlperf.reports import feedback as fb
from xlperf.reports.bookparts import prototype_package
from xlperf.reports.fill import render
from xlperf.reports.fit import (
    WRAP_CAP,
    CellLook,
    Placed,
    display_width,
    fit_heights,
    fit_widths,
    needed_width,
)
from xlperf.reports.pack import build_pack
from xlperf.reports.prototype import add_prototype_sheet, default_prototype_workbook, prototype_from_worksheet
from xlperf.reports.writeback import write_reports

GEN = "2026-03-01 09:00"


@pytest.fixture(scope="module")
def data():
    return make_inputs(), make_results()


def test_display_width_counts_cjk_as_two():
    assert display_width("HT-2023-005") == 11
    assert display_width("按等级 S 调整 +5%") == 17  # 4 CJK characters, 9 others
    assert display_width("（无）") == 6  # fullwidth brackets are wide too
    assert display_width("e\u0301") == 1  # a combining accent takes no room
    assert display_width("短\n更长的一行") == 10  # the longest line


def test_widths_grow_to_fit_and_long_text_wraps():
    look = CellLook(size=10)
    cells = [Placed(1, 6, 1, "HT-2023-005", look), Placed(2, 3, 2, "按等级 S 调整 +5%", look),
             Placed(3, 1, 1, "智联物业管理股份有限公司北京分公司第三项目部", CellLook(wrap=True, size=10))]
    widths = fit_widths(cells, {1: 16, 2: 14, 3: 5, 4: 5, 6: 9})
    assert widths[6] >= needed_width("HT-2023-005", look) > 9  # the contract number whole
    assert widths[3] + widths[4] >= needed_width("按等级 S 调整 +5%", look) - 1e-9  # merged: its last column grew
    assert widths[3] == 5 and widths[4] > 5
    assert widths[1] == WRAP_CAP  # wrapping text widens its column only so far ...
    heights = fit_heights(cells, widths, {})
    assert set(heights) == {3} and heights[3] > 15  # ... then wraps in a taller row


def test_improvements_are_only_indicators_below_target_or_warning_line(data):
    inputs, results = data
    # V001 2026-01: Q1 96.5 < target 98 and E1 180 < 200; Q2 scored 100 and stays a strength
    d = fb.feedback_data(inputs, results, "V001", "2026-01", "zh", generated=GEN)
    assert [i["indicator_id"] for i in d.lists["improvements"]] == ["Q1", "E1"]
    assert [i["indicator_id"] for i in d.lists["strengths"]] == ["Q2", "T1", "E2"]
    # V002 2026-02: E2 (rating, no target) scored 52, below the warning line 60
    d2 = fb.feedback_data(inputs, results, "V002", "2026-02", "zh", generated=GEN)
    assert [(i["indicator_id"], i["score"]) for i in d2.lists["improvements"]] == [("Q1", 25.0), ("E2", 52.0),
                                                                                  ("E1", 70.0)]
    # V003 2026-01: everything above target and line: the section says （无）
    d3 = fb.feedback_data(inputs, results, "V003", "2026-01", "zh", generated=GEN)
    assert d3.lists["improvements"] == []
    proto = prototype_from_worksheet(default_prototype_workbook("zh")[1])
    out = render(proto, d3, "x", "zh")
    first, last = out.list_rows["improvements"]
    assert first == last and out.value_at(first, 1) == "（无）"


def _many_warnings(results: Results) -> Results:
    """V002 2026-02 with 12 warnings: 10 low scores of its workers, one low grade, one veto."""
    rows = [{"period_id": "2026-02", "level": "worker", "vendor_id": "V002", "worker_id": "W0201",
             "indicator_id": "W1", "rule": "low_score", "severity": "warning", "message": f"低分 {k}"}
            for k in range(10)]
    rows.append({"period_id": "2026-02", "level": "vendor", "vendor_id": "V002", "worker_id": None,
                 "indicator_id": None, "rule": "low_grade", "severity": "warning", "message": "等级 D"})
    rows.append({"period_id": "2026-02", "level": "vendor", "vendor_id": "V002", "worker_id": None,
                 "indicator_id": "X1", "rule": "veto", "severity": "error", "message": "一票否决"})
    warnings = pd.DataFrame(rows, columns=list(results.warnings.columns))
    return Results(results=results.results, scores=results.scores, warnings=warnings, goals=results.goals,
                   periods=list(results.periods))


def test_feedback_lists_the_most_severe_warnings_and_counts_the_rest(data):
    inputs, results = data
    many = _many_warnings(results)
    d = fb.feedback_data(inputs, many, "V002", "2026-02", "zh", generated=GEN)
    assert len(d.lists["warnings"]) == fb.N_WARNINGS == 5
    assert [w["message"] for w in d.lists["warnings"][:3]] == ["一票否决", "等级 D", "低分 0"]
    assert d.lists["warnings"][0]["severity"] == "严重"
    assert d.more["warnings"] == "另有 7 条预警，见 预警 表"
    proto = prototype_from_worksheet(default_prototype_workbook("zh")[1])
    out = render(proto, d, "x", "zh")
    first, last = out.list_rows["warnings"]
    assert last - first + 1 == 5
    assert out.value_at(last + 1, 1) == "另有 7 条预警，见 预警 表"
    assert (last + 1, 1, last + 1, 8) in out.merges  # one line across the list's columns
    assert not any(m[0] == last + 1 and m[1] == 4 for m in out.merges)  # no message merge overlapping it
    # nothing is lost: the pack's 预警 sheet has all twelve, the veto first; its feedback sheet points there
    pack = build_pack(inputs, many, "V002", "2026-02", prototype_package(None, "zh"), "zh", generated=GEN)
    wb = openpyxl.load_workbook(BytesIO(pack.data))
    ws = wb["预警"]
    listed = [ws.cell(row=r, column=4).value for r in range(4, ws.max_row + 1)]
    assert len(listed) == 12 and listed[0] == "一票否决" and listed[1] == "等级 D"
    texts = [c.value for row in wb["反馈_V002_2026-02"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "另有 7 条预警，见 预警 表" in texts


def test_long_worker_lists_show_the_lowest_and_count_the_rest(data, monkeypatch: pytest.MonkeyPatch):
    inputs, results = data
    monkeypatch.setattr(fb, "N_WORKERS", 1)
    d = fb.feedback_data(inputs, results, "V002", "2026-02", "zh", generated=GEN)
    totals = results.results
    totals = totals[(totals["vendor_id"] == "V002") & (totals["period_id"] == "2026-02") & (totals["level"] == "worker")]
    lowest = totals.sort_values("total").iloc[0]["worker_id"]
    assert [w["worker_id"] for w in d.lists["workers"]] == [lowest]
    assert d.more["workers"] == "另有 1 名人员未列出（此处为总分最低的 1 名），全部 2 名见 计算结果 表"
    pack_d = build_pack(inputs, results, "V002", "2026-02", prototype_package(None, "zh"), "zh", generated=GEN)
    texts = [c.value for row in openpyxl.load_workbook(BytesIO(pack_d.data)).worksheets[0].iter_rows()
             for c in row if isinstance(c.value, str)]
    assert any(t.endswith("全部 2 名见 结果 表") for t in texts)  # in a pack: the pack's own 结果 sheet


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "供应商"
    add_prototype_sheet(wb, "zh")
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_sheets_in_the_book_print_on_a4_with_titles_and_page_numbers(book: Path, data):
    inputs, results = data
    for _ in range(2):  # regenerating replaces the print titles, never adds a second one
        pkg = Package.open(book)
        names = write_reports(pkg, inputs, results, "2026-02", "zh", generated=GEN)
        book.write_bytes(pkg.to_bytes())
    with zipfile.ZipFile(book) as z:
        workbook = z.read("xl/workbook.xml").decode()
    titles = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)</definedName>', workbook)
    wb = openpyxl.load_workbook(book)
    assert sorted((wb.sheetnames[int(i)], ref) for i, ref in titles) == sorted(
        [(n, f"'{n}'!$1:$2") for n in names[:-1]] + [("绩效汇总", "'绩效汇总'!$1:$1")])
    for name in names:
        ws = wb[name]
        assert (ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (9, 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert wb["绩效汇总"].page_setup.orientation == "landscape"
    # the contract number and the fee line are whole: their columns are as wide as the text needs
    ws = wb["反馈_V002_2026-02"]
    assert ws["F2"].value == "HT-2026-002" and ws.column_dimensions["F"].width >= needed_width("HT-2026-002", CellLook(size=10))
    fee = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("按等级"))
    assert fee.value == "按等级 D 调整 -10%"
    assert fee.coordinate in ws.merged_cells  # C:D in the default prototype
    room = sum(ws.column_dimensions[k].width for k in "CD")
    assert room >= needed_width(fee.value, CellLook(size=10))
    # the summary's vendor column fits the longest company name on one line
    sm = wb["绩效汇总"]
    names_col = [c.value for c in sm["C"] if isinstance(c.value, str) and c.value.endswith("公司")]
    assert names_col and sm.column_dimensions["C"].width >= max(needed_width(n, CellLook(size=10)) for n in names_col)


def test_the_render_script_refuses_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch):
    from xlperf.errors import XlperfError
    from xlperf.reports import screenshots

    assert screenshots.cjk_font_families(), "this machine needs fonts-noto-cjk (see .ci/run)"
    installs: list[str] = []
    monkeypatch.setattr(screenshots, "cjk_font_families", list)
    monkeypatch.setattr(screenshots, "_apt_install", installs.append)
    with pytest.raises(XlperfError, match="fonts-noto-cjk"):
        screenshots.ensure_render_tools()
    assert installs == ["fonts-noto-cjk"]  # it tried to install one first
