"""Broken data files: each is one clear problem with file, line and field, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import allies
from allies.loader import read
from allies.problems import DataError, Problem
from tests.test_loader import ARRANGEMENT, SOURCES, STATES, write

EVENTS = """\
- id: ev-1
  date: 1950-01-01
  kind: summit
  title: A meeting
  summary: They met.
  sources: [{source: ex-source, locator: p. 1}]
"""


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "states.csv": STATES,
            "sources/ex.yaml": SOURCES,
            "arrangements/pact.yaml": ARRANGEMENT,
            "events/ev.yaml": EVENTS,
        },
    )


def problems(directory: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        read(directory)
    return caught.value.problems


def check(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allies", "check", "--data-dir", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_fixture_is_valid(good: Path) -> None:
    assert len(read(good).events) == 1


def test_a_duplicate_key_is_reported_with_file_line_and_field(good: Path) -> None:
    write(
        good,
        {"arrangements/pact.yaml": ARRANGEMENT.replace("kind: treaty\n", "kind: treaty\nkind: statute\n")},
    )
    [problem] = problems(good)
    assert (problem.file, problem.line, problem.field) == ("arrangements/pact.yaml", 5, "kind")
    assert "duplicate key 'kind' (first given on line 4)" in problem.message
    run = check(good)
    assert run.returncode == 1
    assert "arrangements/pact.yaml:5: kind: not valid YAML: duplicate key" in run.stderr


def test_a_duplicate_key_in_a_flow_mapping_on_one_line(good: Path) -> None:
    write(good, {"sources/ex.yaml": SOURCES + "- {id: b, id: c}\n"})
    [problem] = problems(good)
    assert (problem.file, problem.line, problem.field) == ("sources/ex.yaml", 7, "id")


@pytest.mark.parametrize("content", ["", "\n", "# nothing left\n", "[]\n"])
def test_an_emptied_data_file_is_an_error(good: Path, content: str) -> None:
    write(good, {"events/ev.yaml": content})
    [problem] = problems(good)
    assert problem.file == "events/ev.yaml"
    assert "no records" in problem.message or "empty" in problem.message


@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000"), ("\x07", "U+0007")])
@pytest.mark.parametrize("target", ["events/ev.yaml", "states.csv"])
def test_control_characters_are_an_error_with_file_and_line(
    good: Path, char: str, name: str, target: str
) -> None:
    path = good / target
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2][:3] + char + lines[2][3:]
    path.write_text("".join(lines), encoding="utf-8")
    [problem] = problems(good)
    assert (problem.file, problem.line) == (target, 3)
    assert name in problem.message and "column 4" in problem.message
    run = check(good)
    assert run.returncode == 1
    assert f"{target}:3: control character {name}" in run.stderr
    assert "Traceback" not in run.stderr


def test_text_that_is_not_utf8_is_an_error_with_its_line(good: Path) -> None:
    path = good / "events" / "ev.yaml"
    path.write_bytes(path.read_bytes().replace(b"They met.", b"They m\xe9t."))
    [problem] = problems(good)
    assert (problem.file, problem.line) == ("events/ev.yaml", 5)
    assert "not UTF-8" in problem.message


def test_a_byte_order_mark_is_accepted(good: Path) -> None:
    for name in ("states.csv", "sources/ex.yaml"):
        path = good / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    records = read(good)
    assert [s.id for s in records.states] == ["USA", "NOR"]


def test_a_missing_data_directory_fails_clearly(tmp_path: Path) -> None:
    run = check(tmp_path / "nonexistent")
    assert run.returncode == 1
    assert "no such data directory" in run.stderr
    assert "ok" not in run.stdout


def test_an_empty_data_directory_is_not_ok(tmp_path: Path) -> None:
    found = problems(tmp_path)
    assert {p.file for p in found} == {"states.csv", "sources", "arrangements"}


def test_in_force_before_signed(good: Path) -> None:
    signed = "signed: {date: 1951-06-01, sources: [{source: ex-source, locator: Art. 3}]}\n"
    write(good, {"arrangements/pact.yaml": ARRANGEMENT.replace("in_force:", signed + "in_force:")})
    [problem] = problems(good)
    assert (problem.file, problem.line, problem.field) == ("arrangements/pact.yaml", 11, "in_force.date")
    assert "1950-01-01 is before signed (1951-06-01)" in problem.message


def test_a_statute_may_take_effect_before_it_is_signed(good: Path) -> None:
    signed = "signed: {date: 1951-06-01, sources: [{source: ex-source, locator: Art. 3}]}\n"
    text = ARRANGEMENT.replace("in_force:", signed + "in_force:").replace("kind: treaty", "kind: statute")
    write(good, {"arrangements/pact.yaml": text})
    assert read(good).arrangements[0].kind == "statute"


def test_ended_before_in_force(good: Path) -> None:
    ended = "ended: {date: 1949, sources: [{source: ex-source, locator: Art. 9}]}\n"
    write(good, {"arrangements/pact.yaml": ARRANGEMENT.replace("participants:", ended + "participants:")})
    [problem] = problems(good)
    assert problem.field == "ended.date"
    assert "before in_force" in problem.message


def test_a_state_that_ends_before_it_starts(good: Path) -> None:
    write(
        good,
        {
            "states.csv": STATES.replace(
                "Norway,NO,578,385,385,Europe,yes,,", "Norway,NO,578,385,385,Europe,yes,1905-06-07,1814-05-17"
            )
        },
    )
    [problem] = problems(good)
    assert (problem.file, problem.line, problem.field) == ("states.csv", 3, "end")
    assert "1814-05-17 is before the start (1905-06-07)" in problem.message


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (("Norway,NO,578", "Norway,US,578"), "iso2"),
        (("Norway,NO,578", "Norway,NO,840"), "iso_numeric"),
        (("578,385,385", "578,2,385"), "cow"),
        (("yes,,,,,ex-source", "yes,,,America,,ex-source"), "aliases"),
        (("NOR,Norway,", "NOR,United States,"), "name"),
    ],
)
def test_a_code_or_alias_shared_by_two_current_states(good: Path, edit: tuple[str, str], field: str) -> None:
    write(good, {"states.csv": STATES.replace(*edit)})
    [problem] = problems(good)
    assert (problem.file, problem.line, problem.field) == ("states.csv", 3, field)
    assert "is also the" in problem.message and "of USA" in problem.message


def test_a_successor_may_carry_on_a_code_of_an_ended_state(good: Path) -> None:
    ended = "SUN,Soviet Union,SU,810,365,365,Europe,yes,1922-12-30,1991-12-26,USSR,,ex-source\n"
    current = "RUS,Russia,RU,643,365,365,Europe,yes,,,,,ex-source\n"
    write(good, {"states.csv": STATES + ended + current})
    assert {s.id for s in read(good).states} == {"USA", "NOR", "SUN", "RUS"}


def test_an_edit_that_keeps_size_and_mtime_is_not_served_from_the_old_cache(good: Path) -> None:
    assert allies.load(good).states["NOR"].name == "Norway"
    path = good / "states.csv"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Norway", "Narway"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert allies.load(good).states["NOR"].name == "Narway"
