"""Hostile command lines: each ends with one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


def cli(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allies", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


def one_clean_error(run: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    assert run.returncode == code, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "claims", "-o", "/nonexistent/x.csv"], "cannot write /nonexistent/x.csv: No such file"),
        (["report", "2023", "-o", "/nonexistent/x"], "cannot write /nonexistent/x: No such file"),
        (["export", "claims", "-o", "/dev/full"], "cannot write /dev/full: No space left on device"),
    ],
)
def test_a_failed_write_is_one_line(args: list[str], message: str) -> None:
    one_clean_error(cli(*args), 1, message)


def test_a_folder_as_output_is_one_line(tmp_path: Path) -> None:
    one_clean_error(cli("export", "claims", "-o", str(tmp_path)), 1, "Is a directory")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_on_standard_output_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        run = cli("export", "claims", stdout=full.fileno())
    one_clean_error(run, 1, "cannot write the output: No space left on device")


@pytest.mark.parametrize("on", ["０２０２", "２０２３-01-01", "0001", "1799-12-31", "2101", "9999-12-31"])
def test_on_takes_ascii_digits_and_years_1800_to_2100(on: str) -> None:
    run = cli("list", "--on", on)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "is not a date" in run.stderr or "out of range: give a date from 1800 to 2100" in run.stderr


@pytest.mark.parametrize("on", ["1800", "2100-12-31"])
def test_on_at_the_ends_of_the_range(on: str) -> None:
    assert cli("list", "--on", on, "--json").returncode == 0


def test_an_unknown_region_lists_the_valid_ones() -> None:
    one_clean_error(
        cli("list", "--region", "Atlantis"),
        2,
        "unknown region 'Atlantis'; did you mean Africa, Americas, Asia",
    )


def test_a_region_in_any_case_works() -> None:
    run = cli("list", "--region", "europe", "--json")
    assert run.returncode == 0 and '"region": "Europe"' in run.stdout


def test_serve_refuses_a_port_out_of_range() -> None:
    run = cli("serve", "--port", "99999")
    assert run.returncode == 2
    assert "99999 is not in the range 1<=x<=65535" in run.stderr


def test_search_on_100_kb_of_text_is_refused_at_once() -> None:
    started = time.monotonic()
    run = cli("search", "q" * 100_000)
    one_clean_error(run, 2, "the search text is 100,000 characters long; the limit is 500")
    assert time.monotonic() - started < 30


def test_a_100_kb_country_name_gets_no_fuzzy_suggestions() -> None:
    from allies.kb import load

    kb = load()
    started = time.perf_counter()
    with pytest.raises(LookupError) as caught:
        kb.state("q" * 100_000)
    assert time.perf_counter() - started < 0.5
    assert caught.value.suggestions == []  # type: ignore[attr-defined]
