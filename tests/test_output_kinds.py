"""What xlperf writes is what its name says (issue 11, items 4 and 6).

- ``--out r.xlsx`` from a macro-enabled book is a macro-free workbook: no VBA project, no ribbon,
  the plain workbook content type; ``--out r.xlsm`` keeps the macros; other extensions are refused
  with a sentence before any work, and nothing is written.
- An output sheet is found by its table: the user renames 计算结果 to 本月结果 and the next
  recompute refreshes 本月结果 in place (it used to add a second 计算结果, and ``export`` read the
  stale one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from validation_helpers import BookBuilder, write_xlsx

from xlperf.cli import main
from xlperf.excel.template import template_path
from xlperf.excel.template.package import macro_package
from xlperf.io.extension import XLSM_MAIN, XLSX_MAIN
from xlperf.io.reader import read_book
from xlperf.io.writer import replace_table_rows

D = dt.datetime


def macro_book(path: Path) -> Path:
    """The small valid book as an .xlsm carrying the template's VBA project and ribbon."""
    plain = path.with_suffix(".plain.xlsx")
    write_xlsx(BookBuilder(), plain)
    with zipfile.ZipFile(template_path("zh")) as z:
        vba, ui = z.read("xl/vbaProject.bin"), z.read("customUI/customUI14.xml")
    path.write_bytes(macro_package(plain.read_bytes(), vba_project=vba, custom_ui=ui, title="t"))
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def workbook_type(files: dict[str, bytes]) -> str:
    m = re.search(r'PartName="/xl/workbook.xml" ContentType="([^"]+)"', files["[Content_Types].xml"].decode())
    assert m is not None
    return m.group(1)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return macro_book(tmp_path / "绩效.xlsm")


def test_out_xlsx_is_a_macro_free_workbook_and_out_xlsm_keeps_the_macros(book: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    before = book.read_bytes()
    src = parts(book)
    assert workbook_type(src) == XLSM_MAIN and "xl/vbaProject.bin" in src and "customUI/customUI14.xml" in src
    assert run(capsys, "recompute", str(book), "--out", str(tmp_path / "r.xlsx"))[0] == 0
    assert run(capsys, "recompute", str(book), "--out", str(tmp_path / "r.xlsm"))[0] == 0
    assert book.read_bytes() == before  # --out never touches the source

    x = parts(tmp_path / "r.xlsx")
    assert workbook_type(x) == XLSX_MAIN
    assert not [n for n in x if re.search(r"vbaProject|customUI", n, re.IGNORECASE)]
    for name in ("[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels"):
        assert not re.search(r"vbaProject|ui/extensibility", x[name].decode()), name
    m = parts(tmp_path / "r.xlsm")
    assert workbook_type(m) == XLSM_MAIN
    assert m["xl/vbaProject.bin"] == src["xl/vbaProject.bin"] and m["customUI/customUI14.xml"] == src["customUI/customUI14.xml"]
    # the same sheets and results either way; everything but the macros is kept
    assert {n for n in m if not re.search(r"vbaProject|customUI", n)} == set(x)
    assert x["xl/styles.xml"] == m["xl/styles.xml"] and x["xl/workbook.xml"] == m["xl/workbook.xml"]
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[-1] == "运行日志"
    rx, rm = read_book(tmp_path / "r.xlsx"), read_book(tmp_path / "r.xlsm")
    assert set(rx.tables) == set(rm.tables) and "xp_results" in rx.tables
    for name in set(rx.tables) - {"xp_runlog"}:  # the run log holds the time of each run
        assert rx.tables[name].data.equals(rm.tables[name].data), name


@pytest.mark.parametrize("name", ["r.xls", "r.csv", "r.xlsb", "r"])
def test_other_extensions_are_refused_before_any_work(book: Path, tmp_path: Path, name: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "recompute", str(book), "--out", str(tmp_path / name))
    assert code == 2 and out == ""
    assert f"无法写入“{name}”：xlperf 只写 Excel 工作簿 .xlsx（不含宏）或 .xlsm（启用宏）" in err
    assert "Traceback" not in err and not (tmp_path / name).exists()
    code, _, err = run(capsys, "feedback", str(book), "--out", str(tmp_path / name))
    assert code == 2 and "只写 Excel 工作簿" in err and not (tmp_path / name).exists()


def test_export_writes_text_and_its_extension_says_which(book: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", str(book), "vendors", "--out", str(tmp_path / "v.xlsx"))
    assert code == 2 and "export 只写 CSV 或 JSON 文本" in err and not (tmp_path / "v.xlsx").exists()
    code, _, err = run(capsys, "export", str(book), "vendors", "--format", "json", "--out", str(tmp_path / "v.csv"))
    assert code == 2 and "--format json 与文件名 v.csv 的扩展名不符" in err
    assert run(capsys, "export", str(book), "vendors", "--out", str(tmp_path / "v.json"))[0] == 0
    rows = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))
    assert [r["vendor_id"] for r in rows] == ["V001", "V002"]


def rename_sheet(path: Path, old: str, new: str) -> None:
    """Rename a sheet as Excel does: the sheet entry, the defined names that name it, app.xml."""
    files = parts(path)
    for name in ("xl/workbook.xml", "docProps/app.xml"):
        if name in files:
            text = files[name].decode()
            text = text.replace(f'name="{old}"', f'name="{new}"').replace(f"'{old}'!", f"'{new}'!")
            text = text.replace(f">{old}<", f">{new}<")
            files[name] = text.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def test_a_renamed_results_sheet_is_refreshed_in_place_and_export_reads_it(book: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "recompute", str(book))[0] == 0
    rename_sheet(book, "计算结果", "本月结果")
    assert "本月结果" in openpyxl.load_workbook(book).sheetnames
    # HR then records a 一票否决 for V002 and recomputes
    veto = pd.DataFrame([{"date": D(2026, 1, 25), "period_id": "2026-01", "vendor_id": "V002",
                          "indicator_id": "V5", "value": "是"}])
    replace_table_rows(book, "observations", veto, append=True)
    assert run(capsys, "recompute", str(book))[0] == 0
    names = openpyxl.load_workbook(book).sheetnames
    assert "本月结果" in names and "计算结果" not in names
    code, out, _ = run(capsys, "export", str(book), "results", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    v002 = [r["total"] for r in rows if r["period_id"] == "2026-01" and r["level"] == "vendor" and r["vendor_id"] == "V002"]
    assert v002 == [0.0]  # the fresh results: the stale sheet said 55.0
    assert read_book(book).tables["xp_results"].sheet == "本月结果"
