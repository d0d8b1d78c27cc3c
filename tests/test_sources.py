"""xlperf pull (issue 16): monitoring data grouped where it lives, equal to the events typed row by row.

Real parts: DuckDB over real parquet/csv/xlsx files, SQLite files through SQLAlchemy, and a real
PostgreSQL server (tests/pg_server.py) — every kind gives the period values of the same raw events
imported into 监控记录 one row each, for every aggregation."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pg_server import PgServer, pg_server  # noqa: F401 (the fixture)
from sources_helpers import IND, book, events, period_values, source_row, typed_rows

from xlperf.io.filebook import FileBook
from xlperf.io.reader import read_book
from xlperf.sources.config import SourceError
from xlperf.sources.job import run_pull

EV = events()


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The period values of the raw events typed into 监控记录 row by row."""
    path = book(tmp_path_factory.mktemp("typed") / "typed.xlsm", hr_rows=typed_rows(EV))
    return period_values(path)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def observations(path: Path) -> pd.DataFrame:
    raw = read_book(path).tables["observations"]
    frame = raw.data.copy()
    frame.columns = [h.rstrip("*") for h in raw.headers]
    return frame


def pulled(path: Path, **kw: object) -> Path:
    summary = run_pull(FileBook(path), **kw)  # type: ignore[arg-type]
    assert summary.records == int(((EV["ts"] >= "2026-01-01") & (EV["ts"] < "2026-03-01")).sum()) or kw
    return path


def sqlite_file(path: Path, ev: pd.DataFrame = EV) -> Path:
    with sqlite3.connect(path) as con:
        out = ev.assign(ts=ev["ts"].dt.strftime("%Y-%m-%d %H:%M:%S"))
        out.to_sql("ev", con, index=False)
    return path


# ── every kind, every aggregation: the same period values as typed row by row ───────────────────────

def test_parquet_gives_the_period_values_of_the_events_typed_row_by_row(tmp_path: Path, expected: pd.DataFrame) -> None:
    EV.to_parquet(tmp_path / "ev.parquet")
    path = book(tmp_path / "b.xlsm", sources=[source_row("PQ", "parquet", "ev.parquet")])  # relative to the book
    pd.testing.assert_frame_equal(period_values(pulled(path)), expected, check_exact=True)
    # one row per worker, indicator and month, each standing for its records
    obs = observations(path)
    assert len(obs) == 3 * 6 * 2 and obs["汇总来源"].eq("PQ").all()
    assert obs["记录数"].astype(float).sum() == len(typed_rows(EV))


def test_a_folder_of_csv_files_utf8_and_gbk_gives_the_same_values(tmp_path: Path, expected: pd.DataFrame) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    half = len(EV) // 2
    text = EV.assign(ts=EV["ts"].dt.strftime("%Y-%m-%d %H:%M:%S")).rename(columns={"agent": "工号"})
    text.iloc[:half].to_csv(folder / "a.csv", index=False, encoding="utf-8")
    text.iloc[half:].to_csv(folder / "b.csv", index=False, encoding="gbk")
    assert "工号".encode("gbk") in (folder / "b.csv").read_bytes()  # really GBK
    path = book(tmp_path / "b.xlsm", sources=[source_row("CSV", "csv", str(folder), worker_col="工号")])
    pd.testing.assert_frame_equal(period_values(pulled(path)), expected, check_exact=True)


def test_an_excel_export_gives_the_same_values(tmp_path: Path, expected: pd.DataFrame) -> None:
    EV.to_excel(tmp_path / "export.xlsx", index=False)
    path = book(tmp_path / "b.xlsm", sources=[source_row("XL", "excel", str(tmp_path / "export.xlsx"))])
    pd.testing.assert_frame_equal(period_values(pulled(path)), expected, check_exact=True)


def test_sqlite_table_and_select_give_the_same_values(tmp_path: Path, expected: pd.DataFrame) -> None:
    db = sqlite_file(tmp_path / "mon.db")
    for query in ("ev", "SELECT ts, agent, metric, val FROM ev WHERE val >= 0"):
        path = book(tmp_path / f"b{len(query)}.xlsm", sources=[source_row("DB", "sql", f"sqlite:///{db}", query)])
        pd.testing.assert_frame_equal(period_values(pulled(path)), expected, check_exact=True)


