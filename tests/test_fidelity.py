"""Writing xlperf's sheets into a workbook full of user content changes nothing of that content.

Two fixtures (tests/writer_helpers):
- ``fidelity_book``: charts, an image, a text box, VML notes and a form button, threaded comments and
  persons, a pivot table with cache and records, a slicer, defined names, custom XML, classic and x14
  validation, 2010 conditional formatting, sparklines, hidden and very hidden sheets, an external link,
  a data connection, printer settings, a vbaProject.bin and a customUI14 ribbon. All five output blocks are written into it twice; every part is compared.
- the demo workbook with the same kinds of user content grafted in (``graft_user_content``), run
  through validate --write → recompute → feedback → share → recompute with the real CLI.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from writer_helpers import blocks, fidelity_book, parts, raw_members

from xlperf.excel.libreoffice import csv_sheets
from xlperf.io.writer import write_blocks

# The only parts that may change: they register the new sheets (and styles.xml gains xlperf's formats).
REGISTRY = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "docProps/app.xml",
            "xl/styles.xml"}
NEW_SHEETS = ["计算结果", "指标得分", "预警", "校验结果", "运行日志"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("fidelity")
    src = fidelity_book(d / "book.xlsm")
    out1 = write_blocks(src, blocks(), out=d / "out1.xlsm")
    out2 = write_blocks(out1, blocks(), out=d / "out2.xlsm")
    return src, out1, out2


def only_insertions(old: str, new: str) -> list[str]:
    """The text inserted into ``old`` to give ``new``; fails if anything else changed except numbers
    (the count/size attributes that grow with the lists)."""
    inserted = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "insert":
            inserted.append(new[b1:b2])
        elif op == "replace":
            assert old[a1:a2].isdigit() and new[b1:b2].isdigit(), (old[a1 - 40:a2 + 40], new[b1 - 40:b2 + 40])
        elif op == "delete":
            raise AssertionError(f"deleted {old[a1:a2]!r}")
    return inserted


def test_every_user_part_is_byte_identical_and_raw_copied(written: tuple[Path, Path, Path]) -> None:
    src, out1, _ = written
    before, after = parts(src), parts(out1)
    raw_before, raw_after = raw_members(src), raw_members(out1)
    kept = [n for n in before if n not in REGISTRY]
    assert len(kept) >= 30
    for name in kept:
        assert after[name] == before[name], name
        assert raw_after[name] == raw_before[name], f"{name} was recompressed"
    for must in ("xl/vbaProject.bin", "customUI/customUI14.xml", "xl/pivotCache/pivotCacheRecords1.xml",
                 "xl/threadedComments/threadedComment1.xml", "xl/slicers/slicer1.xml", "customXml/item1.xml",
                 "xl/drawings/vmlDrawing1.vml", "xl/charts/chart1.xml", "xl/media/image1.png", "_rels/.rels",
                 "xl/externalLinks/externalLink1.xml", "xl/connections.xml", "xl/printerSettings/printerSettings1.bin"):
        assert after[must] == before[must]


def test_new_parts_are_only_xlperf_sheets_and_tables(written: tuple[Path, Path, Path]) -> None:
    src, out1, _ = written
    added = sorted(set(parts(out1)) - set(parts(src)))
    assert added == sorted([f"xl/worksheets/sheet{i}.xml" for i in range(5, 10)]
                           + [f"xl/worksheets/_rels/sheet{i}.xml.rels" for i in range(5, 10)]
                           + [f"xl/tables/table{i}.xml" for i in range(1, 6)])
    assert set(parts(src)) - set(parts(out1)) == set()


def test_registry_parts_change_only_by_added_entries(written: tuple[Path, Path, Path]) -> None:
    src, out1, _ = written
    before, after = parts(src), parts(out1)
    for name in REGISTRY:
        only_insertions(before[name].decode(), after[name].decode())

    def added(name: str, needle: str) -> int:
        return after[name].decode().count(needle) - before[name].decode().count(needle)

    wb = after["xl/workbook.xml"].decode()
    for i, name in enumerate(NEW_SHEETS):
        assert f'<sheet name="{name}" sheetId="{5 + i}"' in wb
        assert f'<definedName name="_xlperf_owned" localSheetId="{4 + i}" hidden="1">' in wb
    assert added("xl/workbook.xml", "<sheet ") == 5
    assert added("xl/workbook.xml", "<definedName ") == 5
    assert added("xl/_rels/workbook.xml.rels", "<Relationship ") == 5
    assert added("[Content_Types].xml", "<Override ") == 10
    assert added("docProps/app.xml", "<vt:lpstr>") == 5
    assert added("xl/styles.xml", "<xf ") >= 3 and added("xl/styles.xml", "<dxf>") == 3
    # the user's sheets keep their order, ids, visibility and code names
    root = etree.fromstring(after["xl/workbook.xml"])
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    sheets = [(s.get("name"), s.get("sheetId"), s.get("state")) for s in root.findall("m:sheets/m:sheet", ns)]
    assert sheets[:4] == [("数据", "1", None), ("名单", "2", "hidden"), ("机密", "3", "veryHidden"), ("透视", "4", None)]
    assert [s[0] for s in sheets[4:]] == NEW_SHEETS


def test_writing_twice_gives_the_same_file(written: tuple[Path, Path, Path]) -> None:
    _, out1, out2 = written
    assert parts(out1) == parts(out2)
    assert out1.read_bytes() == out2.read_bytes()  # no time stamps anywhere


def test_ribbon_and_vba_still_wired(written: tuple[Path, Path, Path]) -> None:
    _, _, out2 = written
    p = parts(out2)
    assert b"2007/relationships/ui/extensibility" in p["_rels/.rels"]
    assert b'Target="vbaProject.bin"' in p["xl/_rels/workbook.xml.rels"]
    assert b"vbaProject" in p["[Content_Types].xml"]
    from oletools.olevba import VBA_Parser

    vp = VBA_Parser(str(out2))
    modules = {name for _, _, name, _ in vp.extract_macros()}
    vp.close()
    assert {"ThisWorkbook", "Sheet1"} <= {m.split(".")[0] for m in modules}


def test_output_sheets_have_tables_named_as_the_contract(written: tuple[Path, Path, Path]) -> None:
    _, out1, _ = written
    with zipfile.ZipFile(out1) as z:
        names = sorted(re.search(rb' name="([^"]+)"', z.read(f"xl/tables/table{i}.xml")).group(1).decode()
                       for i in range(1, 6))
    assert names == ["xp_findings", "xp_results", "xp_runlog", "xp_scores", "xp_warnings"]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_result(written: tuple[Path, Path, Path], tmp_path: Path) -> None:
    src, _, out2 = written
    before = csv_sheets(src, tmp_path / "before")
    after = csv_sheets(out2, tmp_path / "after")
    assert set(after) == set(before) | set(NEW_SHEETS)
    for name in before:  # user sheets read the same (values, formulas, the pivot table)
        assert after[name].read_text(encoding="utf-8") == before[name].read_text(encoding="utf-8"), name
    assert "V002,70" in after["透视"].read_text(encoding="utf-8")
    results = after["计算结果"].read_text(encoding="utf-8").splitlines()
    assert results[0].startswith("期间,层级,供应商编号,供应商名称,人员编号,姓名,总分,质量,效率,等级,排名")
    assert results[1].startswith("2026-01,worker,V001,甲公司 & 乙,W001,张三,95.5,96,95,S,1,6,FALSE,100%,2000,,,总分")
    assert len(results) == 7


# ----------------------------------------------------------------------------- the whole pipeline
def owned_parts(path: Path) -> set[str]:
    """The parts of every sheet xlperf owns in ``path`` (sheet, rels, and what only they refer to)."""
    from xlperf.io.package import Package, rels_name

    pkg = Package.open(path)
    out: set[str] = set()
    for sheet in pkg.sheets():
        if pkg.is_owned(sheet.name):
            out |= {sheet.part, rels_name(sheet.part)} | pkg._exclusive_closure(sheet.part)
    return out | {rels_name(p) for p in out}


@pytest.mark.slow
@pytest.mark.libreoffice
def test_pipeline_keeps_user_content_and_recompute_is_idempotent(tmp_path: Path) -> None:
    """The demo workbook with HR's own content grafted in, run through every job that writes with the
    real CLI. One test (not a shared fixture) so parallel workers never build it twice."""
    import shutil

    from writer_helpers import graft_user_content

    from xlperf.cli import main
    from xlperf.demo import write_demo_book
    from xlperf.io.package import Package

    book = write_demo_book(tmp_path / "绩效.xlsm")
    grafted = graft_user_content(book)
    first = shutil.copy(book, tmp_path / "before.xlsm")
    codes = [main(["validate", str(book), "--write"]), main(["recompute", str(book)]),
             main(["feedback", str(book)]), main(["share", str(book), "--out", str(tmp_path / "packs")])]
    once = parts(book)
    codes.append(main(["recompute", str(book)]))
    assert codes == [0, 0, 0, 0, 0]
    assert list((tmp_path / "packs").glob("*.xlsx"))

    # every part outside xlperf's sheets and the registry parts is byte-identical
    before, after = parts(Path(first)), parts(book)
    for name in grafted:
        assert after[name] == before[name], name
    for must in ("xl/vbaProject.bin", "customUI/customUI14.xml", "_rels/.rels"):
        assert after[must] == before[must]
    allowed = REGISTRY | owned_parts(book)
    changed = {n for n in before if after.get(n) != before[n]}
    assert changed <= allowed, sorted(changed - allowed)
    assert "xl/workbook.xml" in changed  # the jobs did write

    # recompute twice in a row: only the run log differs
    assert set(once) == set(after)
    pkg = Package.open(book)
    runlog = next(s for s in pkg.sheets() if s.name == "运行日志")
    run_parts = {runlog.part} | {t for t, _ in pkg.tables_of(runlog.part)}
    assert {n for n in once if once[n] != after[n]} <= run_parts

    # LibreOffice reads the user's sheets (and the pivot table) exactly as before
    lo_before = csv_sheets(Path(first), tmp_path / "lo-before")
    lo_after = csv_sheets(book, tmp_path / "lo-after")
    for name in ("HR备注", "HR透视", "监控记录", "考核指标"):
        assert lo_after[name].read_text(encoding="utf-8") == lo_before[name].read_text(encoding="utf-8"), name
    assert "V002,70" in lo_after["HR透视"].read_text(encoding="utf-8")
    assert len(lo_after["计算结果"].read_text(encoding="utf-8").splitlines()) > 100
