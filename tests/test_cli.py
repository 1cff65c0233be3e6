"""The CLI: the stable JSON interface, tables, and clear errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from typing import Any, get_args

import pytest
from typer.testing import CliRunner

from allies.cli.app import app
from allies.model import EventKind

runner = CliRunner()


def run_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allies", *args], capture_output=True, text=True, check=False
    )


def is_date(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"date", "precision"}
        and value["precision"] in ("day", "month", "year")
        and len(value["date"]) == 10
    )


def test_status_json_shape() -> None:
    data = run_json("status", "JPN", "--on", "2024-01-01")
    assert set(data) == {
        "state",
        "on",
        "tier",
        "possibly",
        "since",
        "since_kind",
        "since_no_later_than",
        "since_arrangement",
        "basis",
        "include_contested",
        "statuses",
        "benefits",
        "sources",
    }
    assert data["state"]["id"] == "JPN" and data["on"] == "2024-01-01" and data["tier"] == "treaty_ally"
    assert data["basis"].startswith("via the US-Japan Security Treaty (1960)")
    assert is_date(data["since"]) and data["since"]["date"] == "1960-06-23"
    assert all(is_date(s["since"]) for s in data["statuses"])
    assert data["sources"]


def test_status_on_a_year_means_31_december() -> None:
    assert run_json("status", "FIN", "--on", "2023")["on"] == "2023-12-31"


def test_timeline_json_shape() -> None:
    entries = run_json("timeline", "NZL")
    assert entries and all(set(e) == {"date", "arrangement", "kind", "summary", "sources"} for e in entries)
    assert all(is_date(e["date"]) for e in entries)
    kinds = set(get_args(EventKind))  # nested Literals are flattened
    assert {e["kind"] for e in entries} <= kinds


def test_arrangement_json_has_dates_obligations_and_spells() -> None:
    data = run_json("arrangement", "anzus")
    assert data["id"] == "anzus" and "defense" in data["obligations"]
    assert is_date(data["signed"]["date"]) and is_date(data["in_force"]["date"])
    nzl = next(p for p in data["participants"] if p["state"] == "NZL")
    assert [s["standing"] for s in nzl["spells"]] == ["active", "suspended"]
    assert is_date(nzl["spells"][0]["start"]["date"])


def test_members_and_list() -> None:
    assert run_json("members", "nato", "--on", "2024-03-07")["count"] == 32
    listing = run_json("list", "--on", "2023-12-31")
    assert listing["count"] == len(listing["allies"]) >= 60


def test_every_command_accepts_json() -> None:
    for args in (
        ["benefits", "Kenya"],
        ["changes", "2023-01-01", "2023-12-31"],
        ["search", "anzus"],
        ["sources"],
        ["check"],
    ):
        run_json(*args)


def test_tables_by_default() -> None:
    result = runner.invoke(app, ["members", "nato", "--on", "1949-08-24"])
    assert result.exit_code == 0
    assert "12 members" in result.stdout and "Iceland" in result.stdout


def test_export_claims_csv_and_json() -> None:
    result = runner.invoke(app, ["export", "claims", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["sources"] for r in rows)
    assert {"yes", "no"} == {r["preferred"] for r in rows}  # alternatives are exported too
    data = json.loads(runner.invoke(app, ["export", "claims", "--format", "json"]).stdout)
    assert len(data) == len(rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "Japn"], "did you mean Japan (JPN)"),
        (["members", "natoo"], "did you mean nato"),
        (["status", "Japan", "--on", "2023-13-01"], "not a calendar date"),
        (["list", "--on", "yesterday-ish"], "is not a date"),
        (["changes", "2024-01-01", "2023-01-01"], "before the start date"),
        (["list", "--tier", "best"], "unknown tier"),
    ],
)
def test_user_errors_exit_2_without_traceback(args: list[str], message: str) -> None:
    run = cli(*args)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
