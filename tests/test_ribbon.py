"""The ribbon tab and its VBA: every button reaches a callback with the right signature, every callback
runs an existing xlperf.macros function, texts are right in both languages and survive any code page."""

from __future__ import annotations

import inspect
import re
import zipfile
from pathlib import Path

import pytest
from excel_helpers import RUNPYTHON, SUB_BLOCK, vba_eval, xpt_table
from lxml import etree

import xlperf.macros as macros
from xlperf.excel.ribbon import BUTTONS, CUSTOMUI_NS, CUSTOMUI_REL_TYPE, check_ribbon, ribbon_xml
from xlperf.excel.vba_sources import VBA_TEXT, collect_modules, text_module, vba_string

ROOT = Path(__file__).resolve().parents[1]
NS = {"c": CUSTOMUI_NS}
REQUIRED = {  # label zh, label en, for the buttons the product promises
    "XpValidate": ("校验数据", "Validate"),
    "XpRecomputeAll": ("全部重算", "Recompute all"),
    "XpRecomputeCurrent": ("重算本期", "Recompute period"),
    "XpFeedback": ("生成反馈表", "Feedback sheets"),
    "XpShare": ("导出供应商包", "Vendor packs"),
    "XpDoctor": ("环境检查", "Check setup"),
    "XpSimulate": ("方案模拟", "Simulate"),  # issue 15
    "XpAnalyze": ("指标体系评估", "Review indicators"),  # issue 15
    "XpPull": ("刷新监控数据", "Refresh monitoring"),  # issue 16
}


@pytest.mark.parametrize("lang, tab", [("zh", "绩效管理"), ("en", "Performance")])
def test_ribbon_has_the_tab_and_every_button_with_an_office_icon(lang: str, tab: str) -> None:
    root = etree.fromstring(ribbon_xml(lang))
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    tabs = root.findall(".//c:tab", NS)
    assert [t.get("label") for t in tabs] == [tab]
    buttons = {b.get("onAction"): b for b in root.findall(".//c:button", NS)}
    assert set(buttons) == set(REQUIRED)
    for callback, labels in REQUIRED.items():
        b = buttons[callback]
        assert b.get("label") == labels[0 if lang == "zh" else 1]
        assert re.fullmatch(r"[A-Z][A-Za-z]+", b.get("imageMso") or "")
        assert b.get("size") == "large" and b.get("supertip")
    assert "{{" not in ribbon_xml(lang).decode()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_on_action_names_a_callback_with_the_ribbon_signature(lang: str) -> None:
    sources = [m.source for m in collect_modules(lang)]
    assert check_ribbon(ribbon_xml(lang), sources) == []


def test_a_wrong_callback_signature_or_a_missing_callback_is_reported() -> None:
    source = (ROOT / "workbook_templates/src/vba/xlperf_ribbon.bas").read_text(encoding="utf-8")
    broken = source.replace("Sub XpShare(control As IRibbonControl)", "Sub XpShare()")
    broken = broken.replace("Sub XpDoctor(control As IRibbonControl)", "Sub XpDoktor(control As IRibbonControl)")
    problems = check_ribbon(ribbon_xml("zh"), [broken])
    assert problems == [
        "xlperfShare: XpShare must be Sub XpShare(control As IRibbonControl), has ()",
        "xlperfDoctor: onAction XpDoctor is not a Sub in the VBA sources",
    ]


def test_each_callback_runs_its_own_macro_and_every_macro_exists_and_takes_the_workbook() -> None:
    source = (ROOT / "workbook_templates/src/vba/xlperf_ribbon.bas").read_text(encoding="utf-8")
    called = {name: RUNPYTHON.findall(body) for name, _params, body in SUB_BLOCK.findall(source)}
    expected = {b.callback: [b.macro] for b in BUTTONS}
    assert {k: v for k, v in called.items() if v} == expected
    for b in BUTTONS:
        func = getattr(macros, b.macro)
        params = inspect.signature(func).parameters
        # RunPython calls it with no arguments; the workbook is optional (defaults to the caller)
        assert all(p.default is not inspect.Parameter.empty for p in params.values()), b.macro
        assert b.macro in macros.ACTIONS


