"""The workbook template: sheets and tables from the contract, validations, defaults, the macro-enabled
package, determinism, `xlperf new`, `xlperf template build`, WORKBOOK.md, and LibreOffice's view of it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook
from template_helpers import book_tables, parts, parts_of

from xlperf.book import col_letter
from xlperf.cli import main
from xlperf.contract import INPUT_TABLES, SETTINGS
from xlperf.contract.tables import DEFAULT_GRADES, DEFAULT_RATER_WEIGHTS
from xlperf.excel.template import (
    build_template_bytes,
    code_name,
    collect_vba_modules,
    render_workbook_doc,
    sheet_codenames,
    template_path,
)
from xlperf.excel.template.doc import DOC_PATH
from xlperf.excel.template.package import write_zip

ZH = template_path("zh")
EN = template_path("en")


def test_every_contract_table_is_a_list_object_with_labelled_headers_and_a_codename() -> None:
    tables = book_tables(ZH)
    assert set(tables) == {t.name for t in INPUT_TABLES}
    for t in INPUT_TABLES:
        found = tables[t.name]
        assert found["sheet"] == t.zh
        assert found["headers"] == [f.zh + ("*" if f.required else "") for f in t.fields]
        assert found["codeName"] == code_name(t)
        assert found["ref"].startswith("A1:")
    assert tables["indicators"]["headers"][:3] == ["指标编号*", "指标名称*", "维度*"]
    assert tables["rater_weights"]["codeName"] == "shRaterWeights"


def test_english_template_has_english_sheets_and_headers() -> None:
    tables = book_tables(EN)
    assert tables["workers"]["sheet"] == "Workers"
    assert tables["workers"]["headers"] == ["Worker ID*", "Name*", "Vendor ID*", "Role", "Team", "Start date",
                                            "End date", "Base bonus"]
    wb = load_workbook(EN)
    assert wb.sheetnames[0] == "Instructions"
    assert wb["Settings"]["B11"].value == "en"  # the lang setting row


def test_sheet_order_codenames_and_workbook_codename() -> None:
    wb = load_workbook(ZH)
    assert wb.sheetnames == ["说明", *(t.zh for t in INPUT_TABLES), "反馈表模板"]
    assert [ws.sheet_properties.codeName for ws in wb.worksheets] == sheet_codenames()
    assert wb.code_name == "ThisWorkbook"


def test_dropdowns_for_every_choice_and_reference() -> None:
    tables = book_tables(ZH)
    wb = load_workbook(ZH)
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    for t in INPUT_TABLES:
        validations = tables[t.name]["validations"]
        for j, f in enumerate(t.fields):
            cell = f"{col_letter(j)}2"
            if t.name == "settings" and f.key == "key":
                assert validations[cell] == ("list", '"' + ",".join(s.zh for s in SETTINGS) + '"')
            elif f.choices:
                assert validations[cell] == ("list", '"' + ",".join(f.choices.words("zh")) + '"'), (t.name, f.key)
            elif f.ref is not None:
                assert validations[cell] == ("list", f"xp_list_{f.ref.field}"), (t.name, f.key)
    assert names["xp_list_vendor_id"] == "vendors[[供应商编号*]]"
    assert names["xp_list_rater_role"] == "rater_weights[[评分角色*]]"
    assert names["xp_list_period_id"] == "periods[[期间*]]"
    # the Chinese template offers Chinese words, and only them
    assert tables["indicators"]["validations"]["F2"] == ("list", '"线性,比率,分档,评分,扣分,加减分,一票否决,团队"')
    assert tables["indicators"]["validations"]["D2"] == ("list", '"供应商,人员"')
    assert tables["indicators"]["validations"]["G2"] == ("list", '"越高越好,越低越好"')
    assert tables["indicators"]["validations"]["O2"] == ("list", '"求和,平均值,最新,最大值,最小值,计数"')
    assert tables["indicators"]["validations"]["Q2"] == ("list", '"定期报告,现场检查,在线监控,评价"')
    assert tables["periods"]["validations"]["E2"] == ("list", '"开放,已关闭"')
    assert tables["goals"]["validations"]["K2"] == ("list", '"草稿,已约定,进行中,已达成,未达成,已取消"')
    # the English one offers the keys
    en = book_tables(EN)
    assert en["indicators"]["validations"]["F2"] == ("list", '"linear,ratio,bands,rating,deduction,adjust,veto,team"')
    assert en["periods"]["validations"]["E2"] == ("list", '"open,closed"')
    # numbers with bounds warn (do not block) outside them
    assert tables["dimensions"]["validations"]["C2"] == ("decimal", "0")
    assert tables["workers"]["validations"]["H2"] == ("decimal", "0")  # base bonus ≥ 0


def test_settings_grades_and_rater_weights_are_prefilled_and_the_rest_empty() -> None:
    wb = load_workbook(ZH)
    settings = wb["参数设置"]
    rows = list(settings.iter_rows(min_row=2, max_row=1 + len(SETTINGS), values_only=True))
    # each setting by its Chinese name, its value in Chinese words, a short description beside it
    assert [r[0] for r in rows] == ["组织名称", "当前期间", "缺失数据处理", "否决后总分", "评级方式", "强制分布范围",
                                    "总分上限", "预警分数线", "降幅预警", "界面语言", "申诉期限天数"]
    by_name = {r[0]: r[1] for r in rows}
    assert by_name["缺失数据处理"] == "重新分配权重"
    assert by_name["评级方式"] == "分数线" and by_name["强制分布范围"] == "统一排名"
    assert by_name["总分上限"] == 120
    assert by_name["界面语言"] == "中文"
    assert by_name["申诉期限天数"] == 14
    assert by_name["组织名称"] is None
    assert rows[2][2] == "指标没有数据时：重新分配权重=按已有指标重新分配；记零分=缺失指标记 0 分；不计总分=该对象不出总分"
    values = {c: v for c, v in book_tables(ZH)["settings"]["validations"].items() if c.startswith("B")}
    assert values == {"B3": ("list", "xp_list_period_id"), "B4": ("list", '"重新分配权重,记零分,不计总分"'),
                      "B6": ("list", '"分数线,强制分布"'), "B7": ("list", '"统一排名,供应商内排名"'),
                      "B11": ("list", '"中文,英文"')}
    en_rows = list(load_workbook(EN)["Settings"].iter_rows(min_row=2, max_row=1 + len(SETTINGS), values_only=True))
    assert [r[0] for r in en_rows] == [s.en for s in SETTINGS]
    assert (en_rows[2][1], en_rows[9][1]) == ("renormalize", "en")
    grades = list(wb["等级与激励"].iter_rows(min_row=2, max_row=6, values_only=True))
    assert grades == [(g, m, q, b, f, a) for g, m, q, b, f, a, _ in DEFAULT_GRADES]
    weights = list(wb["评分权重"].iter_rows(min_row=2, max_row=3, values_only=True))
    assert weights == [(i, r, w) for i, r, _, w in DEFAULT_RATER_WEIGHTS]
    tables = book_tables(ZH)
    for name in ("dimensions", "indicators", "bands", "vendors", "workers", "periods", "observations", "ratings",
                 "goals"):
        ws = tables[name]["ws"]
        assert tables[name]["ref"].endswith("2")  # header + one empty row
        assert all(c.value is None for c in ws[2]), name


def test_styles_widths_formats_and_frozen_panes() -> None:
    wb = load_workbook(ZH)
    ws = wb["外包人员"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("C55A11")  # required: orange
    assert ws["D1"].fill.fgColor.rgb.endswith("1F4E78")  # optional: blue
    assert ws.column_dimensions["F"].number_format == "yyyy-mm-dd"
    assert ws["F2"].number_format == "yyyy-mm-dd"
    assert ws["H2"].number_format == "#,##0.00"
    obs = wb["监控记录"]
    assert obs["B2"].number_format == "@"  # period ids stay text (2026-07 is not a date)
    assert wb["供应商"].column_dimensions["B"].width == 24


def test_instructions_sheet_explains_every_table_with_examples() -> None:
    wb = load_workbook(ZH)
    ws = wb["说明"]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for t in INPUT_TABLES:
        assert f"{t.zh}（{t.name}）" in text
    assert "96.5 → 100×(96.5−90)/(98−90) = 81.25" in text
    assert text.count("填写示例") == len(INPUT_TABLES)
    assert "一次通过率" in text and "SMART" in text


def test_package_is_macro_enabled_with_vba_and_ribbon() -> None:
    p = parts(ZH)
    ct = p["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct
    assert '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' in ct
    assert 'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"' in \
        p["xl/_rels/workbook.xml.rels"].decode()
    assert ('Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" '
            'Target="customUI/customUI14.xml"') in p["_rels/.rels"].decode()
    assert b'label="\xe7\xbb\xa9\xe6\x95\x88\xe7\xae\xa1\xe7\x90\x86"' in p["customUI/customUI14.xml"]  # 绩效管理
    assert b"2026-01-01T00:00:00Z" in p["docProps/core.xml"]
    with zipfile.ZipFile(ZH) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}


def test_vba_project_has_a_document_module_per_sheet_and_the_xlwings_module() -> None:
    parser = VBA_Parser(str(ZH))
    try:
        modules = {name.rsplit("/", 1)[-1]: code for _, name, _, code in parser.extract_macros()}
    finally:
        parser.close()
    for name in ["ThisWorkbook", *sheet_codenames()]:
        assert name in modules, name
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in modules["shGoals"]
    assert "Workbook_Open" in modules["ThisWorkbook"]
    assert "XLWINGS_VERSION" in modules["xlwings"]
    expected = {m.name for m in collect_vba_modules("zh")}
    assert expected <= set(modules)


def test_build_is_deterministic_and_the_committed_templates_are_current() -> None:
    first, second = build_template_bytes("en"), build_template_bytes("en")
    assert first == second
    # the zh template is compared by the `template build` test below
    assert parts_of(first) == parts(EN), "the committed template is stale: run `xlperf template build`"


def test_write_zip_fixes_order_and_time() -> None:
    a = write_zip({"b.xml": b"2", "[Content_Types].xml": b"1", "_rels/.rels": b"3"})
    b = write_zip({"_rels/.rels": b"3", "b.xml": b"2", "[Content_Types].xml": b"1"})
    assert a == b
    assert zipfile.ZipFile(io.BytesIO(a)).namelist() == ["[Content_Types].xml", "_rels/.rels", "b.xml"]


def test_template_build_check_reports_a_stale_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "build", "--out", str(tmp_path)]) == 0
    # same parts (deflate bytes may vary by zlib build)
    assert parts(tmp_path / "xlperf.xlsm") == parts(ZH), "the committed template is stale: run `xlperf template build`"
    assert (tmp_path / "WORKBOOK.md").read_text(encoding="utf-8") == DOC_PATH.read_text(encoding="utf-8")
    capsys.readouterr()
    (tmp_path / "xlperf_en.xlsm").write_bytes(b"old")
    assert main(["--lang", "en", "template", "build", "--check", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f"template out of date: {tmp_path / 'xlperf_en.xlsm'}"]


def test_xlperf_new_copies_the_template_and_refuses_to_overwrite(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "hr" / "绩效.xlsm"
    assert main(["new", str(target)]) == 0
    assert target.read_bytes() == ZH.read_bytes()
    target.write_bytes(b"user work")
    assert main(["new", str(target)]) == 2
    assert "已存在" in capsys.readouterr().err
    assert target.read_bytes() == b"user work"
    assert main(["new", str(target), "--lang", "en", "--force"]) == 0
    assert target.read_bytes() == EN.read_bytes()
    assert main(["new", str(tmp_path / "x.xlsx")]) == 2


def test_workbook_doc_is_rendered_from_the_contract() -> None:
    doc = render_workbook_doc()
    assert DOC_PATH.read_text(encoding="utf-8") == doc
    for t in INPUT_TABLES:
        assert f"(`{t.name}`)" in doc
        for f in t.fields:
            assert f"`{f.key}`" in doc
    assert "## 中文" in doc and "## English" in doc


@pytest.mark.libreoffice
def test_libreoffice_opens_a_new_book_and_keeps_tables_validations_and_styles(tmp_path: Path) -> None:
    from xlperf.excel.libreoffice import convert

    book = tmp_path / "new.xlsm"
    assert main(["new", str(book)]) == 0
    converted = convert(book, "xlsx", tmp_path / "out", recalc=False)
    tables = book_tables(converted)
    assert set(tables) == {t.name for t in INPUT_TABLES}
    assert tables["workers"]["headers"][:3] == ["人员编号*", "姓名*", "供应商编号*"]
    assert tables["workers"]["validations"]["C2"] == ("list", "xp_list_vendor_id")
    assert tables["indicators"]["validations"]["F2"][1] == '"线性,比率,分档,评分,扣分,加减分,一票否决,团队"'
    wb = load_workbook(converted)
    assert wb.defined_names["xp_list_vendor_id"].attr_text == "vendors[[供应商编号*]]"
    ws = wb["外包人员"]
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("C55A11")
    assert ws.column_dimensions["F"].number_format.replace("\\", "") == "yyyy-mm-dd"  # LO escapes the -
    assert ws.column_dimensions["A"].width > 12
    # (frozen panes are view settings: LibreOffice headless has no view and writes none, so not checked here)
    assert wb["参数设置"]["B4"].value == "重新分配权重"
    assert [t.displayName for t in wb["等级与激励"].tables.values()] == ["grades"]


def test_new_builds_the_template_when_the_committed_file_is_not_installed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import xlperf.excel.template as template

    monkeypatch.setattr(template, "template_path", lambda lang: tmp_path / "not-installed.xlsm")
    book = template.new_book(tmp_path / "fresh.xlsm", "en")
    assert parts(book) == parts(EN)
