"""Choices in the workbook's language: one vocabulary (xlperf.contract.choices) gives the words a zh
workbook's dropdowns offer and store, and the per-set parsing that reads them, the keys and the other
spellings back. Real .xlsm files from the template, read by the file engine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from validation_helpers import ROWS

from xlperf.contract.choices import ALL_VOCABS, LEVELS, METHODS, SCOPES, SOURCES
from xlperf.demo import build_book
from xlperf.demo.words import in_book_words
from xlperf.findings import Severity
from xlperf.io.filebook import FileBook
from xlperf.jobs import run_validate


def _frames(lang: str) -> dict[str, pd.DataFrame]:
    frames = {name: pd.DataFrame(rows) for name, rows in ROWS.items()}
    frames["settings"].loc[frames["settings"]["key"] == "lang", "value"] = lang
    return frames


def test_a_spelling_is_read_in_its_own_choice_set() -> None:
    assert LEVELS.parse("vendor") == "vendor" and SCOPES.parse("vendor") == "vendor"
    assert LEVELS.parse("供应商") == "vendor" and SCOPES.parse("供应商") is None
    assert SCOPES.parse("供应商内排名") == "vendor" and LEVELS.parse("供应商内排名") is None
    assert METHODS.parse("评分") == "rating" and SOURCES.parse("评价") == "rating"
    assert METHODS.parse(" ＬＩＮＥＡＲ ") == "linear" and METHODS.parse("分档") == "bands"
    assert METHODS.parse("公司") is None and LEVELS.word("worker", "zh") == "人员"


@pytest.mark.parametrize("name", sorted(ALL_VOCABS))
def test_every_spelling_of_a_set_means_one_key(name: str) -> None:
    vocab = ALL_VOCABS[name]
    for c in vocab.items:
        for spelling in (c.key, c.zh, *c.aliases):
            assert vocab.parse(spelling) == c.key, (name, spelling)
        assert vocab.offered(c.zh, "zh") and vocab.offered(c.key, "zh") and vocab.offered(c.key, "en")
        assert not vocab.offered(c.zh, "en")
        assert "," not in c.zh  # a dropdown's list is comma-separated
    assert len(set(vocab.words("zh"))) == len(vocab)


def test_a_zh_book_typed_with_dropdown_words_validates_without_a_note(tmp_path: Path) -> None:
    book = build_book(tmp_path / "zh.xlsm", "zh", in_book_words(_frames("zh"), "zh"))
    wb = load_workbook(book, read_only=True)
    indicators = list(wb["考核指标"].iter_rows(min_row=2, max_row=3, values_only=True))
    assert indicators[0][3:7] == ("供应商", 50, "线性", "越高越好") and indicators[1][5] == "分档"
    settings = list(wb["参数设置"].iter_rows(min_row=2, max_row=11, values_only=True))
    assert settings[2][:2] == ("缺失数据处理", "重新分配权重") and settings[9][:2] == ("界面语言", "中文")
    assert next(wb["考核期间"].iter_rows(min_row=2, max_row=2, values_only=True))[4] == "开放"
    wb.close()
    report = run_validate(FileBook(book))
    assert report.lang == "zh"
    assert report.flatten() == []


def test_a_zh_book_filled_with_english_keys_keeps_working(tmp_path: Path) -> None:
    book = build_book(tmp_path / "keys.xlsm", "zh", _frames("zh"))
    assert load_workbook(book, read_only=True)["考核指标"]["F2"].value == "linear"
    assert run_validate(FileBook(book)).flatten() == []


def test_other_spellings_are_read_and_noted(tmp_path: Path) -> None:
    frames = in_book_words(_frames("zh"), "zh")
    frames["indicators"].loc[0, "method"] = "线性计分"
    frames["dimensions"].loc[2, "level"] = "外包人员"
    frames["periods"].loc[0, "status"] = "未关闭"
    book = build_book(tmp_path / "aliases.xlsm", "zh", frames)
    report = run_validate(FileBook(book))
    assert report.flatten() == [("考核维度", "B4", "normalised-choice"), ("考核指标", "F2", "normalised-choice"),
                                ("考核期间", "E2", "normalised-choice")]
    assert {f.severity for f in report.findings} == {Severity.INFO}


def test_an_english_book_offers_keys_and_notes_chinese_words(tmp_path: Path) -> None:
    frames = in_book_words(_frames("en"), "en")
    assert frames["indicators"].loc[0, "method"] == "linear"
    assert frames["settings"]["key"].tolist()[:3] == ["Organisation", "Current period", "Missing data policy"]
    frames["indicators"].loc[0, "method"] = "线性"
    book = build_book(tmp_path / "en.xlsm", "en", frames)
    report = run_validate(FileBook(book))
    assert report.lang == "en"
    assert report.flatten() == [("Indicators", "F2", "normalised-choice")]


def test_worksheet_functions_read_the_books_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """XP_SCORE(values, "W02") in a zh book whose 考核指标 says 线性 / 越低越好 scores like the engine."""
    import numpy as np
    from excel_helpers import small_tables

    import udfs
    from udfs.scoring import check_method
    from xlperf.jobs import previous_rows, run_recompute

    assert check_method("线性") == "linear" and check_method(" Bands ") == "bands"
    assert udfs.XP_TOTAL(np.array([[80.0, None]]), np.array([[50, 50]]), "记零分") == [[40.0]]
    path = build_book(tmp_path / "udf.xlsm", "zh", in_book_words(small_tables("zh"), "zh"))
    run_recompute(FileBook(path), all_periods=True)
    raw = FileBook(path).read()
    assert "越低越好" in set(raw.tables["indicators"].data.iloc[:, 6].dropna())
    monkeypatch.setattr("udfs.functions.caller_book", lambda caller, tables: raw)
    frame = previous_rows(raw, "xp_scores")
    assert frame is not None
    for indicator in ("W01", "W02"):
        rows = frame.loc[(frame["indicator_id"] == indicator) & frame["actual"].notna()].head(20)
        assert len(rows) > 0, indicator
        got = udfs.XP_SCORE(rows[["actual"]].to_numpy(dtype=object), indicator, caller=object())
        assert [r[0] for r in got] == pytest.approx(rows["score"].astype(float).tolist()), indicator
