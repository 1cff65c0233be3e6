"""Read and validate the curated data files.

The happy path parses YAML 1.2 with a C-backed loader (``allies.yaml12``);
only when a file has problems is it composed again to point at line numbers.
Every problem in every file is collected before anything is built: a broken
file never yields a half-built registry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from allies.model import Arrangement, Benefit, Event, Source, State
from allies.paths import DATA_DIR
from allies.problems import DataError, Problem
from allies.records import Located, Records, field_name, line_in
from allies.references import dangling
from allies.yaml12 import MarkedYAMLError
from allies.yaml12 import load as load_yaml

M = TypeVar("M", bound=BaseModel)


class _Reader:
    """Accumulates validated records, where each came from, and every problem."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.located: list[Located] = []
        self.problems: list[Problem] = []

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
                record = model.model_validate(raw)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = prefix + tuple(err["loc"])
                    where = line if line is not None else line_in(path, loc)
                    self.problems.append(Problem(rel, where, field_name(loc), err["msg"]))
                continue
            good.append(record)
            self.located.append(Located(record, rel, path, prefix, line))
        return good

    def yaml(self, path: Path) -> Any:
        try:
            return load_yaml(path.read_text(encoding="utf-8"))
        except MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else None
            rel = path.relative_to(self.directory).as_posix()
            self.problems.append(Problem(rel, line, "", f"not valid YAML: {exc.problem}"))
            return None

    def yaml_list(self, path: Path, model: type[M]) -> list[M]:
        data = self.yaml(path)
        if data is None:
            return []
        if not isinstance(data, list):
            rel = path.relative_to(self.directory).as_posix()
            self.problems.append(Problem(rel, 1, "", "the file must hold a list of records"))
            return []
        return self.validate(model, ((item, (i,), None) for i, item in enumerate(data)), path)

    def yaml_one(self, path: Path, model: type[M]) -> list[M]:
        data = self.yaml(path)
        return [] if data is None else self.validate(model, [(data, (), None)], path)

    def states(self, path: Path) -> list[State]:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
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
    reader = _Reader(directory)
    sources: list[Source] = []
    states: list[State] = []
    arrangements: list[Arrangement] = []
    benefits: list[Benefit] = []
    events: list[Event] = []
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
        elif rel == "benefits.yaml":
            benefits += reader.yaml_list(path, Benefit)
        elif top == "arrangements":
            got = reader.yaml_one(path, Arrangement)
            if got and got[0].id != path.stem:
                reader.problems.append(Problem(rel, 1, "id", f"must match the file name {path.stem!r}"))
            arrangements += got
        else:
            reader.problems.append(Problem(rel, None, "", "unexpected file in the data directory"))
    records = Records(sources, states, arrangements, benefits, events, files, reader.located)
    problems = reader.problems + dangling(records)
    if problems:
        raise DataError(problems)
    return records
