"""Web throughput: ``allies serve`` (one uvicorn worker) on one core, ``wrk`` on the other.

Usage: ``.venv/bin/python bench/bench_web.py [--duration 10] [--connections 16] [--check]``.
Prints a Markdown table for docs/benchmarks.md ("Web"). With ``--check`` it exits 1 unless
the status API reaches 2,000 requests/s with p99 ≤ 20 ms and a country page 500 requests/s.
Needs ``wrk`` and ``taskset`` (Debian: ``apt-get install wrk util-linux``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLIES = ROOT / ".venv" / "bin" / "allies"
TARGETS = [
    # (label, path, minimum requests/s, maximum p99 in ms or None)
    ("status API", "/api/v1/status/JPN?on=2024-01-01", 2000.0, 20.0),
    ("country page", "/countries/JPN?on=2024-01-01", 500.0, None),
    ("home page", "/", None, None),
    ("map page", "/map?on=2023-12-31", None, None),
    ("allies API, one tier", "/api/v1/allies?on=2023-12-31&tier=mnna", None, None),
    ("search API", "/api/v1/search?q=nuclear%20consultative", None, None),
]
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Result:
    label: str
    path: str
    rps: float
    p50: float
    p99: float
    errors: int
    minimum: float | None
    max_p99: float | None

    @property
    def ok(self) -> bool:
        return (self.minimum is None or self.rps >= self.minimum) and (
            self.max_p99 is None or self.p99 <= self.max_p99
        )


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"cannot read the latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 in ms, and socket errors plus non-2xx/3xx responses."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, p50, p99, errors + (int(bad.group(1)) if bad else 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer {url} within {seconds} s") from None
            time.sleep(0.1)


@contextmanager
def serving() -> Iterator[str]:
    """``allies serve`` (one uvicorn worker) on core 0 with a fresh database; yields its base URL."""
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"{Path(sys.argv[0]).name}: {tool} is not installed (apt-get install wrk)")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIES_")}
        env["ALLIES_DB_PATH"] = str(Path(tmp) / "allies.db")
        with (Path(tmp) / "server.log").open("w") as log:
            server = subprocess.Popen(
                ["taskset", "-c", "0", str(ALLIES), "serve", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=log,
                cwd=ROOT,
            )
            try:
                _wait(f"{base}/api/v1/version")
                yield base
            finally:
                server.terminate()
                server.wait(timeout=10)


def run(duration: int, connections: int) -> list[Result]:
    results = []
    with serving() as base:
        for label, path, minimum, max_p99 in TARGETS:
            for _ in range(20):  # warm the caches and the connection pool
                urllib.request.urlopen(base + path, timeout=10).read()
            command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
            out = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
            rps, p50, p99, errors = parse_wrk(out)
            results.append(Result(label, path, rps, p50, p99, errors, minimum, max_p99))
    return results


def table(results: list[Result], duration: int, connections: int) -> str:
    lines = [
        f"`wrk -t1 -c{connections} -d{duration}s --latency` on core 1; `allies serve` (one uvicorn worker, "
        "JSON request log on) on core 0.",
        "",
        "| what | path | requests/s | p50 (ms) | p99 (ms) | errors | target | met |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        wanted = [
            f"≥ {r.minimum:,.0f}/s" if r.minimum else "",
            f"p99 ≤ {r.max_p99:g} ms" if r.max_p99 else "",
        ]
        target = " and ".join(t for t in wanted if t)
        lines.append(
            f"| {r.label} | `{r.path}` | {r.rps:,.0f} | {r.p50:.2f} | {r.p99:.2f} | {r.errors} | "
            f"{target or '—'} | {('yes' if r.ok else 'NO') if target else ''} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    results = run(args.duration, args.connections)
    print(table(results, args.duration, args.connections))
    if args.check and not all(r.ok and r.errors == 0 for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
