"""Search cost per query: the inverted index against a scan that scores every document.

Usage: ``.venv/bin/python bench/bench_search.py [--repeat 200]``. Both give the same hits
(``tests/test_search.py``); the scan is what the search did before the index. Prints a
Markdown table for docs/benchmarks.md ("Search") with the machine's load average. CPU time
(``time.process_time``) per query, the median of the repeats, after one warm-up call (the
first call of a word also runs its typo lookup, which is then kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from functools import partial

import allies
from allies.resolve import normalise
from allies.search import Query, _ranked, index, search

QUERIES = [
    "nuclear consultative",
    "korea",
    "treaty japan",
    "Greenland",
    "japn",
    "major non-nato ally",
    '"north atlantic"',
    "nato -finland",
    "japan or philippines",
    "defense",
    "space",
]
DAY = dt.date(2024, 6, 1)


def _scan(kb: allies.KnowledgeBase, text: str) -> None:
    found = index(kb)
    query = Query.parse(text)
    near = {w: found.near(w) for g in query.groups for w in g}
    _ranked(kb, found.entries, query, near, normalise(text), DAY)[:20]


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    kb = allies.load()
    start = time.process_time()
    index.cache_clear()
    index(kb)
    built = (time.process_time() - start) * 1000
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load}; index built in {built:.0f} ms CPU\n")
    print("| query | hits | index (ms CPU) | scan of every document (ms CPU) | speed-up |")
    print("|---|---|---|---|---|")
    for text in QUERIES:
        hits = len(search(kb, text, 20, DAY))
        fast = _median_ms(partial(search, kb, text, 20, DAY), args.repeat)
        slow = _median_ms(partial(_scan, kb, text), max(args.repeat // 10, 5))
        print(f"| `{text}` | {hits} | {fast:.3f} | {slow:.2f} | {slow / fast:.0f}× |")


if __name__ == "__main__":
    main()
