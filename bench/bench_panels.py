"""Benchmark: all COW directed dyad-years 1816–2016 with ATOP flags, written to Parquet and to Stata.

The reference is peacesciencer 1.2.9, ``create_dyadyears(mry = FALSE) |> add_atop_alliance()``
(1,912,290 rows), run as a fresh ``Rscript`` process **in the same run** when R and
peacesciencer are installed (``/work/shared/tools/install_peacesciencer.sh``); otherwise the
figure recorded in ``docs/benchmarks.md`` is shown instead and marked as such. The goals
(issue 10): a fresh ``allies`` process at least 25 times faster than peacesciencer within
300 MiB, without caching results between runs; the same panel to ``.dta`` within 0.6 s and
400 MiB.

Usage::

    .venv/bin/python bench/bench_panels.py [--data ../shared/data] [--runs 9] [--r-runs 3]

The reference data sets are imported once into a temporary data directory (nothing is
written into the repository); then each run is a fresh process, timed from start to exit,
with its peak resident memory read from ``wait4``. The machine is shared: run it several
times and read the medians with the load average printed beside them. This is a benchmark,
not a test.

The package is byte-compiled first, as ``pip install`` does for a wheel (and as
``bench/bench_registry.py`` does): with ``PYTHONDONTWRITEBYTECODE`` set, an edited module
would otherwise be compiled from source in every run (about 10 ms of the panel command).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import allies as allies_package

ROOT = Path(__file__).resolve().parents[1]
RECORDED_SECONDS = 7.1  # peacesciencer 1.2.9 on this machine (docs/benchmarks.md), when R is absent
RECORDED_MIB = 1.08 * 1024
EXPECTED_ROWS = 1_912_290
GOAL_RATIO = 25.0
GOAL_MIB = 300
DTA_GOAL_SECONDS = 0.6
DTA_GOAL_MIB = 400
PEACESCIENCER = (
    "suppressMessages(library(peacesciencer)); "
    "d <- add_atop_alliance(create_dyadyears(mry = FALSE)); "
    "stopifnot(nrow(d) == 1912290)"
)

IMPORTS = {
    "atop": "atop5_1",
    "cow-states": "cow/states2016.csv",
}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident MiB and CPU seconds (user + system) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{stderr}")
    peak_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return wall, peak_kib / 1024, usage.ru_utime + usage.ru_stime


def measure(label: str, argv: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    run_once(argv, env)  # warm the file cache
    walls, peaks, cpus = [], [], []
    for _ in range(runs):
        wall, peak, cpu = run_once(argv, env)
        walls.append(wall)
        peaks.append(peak)
        cpus.append(cpu)
    result = {
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "peak": max(peaks),
        "cpu": statistics.median(cpus),
    }
    print(
        f"{label:<34} median {result['median']:.3f} s  (min {result['min']:.3f}, max {result['max']:.3f})"
        f"  cpu {result['cpu']:.3f} s  peak {result['peak']:.0f} MiB"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=ROOT / ".." / "shared" / "data", help="reference data folder"
    )
    parser.add_argument("--runs", type=int, default=9, help="timed runs per allies command")
    parser.add_argument("--r-runs", type=int, default=3, help="timed runs of peacesciencer (0: skip)")
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data} not found: give --data with the reference data sets")

    compileall.compile_dir(Path(allies_package.__file__).parent, quiet=1)
    allies = str(Path(sys.executable).with_name("allies"))
    workdir = Path(tempfile.mkdtemp(prefix="allies-bench-"))
    env = {**os.environ, "ALLIES_DATA_DIR": str(workdir / "data")}
    try:
        for name, relative in IMPORTS.items():
            subprocess.run(
                [allies, "data", "import", name, str(args.data / relative)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        out = workdir / "cow_ddy_atop.parquet"
        panel = [
            allies,
            "panel",
            "dyad-years",
            "--system",
            "cow",
            "--directed",
            "--start",
            "1816",
            "--end",
            "2016",
            "--add",
            "atop",
            "-o",
            str(out),
        ]
        library = [
            sys.executable,
            "-c",
            "from allies.research import dyad_years; "
            f"dyad_years('cow', True, 1816, 2016).add_atop().write({str(out)!r})",
        ]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load:.2f}, "
            f"{args.runs} runs each\n"
        )
        startup = measure("allies --help (start-up only)", [allies, "--help"], env, args.runs)
        cli = measure("allies panel dyad-years --add atop", panel, env, args.runs)
        lib = measure("library call in a fresh python", library, env, args.runs)
        dta = measure(
            "the same panel to .dta", [*panel[:-1], str(workdir / "cow_ddy_atop.dta")], env, args.runs
        )

        import polars as pl

        rows = pl.scan_parquet(out).select(pl.len()).collect().item()
        print(f"\nrows: {rows:,}" + ("" if rows == EXPECTED_ROWS else f"  (expected {EXPECTED_ROWS:,}!)"))
        rscript = shutil.which("Rscript")
        reference: dict[str, float] | None = None
        if rscript and args.r_runs > 0:
            check = subprocess.run(
                [rscript, "-e", "library(peacesciencer)"], capture_output=True, env=env, check=False
            )
            if check.returncode == 0:
                reference = measure(
                    "peacesciencer 1.2.9 (Rscript)", [rscript, "-e", PEACESCIENCER], env, args.r_runs
                )
        if reference is not None:
            ref_seconds, ref_mib = reference["median"], reference["peak"]
            source = "measured in this run"
        else:
            ref_seconds, ref_mib = RECORDED_SECONDS, RECORDED_MIB
            source = "recorded figure (R or peacesciencer not installed here)"
        ratio = ref_seconds / cli["median"]
        print(f"peacesciencer 1.2.9: {ref_seconds:.2f} s, {ref_mib:.0f} MiB ({source})")
        print(
            f"allies CLI: {cli['median']:.3f} s median = {ratio:.1f}x faster than peacesciencer; "
            f"peak {cli['peak']:.0f} MiB ({ref_mib / cli['peak']:.1f}x less)"
        )
        if reference is not None:
            print(
                f"by CPU time (user + sys; steadier when the machine is shared): peacesciencer "
                f"{reference['cpu']:.2f} s, allies {cli['cpu']:.3f} s = {reference['cpu'] / cli['cpu']:.1f}x"
            )
        met = ratio >= GOAL_RATIO and cli["peak"] <= GOAL_MIB
        print(f"goal: >= {GOAL_RATIO:.0f}x and <= {GOAL_MIB} MiB -> {'met' if met else 'NOT met'}")
        dta_met = dta["median"] <= DTA_GOAL_SECONDS and dta["peak"] <= DTA_GOAL_MIB
        print(
            f".dta: {dta['median']:.3f} s, {dta['peak']:.0f} MiB; goal <= {DTA_GOAL_SECONDS} s and "
            f"<= {DTA_GOAL_MIB} MiB -> {'met' if dta_met else 'NOT met'}"
        )
        print(
            f"of which CLI start-up (allies --help): {startup['median']:.3f} s; "
            f"library path alone: {lib['median']:.3f} s"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
