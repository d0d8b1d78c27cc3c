"""The pull benchmark (issue 16): 20 000 000 raw monitoring events in Parquet grouped into an M-size book.

    python -m benchmarks --pull              # on request, like size L (a few minutes, ~2 GB of disk)

The M-size demo book gets 10 000 more workers (20 000 in all) and a sources row naming the Parquet
file; the events cover every worker and the book's worker-level monitoring indicators in one month
(2026-09). Timed, each as a fresh process: ``xlperf pull BOOK --period 2026-09 --out OUT`` (DuckDB
groups the file; the rows are merged into 监控记录 and the book written), and the naive alternative —
pandas reading the whole file and grouping it the same way (no workbook write at all).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

EVENTS = 20_000_000
WORKERS = 20_000
PERIOD = "2026-09"
CHUNK = 2_000_000
INDICATORS = 15
MANUAL = ("rating", "team", "veto", "adjust")  # not fed by monitoring events here


def _book(workdir: Path) -> tuple[Path, list[str], list[str]]:
    """The M-size book with 20 000 workers and a parquet source; the worker-level monitoring indicators."""
    import pandas as pd

    from xlperf.io.reader import read_book
    from xlperf.io.writer import replace_table_rows
    from xlperf.jobs import validate_raw

    from .__main__ import generate

    path = workdir / "bench-pull-M.xlsm"
    if not path.exists():
        source = generate("M", workdir)
        path.write_bytes(source.read_bytes())
        inputs, _ = validate_raw(read_book(path))
        assert inputs is not None
        workers = inputs.tables["workers"]
        vendors = workers["vendor_id"].to_numpy(dtype=object)
        extra = pd.DataFrame({"worker_id": [f"PX{k:05d}" for k in range(WORKERS - len(workers))],
                              "name": [f"临时{k}" for k in range(WORKERS - len(workers))],
                              "vendor_id": [vendors[k % len(vendors)] for k in range(WORKERS - len(workers))]})
        replace_table_rows(path, "workers", extra, append=True, backup=False)
        # 15 monitored worker indicators: the M book's own, and more of the first one's kind (weight 0)
        ind = inputs.tables["indicators"]
        own = ind[(ind["level"] == "worker") & ~ind["method"].isin(MANUAL)]
        more = INDICATORS - len(own)
        first = own.iloc[0]
        replace_table_rows(path, "indicators", pd.DataFrame({
            "indicator_id": [f"WX{k:02d}" for k in range(more)], "name": [f"在线监控{k}" for k in range(more)],
            "dimension": [first["dimension"]] * more, "level": ["worker"] * more, "weight": [0.0] * more,
            "method": ["linear"] * more, "direction": ["higher"] * more, "floor": [0.0] * more,
            "target": [100.0] * more, "aggregation": ["mean"] * more}), append=True, backup=False)
        replace_table_rows(path, "sources", pd.DataFrame([{
            "source_id": "CALLS", "kind": "parquet", "location": "events.parquet", "date_col": "ts",
            "worker_col": "agent", "indicator_col": "metric", "value_col": "val", "enabled": "是"}]), backup=False)
    inputs, _ = validate_raw(read_book(path))
    assert inputs is not None
    ind = inputs.tables["indicators"]
    monitored = ind[(ind["level"] == "worker") & ~ind["method"].isin(MANUAL)]
    workers = inputs.tables["workers"]["worker_id"].astype(str).tolist()
    return path, [*monitored["indicator_id"].astype(str)], workers


def _events(path: Path, workers: list[str], indicators: list[str]) -> None:
    """20 000 000 events: dictionary-encoded ids, a timestamp in the month, a value (written in chunks)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.exists():
        return
    rng = np.random.default_rng(16)
    start = np.datetime64("2026-09-01T00:00:00", "s").astype(np.int64)
    w_dict, i_dict = pa.array(workers, pa.string()), pa.array(indicators, pa.string())
    writer = None
    try:
        for done in range(0, EVENTS, CHUNK):
            n = min(CHUNK, EVENTS - done)
            ts = pa.array((start + rng.integers(0, 30 * 86_400, n)).astype("datetime64[s]"), pa.timestamp("s"))
            agent = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(workers), n).astype(np.int32)), w_dict)
            metric = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(indicators), n).astype(np.int32)),
                                                    i_dict)
            val = pa.array(np.round(rng.gamma(4.0, 20.0, n), 2))
            table = pa.table({"ts": ts, "agent": agent, "metric": metric, "val": val})
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema, compression="zstd")
            writer.write_table(table, row_group_size=1_000_000)
    finally:
        if writer is not None:
            writer.close()


