"""The continuation where people review it: ``allies alliances list``."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allies", *args], capture_output=True, text=True, check=False
    )


def test_alliances_list_since_2019_as_a_table_and_as_json() -> None:
    done = run("alliances", "list", "--since", "2019")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["date", "kind", "record"]
    assert any("russia-dprk-2024" in line and "2024-06-19" in line and "2024-12-04" in line for line in lines)
    data = json.loads(run("alliances", "list", "--since", "2025", "--json").stdout)
    ids = [r["id"] for r in data]
    assert "saudi-pakistan-2025" in ids and "russia-dprk-2024" not in ids
    pakistan = next(r for r in data if r["id"] == "saudi-pakistan-2025")
    assert pakistan["effective"] == "2025-09-17"
    assert pakistan["members"][0]["obligations"]["offense"] is None
    assert {s["id"] for s in pakistan["cited_sources"]} == {
        "thenational-saudi-pakistan",
        "ndtvprofit-bloomberg-saudi-pakistan",
    }
    bad = run("alliances", "list", "--since", "soon")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
