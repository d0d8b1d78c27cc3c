"""The XP_* worksheet functions: generated VBA wrappers match the Python signatures, function-wizard
help is complete, and every function gives the engine's numbers (worked examples and property tests)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from excel_helpers import vba_eval
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import udfs
from udfs.help import UDF_HELP
from xlperf.engine import api
from xlperf.excel.udf_wrappers import MAX_TEXT, help_module, wrapper_module

ROOT = Path(__file__).resolve().parents[1]
FUNCTION = re.compile(r"^Function (\w+)\(([^)]*)\)\r\n(.*?)^End Function", re.M | re.S)


def xw_funcs_in_source() -> set[str]:
    """Functions decorated with @xw.func in the udfs package, found by reading the code (the xlwings
    decorator does nothing off Windows, so this is the independent list)."""
    names = set()
    for path in (ROOT / "udfs").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    target = dec.func if isinstance(dec, ast.Call) else dec
                    if isinstance(target, ast.Attribute) and target.attr == "func" and \
                            isinstance(target.value, ast.Name) and target.value.id == "xw":
                        names.add(node.name)
    return names


def test_a_wrapper_for_every_xw_func_with_its_argument_list() -> None:
    source = wrapper_module().source
    wrappers = {name: (params, body) for name, params, body in FUNCTION.findall(source)}
    assert set(wrappers) == xw_funcs_in_source() == {f.__name__ for f in udfs.UDFS} == \
        {"XP_SCORE", "XP_TOTAL", "XP_GRADE", "XP_EXPLAIN", "XP_BONUS"}
    for func in udfs.UDFS:
        params = inspect.signature(func).parameters
        excel = [("Optional " if p.default is not inspect.Parameter.empty else "") + n
                 for n, p in params.items() if n != "caller"]
        head, body = wrappers[func.__name__]
        assert head.split(", ") == excel
        array = ", ".join("Nothing" if n == "caller" else n for n in params)
        assert f'{func.__name__} = XLPy.CallUDF("udfs", "{func.__name__}", Array({array}), ThisWorkbook, ' \
               "Application.Caller)" in body
        assert f"{func.__name__} = Err.Description" in body
    assert source.startswith('Attribute VB_Name = "xlwings_udfs"\r\n')
    assert '#Const App = "Microsoft Excel"' in source  # the #If App blocks need the module's own constant


def test_worked_wrapper_text_for_xp_total() -> None:
    source = wrapper_module().source
    assert "Function XP_TOTAL(scores, weights, Optional missing_policy)\r\n" in source
    assert 'XP_TOTAL = XLPy.CallUDF("udfs", "XP_TOTAL", Array(scores, weights, missing_policy))' in source


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_function_wizard_help_for_every_argument_in_the_language(lang: str) -> None:
    source = help_module(lang).source
    assert source.isascii()
    for func in udfs.UDFS:
        name = func.__name__
        excel_args = [n for n in inspect.signature(func).parameters if n != "caller"]
        block = re.search(rf"^Private Sub XpHelp_{name}\(\)\r\n(.*?)^End Sub", source, re.M | re.S)
        assert block, name
        body = block.group(1)
        assert f"ReDim a(0 To {len(excel_args) - 1})" in body
        texts = [vba_eval(e) for e in re.findall(r"^\s*a\(\d+\) = (.+?)\r$", body, re.M)]
        assert texts == [UDF_HELP[name].args[a](lang) for a in excel_args]
        description = vba_eval(re.search(rf'XpMacroOptions "{name}", (.+), a\r$', body, re.M).group(1))
        assert description == UDF_HELP[name].description(lang)
        assert all(len(t) <= MAX_TEXT for t in [*texts, description])
    assert "ThisWorkbook.Saved = wasSaved" in source
    if lang == "zh":
        assert "按权重计算每行的加权总分" in vba_eval(re.search(r'XpMacroOptions "XP_TOTAL", (.+), a\r$', source, re.M).group(1))


# ── numbers: worked examples ────────────────────────────────────────────────────────────────────────

def test_xp_score_linear_worked_example_spills_a_column() -> None:
    values = np.array([[50.0], [75.0], [95.0], [None]], dtype=object)
    assert udfs.XP_SCORE(values, "linear", 60, 90, 100, 120) == [[0.0], [50.0], [110.0], [None]]


def test_xp_score_lower_is_better_ratio_and_veto_text() -> None:
    assert udfs.XP_SCORE(np.array([[2.0, 4.0]]), "ratio", None, 2, None, None, "lower") == [[100.0, 50.0]]
    flags = np.array([["是"], ["否"], [None]], dtype=object)
    assert udfs.XP_SCORE(flags, "veto") == [[1.0], [0.0], [None]]


def test_xp_score_bands_from_a_range() -> None:
    bands = np.array([[None, 60, 40], [60, 80, 70], [80, None, 100]], dtype=object)
    assert udfs.XP_SCORE(np.array([[59.9], [60], [85]]), "bands", bands=bands) == [[40.0], [70.0], [100.0]]


def test_xp_total_renormalises_missing_scores() -> None:
    scores = np.array([[80, 90, None], [100, 50, 70]], dtype=object)
    weights = np.array([[50, 30, 20]])
    assert udfs.XP_TOTAL(scores, weights) == [[83.75], [79.0]]
    assert udfs.XP_TOTAL(scores, weights, "zero") == [[67.0], [79.0]]
    assert udfs.XP_TOTAL(scores, weights, "exclude") == [[None], [79.0]]


GRADES = np.array([["S", 90, 10, 1.5, 5], ["A", 80, 20, 1.2, 2], ["B", 70, 50, 1.0, 0],
                   ["C", 60, 15, 0.8, -3], ["D", 0, 5, 0.0, -10]], dtype=object)


def test_xp_grade_and_bonus_with_a_grade_range() -> None:
    totals = np.array([[95.0], [80.0], [79.99], [12.0]])
    assert udfs.XP_GRADE(totals, GRADES) == [["S"], ["A"], ["B"], ["D"]]
    assert udfs.XP_BONUS(totals, 1000, GRADES) == [[1500.0], [1200.0], [1000.0], [0.0]]
    assert udfs.XP_BONUS(np.array([["A"], ["C"]], dtype=object), np.array([[2000], [1000]]), GRADES) == \
        [[2400.0], [800.0]]


def test_xp_explain_uses_the_engines_words() -> None:
    out = udfs.XP_EXPLAIN(np.array([[75.0]]), "linear", 60, 90)
    expected = api.explain_values([75.0], "linear", floor=60, target=90)
    assert out == [[expected[0]]] and "75" in out[0][0]


def test_bad_arguments_give_a_short_message_not_a_traceback() -> None:
    assert udfs.XP_SCORE(np.array([[1.0]]), "nonsense").startswith("#XP:")  # no workbook to look it up in
    message = udfs.XP_TOTAL(np.array([[1, 2, 3]]), np.array([[1, 2]]))
    assert message.startswith("#XP:") and "Traceback" not in message
    assert udfs.XP_GRADE(np.array([[1.0]]), GRADES, "sideways").startswith("#XP:")


def test_indicator_ids_are_looked_up_in_the_calling_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """XP_SCORE(values, "W01") in a real workbook scores like the engine's scores sheet for W01."""
    from excel_helpers import book

    from xlperf.io.filebook import FileBook
    from xlperf.jobs import run_recompute

    path = book(tmp_path, "udf")
    run_recompute(FileBook(path), all_periods=True)
    raw = FileBook(path).read()
    monkeypatch.setattr("udfs.functions.caller_book", lambda caller, tables: raw)
    scores = raw.tables["xp_scores"]
    from xlperf.jobs import previous_rows

    frame = previous_rows(raw, "xp_scores")
    assert frame is not None and scores is not None
    for indicator in ("W01", "W03", "W04", "V01"):
        rows = frame.loc[(frame["indicator_id"] == indicator) & frame["actual"].notna()].head(40)
        assert len(rows) > 0, indicator
        got = udfs.XP_SCORE(rows[["actual"]].to_numpy(dtype=object), indicator, caller=object())
        assert [r[0] for r in got] == pytest.approx(rows["score"].astype(float).tolist()), indicator


