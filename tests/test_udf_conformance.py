"""One reading of what HR typed, whichever door: every XP_* worksheet function, over every subject and
indicator of the demo, gives the engine's numbers on the results sheets (to 0.01), both for the demo as
xlperf writes it and for the same book typed as an HR user types it (Chinese choice words, percent
cells, full-width digits, 是/否); and the typed book scores exactly like the clean one, to the cent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typed_books import PERCENT_INDICATORS, clean_book, recomputed, typed_book

import udfs
from udfs import functions
from xlperf.validation import typed_tables

CACHE: dict[str, tuple[Any, pd.DataFrame, pd.DataFrame]] = {}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, pd.DataFrame, pd.DataFrame]]:
    tmp = tmp_path_factory.mktemp("conformance")
    if not CACHE:
        CACHE["clean"] = recomputed(clean_book(tmp), tmp, "clean")
        CACHE["typed"] = recomputed(typed_book(tmp), tmp, "typed")
    return CACHE


def column(out: Any) -> np.ndarray[Any, Any]:
    assert isinstance(out, list), out  # a "#XP: ..." text would be a failure to score
    return np.array([np.nan if r[0] is None else r[0] for r in out], dtype=object)


def floats(out: Any) -> np.ndarray[Any, Any]:
    return column(out).astype(float)


@pytest.fixture
def in_book(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the functions' calling workbook the given RawBook (what xlwings' caller would read)."""
    def use(raw: Any) -> None:
        functions._cache.clear()
        monkeypatch.setattr(functions, "caller_book", lambda caller, tables: raw)
    return use


@pytest.mark.parametrize("kind", ["clean", "typed"])
def test_xp_score_and_explain_equal_the_scores_sheet_for_every_indicator(books: Any, in_book: Any, kind: str) -> None:
    raw, scores, _ = books[kind]
    in_book(raw)
    indicators = typed_tables(raw, ["indicators"])["indicators"]
    assert len(indicators) == 13
    checked = set()
    for indicator, rows in scores.groupby("indicator_id"):
        rows = rows.loc[rows["actual"].notna()]
        actual = rows[["actual"]].to_numpy(dtype=object)
        want = rows["score"].astype(float).to_numpy()
        method = rows["method"].iloc[0]
        got = floats(udfs.XP_SCORE(actual, indicator, caller=object()))
        if method == "veto":  # a triggered veto has no indicator score: it sets the total (checked below)
            assert np.isnan(want).all() and (got == 1.0).all(), indicator
        else:
            np.testing.assert_allclose(got, want, atol=0.01, err_msg=str(indicator))
        words = column(udfs.XP_EXPLAIN(actual, indicator, caller=object()))
        if method in ("team", "rating"):
            # the sheet also names what the value came from (workers counted, raters): the rule is the same
            assert all(w.split("→", 1)[1] == e.split("→", 1)[1] for w, e in zip(words, rows["explanation"])), indicator
        else:
            assert list(words) == list(rows["explanation"]), indicator
        checked.add(indicator)
    assert checked == set(indicators["indicator_id"])


