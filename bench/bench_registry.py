"""Benchmark the registry: a cold `allies status Japan` and loading + validating the data set.

Targets (issue 2): cold CLI ≤ 200 ms median, including interpreter start-up;
load and validate ≤ 300 ms. Run: ``.venv/bin/python bench/bench_registry.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 21
ALLIES = Path(sys.executable).with_name("allies")


def cold_cli() -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([str(ALLIES), "status", "Japan"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def load(cache: bool) -> list[float]:
    code = (
        "import time; t = time.perf_counter(); import allies; "
        f"kb = allies.load(cache={cache}); print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        times.append(float(out.stdout))
    return times


def report(label: str, times: list[float], target: float) -> None:
    median = statistics.median(times)
    verdict = "ok" if median <= target else "MISSED"
    print(
        f"{label:<40} median {median * 1000:6.1f} ms  min {min(times) * 1000:6.1f} ms  "
        f"max {max(times) * 1000:6.1f} ms  target {target * 1000:.0f} ms  {verdict}"
    )


def main() -> None:
    subprocess.run([str(ALLIES), "status", "Japan"], check=True, capture_output=True)  # warm the OS cache
    report("cold `allies status Japan` (new process)", cold_cli(), 0.200)
    report("import + read and validate all data files", load(cache=False), 0.300)
    report("import + load() from the validated cache", load(cache=True), 0.300)


if __name__ == "__main__":
    main()
