"""Which periods a recompute takes: --period, --all, the current_period setting, closed periods."""

import pandas as pd
import pytest

from xlperf.errors import UsageError
from xlperf.inputs import Inputs
from xlperf.jobs import choose_periods
from xlperf.settings import Settings


def book(current: str = "", closed: tuple[str, ...] = ()) -> Inputs:
    ids = ["2026-07", "2026-08", "2026-09", "2026-Q3"]
    periods = pd.DataFrame({"period_id": ids,
                            "rollup": ["2026-Q3", "2026-Q3", "2026-Q3", None],
                            "status": ["closed" if p in closed else "open" for p in ids]})
    return Inputs(Settings(current_period=current), {"periods": periods})


def choose(inputs: Inputs, **kw: object) -> tuple[list[str], list[str]]:
    args = {"period": None, "all_periods": False, "force": False, "lang": "zh"} | kw
    return choose_periods(inputs, **args)  # type: ignore[arg-type]


def test_a_roll_up_means_its_children_whether_asked_or_current() -> None:
    months = ["2026-07", "2026-08", "2026-09"]
    assert choose(book(), period="2026-Q3") == (months, [])
    assert choose(book(current="2026-Q3")) == (months, [])
    assert choose(book(current="2026-08")) == (["2026-08"], [])


def test_closed_periods_are_kept_unless_forced() -> None:
    assert choose(book(closed=("2026-07",)), all_periods=True) == (["2026-08", "2026-09"], ["2026-07"])
    assert choose(book(closed=("2026-07",)), all_periods=True, force=True) == (
        ["2026-07", "2026-08", "2026-09"], [])
    with pytest.raises(UsageError, match="--force") as err:
        choose(book(closed=("2026-08",)), period="2026-08")
    # the ribbon has no --force: the message also names the way that works in Excel
    assert "在“考核期间”表中把它的状态改为“开放”" in err.value.message("zh")
    assert "set their status to open on the Periods sheet" in err.value.message("en")


def test_an_unknown_period_names_the_ones_there_are() -> None:
    with pytest.raises(UsageError) as exc:
        choose(book(), period="2026-13")
    assert "2026-07、2026-08、2026-09、2026-Q3" in exc.value.zh


def test_the_run_log_fingerprints_every_input_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a recompute lets the monitoring and rating cells go before the engine runs; the run log's
    # fingerprint must still cover them (taken before), i.e. equal the fingerprint of the whole book
    from xlperf.contract import TABLES_BY_NAME
    from xlperf.demo import write_demo_book
    from xlperf.io.filebook import FileBook
    from xlperf.io.reader import read_book
    from xlperf.jobs import fingerprint, run_recompute

    path = write_demo_book(tmp_path / "demo.xlsm")
    run_recompute(FileBook(path), all_periods=True)
    raw = read_book(path)
    assert {"observations", "ratings"} <= set(raw.tables)
    logged = raw.tables["xp_runlog"]
    col = logged.headers.index("输入指纹")
    inputs = type(raw)(source=raw.source, tables={k: v for k, v in raw.tables.items() if k in TABLES_BY_NAME})
    assert logged.data.iloc[-1, col] == fingerprint(inputs)
    without = type(raw)(source=raw.source, tables={k: v for k, v in inputs.tables.items() if k != "observations"})
    assert fingerprint(without) != fingerprint(inputs)