# ── numbers: property tests against the engine API ──────────────────────────────────────────────────

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, width=32)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.one_of(finite, st.none()), min_size=1, max_size=30),
       floor=finite, span=st.floats(min_value=0.5, max_value=500, width=32),
       stretch_extra=st.one_of(st.none(), st.floats(min_value=0.5, max_value=500, width=32)),
       cap=st.one_of(st.none(), st.floats(min_value=50, max_value=150, width=32)),
       direction=st.sampled_from(["higher", "lower"]))
def test_xp_score_linear_equals_the_engine(values: list[float | None], floor: float, span: float,
                                           stretch_extra: float | None, cap: float | None, direction: str) -> None:
    target = floor + span if direction == "higher" else floor - span
    stretch = None if stretch_extra is None else (target + stretch_extra if direction == "higher" else target - stretch_extra)
    column = np.array([[v] for v in values], dtype=object)
    got = udfs.XP_SCORE(column, "linear", floor, target, stretch, cap, direction)
    x = np.array([np.nan if v is None else v for v in values])
    want = api.score_values(x, "linear", direction=direction, floor=floor, target=target,
                            stretch=np.nan if stretch is None else stretch, cap=100.0 if cap is None else cap)
    assert [r[0] for r in got] == [None if np.isnan(w) else w for w in want]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(finite, min_size=1, max_size=20), method=st.sampled_from(["ratio", "deduction", "rating", "adjust"]),
       param=st.floats(min_value=0.5, max_value=50, width=32))
