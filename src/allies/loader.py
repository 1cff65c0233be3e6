"""Read and validate the curated data files.

The happy path parses YAML 1.2 with a C-backed loader (``allies.yaml12``);
only when a file has problems is it composed again to point at line numbers.
Every problem in every file is collected before anything is built: a broken
file never yields a half-built registry.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from allies.consistency import inconsistent
from allies.model import Arrangement, Benefit, Event, Source, State, Territory
from allies.paths import DATA_DIR
from allies.problems import DataError, Problem
from allies.records import Located, Records, field_name, line_in
from allies.references import dangling
from allies.schema import Invalid, validate
from allies.yaml12 import DuplicateKey, YAMLError
from allies.yaml12 import load as load_yaml

M = TypeVar("M")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no data file may hold (tab, line feed and carriage return are fine)."""


class _Unreadable(Exception):
    """A data file that cannot be read as text; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_text(path: Path, rel: str) -> str:
    """A data file's text: UTF-8, a leading byte-order mark dropped, no control characters."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise _Unreadable(
            Problem(rel, line, "", f"not UTF-8 text (byte {exc.object[exc.start]:#04x})")
        ) from None
    except OSError as exc:
        raise _Unreadable(Problem(rel, None, "", f"cannot be read: {exc.strerror}")) from None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise _Unreadable(
            Problem(
                rel, line, "", f"control character U+{ord(bad.group()):04X} at column {column}; remove it"
            )
        )
    return text


class _Reader:
    """Accumulates validated records, where each came from, and every problem."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.located: list[Located] = []
        self.problems: list[Problem] = []
        self.unreadable = False
        """A whole file could not be read: cross-file checks would only echo that."""

    def validate(
        self,
        model: type[M],
        items: Iterable[tuple[Any, tuple[int | str, ...], int | None]],
        path: Path,
    ) -> list[M]:
        """Validate raw items; ``line`` is known for CSV rows, looked up for YAML."""
        rel = path.relative_to(self.directory).as_posix()
        good: list[M] = []
        for raw, prefix, line in items:
            try:
                record = validate(model, raw)
            except Invalid as exc:
                for err_loc, message in exc.errors:
                    loc = prefix + err_loc
                    where = line if line is not None else line_in(path, loc)
                    self.problems.append(Problem(rel, where, field_name(loc), message))
                continue
            good.append(record)
            self.located.append(Located(record, rel, path, prefix, line))
        return good

    def text(self, path: Path) -> str | None:
        """The file's text, or None after recording why it cannot be read."""
        try:
            return read_text(path, path.relative_to(self.directory).as_posix())
        except _Unreadable as exc:
            self.problems.append(exc.problem)
            self.unreadable = True
            return None

    def yaml(self, path: Path) -> Any:
        """The parsed file, or None after recording a problem (an empty file is one)."""
        rel = path.relative_to(self.directory).as_posix()
        text = self.text(path)
        if text is None:
            return None
        try:
            data = load_yaml(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            field = exc.key if isinstance(exc, DuplicateKey) else ""
            problem = getattr(exc, "problem", None) or str(exc)
            self.problems.append(Problem(rel, line, field, f"not valid YAML: {problem}"))
            self.unreadable = True
            return None
        if data is None:
            self.problems.append(
                Problem(rel, None, "", "the file is empty; delete it or restore its records")
            )
        return data

    def yaml_list(self, path: Path, model: type[M]) -> list[M]:
        data = self.yaml(path)
        if data is None:
            return []
        if not isinstance(data, list):
            rel = path.relative_to(self.directory).as_posix()
            self.problems.append(Problem(rel, 1, "", "the file must hold a list of records"))
            return []
        if not data:
            rel = path.relative_to(self.directory).as_posix()
            self.problems.append(Problem(rel, 1, "", "the file holds no records; delete it or restore them"))
        return self.validate(model, ((item, (i,), None) for i, item in enumerate(data)), path)

    def yaml_one(self, path: Path, model: type[M]) -> list[M]:
        data = self.yaml(path)
        return [] if data is None else self.validate(model, [(data, (), None)], path)

    def states(self, path: Path) -> list[State]:
        text = self.text(path)
        if text is None:
            return []
        reader = csv.DictReader(io.StringIO(text))
        rows: list[tuple[Any, tuple[int | str, ...], int | None]] = []
        for row in reader:
            raw: dict[str, Any] = {k: v for k, v in row.items() if k is not None and v != ""}
            if None in row:
                raw["<extra column>"] = row[None]
            for key in ("aliases", "sources"):
                raw[key] = [part.strip() for part in (row.get(key) or "").split("|") if part.strip()]
            raw["sources"] = [
                {"source": s, "locator": f"entry for {row.get('name')}"} for s in raw["sources"]
            ]
            raw["un_member"] = (row.get("un_member") or "").lower() == "yes"
            rows.append((raw, (), reader.line_num))
        return self.validate(State, rows, path)


def _walk(directory: Path) -> Iterator[Path]:
    yield from sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in (".yaml", ".csv"))


def read(directory: Path = DATA_DIR) -> Records:
    """Validate every data file in ``directory``; raise DataError listing all problems."""
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, "", "no such data directory")])
    reader = _Reader(directory)
    sources: list[Source] = []
    states: list[State] = []
    arrangements: list[Arrangement] = []
    benefits: list[Benefit] = []
    events: list[Event] = []
    territories: list[Territory] = []
    files = list(_walk(directory))
    for path in files:
        rel = path.relative_to(directory).as_posix()
        top = rel.split("/")[0]
        if rel == "states.csv":
            states += reader.states(path)
        elif top == "sources":
            sources += reader.yaml_list(path, Source)
        elif top == "events":
            events += reader.yaml_list(path, Event)
        elif rel == "territories.yaml":
            territories += reader.yaml_list(path, Territory)
        elif rel == "benefits.yaml":
            benefits += reader.yaml_list(path, Benefit)
        elif top == "policy":
            continue  # rules, not records: read by allies.quality
        elif top == "arrangements":
            got = reader.yaml_one(path, Arrangement)
            if got and got[0].id != path.stem:
                reader.problems.append(Problem(rel, 1, "id", f"must match the file name {path.stem!r}"))
            arrangements += got
        else:
            reader.problems.append(Problem(rel, None, "", "unexpected file in the data directory"))
    for required in ("states.csv", "sources", "arrangements"):
        if not (directory / required).exists():
            reader.problems.append(Problem(required, None, "", "missing from the data directory"))
    records = Records(sources, states, arrangements, benefits, events, files, reader.located, territories)
    problems = reader.problems + ([] if reader.unreadable else dangling(records) + inconsistent(records))
    if problems:
        raise DataError(problems)
    return records
