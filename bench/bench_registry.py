"""Benchmark the registry: a cold `allies status Japan` and loading + validating the data set.

Targets: cold ``allies status Japan`` ≤ 150 ms median, interpreter start-up included (issue 8);
load and validate ≤ 300 ms (issue 2). Reference lines from the same run: a bare interpreter
(``python -c pass``, the floor) and ``allies --help`` (the CLI without the registry). Each
figure is the wall-clock time of a new process; the CPU time (user + system) of the same
processes is printed beside it, since it moves less when the machine is busy.

The package is byte-compiled first, as ``pip install`` does for a wheel: with
``PYTHONDONTWRITEBYTECODE`` set, an edited module would otherwise be compiled on every start.
Run: ``.venv/bin/python bench/bench_registry.py``.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import allies

RUNS = 21
ALLIES = Path(sys.executable).with_name("allies")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU time (user + system) of one run of ``command`` in a new process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return wall, usage.ru_utime + usage.ru_stime


def processes(command: list[str]) -> tuple[list[float], list[float]]:
    runs = [timed(command) for _ in range(RUNS)]
    return [w for w, _ in runs], [c for _, c in runs]


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


def report(label: str, times: list[float], target: float | None, cpu: list[float] | None = None) -> None:
    median = statistics.median(times)
    verdict = (
        "" if target is None else f"target {target * 1000:.0f} ms  {'ok' if median <= target else 'MISSED'}"
    )
    cpu_text = f"  cpu median {statistics.median(cpu) * 1000:6.1f} ms" if cpu else ""
    print(
        f"{label:<44} median {median * 1000:6.1f} ms  min {min(times) * 1000:6.1f} ms  "
        f"max {max(times) * 1000:6.1f} ms{cpu_text}  {verdict}".rstrip()
    )


def main() -> None:
    compileall.compile_dir(Path(allies.__file__).parent, quiet=1)
    subprocess.run([str(ALLIES), "status", "Japan"], check=True, capture_output=True)  # warm the cache
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {RUNS} runs each")
    wall, cpu = processes([sys.executable, "-c", "pass"])
    report("reference: bare interpreter (python -c pass)", wall, None, cpu)
    wall, cpu = processes([str(ALLIES), "--help"])
    report("reference: `allies --help` (no registry)", wall, None, cpu)
    wall, cpu = processes([str(ALLIES), "status", "Japan"])
    report("cold `allies status Japan` (new process)", wall, 0.150, cpu)
    report("import + read and validate all data files", load(cache=False), 0.300)
    report("import + load() from the validated cache", load(cache=True), 0.300)


if __name__ == "__main__":
    main()
