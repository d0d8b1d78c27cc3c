"""python -m benchmarks: xlperf recompute beside the floor, openpyxl and LibreOffice formulas, in one run.

    python -m benchmarks                      # sizes S and M, 3 runs each (within ~15 minutes here)
    python -m benchmarks --sizes L --runs 1   # the large size, asked for explicitly
    python -m benchmarks --sizes tiny --runs 1 --skip-libreoffice   # the smoke test's size
    python -m benchmarks --sizes "" --pull --runs 1   # issue 16: 20 M Parquet events pulled (on request)

Every timed step is a fresh process on the same files; peak memory is the child's max RSS. Results
print as a table with the ratios xlperf/floor, openpyxl/xlperf and LibreOffice/xlperf, and are saved
as JSON beside the generated workbooks.
"""

from __future__ import annotations

import argparse
import json
import pickle
import platform
import sys
import time
from pathlib import Path

from .measure import Measurement, measure

PY = sys.executable
LO_LIMIT_S = 600.0  # LibreOffice runs only where it finishes within 10 minutes


def generate(size: str, workdir: Path) -> Path:
    from xlperf.demo import write_demo_book

    path = workdir / f"bench-{size}.xlsm"
    if not path.exists():
        started = time.perf_counter()
        write_demo_book(path, _demo_size(size), "zh")
        print(f"  generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def _demo_size(size: str) -> str:
    return "demo" if size == "tiny" else size


def output_frames(book: Path) -> dict[str, object]:
    import pandas as pd

    from xlperf.contract import OUTPUT_TABLES
    from xlperf.io.reader import read_book
    from xlperf.jobs import previous_rows

    raw = read_book(book, tables=OUTPUT_TABLES)
    frames = {t.name: previous_rows(raw, t.name) for t in OUTPUT_TABLES if t.name in raw.tables}
    for frame in frames.values():  # typed as the engine hands them to the writer: numbers as float64
        assert frame is not None
        for c in frame.columns:
            if pd.api.types.infer_dtype(frame[c], skipna=True) in ("floating", "integer", "mixed-integer-float"):
                frame[c] = pd.to_numeric(frame[c]).astype("float64")
    return frames


def libreoffice_case(book: Path, workdir: Path, size: str) -> tuple[Path, int]:
    from xlperf.io.reader import read_book
    from xlperf.validation import validate

    from .formulas import write_formula_book

    path = workdir / f"formulas-{size}.xlsx"
    inputs, report = validate(read_book(book))  # typed tables: periods derived, values numeric
    assert inputs is not None, report.errors[:5]
    rows = write_formula_book(inputs.tables, path)
    return path, rows


def udf_seconds() -> float:
    """XP_SCORE over a 100 000-value range in one call (the Python side of the UDF)."""
    import numpy as np

    from udfs.functions import XP_SCORE

    values = np.linspace(80, 105, 100_000).reshape(-1, 1)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        out = XP_SCORE(values, "linear", 90, 98, 100, 120, "higher")
        best = min(best, time.perf_counter() - t)
    assert len(out) == 100_000
    return best


def run_size(size: str, workdir: Path, runs: int, skip_lo: bool, lo_estimate: float | None) -> dict[str, object]:
    print(f"== size {size}", flush=True)
    book = generate(size, workdir)
    out = workdir / f"out-{size}.xlsm"
    rows: dict[str, Measurement] = {}
    rows["xlperf"] = measure("xlperf recompute", [PY, "-m", "xlperf", "recompute", str(book), "--all",
                                                  "--out", str(out)], runs,
                             prepare=lambda: out.unlink(missing_ok=True))
    pkl = workdir / f"outputs-{size}.pkl"
    pkl.write_bytes(pickle.dumps(output_frames(out)))
    rows["floor"] = measure("floor (fastexcel read + raw write)",
                            [PY, "-m", "benchmarks.floor", str(book), str(pkl), str(workdir / "floor.xlsx")], runs)
    rows["openpyxl"] = measure("openpyxl load + save",
                               [PY, "-m", "benchmarks.openpyxl_roundtrip", str(book), str(workdir / "opx.xlsm")],
                               1 if size in ("M", "L") else runs)  # minutes per run: once is enough
    result: dict[str, object] = {"size": size, "book_mb": round(book.stat().st_size / 2**20, 1)}
    # issue 15: simulation and analysis beside the compute step (in one process, best of the runs)
    review_json = workdir / f"review-{size}.json"
    rows["analyze"] = measure("xlperf analyze", [PY, "-m", "xlperf", "analyze", str(out), "--out",
                                                 str(workdir / f"analyzed-{size}.xlsm")], 1)
    if measure("review steps (compute, simulate 1 and 10, analyze step)",
               [PY, "-m", "benchmarks.review", str(book), str(review_json), str(runs)], 1).ok:
        result["review"] = json.loads(review_json.read_text())
    lo_note = ""
    if skip_lo:
        lo_note = "skipped"
    elif lo_estimate is not None and lo_estimate > LO_LIMIT_S:
        lo_note = f"not run: estimated {lo_estimate / 60:.0f} min from the smaller size (limit 10 min)"
    else:
        fbook, frows = libreoffice_case(book, workdir, size)
        result["formula_rows"] = frows
        rows["libreoffice"] = measure("LibreOffice formula recalculation",
                                      [PY, "-m", "benchmarks.lo_recalc", str(fbook), str(workdir / "lo")], 1,
                                      timeout=LO_LIMIT_S + 60)
        if not rows["libreoffice"].ok:
            lo_note = rows["libreoffice"].note
    result["measurements"] = {k: {"name": m.name, "median_s": m.median, "runs": m.seconds, "peak_mb": m.peak_mb,
                                  "ok": m.ok, "note": m.note} for k, m in rows.items()}
    result["libreoffice_note"] = lo_note
    x = rows["xlperf"].median
    result["ratios"] = {
        "xlperf/floor": x / rows["floor"].median,
        "openpyxl/xlperf": rows["openpyxl"].median / x,
        "libreoffice/xlperf": (rows["libreoffice"].median / x) if "libreoffice" in rows and rows["libreoffice"].ok else None,
    }
    return result


def print_table(results: list[dict[str, object]]) -> None:
    print()
    print("| size | step | median s | peak MB | runs |")
    print("|---|---|---|---|---|")
    for r in results:
        for m in r["measurements"].values():  # type: ignore[union-attr]
            med = f"{m['median_s']:.2f}" if m["ok"] else m["note"]
            print(f"| {r['size']} | {m['name']} | {med} | {m['peak_mb']:.0f} | {len(m['runs'])} |")
        if r.get("libreoffice_note"):
            print(f"| {r['size']} | LibreOffice formula recalculation | {r['libreoffice_note']} | | |")
    reviews = [r for r in results if r.get("review")]
    if reviews:  # issue 15
        print()
        print("| size | compute step s | simulate 1 scenario s (× compute) | 10 scenarios s (× one) | analyze step s |")
        print("|---|---|---|---|---|")
        for r in reviews:
            v = r["review"]
            print(f"| {r['size']} | {v['compute']:.2f} | {v['simulate_1']:.2f} ({v['simulate_1/compute']:.2f}×) | "  # type: ignore[index]
                  f"{v['simulate_10']:.2f} ({v['simulate_10/simulate_1']:.2f}×) | {v['analyze_step']:.2f} |")  # type: ignore[index]
    print()
    print("| size | xlperf / floor | openpyxl / xlperf | LibreOffice / xlperf |")
    print("|---|---|---|---|")
    for r in results:
        q = r["ratios"]
        fmt = lambda v: "n/a" if v is None else f"{v:.2f}×"
        print(f"| {r['size']} | {fmt(q['xlperf/floor'])} | {fmt(q['openpyxl/xlperf'])} | "  # type: ignore[index]
              f"{fmt(q['libreoffice/xlperf'])} |")  # type: ignore[index]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="S,M")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-libreoffice", action="store_true")
    ap.add_argument("--workdir", default="bench-output")
    ap.add_argument("--pull", action="store_true", help="also the pull benchmark: 20 M Parquet events (issue 16)")
    args = ap.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{_cpus()} cores", flush=True)
    results = []
    estimate: float | None = None
    previous: dict[str, object] | None = None
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        r = run_size(size, workdir, args.runs, args.skip_libreoffice, estimate)
        results.append(r)
        previous = r
        estimate = _lo_estimate(previous, size)
    udf = udf_seconds()
    if results:
        print_table(results)
    print(f"\nXP_SCORE over 100 000 values, one call: {udf * 1000:.1f} ms (Python side)")
    saved: dict[str, object] = {"results": results, "udf_100k_s": udf}
    if args.pull:
        from .pull import run_pull_benchmark

        saved["pull"] = run_pull_benchmark(workdir, args.runs)
    (workdir / "results.json").write_text(json.dumps(saved, indent=1, default=str))
    return 0


def _lo_estimate(r: dict[str, object], size: str) -> float | None:
    """LibreOffice's SUMIFS cost grows with formula rows × data rows: scale the measured time."""
    meas = r["measurements"]
    if "libreoffice" not in meas or not meas["libreoffice"]["ok"]:  # type: ignore[operator,index]
        return None
    from xlperf.demo import SIZES

    growth = {"tiny": "S", "S": "M", "M": "L"}.get(size)
    if growth is None:
        return None
    a, b = SIZES[_demo_size(size)], SIZES[growth]  # type: ignore[index]
    factor = (b.workers / a.workers) * (b.observations / a.observations)  # type: ignore[attr-defined]
    return float(meas["libreoffice"]["median_s"]) * factor  # type: ignore[index]


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
