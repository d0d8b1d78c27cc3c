"""Vendor packs from hand-made results: what the package holds and what it must never hold."""

from __future__ import annotations

import html
import re
import zipfile
from io import BytesIO

import msoffcrypto
import openpyxl
import pytest
from reports_helpers import make_inputs, make_results, other_vendor_terms

from xlperf.errors import WriteError
from xlperf.reports.bookparts import prototype_package
from xlperf.reports.encrypt import decrypt, encrypt, is_encrypted
from xlperf.reports.leakscan import scan_package
from xlperf.reports.pack import build_pack

GEN = "2026-03-01 09:00"


@pytest.fixture(scope="module")
def packs():
    inputs, results = make_inputs(), make_results()
    proto = prototype_package(None, "zh")
    return inputs, {v: build_pack(inputs, results, v, "2026-01", proto, "zh", generated=GEN)
                    for v in ("V001", "V002", "V003")}


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_pack_holds_only_the_vendors_sheets_and_nothing_hidden(packs):
    _, by_vendor = packs
    p = by_vendor["V002"]
    assert p.sheet_names == ["反馈_V002_2026-01", "结果", "计分核对", "计分规则", "目标", "预警"]
    files = parts(p.data)
    names = set(files)
    assert not any(re.search(r"vbaProject|comments|externalLink|customXml|pivot|slicer|connections|threaded|"
                             r"persons|printerSettings", n, re.IGNORECASE) for n in names), names
    assert {"xl/charts/chart1.xml", "xl/drawings/drawing1.xml"} <= names
    workbook = files["xl/workbook.xml"].decode()
    # the only names: each sheet's own print titles (rows repeated on every printed page)
    names = re.findall(r'<definedName name="([^"]+)" localSheetId="(\d+)">([^<]*)</definedName>', workbook)
    assert names and workbook.count("<definedName ") == len(names)
    for name, idx, ref in names:
        assert name == "_xlnm.Print_Titles" and ref.startswith(f"'{p.sheet_names[int(idx)]}'!$1:$"), (name, idx, ref)
    assert set(re.findall(r'state="(\w+)"', workbook)) <= {"visible"}
    core, app = files["docProps/core.xml"].decode(), files["docProps/app.xml"].decode()
    for tag in ("creator", "lastModifiedBy", "title", "subject", "keywords", "created", "modified"):
        assert tag not in core
    assert "Company" not in app and "TitlesOfParts" not in app and "Manager" not in app
    for name, data in files.items():
        if name.startswith("xl/worksheets/sheet"):
            xml = data.decode()
            assert '<sheetProtection' in xml and 'sheet="1"' in xml, name
            assert 'hidden="1"' not in xml and "dataValidation" not in xml
            # a footer with the page number and count, and nothing else (no names, paths or dates)
            footers = [html.unescape(f) for f in re.findall(r"<oddFooter>(.*?)</oddFooter>", xml)]
            assert footers == ["&C第 &P 页，共 &N 页"], name
            assert not re.search(r"<(odd|even|first)Header>[^<]", xml), name
            assert "conditionalFormatting" not in xml
    # timestamps carry nothing about when or where the pack was made
    with zipfile.ZipFile(BytesIO(p.data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_scores_are_live_formulas_with_the_engines_numbers_cached(packs):
    _, by_vendor = packs
    wb = openpyxl.load_workbook(BytesIO(by_vendor["V001"].data))
    cached = openpyxl.load_workbook(BytesIO(by_vendor["V001"].data), data_only=True)
    ws, cv = wb["计分核对"], cached["计分核对"]
    rows = {ws.cell(row=r, column=5).value: r for r in range(4, 11)}
    q1 = rows["Q1"]  # linear higher, floor 90, target 98, stretch 100, cap 120: 96.5 → 81.25
    assert ws.cell(row=q1, column=9).value == 96.5
    assert ws.cell(row=q1, column=10).value.startswith('=IF(I4="","",ROUND(MAX(0,MIN(')
    assert "'计分规则'!$H$" in ws.cell(row=q1, column=10).value  # the published floor
    assert cv.cell(row=q1, column=10).value == 81.25
    assert "SUMPRODUCT(" in ws.cell(row=rows["Q2"], column=10).value  # bands over the published bands (WPS-safe, no LOOKUP array trick)
    assert ws.cell(row=rows["T1"], column=9).value.startswith("=AVERAGE('结果'!")  # team: its workers' totals
    res, res_cached = wb["结果"], cached["结果"]
    assert res["A4"].value == "2026-01" and res["B4"].value == "供应商"
    total_col = next(c for c in range(1, 25) if res.cell(row=3, column=c).value == "总分")
    total = res.cell(row=4, column=total_col).value
    assert total.startswith("=IF(") and "ROUND(MAX(0,MIN('计分规则'!$B$6," in total
    assert res_cached.cell(row=4, column=total_col).value == 89.79
    # the feedback sheet's total points at the live total
    fb = wb.worksheets[0]
    assert fb["B3"].value == f"='结果'!${openpyxl.utils.get_column_letter(total_col)}$4"
    assert cached.worksheets[0]["B3"].value == 89.79


@pytest.mark.parametrize("vendor", ["V001", "V002", "V003"])
def test_no_other_vendor_anywhere_in_the_package(packs, vendor):
    inputs, by_vendor = packs
    terms = other_vendor_terms(inputs, vendor)
    assert len(terms) == 2 * 3 + 2 * 4  # 2 vendors (id, name, contract) + 4 workers (id, name)
    assert scan_package(by_vendor[vendor].data, terms) == []
    # and the scan does see this vendor's own name, so a zero above means something
    own = inputs["vendors"].set_index("vendor_id").loc[vendor, "name"]
    assert scan_package(by_vendor[vendor].data, [own])


def test_leak_scan_finds_a_name_however_it_is_spelled(packs):
    _, by_vendor = packs
    files = parts(by_vendor["V001"].data)
    # an entity-encoded name in a chart cache, and a UTF-16 name in a binary part
    files["xl/charts/chart1.xml"] = files["xl/charts/chart1.xml"].replace(
        b"</c:chartSpace>", b"<!-- &#21551;&#26126; -->" + b"</c:chartSpace>").replace(
        b"<c:v>", b"<c:v>&#29579;&#33459;", 1)
    files["xl/media/blob.bin"] = "x刘洋y".encode("utf-16-le")
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, d in files.items():
            z.writestr(n, d)
    hits = {(h.part, h.term) for h in scan_package(buf.getvalue(), ["王芳", "刘洋", "V00"])}
    assert ("xl/charts/chart1.xml", "王芳") in hits and ("xl/media/blob.bin", "刘洋") in hits


def test_encrypted_pack_opens_only_with_its_password(packs):
    _, by_vendor = packs
    plain = by_vendor["V002"].data
    assert by_vendor["V002"].password == "qm-2026" and by_vendor["V001"].password is None
    sealed = encrypt(plain, "qm-2026")
    assert is_encrypted(sealed) and not is_encrypted(plain)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(BytesIO(sealed))
    with pytest.raises(WriteError):
        decrypt(sealed, "wrong")
    office = msoffcrypto.OfficeFile(BytesIO(sealed))
    assert office.is_encrypted()
    opened = decrypt(sealed, "qm-2026")
    assert parts(opened) == parts(plain)
    assert openpyxl.load_workbook(BytesIO(opened)).sheetnames[0] == "反馈_V002_2026-01"


def test_share_refuses_an_unknown_vendor_and_reports_encryption(tmp_path):
    from xlperf.errors import UsageError
    from xlperf.io.package import Package
    from xlperf.reports.prototype import add_prototype_sheet
    from xlperf.reports.share import ScoredBook, make_packs, packs_report, write_packs

    wb = openpyxl.Workbook()
    add_prototype_sheet(wb, "zh")
    book = tmp_path / "b.xlsx"
    wb.save(book)
    scored = ScoredBook(book, Package.open(book), make_inputs(), make_results(), "2026-02", "zh")
    with pytest.raises(UsageError) as err:
        make_packs(scored, ["V999"])
    assert "V999" in err.value.zh
    files = write_packs(scored, tmp_path / "out", ["V001", "V002"], generated=GEN)
    assert [(f.vendor_id, f.encrypted) for f in files] == [("V001", False), ("V002", True)]
    assert is_encrypted(files[1].path.read_bytes()) and not is_encrypted(files[0].path.read_bytes())
    text = packs_report(files, "zh")
    assert text.splitlines()[1].endswith("已加密（密码见供应商表“反馈包密码”）")
    assert text.splitlines()[-1] == "共 2 个供应商包，其中 1 个已加密。"
