"""The demo and benchmark data generator: shape, consistency, the validator's rules, reproducibility, and a
demo workbook that reads back and validates without errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xlperf.contract import TABLES_BY_NAME
from xlperf.contract.tables import METHODS
from xlperf.demo import SIZES, build_book, demo_tables, write_demo_book
from xlperf.demo.catalogue import balanced_weights, pick_indicators


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return demo_tables("demo")


def test_every_table_has_the_contract_columns(demo: dict[str, pd.DataFrame]) -> None:
    assert set(demo) == set(TABLES_BY_NAME)
    for name, frame in demo.items():
        assert list(frame.columns) == list(TABLES_BY_NAME[name].keys), name


def test_demo_size_matches_the_issue(demo: dict[str, pd.DataFrame]) -> None:
    assert len(demo["vendors"]) >= 5
    assert len(demo["workers"]) == 200
    ind = demo["indicators"]
    assert len(ind) >= 12
    assert set(ind["method"]) == set(METHODS)  # every scoring method
    assert set(zip(ind["level"], ind["dimension"])) == {
        (lvl, d) for lvl in ("vendor", "worker") for d in ("工作量", "效率", "质量", "团队协作", "创新")}
    periods = demo["periods"]
    assert periods["period_id"].tolist() == ["2026-07", "2026-08", "2026-09", "2026-Q3"]
    assert periods["rollup"].tolist()[:3] == ["2026-Q3"] * 3
    assert len(demo["observations"]) == 6000
    assert set(demo["ratings"]["rater_role"]) == {"主管", "用工部门", "同事"}
    assert len(demo["goals"]) >= 10
    assert demo["vendors"]["pack_password"].notna().sum() >= 2
    assert demo["vendors"]["pack_password"].isna().sum() >= 2
    settings = dict(zip(demo["settings"]["key"], demo["settings"]["value"]))
    assert settings["current_period"] == "2026-09" and settings["lang"] == "zh"


def test_weights_total_100_where_the_validator_requires(demo: dict[str, pd.DataFrame]) -> None:
    dims = demo["dimensions"].groupby("level")["weight"].sum()
    assert dims.to_dict() == {"vendor": 100, "worker": 100}
    ind = demo["indicators"]
    weighted = ind[~ind["method"].isin(["adjust", "veto"])]
    assert weighted["weight"].notna().all() and ind[ind["method"].isin(["adjust", "veto"])]["weight"].isna().all()
    assert np.allclose(weighted.groupby(["level", "dimension"])["weight"].sum(), 100, atol=0.01)
    assert np.allclose(demo["rater_weights"].groupby("indicator_id")["weight"].sum(), 100)
    # 15 and 20 indicators (sizes S/M and L): uneven splits still total 100 to the cent
    for n in (15, 20):
        specs = pick_indicators(n)
        weights = balanced_weights(specs)
        totals: dict[tuple[str, str], float] = {}
        for spec in specs:
            if spec.id in weights:
                totals[(spec.level, spec.dim)] = totals.get((spec.level, spec.dim), 0) + weights[spec.id]
        assert len(totals) == 10 and all(abs(t - 100) < 0.01 for t in totals.values()), n
    w20 = balanced_weights(pick_indicators(20))
    assert (w20["W03"], w20["W04"], w20["W10"]) == (46.15, 30.77, 23.08)  # 60:40:30, the last takes the rest


def test_references_are_consistent(demo: dict[str, pd.DataFrame]) -> None:
    obs, workers = demo["observations"], demo["workers"]
    vendor_of = dict(zip(workers["worker_id"], workers["vendor_id"]))
    filed = obs.dropna(subset=["worker_id"])
    assert (filed["vendor_id"] == filed["worker_id"].map(vendor_of)).all()  # never filed under another vendor
    assert set(obs["indicator_id"]) <= set(demo["indicators"]["indicator_id"])
    level = dict(zip(demo["indicators"]["indicator_id"], demo["indicators"]["level"]))
    assert (obs["worker_id"].isna() == (obs["indicator_id"].map(level) == "vendor")).all()
    dated = obs.dropna(subset=["period_id"])
    assert (dated["date"].dt.strftime("%Y-%m") == dated["period_id"]).all()
    assert 0.1 < obs["period_id"].isna().mean() < 0.2  # some left for the date to decide
    assert set(demo["indicators"]["band_set"].dropna()) == set(demo["bands"]["band_set"])
    ratings = demo["ratings"]
    assert ratings["rating"].between(1, 5).all()
    assert set(ratings["rater_role"]) <= set(demo["rater_weights"]["rater_role"])


def test_realistic_variation_veto_missing_data_and_weak_vendors(demo: dict[str, pd.DataFrame]) -> None:
    obs = demo["observations"]
    veto = obs[obs["indicator_id"] == "W08"]
    assert veto["value"].tolist() == ["是"]
    dense = obs[obs["indicator_id"].isin(["W01", "W02", "W03", "W06"])].dropna(subset=["worker_id"])
    cells = dense.assign(month=dense["date"].dt.strftime("%Y-%m")).groupby(["worker_id", "indicator_id", "month"]).size()
    assert 0 < 200 * 4 * 3 - len(cells) < 100  # a few subjects miss an indicator in a month
    pass_rate = obs[obs["indicator_id"] == "W03"].groupby("vendor_id")["value"].mean()
    assert pass_rate.max() - pass_rate.min() > 3  # weak vendors stand out
    assert demo["ratings"]["comment"].notna().any()


def test_sizes_hit_their_targets() -> None:
    s = demo_tables("S")
    assert (len(s["workers"]), len(s["vendors"]), len(s["indicators"]), len(s["observations"])) == (1000, 20, 15, 40_000)
    m = demo_tables("M")
    assert (len(m["workers"]), len(m["vendors"]), len(m["indicators"]), len(m["observations"])) == (
        10_000, 50, 15, 400_000)
    assert SIZES["L"].observations == 1_000_000 and SIZES["L"].months == ("2026-09",)


@pytest.mark.slow
def test_size_l_generates_a_million_observations() -> None:
    big = demo_tables("L")
    assert (len(big["workers"]), len(big["vendors"]), len(big["indicators"])) == (50_000, 200, 20)
    assert len(big["observations"]) == 1_000_000  # fits one sheet (1 048 575 rows under the header)
    assert big["observations"]["worker_id"].str.len().max() == 6  # W00001..W50000


def test_same_seed_same_data_other_seed_other_data() -> None:
    a, b, c = demo_tables("demo", seed=7), demo_tables("demo", seed=7), demo_tables("demo", seed=8)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["observations"].equals(c["observations"])


def test_english_demo_uses_english_names_and_labels() -> None:
    en = demo_tables("demo", lang="en")
    assert en["workers"]["name"].map(str.isascii).all()
    assert set(en["dimensions"]["dimension"]) == {"Workload", "Efficiency", "Quality", "Teamwork", "Innovation"}
    assert en["observations"].loc[en["observations"]["indicator_id"] == "W08", "value"].tolist() == ["yes"]
    assert set(en["ratings"]["rater_role"]) == {"Supervisor", "User department", "Peer"}


def test_demo_book_reads_back_and_validates_without_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xlperf.demo import book
    from xlperf.io.reader import read_book
    from xlperf.validation import validate

    # observations (6 000 rows) take the package-writer path, everything else the openpyxl pass
    monkeypatch.setattr(book, "OPENPYXL_MAX_ROWS", 5000)
    tables = demo_tables("demo")
    path = write_demo_book(tmp_path / "demo.xlsm")
    raw = read_book(path)
    counts = {k: len(v.data) for k, v in raw.tables.items()}
    assert counts == {k: max(len(v), 1) if k in ("bands",) else len(v) for k, v in tables.items()}
    obs = raw.tables["observations"].data
    first = tables["observations"].iloc[0]
    expected = [first["vendor_id"], None if pd.isna(first["worker_id"]) else first["worker_id"],
                first["indicator_id"], first["value"]]
    assert obs.iloc[0, 2:6].tolist() == expected
    assert raw.tables["workers"].data.iloc[0, 0] == "W0001"
    _, report = validate(raw)
    assert report.errors == []


def test_build_book_keeps_template_rows_for_tables_not_given(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    vendors = pd.DataFrame({"vendor_id": ["V9"], "name": ["测试供应商"], "base_fee": [1000.0]})
    path = build_book(tmp_path / "b.xlsm", "zh", {"vendors": vendors})
    wb = load_workbook(path)
    assert [c.value for c in wb["供应商"][2]][:3] == ["V9", "测试供应商", None]
    assert wb["供应商"].tables["vendors"].ref == "A1:J2"
    assert wb["等级与激励"]["A2"].value == "S"  # default grades kept