def test_postgresql_gives_the_same_values_and_names_a_wrong_password(
        tmp_path: Path, expected: pd.DataFrame, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import sqlalchemy as sa

    engine = sa.create_engine(pg_server.url(with_password=True))
    with engine.begin() as con:
        EV.to_sql("ev", con, index=False, if_exists="replace")  # ts is a real timestamp column here
    engine.dispose()
    row = source_row("PG", "sql", pg_server.url(), "public.ev", secret_env="XLPERF_TEST_PG_PW")
    path = book(tmp_path / "b.xlsm", sources=[row])
    monkeypatch.setenv("XLPERF_TEST_PG_PW", pg_server.password)
    pd.testing.assert_frame_equal(period_values(pulled(path)), expected, check_exact=True)

    before = sha(path)
    monkeypatch.setenv("XLPERF_TEST_PG_PW", "wrong")
    with pytest.raises(SourceError) as err:
        run_pull(FileBook(path))
    assert "数据来源配置第 2 行（PG）：无法连接数据库" in err.value.zh and "password authentication failed" in err.value.zh
    monkeypatch.delenv("XLPERF_TEST_PG_PW")
    with pytest.raises(SourceError, match="XLPERF_TEST_PG_PW is not set"):
        run_pull(FileBook(path))
    monkeypatch.setenv("XLPERF_TEST_PG_PW", pg_server.password)
    assert sha(path) == before
    for query, said in (("nosuch", '表或查询“nosuch”无法执行：relation "nosuch" does not exist'),
                        ("SELECT ts, agent, metric, val FROM ev WHERE", "无法执行：syntax error")):
        assert said in _fails([{**row, "query": query}], tmp_path)


def test_an_unreachable_database_is_named_with_its_row(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = book(tmp_path / "b.xlsm", sources=[source_row("GONE", "sql", f"postgresql+psycopg://u@127.0.0.1:{port}/x", "ev")])
    before = sha(path)
    with pytest.raises(SourceError) as err:
        run_pull(FileBook(path), lang="en")
    assert err.value.en.startswith("Sources row 2 (GONE): cannot connect to the database:")
    assert err.value.en.endswith("Nothing was written.") and sha(path) == before


# ── combined with HR's rows, twice, one period ──────────────────────────────────────────────────────

def test_pulled_rows_combine_with_hr_rows_as_if_all_were_typed(tmp_path: Path) -> None:
    """HR typed some events; the source has the rest: the same values as every event typed (HR's first)."""
    inside = EV[(EV["ts"] >= "2026-01-01") & (EV["ts"] < "2026-03-01")]
    hr, rest = inside.iloc[:120], inside.iloc[120:]
    hr_rows = [{**r, "date": r["date"].replace(hour=0, minute=0, second=0)} for r in typed_rows(hr)]
    hr_rows = hr_rows[::-1]  # HR's own order is not time order: it must not matter
    rest.to_parquet(tmp_path / "rest.parquet")
    path = book(tmp_path / "mixed.xlsm", hr_rows=hr_rows, sources=[source_row("PQ", "parquet", "rest.parquet")])
    typed = book(tmp_path / "typed.xlsm", hr_rows=hr_rows + typed_rows(rest))
    got, want = period_values(pulled(path, period=None)), period_values(typed)
    # means combine as Σ mean·count / Σ count: equal to the last bits of a double, scores exactly
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)
    assert got["score"].tolist() == want["score"].tolist()
    exact = got["indicator_id"] != IND["mean"]
    assert got.loc[exact, "actual"].tolist() == want.loc[exact, "actual"].tolist()


def test_pull_twice_is_the_same_workbook_and_keeps_hr_rows(tmp_path: Path) -> None:
    EV.to_parquet(tmp_path / "ev.parquet")
    hr = [{"date": pd.Timestamp("2026-01-15").to_pydatetime(), "vendor_id": "V1", "worker_id": "W1",
           "indicator_id": IND["sum"], "value": 5.0, "recorder": "小王", "note": "手工"}]
    path = book(tmp_path / "b.xlsm", hr_rows=hr, sources=[source_row("PQ", "parquet", "ev.parquet")])
    first = run_pull(FileBook(path))
    once = observations(path)
    second = run_pull(FileBook(path))
    twice = observations(path)
    pd.testing.assert_frame_equal(once, twice)
    assert second.replaced == first.rows == len(once) - 1
    assert once.iloc[0].tolist()[:2] == [pd.Timestamp("2026-01-15"), "2026-01"] or once.iloc[0]["备注"] == "手工"
    assert once.iloc[0]["记录人"] == "小王" and once.iloc[0]["备注"] == "手工" and once.iloc[0]["数值"] == 5.0
    assert pd.isna(once.iloc[0]["汇总来源"]) and (once.iloc[1:]["汇总来源"] == "PQ").all()
    # HR types a row after the pull (below the pulled rows): the next pull keeps it, its own rows go last
    from xlperf.io.writer import replace_table_rows

    late = {**hr[0], "value": 7.0, "note": "后补"}
    replace_table_rows(path, "observations", pd.DataFrame([late]), append=True, backup=False)
    third = run_pull(FileBook(path))
    after = observations(path)
    assert third.replaced == first.rows and len(after) == len(once) + 1
    assert after.iloc[0]["备注"] == "手工" and after.iloc[1]["备注"] == "后补" and after.iloc[1]["数值"] == 7.0
    pd.testing.assert_frame_equal(after.iloc[2:].reset_index(drop=True), once.iloc[1:].reset_index(drop=True))


def test_a_period_pull_replaces_only_that_period_of_that_source(tmp_path: Path) -> None:
    EV.to_parquet(tmp_path / "ev.parquet")
    EV.assign(val=EV["val"] * 2).to_parquet(tmp_path / "ev2.parquet")
    path = book(tmp_path / "b.xlsm", sources=[source_row("A", "parquet", "ev.parquet")])
    run_pull(FileBook(path), source="A")
    before = observations(path)
    # the source now reads the doubled file; pull February only
    from xlperf.io.writer import replace_table_rows

    replace_table_rows(path, "sources", pd.DataFrame([source_row("A", "parquet", "ev2.parquet")]), backup=False)
    summary = run_pull(FileBook(path), source="A", period="2026-02")
    after = observations(path)
    assert summary.periods == ["2026-02"] and summary.replaced == 18 and len(after) == len(before)
    jan_b, jan_a = (f[f["期间"] == "2026-01"].reset_index(drop=True) for f in (before, after))
    pd.testing.assert_frame_equal(jan_b, jan_a)
    sums = after[(after["期间"] == "2026-02") & (after["指标编号"] == IND["sum"])]["数值"].astype(float)
    old = before[(before["期间"] == "2026-02") & (before["指标编号"] == IND["sum"])]["数值"].astype(float)
    assert sums.tolist() == (old * 2).tolist()


# ── bad input, named; nothing written ───────────────────────────────────────────────────────────────

def test_unknown_ids_are_counted_with_an_example(tmp_path: Path) -> None:
    bad = EV.copy()
    bad.loc[bad.index[:5], "agent"] = "W99"
    bad.loc[bad.index[5:8], "metric"] = "I-NOPE"
    bad.to_parquet(tmp_path / "bad.parquet")
    EV.to_parquet(tmp_path / "ok.parquet")
    message = _fails([source_row("OK", "parquet", "ok.parquet"), source_row("BAD", "parquet", "bad.parquet")], tmp_path)
    inside = (bad["ts"] >= "2026-01-01") & (bad["ts"] < "2026-03-01")
    n_w = int((inside & (bad["agent"] == "W99")).sum())
    n_i = int((inside & (bad["metric"] == "I-NOPE")).sum())
    assert message.startswith(f"数据来源配置第 3 行（BAD）：未知指标编号：{n_i} 条原始记录（如 I-NOPE）")
    assert f"未知人员编号：{n_w} 条原始记录（如 W99）" in message and n_w and n_i


def _fails(rows: list[dict[str, object]], base: Path) -> str:
    """Pull the sources rows (Excel rows 2, 3, ...) as the job does, up to the rows for 监控记录."""
    from sources_helpers import WINDOWS, ind_frame, vendors_frame, workers_frame

    from xlperf.sources.config import parse_sources
    from xlperf.sources.job import pull_partials
    from xlperf.sources.partials import to_rows

    frame = pd.DataFrame(rows).assign(_row=range(2, 2 + len(rows)))
    with pytest.raises(SourceError) as err:
        for spec in parse_sources(frame):
            parts = pull_partials(spec, WINDOWS, base, True)
            to_rows(spec, parts, ind_frame(), workers_frame(), vendors_frame(), "zh")
    return err.value.zh


def test_values_that_are_not_numbers_and_missing_columns_are_named(tmp_path: Path) -> None:
    text = EV.assign(ts=EV["ts"].dt.strftime("%Y-%m-%d %H:%M:%S"), val=EV["val"].astype(str))
    inside = text.index[(EV["ts"] >= "2026-01-01")]
    text.loc[inside[3], "val"] = "N/A"
    text.loc[inside[4], "val"] = "abc"
    text.loc[inside[5], "ts"] = "yesterday"
    text.to_csv(tmp_path / "ev.csv", index=False)
    db = tmp_path / "t.db"
    with sqlite3.connect(db) as con:  # SQLite keeps text in a number column and would sum it as 0
        text.to_sql("ev", con, index=False, dtype={"val": "REAL"})
    cases = [
        (source_row("C", "csv", "ev.csv"), "数值列 val 有 2 条记录不是数字（如 "),
        (source_row("C", "csv", "ev.csv"), "日期列 ts 有 1 条记录不是日期（如 yesterday）"),
        (source_row("S", "sql", f"sqlite:///{db}", "ev"), "数值列 val 有 2 条记录不是数字（如 "),
        (source_row("M", "csv", "ev.csv", value_col="amount"), "数据中没有列 amount。现有列：ts、agent、metric、val"),
        (source_row("F", "csv", "nothing/*.csv"), "找不到文件："),
        (source_row("L", "sql", "sqlite:///nowhere.db", "ev"), "找不到数据库文件："),
        (source_row("T", "sql", f"sqlite:///{db}", "nosuch"), "表或查询“nosuch”无法执行：no such table: nosuch"),
        (source_row("Q", "sql", f"sqlite:///{db}", "SELECT * FROM ev WHERE"), "无法执行：near \")\": syntax error"),
        (source_row("P", "sql", "postgresql+psycopg://u:pw@localhost/x", "ev"), "连接串中含有密码"),
        (source_row("K", "json", "x.json"), "类型“json”不可用"),
        (source_row("N", "csv", "ev.csv", indicator_col=""), "请填写“指标列”或“固定指标”之一"),
    ]
    for row, said in cases:
        message = _fails([row], tmp_path)
        assert said in message and message.startswith(f"数据来源配置第 2 行（{row['source_id']}）："), (said, message)


def test_a_failing_source_writes_nothing_at_all(tmp_path: Path) -> None:
    EV.to_parquet(tmp_path / "ok.parquet")
    path = book(tmp_path / "b.xlsm", sources=[source_row("OK", "parquet", "ok.parquet"),
                                              source_row("BAD", "parquet", "ok.parquet", value_col="amount")])
    before = sha(path)
    with pytest.raises(SourceError) as err:
        run_pull(FileBook(path))
    assert err.value.zh.startswith("数据来源配置第 3 行（BAD）：数据中没有列 amount")
    assert err.value.zh.endswith("未写入任何数据。") and sha(path) == before


def test_the_cli_pulls_and_says_what_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xlperf.cli import main

    EV.to_parquet(tmp_path / "ev.parquet")
    path = book(tmp_path / "b.xlsm", sources=[source_row("PQ", "parquet", "ev.parquet"),
                                              source_row("OFF", "parquet", "missing.parquet", enabled="否")])
    assert main(["pull", str(path), "--json"]) == 0
    import json

    said = json.loads(capsys.readouterr().out)
    assert said["sources"] == ["PQ"] and said["rows"] == 36 and said["periods"] == ["2026-01", "2026-02"]
    assert main(["--lang", "en", "pull", str(path), "--source", "OFF"]) == 1
    err = capsys.readouterr().err
    assert "Sources row 3 (OFF): no file found at" in err and "Traceback" not in err


# ── the engine: partial aggregates combined with typed rows, a worked example ──────────────────────

def test_the_engine_combines_counts_exactly() -> None:
    from xlperf.engine.aggregate import observation_values
    from xlperf.engine.keys import Keys

    # W1, one indicator per aggregation: HR typed 10 and 20 (one record each); a pull carried a row
    # standing for 3 records: their sum 120 / mean 40 / max 50 / min 30 / count 3 / last 35 on 01-20
    order = sorted(IND, key=IND.__getitem__)  # the engine's indicator codes follow sorted ids
    ind = pd.DataFrame({"indicator_id": [IND[a] for a in order], "level": ["worker"] * 6, "method": ["linear"] * 6,
                        "aggregation": order})
    pulled_value = {"sum": 120.0, "mean": 40.0, "max": 50.0, "min": 30.0, "count": 3.0, "last": 35.0}
    rows = []
    for agg, iid in IND.items():
        rows += [{"date": pd.Timestamp("2026-01-05"), "indicator_id": iid, "value": 10.0, "count": np.nan},
                 {"date": pd.Timestamp("2026-01-25"), "indicator_id": iid, "value": 20.0, "count": np.nan},
                 {"date": pd.Timestamp("2026-01-20"), "indicator_id": iid, "value": pulled_value[agg], "count": 3.0}]
    obs = pd.DataFrame(rows).assign(period_id="2026-01", vendor_id="V1", worker_id="W1")
    keys = Keys(["2026-01"], ["V1"], ["W1"], [IND[a] for a in order])
    got = observation_values(obs, ind, keys, {"W1": "V1"})
    name = got["ic"].map(lambda c: order[c])
    actual, n = dict(zip(name, got["actual"])), dict(zip(name, got["n"]))
    # mean (10 + 20 + 40·3) / 5; count 1 + 1 + 3; last: HR's 20 on 01-25 is later than the pulled 01-20
    assert actual == {"sum": 150.0, "mean": 30.0, "max": 50.0, "min": 10.0, "count": 5.0, "last": 20.0}
    assert set(n.values()) == {5.0}


# ── the ribbon: 刷新监控数据 on the open workbook (the fake Excel of tests/live_fakes.py) ──────────────

def test_the_ribbon_pull_on_the_open_workbook_writes_what_the_file_pull_writes(tmp_path: Path) -> None:
    from test_live_xwbook import load_into_excel

    from xlperf.live.xwbook import XwBook, raw_table
    from xlperf.macros import run_action

    EV.to_parquet(tmp_path / "ev.parquet")
    hr = [{"date": pd.Timestamp("2026-01-15").to_pydatetime(), "vendor_id": "V1", "worker_id": "W1",
           "indicator_id": IND["sum"], "value": 5.0}]
    path = book(tmp_path / "b.xlsm", hr_rows=hr,
                sources=[source_row("PQ", "parquet", str(tmp_path / "ev.parquet"))])
    excel = load_into_excel(FileBook(path).read())
    writes = excel.calls.writes
    result = run_action("pull", XwBook(excel), log_dir=tmp_path / "logs")  # type: ignore[arg-type]
    assert result.ok, result.message
    assert result.title == "刷新监控数据" and "36 行监控记录" in result.message
    assert excel.calls.writes - writes == 1  # the new body in one bulk call (the table only grew)
    assert run_action("pull", FileBook(path), log_dir=tmp_path / "logs").ok
    want = FileBook(path).read().tables["observations"]
    sheet = excel.sheet(want.sheet)
    lo = next(t for t in sheet.tables if t.name == "observations")
    got = raw_table("observations", sheet.name, lo.range.row, 0, lo.range.value, is_list_object=True)
    a = got.data.astype(object).where(got.data.notna(), None).to_numpy().tolist()
    b = want.data.astype(object).where(want.data.notna(), None).to_numpy().tolist()
    assert len(a) == len(b) == 37
    assert [r[:6] for r in a] == [r[:6] for r in b]


def test_a_file_filter_is_one_condition_on_the_source_never_another_statement_or_file(
        tmp_path: Path, expected: pd.DataFrame) -> None:
    """The filter runs inside this process: a subquery reading another file, a second statement or a
    COPY is refused naming its row; a plain condition (a quoted 'select' is data) filters as written."""
    EV.to_parquet(tmp_path / "ev.parquet")
    (tmp_path / "secret.csv").write_text("x\n1\n", encoding="utf-8")
    for query, word in (("val > (SELECT count(*) FROM read_csv('secret.csv'))", "SELECT"),
                        ("val >= 0) ; COPY (SELECT 1) TO 'out.csv' ; SELECT (1", ";"),
                        ("read_csv('secret.csv') IS NOT NULL", "read_csv(")):
        message = _fails([source_row("PQ", "parquet", "ev.parquet", query)], tmp_path)
        assert message.startswith("数据来源配置第 2 行（PQ）：“表或查询”中的筛选条件只能是") and f"不能含“{word}”" in message
    assert not (tmp_path / "out.csv").exists()
    kept = book(tmp_path / "b.xlsm", sources=[source_row("PQ", "parquet", "ev.parquet", "metric <> 'select'")])
    pd.testing.assert_frame_equal(period_values(pulled(kept)), expected, check_exact=True)
    only = book(tmp_path / "c.xlsm", sources=[source_row("PQ", "parquet", "ev.parquet", f"metric = '{IND['sum']}'")])
    summary = run_pull(FileBook(only))
    assert summary.records == int(((EV["ts"] >= "2026-01-01") & (EV["ts"] < "2026-03-01")
                                   & (EV["metric"] == IND["sum"])).sum()) > 0
    assert set(observations(only)["指标编号"]) == {IND["sum"]}
