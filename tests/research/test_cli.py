"""The research commands: thin adapters that print, write files and fail with one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from allies.cli.app import app
from tests.test_startup import LOADED

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_data_list_without_imports(empty_store: Path) -> None:
    code, out, _ = run("data", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert [s["name"] for s in data["sources"]] == ["atop", "cow-states", "gw-states", "nmc", "cow-majors"]
    assert all(s["imported"] is None for s in data["sources"])


def test_panel_without_import_is_a_clear_error(empty_store: Path, tmp_path: Path) -> None:
    code, _, err = run("panel", "state-years", "-o", str(tmp_path / "p.csv"))
    assert code == 2
    assert "allies data import cow-states PATH" in err


def test_refused_data_set(empty_store: Path, tmp_path: Path) -> None:
    code, _, err = run("data", "import", "cow-alliances", str(tmp_path))
    assert code == 2 and "asked that software not process" in err


@pytest.mark.shared
def test_data_import_and_list(empty_store: Path, shared_root: Path) -> None:
    code, out, _ = run("data", "import", "cow-states", str(shared_root / "cow" / "states2016.csv"))
    assert code == 0 and "the producer's published file" in out
    code, out, _ = run("data", "list")
    assert "243 spells of 217 states" in out


@pytest.mark.shared
def test_broken_import_exits_2(empty_store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "states2016.csv"
    bad.write_text("this,is,not\nthe,cow,list\n")
    code, _, err = run("data", "import", "cow-states", str(bad))
    assert code == 2 and err.startswith("error: states2016.csv: wrong format")


@pytest.mark.shared
def test_panel_dyad_years(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "ddy.parquet"
    code, _, err = run(
        "panel",
        "dyad-years",
        "--system",
        "cow",
        "--directed",
        "--start",
        "2000",
        "--end",
        "2001",
        "--add",
        "atop,capabilities,majors",
        "-o",
        str(out),
    )
    assert code == 0, err
    frame = pl.read_parquet(out)
    assert frame.columns[:4] == ["ccode1", "ccode2", "year", "atop_alliance"]
    assert "nmc_cinc1" in frame.columns and "cow_major2" in frame.columns
    record = json.loads((tmp_path / "ddy.parquet.provenance.json").read_text())
    assert record["argv"][0] == "allies"
    assert {i["name"] for i in record["inputs"]} == {"atop", "cow-states", "nmc", "cow-majors"}


@pytest.mark.shared
def test_panel_atop_nna(store: Path, shared_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "sy.csv"
    years = ("--start", "1934", "--end", "1934")
    code, _, err = run("panel", "state-years", *years, "--add", "atop-nna", "-o", str(out))
    assert code == 0, err
    frame = pl.read_csv(out)
    record = json.loads((tmp_path / "sy.csv.provenance.json").read_text())
    assert record["call"].endswith("add_atop(nna=True)")
    assert "pure non-aggression pacts left out" in record["columns"]["atop_alliance"]
    # ATOP's own NNA state-year file for 1934, value for value.
    published = pl.read_csv(shared_root / "atop5_1" / "atop5_1sy_NNA.csv").filter(pl.col("year") == 1934)
    allied = frame.filter(pl.col("atop_alliance") == 1)
    assert sorted(allied["ccode"].to_list()) == sorted(published["state"].to_list())


@pytest.mark.shared
def test_panel_state_years_stata_with_us(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "sy.dta"
    code, _, err = run(
        "panel",
        "state-years",
        "--system",
        "gw",
        "--start",
        "2016",
        "--end",
        "2017",
        "--add",
        "us",
        "--as-of",
        "2025-01-01",
        "-o",
        str(out),
    )
    assert code == 0, err
    import pandas as pd

    frame = pd.read_stata(out)
    assert frame.loc[(frame.gwcode == 740) & (frame.year == 2017), "us_tier"].item() == "treaty_ally"


@pytest.mark.shared
def test_panel_errors_say_how_to_fix(store: Path, tmp_path: Path) -> None:
    code, _, err = run("panel", "dyad-years", "--end", "2020", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "--extend-states" in err
    code, _, err = run("panel", "dyad-years", "--add", "polity", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "choose from atop, atop-nna, alliances, us, capabilities, majors" in err
    code, _, err = run("panel", "dyad-years", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and ".csv, .parquet, .dta" in err


@pytest.mark.shared
def test_graph_cite_series_disagreements(store: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "graph", "--on", "1990-06-30", "-o", str(tmp_path / "g.graphml"), "--metrics", str(tmp_path / "m.csv")
    )
    assert code == 0, err
    assert "United States of America" in out and (tmp_path / "g.graphml.provenance.json").exists()
    code, out, _ = run("cite", "--system", "gw", "--add", "atop")
    assert code == 0 and "@article{gleditsch1999list" in out and "@article{leeds2002atop" in out
    code, out, _ = run("cite", "--add", "capabilities")
    assert (
        code == 0
        and "@article{singer1987reconstructing" in out
        and "@incollection{singer1972capability" in out
    )
    registry = out[out.index("@misc{allies,") :]
    assert re.search(r"author +\= \{\{The allies developers\}\}", registry)
    assert re.search(r"year +\= \{2026\}", registry) and re.search(r"version +\= \{\d+\.\d+", registry)
    assert re.search(r"url +\= \{https://pypi.org/project/allies/\}", registry)
    code, out, _ = run("cite", "--registry", "--format", "csl-json")
    assert code == 0 and [item["id"] for item in json.loads(out)] == ["allies"]
    code, out, _ = run("cite", "--from", str(tmp_path / "g.graphml"))
    assert code == 0 and "leeds2002atop" in out
    code, _, err = run(
        "network-series",
        "--start",
        "2015",
        "--end",
        "2017",
        "-o",
        str(tmp_path / "s.csv"),
        "--plot",
        str(tmp_path / "s.png"),
        "--as-of",
        "2025-01-01",
    )
    assert code == 0, err
    assert pl.read_csv(tmp_path / "s.csv").height == 3
    code, out, _ = run("disagreements", "--kind", "start_date", "--arrangement", "nato")
    assert code == 0 and "ATOP dates signature" in out and "POL" in out
    code, out, _ = run("disagreements", "--json")
    assert code == 0 and all("kind" in r for r in json.loads(out))


@pytest.mark.shared
def test_fresh_process_panel(store: Path, tmp_path: Path) -> None:
    """The console entry point, as users run it."""
    out = tmp_path / "ddy.csv"
    env = {**os.environ, "ALLIES_DATA_DIR": str(store)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "allies",
            "panel",
            "dyad-years",
            "--start",
            "1975",
            "--end",
            "1975",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # 150 COW states in 1975: 11,175 pairs, less the Republic of Vietnam (to 30 April) with the
    # seven states that joined after it ended (Mozambique 25 June ... Comoros 31 December).
    frame = pl.read_csv(out)
    assert frame.height == 150 * 149 // 2 - 7
    assert frame.filter((pl.col("ccode1") == 115) & (pl.col("ccode2") == 817)).height == 0


def test_a_research_command_ends_with_its_output_and_exit_code(tmp_path: Path) -> None:
    """A research command that succeeded ends without the interpreter's teardown: what it printed is
    all there (piped, so buffered), and a failed one still exits with its own code."""

    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}

    def allies(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "allies", *argv], capture_output=True, text=True, env=buffered, check=False
        )

    cited = allies("cite", "--registry", "--format", "csl-json")
    assert cited.returncode == 0, cited.stderr
    assert json.loads(cited.stdout)[0]["id"]
    wrong = allies("panel", "dyad-years", "--system", "nope", "-o", str(tmp_path / "x.csv"))
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("error: ") and "nope" in wrong.stderr


@pytest.mark.shared
def test_a_panel_loads_the_registry_only_when_it_uses_it(store: Path, tmp_path: Path) -> None:
    """`allies panel` starts without the registry's commands: no registry, pydantic, pandas or web
    framework unless a step needs them (the US step needs the registry)."""
    env = {**os.environ, "ALLIES_DATA_DIR": str(store)}

    def loaded(*steps: str) -> set[str]:
        out = tmp_path / "ddy.parquet"
        argv = ["panel", "dyad-years", "--start", "1990", "--end", "1991", "-o", str(out), *steps]
        done = subprocess.run(
            [sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        assert pl.read_parquet(out).height > 0
        return set(done.stdout.split())

    plain = loaded("--add", "atop")
    assert "polars" in plain
    registry = {"allies.registry", "allies.kb", "allies.model", "allies.cli.app"}
    heavy = registry | {"pydantic", "pandas", "fastapi", "networkx"}
    assert plain & heavy == set()
    with_us = loaded("--add", "atop,us")
    assert {"allies.registry", "allies.kb"} <= with_us