@pytest.mark.parametrize("kind", ["clean", "typed"])
def test_xp_total_grade_and_bonus_equal_the_results_sheet_for_every_subject(books: Any, in_book: Any,
                                                                             kind: str) -> None:
    raw, scores, results = books[kind]
    in_book(raw)
    frames = typed_tables(raw, ["dimensions", "workers", "indicators", "settings"])
    dims, workers = frames["dimensions"], frames["workers"]
    months = results.loc[~results["period_id"].str.contains("Q")]
    assert len(months) == 6 * 3 + 200 * 3
    for level, subjects in months.groupby("level"):
        d = dims.loc[dims["level"] == level]
        weighted = subjects[["dim:" + x for x in d["dimension"]]].to_numpy(dtype=object)
        total = floats(udfs.XP_TOTAL(weighted, d[["weight"]].to_numpy().T))
        # the engine's total: the dimensions' weighted total, plus adjust points, at most total_cap
        # (120), and veto_score (0) when a veto triggered
        key = ["period_id", "vendor_id", "worker_id"]
        adjust = scores.loc[scores["method"] == "adjust"].groupby(key, dropna=False)["score"].sum()
        extra = subjects[key].merge(adjust.rename("extra").reset_index(), on=key, how="left")["extra"] \
            .fillna(0.0).to_numpy(dtype=float)
        expected = np.minimum(np.round(total + extra, 2), 120.0)
        expected[subjects["vetoed"].to_numpy(dtype=bool)] = 0.0
        np.testing.assert_allclose(expected, subjects["total"].astype(float), atol=0.01, err_msg=level)
        # dimension scores: XP_TOTAL over a dimension's indicator scores with their weights
        for dim, part in scores.loc[(scores["level"] == level) & scores["weight"].notna()].groupby("dimension"):
            if dim not in set(d["dimension"]):
                continue
            wide = part.pivot_table(index=key, columns="indicator_id", values="score", aggfunc="first", dropna=False)
            weights = part.groupby("indicator_id")["weight"].first().reindex(wide.columns)
            got = floats(udfs.XP_TOTAL(wide.to_numpy(dtype=object), weights.to_numpy().reshape(1, -1)))
            want = subjects.set_index(key)["dim:" + dim].reindex(wide.index).astype(float).to_numpy()
            np.testing.assert_allclose(np.round(got, 2), want, atol=0.01, err_msg=f"{level} {dim}")
    everyone = results
    grades = column(udfs.XP_GRADE(everyone[["total"]].to_numpy(dtype=object), caller=object()))
    assert list(grades) == list(everyone["grade"])
    people = results.loc[results["level"] == "worker"]
    base = people["worker_id"].map(workers.set_index("worker_id")["base_bonus"]).to_numpy(dtype=float)
    bonus = floats(udfs.XP_BONUS(people[["grade"]].to_numpy(dtype=object), base.reshape(-1, 1), caller=object()))
    np.testing.assert_allclose(bonus, people["bonus"].astype(float), atol=0.01)


def test_the_typed_book_scores_like_the_clean_one_to_the_cent(books: Any) -> None:
    """Chinese choice words, percent cells, full-width digits and 是/否 change nothing: every result and
    score, explanation and bonus, is exactly what the clean book gives."""
    _, clean_scores, clean_results = books["clean"]
    raw, typed_scores, typed_results = books["typed"]
    pd.testing.assert_frame_equal(typed_results.reset_index(drop=True), clean_results.reset_index(drop=True))
    pd.testing.assert_frame_equal(typed_scores.reset_index(drop=True), clean_scores.reset_index(drop=True))
    # and the typed book really was typed that way: percent cells in the values of the percent indicators
    obs = raw.tables["observations"]
    j = obs.headers.index("数值*")
    pct = obs.percent_column(j)
    ids = obs.data.iloc[:, obs.headers.index("指标编号*")].to_numpy(dtype=object)
    assert pct.sum() > 500 and set(ids[pct]) == set(PERCENT_INDICATORS)
    assert float(obs.data.iloc[np.flatnonzero(pct)[0], j]) < 1.0  # stored as Excel stores 98.5%: 0.985
    from xlperf.validation import validate

    _, report = validate(raw)
    codes = {f.code for f in report.findings}
    # (its Chinese choice words are the dropdowns' own words: read without a note, see test_choice_words)
    assert {"normalised-percent", "normalised-fullwidth", "normalised-text-date",
            "normalised-yes-no"} <= codes and "normalised-choice" not in codes and report.valid
    methods = raw.tables["indicators"].data.iloc[:, 5].tolist()
    assert "线性" in methods and "越低越好" in raw.tables["indicators"].data.iloc[:, 6].tolist()


def test_xp_score_reads_an_indicator_typed_with_chinese_words(books: Any, in_book: Any, tmp_path: Path) -> None:
    """Issue 11's example: =XP_SCORE(30, "W02") where W02's method is typed 线性 and its direction 越低越好
    gives the engine's score (48 hours → 0, 24 → 100: 30 hours → 75), not "#XP: 参数无效"."""
    raw, _, _ = books["typed"]
    in_book(raw)
    ind = raw.tables["indicators"]
    row = next(list(r) for r in ind.data.itertuples(index=False) if r[0] == "W02")
    assert row[5] == "线性" and row[6] == "越低越好"
    assert udfs.XP_SCORE(30, "W02", caller=object()) == [[75.0]]
    assert udfs.XP_SCORE("３０", "W02", caller=object()) == [[75.0]]  # full-width digits, as validation reads