def test_callbacks_restore_excel_state_and_explain_a_python_that_did_not_start() -> None:
    source = (ROOT / "workbook_templates/src/vba/xlperf_ribbon.bas").read_text(encoding="utf-8")
    end = dict((n, body) for n, _p, body in SUB_BLOCK.findall(source))["XpEnd"]
    for restored in ("Application.StatusBar = False", "Application.Cursor = xlDefault",
                     "Application.ScreenUpdating = True", "Application.Calculation = xpCalculation"):
        assert restored in end
    assert 'If rc = -1 Then MsgBox XpT("python_failed")' in end
    callbacks = {n: body for n, _p, body in SUB_BLOCK.findall(source) if n in {b.callback for b in BUTTONS}}
    for name, body in callbacks.items():  # a VBA error around RunPython still restores Excel
        assert body.index("On Error GoTo failed") < body.index("RunPython") < body.index("failed:\n    XpFail"), name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_vba_texts_decode_to_the_language_and_every_key_used_exists(lang: str) -> None:
    source = (ROOT / "workbook_templates/src/vba/xlperf_ribbon.bas").read_text(encoding="utf-8")
    used = set(re.findall(r'XpT\("(\w+)"\)', source))
    table = xpt_table(text_module(lang).source)
    assert used <= set(table)
    assert table == {k: t(lang) for k, t in VBA_TEXT.items()}
    if lang == "zh":
        assert table["busy_validate"] == "xlperf：正在校验数据……"


def test_vba_strings_round_trip_including_quotes_and_long_text() -> None:
    for text in ["plain", 'say "hi"', "校验数据", "混合 mixed “quotes” " * 40, ""]:
        assert vba_eval(vba_string(text)) == text
    long = "长" * 400
    expr = vba_string(long)
    assert expr.count("XpU(") == 3 and max(len(p) for p in expr.split(" & ")) < 1023


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_our_modules_are_pure_ascii_with_crlf_line_ends(lang: str) -> None:
    ours = {"xlperf_ribbon", "xlperf_text", "xlwings_udfs", "xlperf_udf_help", "ThisWorkbook"}
    modules = {m.name: m.source for m in collect_modules(lang)}
    assert ours <= set(modules)
    for name in ours:
        assert modules[name].isascii(), name
        assert "\n" not in modules[name].replace("\r\n", ""), name
    assert "XpRegisterUdfHelp" in modules["ThisWorkbook"]


def test_xlwings_module_and_dictionary_class_come_from_the_installed_xlwings() -> None:
    import xlwings

    modules = {m.name: m for m in collect_modules("zh")}
    shipped = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8")
    assert modules["xlwings"].source.replace("\r\n", "\n").strip() == shipped.replace("\r\n", "\n").strip()
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in modules["xlwings"].source
    assert modules["Dictionary"].kind == "class"


@pytest.mark.parametrize("name, lang", [("xlperf.xlsm", "zh"), ("xlperf_en.xlsm", "en")])
def test_built_template_ribbon_and_olevba_extracted_callbacks_agree(name: str, lang: str) -> None:
    """End to end on the committed template: the ribbon part it carries, its relationship, and the VBA
    that oletools extracts from its vbaProject.bin."""
    path = ROOT / "workbook_templates" / name
    with zipfile.ZipFile(path) as zf:
        ui = zf.read("customUI/customUI14.xml")
        rels = zf.read("_rels/.rels").decode()
    # byte equality with ribbon_xml(lang) is the template build's own staleness test; here: its tab
    tab = etree.fromstring(ui).find(".//c:tab", NS)
    assert tab is not None and tab.get("label") == ("绩效管理" if lang == "zh" else "Performance")
    rel = [r for r in etree.fromstring(rels.encode()) if r.get("Type") == CUSTOMUI_REL_TYPE]
    assert [r.get("Target").lstrip("/") for r in rel] == ["customUI/customUI14.xml"]
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        extracted = [code for _f, _s, _n, code in parser.extract_macros()]
    finally:
        parser.close()
    assert check_ribbon(ui, extracted) == []
    names = {m for code in extracted for m in RUNPYTHON.findall(code)}
    assert names == {b.macro for b in BUTTONS}
    assert all(callable(getattr(macros, n)) for n in names)
