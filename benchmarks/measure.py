"""Run a command as a fresh process and measure wall time and peak memory (max RSS of the child)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass
class Measurement:
    name: str
    seconds: list[float]
    peak_mb: float
    ok: bool = True
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


RUNNER = """
import resource, subprocess, sys, time, json
t = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if False else None)
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "s": dt, "rss_kb": rss}))
"""


def user_env() -> dict[str, str]:
    """This environment as a user's machine has it: bytecode caches written and reused. (Some sandboxes
    set PYTHONDONTWRITEBYTECODE, which makes every fresh process compile pandas and xlperf again, about
    1.3 s of each command's time that no installed copy pays.)"""
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(cmd: list[str], timeout: float | None = None, env: dict[str, str] | None = None) -> tuple[int, float, float]:
    """(exit code, seconds, peak MB) of one fresh run; the wrapper process isolates RUSAGE_CHILDREN."""
    import json

    proc = subprocess.run([sys.executable, "-c", RUNNER, *cmd], check=False, capture_output=True, text=True,
                          timeout=timeout, env=env or user_env())
    line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "{}"
    data = json.loads(line)
    if data.get("rc", 1) != 0:
        sys.stderr.write(proc.stderr[-2000:])
    return int(data.get("rc", 1)), float(data.get("s", float("nan"))), float(data.get("rss_kb", 0)) / 1024


def measure(name: str, cmd: list[str], runs: int, timeout: float | None = None,
            prepare: object = None) -> Measurement:
    seconds: list[float] = []
    peak = 0.0
    for _ in range(runs):
        if callable(prepare):
            prepare()
        try:
            rc, s, mb = run_once(cmd, timeout)
        except subprocess.TimeoutExpired:
            return Measurement(name, seconds, peak, ok=False, note=f"timed out after {timeout:.0f} s")
        if rc != 0:
            return Measurement(name, seconds, peak, ok=False, note=f"exit code {rc}")
        seconds.append(s)
        peak = max(peak, mb)
    return Measurement(name, seconds, peak)


def now() -> float:
    return time.perf_counter()


_ = resource  # imported for documentation: peak memory comes from getrusage in the runner
