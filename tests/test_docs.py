"""Docs are part of the product: every command has help text and is documented, and every example in
the README and docs/*.md runs: Python, shell commands (the CLI), HTTP requests (the API), the JSON and
YAML they show. A block that cannot run in a test says so in the page, with why (see MARKER)."""

from __future__ import annotations

import ast
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
import typer
from fastapi.testclient import TestClient
from typer.main import get_command
from typer.testing import CliRunner

from allies.cli.app import app
from tests.research.conftest import SHARED, _imported_dir, need_shared, store  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in PAGES)


def commands(group: typer.Typer) -> list[tuple[str, str | None]]:
    """(full command name, help) for every command, subcommands included."""
    found: list[tuple[str, str | None]] = []

    def walk(cmd: object, prefix: str) -> None:
        subcommands = getattr(cmd, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{prefix} {name}".strip())
        else:
            found.append((prefix, getattr(cmd, "help", None)))

    walk(get_command(group), "")
    return found


def test_every_command_has_help_text() -> None:
    missing = [name for name, help_text in commands(app) if not (help_text or "").strip()]
    assert not missing, f"commands without help text: {missing}"


def test_every_command_is_documented() -> None:
    missing = [name for name, _ in commands(app) if f"allies {name}" not in DOCS]
    assert not missing, f"commands not mentioned as 'allies <command>' in README.md or docs/: {missing}"


PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
RESULT = re.compile(r"^(?P<expr>\S.*?)\s+#\s*(?P<result>(?:'.*'|\[.*\]|-?\d+|True|False|None))\s*$")
NEEDS_IMPORTED_DATA = {"panels.md"}
"""Pages whose examples read data sets imported with `allies data import`: they run with the research
tests' imports of ../shared/data (tests/research/conftest.py) and are skipped without it."""


def python_examples() -> list[tuple[str, str]]:
    return [
        (f"{page.name}#{n}", block)
        for page in PAGES
        for n, block in enumerate(PYTHON_BLOCK.findall(page.read_text(encoding="utf-8")))
    ]


def with_imported_data(where: str, request: pytest.FixtureRequest) -> None:
    """The imported data sets for the pages that need them (``store`` sets ``ALLIES_DATA_DIR``)."""
    if where.partition("#")[0] in NEEDS_IMPORTED_DATA:
        request.getfixturevalue("store")


@pytest.mark.parametrize(("where", "block"), python_examples(), ids=[w for w, _ in python_examples()])
def test_python_examples_run_and_give_the_results_they_show(
    where: str, block: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line ``expression  # result`` must evaluate to that result; every other line must run."""
    monkeypatch.chdir(tmp_path)  # for the files an example writes
    with_imported_data(where, request)
    namespace: dict[str, object] = {}
    checked = 0
    for line in block.splitlines():
        match = RESULT.match(line)
        if match:
            got = eval(match["expr"], namespace)
            assert got == ast.literal_eval(match["result"]), f"{where}: {line}"
            checked += 1
        elif line.strip():
            exec(line, namespace)
    assert checked, f"{where} shows no result to check"


# -- every other example: shell commands, HTTP requests, JSON and YAML shown in the docs ----------------

FENCE = re.compile(r"(?P<markers>(?:^<!--[^\n]*-->\n)*)^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.S | re.M)
MARKER = re.compile(
    r'<!-- example: (?P<what>not run|output of|record)(?: "(?P<arg>[^"]+)")?(?: — (?P<why>[^\n]+?))? -->'
)
"""How a page says what its next block is: ``not run — why`` (the whole block), ``not run "PREFIX" — why``
(the block's lines starting with PREFIX), ``output of "COMMAND"`` (a JSON block: an excerpt of what the
command prints, ``…`` standing for what is left out), ``record "TYPE"`` (a YAML block: a value of that
type of ``allies.model``). Anything else in a block that is not a diagram is run."""
COMMAND_LANGS = {"sh", "console"}
LANGS = {"", "python", "json", "yaml", *COMMAND_LANGS}
"""What the tests know how to run; a block without a language is a diagram or a file listing."""


class Block(NamedTuple):
    where: str
    lang: str
    body: str
    markers: list[re.Match[str]]


def blocks() -> list[Block]:
    found = []
    for page in PAGES:
        for n, match in enumerate(FENCE.finditer(page.read_text(encoding="utf-8"))):
            comments = re.findall(r"<!--[^\n]*-->", match["markers"])
            markers = [MARKER.fullmatch(c) for c in comments if c.startswith("<!-- example:")]
            assert all(markers), f"{page.name}: unknown example marker in {comments}"
            found.append(Block(f"{page.name}#{n}", match["lang"], match["body"], [m for m in markers if m]))
    return found


def params(langs: set[str]) -> list[Any]:
    """The blocks in ``langs`` as test parameters; a block marked ``not run`` is skipped, with its reason."""
    chosen = []
    for block in blocks():
        if block.lang not in langs:
            continue
        whole = [m for m in block.markers if m["what"] == "not run" and not m["arg"]]
        marks = [pytest.mark.skip(reason=f"not run: {whole[0]['why']}")] if whole else []
        chosen.append(pytest.param(block, id=block.where, marks=marks))
    return chosen


def test_every_block_is_run_or_marked() -> None:
    """Commands are in ``sh``/``console`` blocks, every marker sits on a block, every "not run" says why."""
    found = blocks()
    assert [b.where for b in found if b.lang not in LANGS] == [], f"languages the tests run: {LANGS}"
    untagged = [b.where for b in found if not b.lang and re.search(r"^(\$ )?(allies|curl) ", b.body, re.M)]
    assert untagged == [], "blocks with commands but no language (tag them sh)"
    assert sum(len(b.markers) for b in found) == DOCS.count("<!-- example:"), "a marker not above a block"
    for block in found:
        for marker in block.markers:
            assert marker["what"] != "not run" or marker["why"], f"{block.where}: say why it is not run"


def excerpt_of(shown: Any, actual: Any) -> bool:
    """Whether ``shown`` is ``actual`` with parts left out: ``…`` for any value or any part of a text,
    keys and list items omitted (each item shown must match one of the actual items)."""
    if shown == "…":
        return True
    if isinstance(shown, str) and "…" in shown:
        wildcards = ".*".join(re.escape(part) for part in shown.split("…"))
        return isinstance(actual, str) and re.fullmatch(wildcards, actual, re.S) is not None
    if isinstance(shown, dict):
        return isinstance(actual, dict) and all(
            k in actual and excerpt_of(v, actual[k]) for k, v in shown.items()
        )
    if isinstance(shown, list):
        return isinstance(actual, list) and all(
            any(excerpt_of(item, got) for got in actual) for item in shown if item != "…"
        )
    return bool(shown == actual)


def shown_json(text: str) -> Any:
    return json.loads(text.replace("[…]", '["…"]'))


def shell_lines(block: Block) -> list[tuple[list[str], str]]:
    """(argv, shown output) for each command of a shell block, without the lines marked not run."""
    skipped = tuple(m["arg"] for m in block.markers if m["what"] == "not run" and m["arg"])
    found: list[tuple[list[str], str]] = []
    for line in block.body.splitlines():
        if block.lang == "console":
            if not line.startswith("$ "):
                if found and line.strip():
                    found[-1] = (found[-1][0], (found[-1][1] + "\n" + line).strip())
                continue
            line = line[2:]
        if not line.strip() or line.startswith(skipped):
            continue
        code, _, comment = line.partition("  #")  # a comment is set off by two spaces at least
        shown = comment.strip().removeprefix("→").strip() if comment.strip().startswith("→") else ""
        found.append((shlex.split(code), shown))
    return found


@pytest.fixture
def in_a_new_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder beside ``shared`` (``../shared/data`` as from the repository), with an
    empty data directory: the examples write their files there."""
    work = tmp_path / "work"
    work.mkdir()
    if SHARED.is_dir():
        (tmp_path / "shared").symlink_to(SHARED.parent, target_is_directory=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("ALLIES_DATA_DIR", str(tmp_path / "data"))
    return work


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from allies.web.app import create_app
    from allies.web.settings import Settings

    db = tmp_path_factory.mktemp("docs-web") / "allies.db"
    settings = Settings(database_url=f"sqlite:///{db}", rate_limit_per_minute=0, secret="s" * 64)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("block", params(COMMAND_LANGS))
def test_shell_examples_run_and_print_what_they_show(
    block: Block, in_a_new_folder: Path, web: TestClient, request: pytest.FixtureRequest
) -> None:
    """``allies …`` runs the CLI, ``curl URL`` asks the site; each must succeed, and what a line shows
    after ``# →`` (or a console block below the command) must be in the output (JSON: an excerpt)."""
    if "../shared" in block.body:
        need_shared()
    with_imported_data(block.where, request)
    ran = 0
    for argv, shown in shell_lines(block):
        if argv[0] == "allies":
            result = CliRunner().invoke(app, argv[1:])
            assert result.exit_code == 0, f"{block.where}: {shlex.join(argv)}\n{result.output}"
            assert shown in result.output, f"{block.where}: {shlex.join(argv)} does not print {shown!r}"
        elif argv[0] == "curl":
            url = urlsplit(next(a for a in argv if a.startswith("http")))
            answer = web.get(f"{url.path}?{url.query}")
            assert answer.status_code == 200, f"{block.where}: {shlex.join(argv)}: {answer.text}"
            assert not shown or excerpt_of(shown_json(shown), answer.json()), f"{block.where}: {shown}"
        else:
            pytest.fail(
                f"{block.where}: {argv[0]!r} is neither allies nor curl: mark it <!-- example: not run -->"
            )
        ran += 1
    assert ran, f"{block.where} runs nothing: mark it <!-- example: not run — why -->"


@pytest.mark.parametrize("block", params({"json"}))
def test_json_examples_are_excerpts_of_what_the_command_prints(block: Block, in_a_new_folder: Path) -> None:
    source = [m["arg"] for m in block.markers if m["what"] == "output of"]
    assert source, f'{block.where}: say whose output it is: <!-- example: output of "allies … --json" -->'
    result = CliRunner().invoke(app, shlex.split(source[0])[1:])
    assert result.exit_code == 0, result.output
    assert excerpt_of(shown_json(block.body), json.loads(result.output)), f"{block.where}: {source[0]}"


@pytest.mark.parametrize("block", params({"yaml"}))
def test_yaml_examples_are_valid_records(block: Block) -> None:
    from allies import model, schema, yaml12

    kind = [m["arg"] for m in block.markers if m["what"] == "record"]
    assert kind, f'{block.where}: say what it is: <!-- example: record "Claim" -->'
    (value,) = yaml12.load(block.body).values()
    schema.validate(getattr(model, kind[0]), value)
