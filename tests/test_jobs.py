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
    assert "在“考核期间”表中把它的状态改为 open" in err.value.message("zh")
    assert "set their status to open on the Periods sheet" in err.value.message("en")


def test_an_unknown_period_names_the_ones_there_are() -> None:
    with pytest.raises(UsageError) as exc:
        choose(book(), period="2026-13")
    assert "2026-07、2026-08、2026-09、2026-Q3" in exc.value.zh
