"""The layers point one way (docs/architecture.md): no import cycle, no import hidden in a function
except the documented deferred ones, and no module importing a layer above its own."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from allies.model import TIERS, Tier
from allies.tiers import NAMES
from allies.web.tiers import COLOURS

ROOT = Path(__file__).resolve().parents[1] / "src"
PACKAGE = ROOT / "allies"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "model",
        (
            "allies.dates",
            "allies.paths",
            "allies.problems",
            "allies.resolve",
            "allies.version",
            "allies.frames",
            "allies.yaml12",
            "allies.model",
            "allies.tiers",
            "allies.shapes",
            "allies.citation",
        ),
    ),
    (
        "load",
        (
            "allies.records",
            "allies.schema",
            "allies.references",
            "allies.consistency",
            "allies.loader",
            "allies.quality",
            "allies.continuation",
        ),
    ),
    ("registry", ("allies.registry", "allies.cache")),
    (
        "queries",
        (
            "allies.benefits",
            "allies.status",
            "allies.history",
            "allies.search",
            "allies.summary",
            "allies.tables",
            "allies.bibliography",
            "allies.reports",
        ),
    ),
    ("facade", ("allies.kb", "allies")),
    (
        "adapters",
        ("allies.exports", "allies.store", "allies.research", "allies.web", "allies.cli", "allies.__main__"),
    ),
]
"""Each module's layer, lowest first; a module may import its own layer and those below."""

ADAPTER_USES: dict[str, set[str]] = {
    "allies.cli": {"allies.exports", "allies.research"},
    "allies.web": {"allies.exports", "allies.research", "allies.store"},
    "allies.research": {"allies.exports"},
    "allies.__main__": {"allies.cli"},
}
"""Which adapters an adapter may use: the CLI runs the panels; the site shows them."""

CLI_TO_WEB = {
    "allies.cli.web": {"allies.web.app", "allies.web.server", "allies.web.settings", "allies.web.templating"},
}
"""The only web modules the CLI may import: to start the site (``allies serve``) and to render the yearly
report with the site's templates (``allies report --format html``). Every answer, the report included,
comes from the layers below; the web holds none the CLI needs."""

DEFERRED = {
    "rapidfuzz": "15 ms to import; only search and name suggestions need it",
    "allies.kb": "the registry and its queries (~15 ms): `allies --help` and commands that do not read it",
    "allies.answers": "the registry's JSON answers: only the CLI commands that print them",
    "allies.exports": "the exports (claims, data package): only `allies export`",
    "allies.loader": "the validation stack (YAML parser, schemas): a cache miss and `allies check` only",
    "allies.quality": "the source-quality review: `allies check` only",
    "allies.continuation": "the post-2018 continuation records: `allies check` and the panels only",
    "uvicorn": "only `allies serve` needs the server",
    "alembic": "only a schema migration needs it",
    "sqlalchemy": "optional extra [web]: the site's database",
    "rich": "progress bars of long research commands only",
    "polars": "optional extra [research]",
    "pandas": "optional; `.to_pandas()` only",
    "numpy": "about 50 ms to import; only the Stata writer needs it",
    "pyarrow": "optional extra [research]",
    "matplotlib": "optional extra [research]",
    "allies.research": "optional extra [research]: the panels, their CLI and pages",
    "allies.web": "optional extra [web]: `allies serve` and `allies report --format html`",
    "allies.reports": "the yearly report reads its themes with the YAML parser: `allies report` only",
    "allies.store": "optional extra [web]: the site's database",
    "allies.cli.app": "the registry's commands: a research command (allies panel) starts without them",
}
"""Imports that may sit inside a function, and why (docs/architecture.md lists the same)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _target(node: ast.ImportFrom, name: str) -> str:
    module = node.module or ""
    if node.level:
        base = name.rsplit(".", node.level)[0]
        module = f"{base}.{module}" if module else base
    return module


def imports(name: str, path: Path) -> Iterator[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = modules()

    def visit(node: ast.AST, in_function: bool) -> Iterator[tuple[str, int, bool]]:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, child.lineno, in_function
            elif isinstance(child, ast.ImportFrom):
                module = _target(child, name if path.name != "__init__.py" else name + ".x")
                for alias in child.names:
                    full = f"{module}.{alias.name}"
                    yield (full if full in known else module), child.lineno, in_function
            yield from visit(child, inner)

    yield from visit(tree, False)


def layer(module: str) -> tuple[int, str]:
    best: tuple[int, str, int] | None = None
    for rank, (_, members) in enumerate(LAYERS):
        for prefix in members:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[2]):
                best = (rank, prefix, len(prefix))
    assert best is not None, f"{module} is in no layer: add it to LAYERS and docs/architecture.md"
    return best[0], best[1]


def internal_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        graph[name] = {target for target, _, _ in imports(name, path) if target in known and target != name}
    return graph


def test_every_module_has_a_layer() -> None:
    for name in modules():
        layer(name)


def test_no_module_imports_a_layer_above_its_own() -> None:
    wrong = []
    for name, targets in internal_graph().items():
        rank, group = layer(name)
        for target in targets:
            target_rank, target_group = layer(target)
            if target_group in ("allies",) and name.startswith("allies."):
                continue  # the package itself: its version and lazy names
            if target_rank > rank:
                wrong.append(f"{name} -> {target}")
            elif (
                target_rank == rank == len(LAYERS) - 1
                and target_group != group
                and target_group not in ADAPTER_USES.get(group, set())
                and target not in CLI_TO_WEB.get(name, set())
            ):
                wrong.append(f"{name} -> {target} (adapter to adapter)")
    assert wrong == []


def test_the_cli_imports_no_web_module_but_the_sites_entry_points() -> None:
    """``allies report`` and every other answer come from the library, not from the site."""
    wrong = [
        f"{name} -> {target}"
        for name, targets in internal_graph().items()
        if name.startswith("allies.cli")
        for target in targets
        if target.startswith("allies.web") and target not in CLI_TO_WEB.get(name, set())
    ]
    assert wrong == []


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_no_import_cycles() -> None:
    graph = internal_graph()
    # The package's __init__ names its exports lazily; importing `allies` itself is not an edge back.
    graph = {k: {t for t in v if t != "allies"} for k, v in graph.items()}
    cycles = []
    for name in graph:
        cycle = _cycle_from(graph, name)
        if cycle:
            cycles.append(" -> ".join(cycle))
    assert cycles == []


def test_imports_inside_functions_are_only_the_documented_deferred_ones() -> None:
    hidden = []
    for name, path in modules().items():
        for target, line, in_function in imports(name, path):
            if in_function and not any(target == d or target.startswith(d + ".") for d in DEFERRED):
                hidden.append(f"{path.relative_to(ROOT)}:{line}: {target}")
    assert hidden == []


def test_the_architecture_page_lists_every_deferred_import() -> None:
    page = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for name in DEFERRED if f"`{name}`" not in page]
    assert missing == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]), ({"a": {"b"}, "b": set()}, None)],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert _cycle_from(graph, "a") == expected


def test_every_tier_is_named_once_in_the_models_order() -> None:
    assert tuple(NAMES) == tuple(COLOURS) == TIERS
    assert get_args(Tier) == TIERS[:-1]