def test_xp_score_other_methods_equal_the_engine(values: list[float], method: str, param: float) -> None:
    kwargs = {"ratio": {"target": param}, "deduction": {"per_unit": param}, "adjust": {"per_unit": param},
              "rating": {"scale": param}}[method]
    row = np.array([values], dtype=object)
    got = udfs.XP_SCORE(row, method, kwargs.get("floor"), kwargs.get("target"), None, None, None,
                        kwargs.get("per_unit"), kwargs.get("scale"))
    want = api.score_values(np.array(values), method, **kwargs)
    assert got == [[None if np.isnan(w) else w for w in want]]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), rows=st.integers(1, 8), cols=st.integers(1, 6),
       policy=st.sampled_from(["renormalize", "zero", "exclude"]))
def test_xp_total_equals_the_engine(data: st.DataObject, rows: int, cols: int, policy: str) -> None:
    scores = [[data.draw(st.one_of(st.none(), st.floats(0, 120, width=32))) for _ in range(cols)] for _ in range(rows)]
    weights = [data.draw(st.floats(1, 100, width=32)) for _ in range(cols)]
    got = udfs.XP_TOTAL(np.array(scores, dtype=object), np.array([weights]), policy)
    s = np.array([[np.nan if v is None else v for v in r] for r in scores], dtype=float)
    want = api.weighted_total(s, np.array(weights), missing_policy=policy)
    assert [r[0] for r in got] == [None if np.isnan(w) else w for w in want]


@settings(max_examples=60, deadline=None)
@given(totals=st.lists(st.one_of(st.none(), st.floats(0, 120, width=32)), min_size=1, max_size=30),
       mode=st.sampled_from(["absolute", "forced"]))
def test_xp_grade_equals_the_engine(totals: list[float | None], mode: str) -> None:
    from udfs.scoring import grade_frame

    got = udfs.XP_GRADE(np.array([[t] for t in totals], dtype=object), GRADES, mode)
    want = api.grade_for(np.array([np.nan if t is None else t for t in totals]), grade_frame(GRADES), mode)
    assert [r[0] for r in got] == list(want)


def test_a_hundred_thousand_values_in_one_call() -> None:
    values = np.linspace(0, 120, 100_000).reshape(-1, 1)
    out = udfs.XP_SCORE(values, "linear", 60, 90, 100, 120)
    assert len(out) == 100_000 and out[0] == [0.0] and out[-1] == [120.0]


def test_indicator_lookups_in_one_recalculation_share_one_read_of_the_workbook() -> None:
    """A column of XP_SCORE(..., "W01") cells recalculating together reads 考核指标 once, through the live
    engine (on the in-memory xlwings stand-in)."""
    from live_fakes import FakeBook

    import udfs.functions as f

    book = FakeBook("C:\\HR\\cache-test.xlsm")
    sheet = book.sheets.add("考核指标", after=book.sheet("说明"))
    sheet.put_table("indicators", [["指标编号", "计分方法", "底线值", "目标值"], ["W01", "linear", 60, 90]])

    class Caller:
        class sheet:  # noqa: N801 - the shape of an xlwings Range: caller.sheet.book
            pass

    Caller.sheet.book = book  # type: ignore[attr-defined]
    f._cache.clear()
    outs = [udfs.XP_SCORE(np.array([[v]]), "W01", caller=Caller) for v in (60.0, 75.0, 90.0)]
    assert outs == [[[0.0]], [[50.0]], [[100.0]]]
    assert book.calls.reads == 1