NAIVE = """
import sys, pandas as pd
frame = pd.read_parquet(sys.argv[1])
frame = frame[(frame["ts"] >= "2026-09-01") & (frame["ts"] < "2026-10-01")]
g = frame.groupby(["agent", "metric"], observed=True)["val"]
out = g.agg(["count", "sum", "min", "max"])
print(len(out), float(out["sum"].sum()))
"""


RUNNER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "s": wall, "cpu": u.ru_utime + u.ru_stime, "rss_kb": u.ru_maxrss}))
"""


def _run(name: str, cmd: list[str], runs: int, prepare: object = None) -> dict[str, object]:
    """Wall time, CPU time (user + system, all threads) and peak RSS of fresh runs: on a shared machine the
    CPU seconds say what the work costs when the wall clock also counts other people's processes."""
    import json
    import statistics
    import subprocess

    walls, cpus, peak, ok = [], [], 0.0, True
    for _ in range(runs):
        if callable(prepare):
            prepare()
        proc = subprocess.run([sys.executable, "-c", RUNNER, *cmd], check=False, capture_output=True, text=True)
        data = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {"rc": 1}
        if data.get("rc") != 0:
            sys.stderr.write(proc.stderr[-2000:])
            ok = False
            break
        walls.append(float(data["s"]))
        cpus.append(float(data["cpu"]))
        peak = max(peak, float(data["rss_kb"]) / 1024)
    return {"name": name, "ok": ok, "runs": walls, "median_s": statistics.median(walls) if walls else None,
            "cpu_s": statistics.median(cpus) if cpus else None, "peak_mb": peak}


def _load() -> str:
    import os

    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f}"
    except OSError:
        return ""


def run_pull_benchmark(workdir: Path, runs: int) -> dict[str, object]:
    py = sys.executable
    print("== pull: 20 000 000 Parquet events into an M-size book", flush=True)
    started = time.perf_counter()
    book, indicators, workers = _book(workdir)
    events = workdir / "events.parquet"
    _events(events, workers, indicators)
    print(f"  prepared in {time.perf_counter() - started:.0f} s: {len(workers)} workers, {len(indicators)} "
          f"indicators, {events.stat().st_size / 2**20:.0f} MB parquet", flush=True)
    out = workdir / "out-pull-M.xlsm"
    before = _load()
    rows = {
        "xlperf pull": _run("xlperf pull (DuckDB groups, book written)",
                            [py, "-m", "xlperf", "pull", str(book), "--period", PERIOD, "--out", str(out)], runs,
                            prepare=lambda: out.unlink(missing_ok=True)),
        "pandas": _run("pandas: read the whole file, group", [py, "-c", NAIVE, str(events)], runs),
    }
    result: dict[str, object] = {
        "events": EVENTS, "workers": len(workers), "indicators": len(indicators),
        "parquet_mb": round(events.stat().st_size / 2**20, 1), "load_before": before, "load_after": _load(),
        "measurements": rows}
    print()
    print(f"({before} before, {_load()} after)")
    print("| step | wall s (median) | CPU s | peak MB | runs |")
    print("|---|---|---|---|---|")
    for m in rows.values():
        if m["ok"]:
            print(f"| {m['name']} | {m['median_s']:.1f} | {m['cpu_s']:.1f} | {m['peak_mb']:.0f} | {len(m['runs'])} |")
        else:
            print(f"| {m['name']} | failed | | | |")
    return result
