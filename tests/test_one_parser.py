"""Issue 13.2: one place for each default and one list of yes-words."""

from xlperf.contract.tables import SETTINGS_BY_KEY
from xlperf.settings import Settings


def test_settings_fields_are_the_contract_settings():
    assert set(Settings.model_fields) == set(SETTINGS_BY_KEY)


def test_settings_defaults_are_the_contract_defaults():
    s = Settings()
    for key, setting in SETTINGS_BY_KEY.items():
        assert getattr(s, key) == setting.default, key


def test_udf_veto_words_are_validations_yes_words():
    from udfs.scoring import veto_flags
    from xlperf.validation.parse import YES_WORDS
    assert list(veto_flags(sorted(YES_WORDS))) == [1.0] * len(YES_WORDS)
    assert list(veto_flags(["否", "no", "否决"])) == [0.0, 0.0, 1.0]


# ── issue 13.2: validation fills the contract's defaults; the engine and the UDFs keep none ─────────

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from xlperf.book import RawBook, RawTable  # noqa: E402
from xlperf.contract.tables import TABLES_BY_NAME  # noqa: E402
from xlperf.inputs import Inputs, with_defaults  # noqa: E402

# 考核指标 as HR types it: Chinese choice words, a blank direction / cap / scale / aggregation,
# a full-width cap (１２０), a direction typed 越低越好.
HEADERS = ["指标编号", "指标名称", "维度", "层级", "计分方法", "方向", "底线值", "目标值", "挑战值", "得分上限",
           "评分制", "汇总方式"]
ROWS = [
    ["I1", "合格率", "质量", "人员", "线性", None, 60, 90, 100, None, None, None],
    ["I2", "合格率2", "质量", "人员", "线性计分", "", 60, 90, 100, "１２０", None, "求和"],
    ["I3", "时长", "效率", "人员", "线性", "越低越好", 48, 24, None, None, None, "平均"],
    ["I4", "主管评价", "协作", "人员", "评分", None, None, None, None, None, None, None],
]


def raw_book() -> RawBook:
    data = pd.DataFrame(ROWS, columns=range(len(HEADERS)), dtype=object)
    table = RawTable(name="indicators", sheet="考核指标", header_row=1, first_col=0, headers=HEADERS, data=data)
    return RawBook(source="typed.xlsx", tables={"indicators": table}, sheets=["考核指标"])


def test_the_contract_carries_the_indicator_defaults_the_engine_used_to_keep() -> None:
    from xlperf.engine.methods import DEFAULT_CAP, DEFAULT_SCALE

    ind = TABLES_BY_NAME["indicators"]
    assert {f.key: f.default for f in ind.fields if f.default is not None} == {
        "direction": "higher", "cap": DEFAULT_CAP, "scale": DEFAULT_SCALE, "aggregation": "mean"}
    import xlperf.engine.model as model
    assert not hasattr(model, "_TEXT_DEFAULTS") and not hasattr(model, "_NUM_DEFAULTS")


def test_typed_tables_read_the_words_and_fill_the_defaults() -> None:
    from xlperf.validation import typed_tables

    frame = typed_tables(raw_book(), ("indicators",))["indicators"]
    assert frame["method"].tolist() == ["linear", "linear", "linear", "rating"]
    assert frame["direction"].tolist() == ["higher", "higher", "lower", "higher"]
    assert frame["cap"].tolist() == [100.0, 120.0, 100.0, 100.0]
    assert frame["scale"].tolist() == [5.0] * 4
    assert frame["aggregation"].tolist() == ["mean", "sum", "mean", "mean"]


def test_inputs_made_by_hand_get_the_same_defaults_without_changing_the_frame() -> None:
    hand = pd.DataFrame({"indicator_id": ["A", "B"], "direction": [None, "lower"], "cap": [np.nan, 80.0]})
    inputs = Inputs(settings=Settings(), tables={"indicators": hand})
    got = inputs["indicators"]
    assert got["direction"].tolist() == ["higher", "lower"] and got["cap"].tolist() == [100.0, 80.0]
    assert got["scale"].tolist() == [5.0, 5.0] and got["aggregation"].tolist() == ["mean", "mean"]
    assert hand["direction"].isna().tolist() == [True, False]  # the caller's frame is not written into
    full = with_defaults("indicators", got)
    assert full is got  # nothing blank: the same frame, no copy


@pytest.mark.parametrize(("indicator", "values", "expected"), [
    ("I1", ["85%"], [83.33]),  # 85% text is 85 points: (85 − 60) / (90 − 60) · 100
    ("I1", [95], [100.0]),  # blank cap: the contract's 100
    ("I2", ["９５"], [110.0]),  # cap １２０: 100 + 20 · (95 − 90) / (100 − 90)
    ("I3", [30], [75.0]),  # 越低越好: 48 → 0, 24 → 100
    ("I4", [4], [80.0]),  # blank scale: the contract's 5-point scale
])
def test_a_udf_cell_scores_as_the_engine_reads_the_same_table(indicator: str, values: list[object],
                                                              expected: list[float],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import udfs
    from udfs import functions

    raw = raw_book()
    functions._cache.clear()
    monkeypatch.setattr(functions, "caller_book", lambda caller, tables: raw)
    got = udfs.XP_SCORE(np.array([values], dtype=object).T, indicator, caller=object())
    assert [round(r[0], 2) for r in got] == expected
    # the engine, given validation's typed table, scores the same number
    from xlperf.engine import api
    from xlperf.engine.model import prepare_indicators
    from xlperf.validation import typed_tables

    ind = prepare_indicators(Inputs(Settings(), typed_tables(raw, ("indicators",)))["indicators"])
    row = ind.set_index("indicator_id").loc[indicator]
    from xlperf.validation.parse import parse_number
    x = parse_number(pd.Series(values, dtype=object)).values.to_numpy(dtype=float)
    engine = api.score_values(x, row["method"], direction=row["direction"], floor=row["floor"],
                              target=row["target"], stretch=row["stretch"], cap=row["cap"], scale=row["scale"])
    assert [round(float(v), 2) for v in engine] == expected
