"""The benchmark harness runs end to end at a tiny size (no timing is asserted anywhere)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_harness_runs_at_tiny_size(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--sizes", "tiny", "--runs", "1",
                           "--workdir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads((tmp_path / "results.json").read_text())
    (result,) = data["results"]
    steps = result["measurements"]
    assert {"xlperf", "floor", "openpyxl", "libreoffice"} <= set(steps)
    assert all(step["ok"] for step in steps.values()), steps
    assert result["ratios"]["xlperf/floor"] > 0 and result["ratios"]["libreoffice/xlperf"] > 0
    assert "xlperf / floor" in proc.stdout and "XP_SCORE over 100 000 values" in proc.stdout
    # issue 15: simulation and analysis are measured beside the compute step
    assert "analyze" in steps and set(result["review"]) >= {"compute", "simulate_1", "simulate_10", "analyze_step"}
