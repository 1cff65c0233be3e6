"""Hostile clients against the status API: does one kind of request slow everyone else?

Usage: ``.venv/bin/python bench/bench_hostile.py [--duration 10] [--rounds 3] [--check]``.

``allies serve`` (one uvicorn worker) runs on core 0. On core 1, ``wrk`` measures the status
API alone (baseline), then again while two hostile clients send, as fast as they can, the
request of issue 9: an unknown 60 KB country name (``/countries/qqq…``). Rounds alternate
baseline and attack so that noise from other work on the machine hits both. Prints a Markdown
table for docs/benchmarks.md; with ``--check`` it exits 1 if the median throughput under attack
is more than 20% below the median baseline. Needs ``wrk`` and ``taskset``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from bench_web import parse_wrk, serving

STATUS = "/api/v1/status/JPN?on=2024-01-01"
HOSTILE = "/countries/" + "q" * 60_000
CONNECTIONS = 16
ATTACKERS = 2
MAX_DROP = 0.20


def wrk(url: str, connections: int, duration: int) -> subprocess.Popen[str]:
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def measure(base: str, duration: int, attacked: bool) -> tuple[float, float, float, float]:
    """Status API (requests/s, p50, p99) and, under attack, the hostile requests/s."""
    hostile = wrk(base + HOSTILE, ATTACKERS, duration + 2) if attacked else None
    status = wrk(base + STATUS, CONNECTIONS, duration)
    out, _ = status.communicate(timeout=duration + 60)
    rps, p50, p99, _errors = parse_wrk(out)
    hostile_rps = 0.0
    if hostile is not None:
        hostile_out, _ = hostile.communicate(timeout=duration + 60)
        hostile_rps = parse_wrk(hostile_out)[0]
    return rps, p50, p99, hostile_rps


def run(
    duration: int, rounds: int
) -> tuple[list[tuple[float, float, float, float]], list[tuple[float, float, float, float]]]:
    with serving() as base:
        measure(base, 2, attacked=True)  # warm up both paths
        baseline, attacked = [], []
        for _ in range(rounds):
            baseline.append(measure(base, duration, attacked=False))
            attacked.append(measure(base, duration, attacked=True))
    return baseline, attacked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="baseline/attack pairs (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 if throughput drops more than 20%%")
    args = parser.parse_args()
    baseline, attacked = run(args.duration, args.rounds)
    base_rps = statistics.median(r[0] for r in baseline)
    attack_rps = statistics.median(r[0] for r in attacked)
    drop = 1 - attack_rps / base_rps
    print(
        f"`wrk -t1 -c{CONNECTIONS} -d{args.duration}s` on the status API (`{STATUS}`), core 1; "
        f"`allies serve` on core 0; under attack, `wrk -c{ATTACKERS}` sends `/countries/` + 60,000 × `q` "
        f"at the same time. Medians of {args.rounds} alternating rounds.\n"
    )
    print("| status API | requests/s | p50 (ms) | p99 (ms) | hostile requests/s |")
    print("|---|---:|---:|---:|---:|")
    for label, rows in (("alone", baseline), ("with two 60 KB clients", attacked)):
        print(
            f"| {label} | {statistics.median(r[0] for r in rows):,.0f} | "
            f"{statistics.median(r[1] for r in rows):.2f} | {statistics.median(r[2] for r in rows):.2f} | "
            f"{statistics.median(r[3] for r in rows):,.0f} |"
        )
    share = attack_rps / base_rps
    print(f"\nthroughput under attack: {share:.0%} of the baseline (target ≥ {1 - MAX_DROP:.0%})")
    if args.check and drop > MAX_DROP:
        sys.exit(1)


if __name__ == "__main__":
    main()
