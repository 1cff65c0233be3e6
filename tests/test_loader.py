"""The validating loader: every problem with file, line and field; nothing half-built."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import allies
from allies.loader import read
from allies.problems import DataError

STATES = """\
id,name,iso2,iso_numeric,cow,gw,region,un_member,start,end,aliases,note,sources
USA,United States,US,840,2,2,Americas,yes,,,America|US,,ex-source
NOR,Norway,NO,578,385,385,Europe,yes,,,,,ex-source
"""

SOURCES = """\
- id: ex-source
  producer: Example Producer
  title: An example source
  url: https://example.org/source
  kind: official_page
  accessed: 2026-11-24
"""

ARRANGEMENT = """\
id: pact
name: Example Pact
short_name: Pact
kind: treaty
confers: treaty_ally
obligations: [defense]
legal_basis: Example
summary: An example.
sources: [{source: ex-source, locator: Art. 1}]
in_force: {date: 1950-01-01, sources: [{source: ex-source, locator: Art. 2}]}
participants:
  - state: USA
    spells:
      - start: {kind: joined, date: 1950-01-01, sources: [{source: ex-source, locator: Art. 2}]}
  - state: NOR
    spells:
      - start: {kind: joined, date: 1950, sources: [{source: ex-source, locator: Art. 2}]}
        end: {kind: withdrew, date: 1960-06-30, sources: [{source: ex-source, locator: Art. 9}]}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(
        tmp_path, {"states.csv": STATES, "sources/ex.yaml": SOURCES, "arrangements/pact.yaml": ARRANGEMENT}
    )


def test_a_good_directory_loads(good: Path) -> None:
    kb = allies.load(good)
    assert set(kb.states) == {"USA", "NOR"}
    assert kb.states["NOR"].iso2 == "NO"  # YAML 1.1 would have read it as false; CSV keeps it a string


def test_partial_dates_count_from_the_end_of_their_period(good: Path) -> None:
    import datetime as dt

    kb = allies.load(good)
    assert kb.status("NOR", dt.date(1950, 12, 30)).tier == "none"
    assert kb.status("NOR", dt.date(1950, 12, 31)).tier == "treaty_ally"
    assert kb.status("NOR", dt.date(1960, 6, 29)).tier == "treaty_ally"
    assert kb.status("NOR", dt.date(1960, 6, 30)).tier == "none"


def test_a_misspelt_key_is_reported_with_file_line_and_field(good: Path) -> None:
    broken = ARRANGEMENT.replace(
        "  - state: NOR\n    spells:\n      - start:", "  - state: NOR\n    spells:\n      - strat:"
    )
    write(good, {"arrangements/pact.yaml": broken})
    with pytest.raises(DataError) as caught:
        read(good)
    messages = [str(p) for p in caught.value.problems]
    assert (
        "arrangements/pact.yaml:17: participants[1].spells[0].strat: Extra inputs are not permitted"
        in messages
    )
    assert any("participants[1].spells[0].start: Field required" in m for m in messages)


def test_every_problem_in_every_file_is_listed(good: Path) -> None:
    write(
        good,
        {
            "sources/ex.yaml": SOURCES.replace("2026-11-24", "2026-13-01"),
            "states.csv": STATES + "XX,Nowhere,,,,,Atlantis,maybe,,,,,ex-source\n",
            "arrangements/pact.yaml": ARRANGEMENT.replace(
                "source: ex-source, locator: Art. 9", "source: nope, locator: x"
            ),
        },
    )
    with pytest.raises(DataError) as caught:
        read(good)
    problems = caught.value.problems
    where = {(p.file, p.line, p.field) for p in problems}
    assert ("sources/ex.yaml", 6, "[0].accessed") in where
    assert ("states.csv", 4, "id") in where
    assert ("arrangements/pact.yaml", 18, "participants[1].spells[0].end.sources[0].source") in where
    assert any("unknown source 'nope'" in p.message for p in problems)


def test_a_spell_ending_before_it_starts_is_refused(good: Path) -> None:
    write(good, {"arrangements/pact.yaml": ARRANGEMENT.replace("1960-06-30", "1940-06-30")})
    with pytest.raises(DataError, match="cannot end before it starts"):
        read(good)


def test_alternatives_need_a_reason(good: Path) -> None:
    alt = ARRANGEMENT.replace(
        "in_force: {date: 1950-01-01, sources: [{source: ex-source, locator: Art. 2}]}",
        "in_force: {date: 1950-01-01, sources: [{source: ex-source, locator: Art. 2}],"
        " alternatives: [{date: 1949, sources: [{source: ex-source, locator: p. 3}], note: other}]}",
    )
    write(good, {"arrangements/pact.yaml": alt})
    with pytest.raises(DataError, match="preferred_reason"):
        read(good)


def test_invalid_yaml_points_at_the_line(good: Path) -> None:
    write(good, {"sources/ex.yaml": SOURCES + "- id: [unclosed\n"})
    with pytest.raises(DataError) as caught:
        read(good)
    assert caught.value.problems[0].file == "sources/ex.yaml"
    assert caught.value.problems[0].line == 8


def test_allies_check_exits_non_zero_with_each_problem(good: Path) -> None:
    write(good, {"arrangements/pact.yaml": ARRANGEMENT.replace("kind: treaty", "kind: treatie")})
    run = subprocess.run(
        [sys.executable, "-m", "allies", "check", "--data-dir", str(good)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "arrangements/pact.yaml:4: kind: Input should be" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_cache_is_used_until_a_file_changes(good: Path) -> None:
    first = allies.load(good)
    assert allies.load(good).version == first.version
    path = good / "states.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Norway", "Kingdom of Norway"), encoding="utf-8")
    again = allies.load(good)
    assert again.states["NOR"].name == "Kingdom of Norway"
    assert again.version != first.version


def test_a_broken_edit_is_not_hidden_by_the_cache(good: Path) -> None:
    allies.load(good)
    write(good, {"arrangements/pact.yaml": ARRANGEMENT.replace("kind: treaty", "kind: treatie")})
    with pytest.raises(DataError):
        allies.load(good)


def test_an_interval_bound_needs_both_ends_in_order(good: Path) -> None:
    bounded = ARRANGEMENT.replace(
        "date: 1950, sources", "date: 1950, no_later_than: true, no_earlier_than: 1949-04-04, sources"
    )
    write(good, {"arrangements/pact.yaml": bounded})
    read(good)
    write(good, {"arrangements/pact.yaml": bounded.replace("1949-04-04", "1951-04-04")})
    with pytest.raises(DataError, match="no_earlier_than is after the date it bounds"):
        read(good)
    write(good, {"arrangements/pact.yaml": bounded.replace("no_later_than: true, ", "")})
    with pytest.raises(DataError, match="needs no_later_than"):
        read(good)
