"""python -m benchmarks.review BOOK OUT.json: the issue-15 steps beside the compute step they build on.

In one process, on the validated inputs of BOOK: the compute step of a recompute (``compute``), one
scenario (the base run plus one scenario run: what ``simulate`` costs beyond reading), ten scenarios
in one run (the period values are computed once and reused), and the analysis step (compute + the
health tables). Each is the best of ``--runs`` runs. The scenarios are synthetic: scenario k moves k
points of weight between the first two worker dimensions.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def best(fn: Any, runs: int) -> float:
    out = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def with_scenarios(inputs: Any, n: int) -> Any:
    import pandas as pd

    from xlperf.inputs import Inputs

    dims = inputs.tables["dimensions"]
    worker = dims[dims["level"] == "worker"]
    (d1, w1), (d2, w2) = list(zip(worker["dimension"], worker["weight"]))[:2]
    rows = []
    for k in range(1, n + 1):
        step = min(k, w2)
        rows += [{"scenario": f"S{k}", "change": "dimension_weight", "key": d1, "field": "worker", "value": w1 + step},
                 {"scenario": f"S{k}", "change": "dimension_weight", "key": d2, "field": "worker", "value": w2 - step}]
    tables = dict(inputs.tables)
    tables["scenarios"] = pd.DataFrame(rows)
    return Inputs(settings=inputs.settings, tables=tables)


def main(argv: list[str]) -> int:
    from xlperf.engine import compute
    from xlperf.engine.health import indicator_health, rater_analysis, vendor_trends
    from xlperf.engine.scenarios import simulate
    from xlperf.io.reader import read_book
    from xlperf.validation import validate

    book, out = Path(argv[0]), Path(argv[1])
    runs = int(argv[2]) if len(argv) > 2 else 3
    inputs, report = validate(read_book(book))
    assert inputs is not None, report.errors[:5]
    one, ten = with_scenarios(inputs, 1), with_scenarios(inputs, 10)

    def analyze() -> None:
        r = compute(inputs, None, explain=False)
        indicator_health(r.scores, r.results, inputs.tables["indicators"], "zh")
        rater_analysis(inputs.tables["ratings"], "zh")
        vendor_trends(r.results, r.periods, "zh")

    times = {"compute": best(lambda: compute(inputs, None), runs),
             "simulate_1": best(lambda: simulate(one), runs),
             "simulate_10": best(lambda: simulate(ten), runs),
             "analyze_step": best(analyze, runs)}
    times["simulate_1/compute"] = times["simulate_1"] / times["compute"]
    times["simulate_10/simulate_1"] = times["simulate_10"] / times["simulate_1"]
    out.write_text(json.dumps(times, indent=1))
    for k, v in times.items():
        print(f"  {k}: {v:.2f}{'×' if '/' in k else ' s'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
