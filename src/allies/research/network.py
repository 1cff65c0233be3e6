"""The alliance network on a date, its metrics, and the yearly US series.

* ATOP gives every alliance tie among states for 1815–2018 (members whose
  membership covers the date, by the day).
* The curated registry gives the United States' ties through today.

On a date after 2018 (up to today) the ATOP ties are those of the allies continuation
(:mod:`allies.research.alliances`: ATOP's 2018 alliances carried forward plus the curated
records), as ``alliance_*`` edge attributes. Nodes are COW state codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import polars as pl
from networkx.algorithms.community import greedy_modularity_communities

from allies.continuation import CARRY_FORWARD_RULE
from allies.continuation import read as read_continuation
from allies.research import atop, provenance, store
from allies.research.alliances import continuation_dyad_years, edges_on, member_spells
from allies.research.crosswalk import registry_code
from allies.research.us import TIERS, US_CODE, arrangement_id, counts, load_registry

if TYPE_CHECKING:
    from allies.kb import KnowledgeBase

CHINA, RUSSIA = 710, 365


@dataclass
class Network:
    """An undirected alliance graph with what it was built from."""

    graph: Any
    on: dt.date
    inputs: dict[str, store.Manifest] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    registry_version: str | None = None


def _atop_edges(on: dt.date) -> tuple[pl.DataFrame, store.Manifest]:
    """ATOP ties on ``on``: pairs of members that day, with the panels' values for that year.

    The obligations are those of the imported directed dyad-years (ATOP's published file when
    it was imported, else the derivation), in either direction: the same values as
    ``add_atop()`` on a non-directed panel, unknown (null) where those are.
    """
    found = store.require("atop", "the ATOP alliance network")
    members = (
        found.table("members")
        .filter(pl.col("member") < 1000)
        .with_columns(exit=pl.col("exit").fill_null(atop.END_OF_COVERAGE))
    )
    active = members.filter((pl.col("entry") <= on) & (pl.col("exit") >= on)).select("atopid", "member")
    pairs = (
        active.join(active, on="atopid", suffix="_b")
        .filter(pl.col("member") < pl.col("member_b"))
        .group_by(a="member", b="member_b")
        .agg(atopids=pl.col("atopid").unique().sort().cast(pl.String).str.join(";"))
    )
    year = atop.ddyr_table(found).filter(pl.col("year") == on.year)
    ab = year.select(
        pl.col("stateA").cast(pl.Int64).alias("a"),
        pl.col("stateB").cast(pl.Int64).alias("b"),
        *atop.OBLIGATIONS,
    )
    ba = year.select(
        a=pl.col("stateB").cast(pl.Int64),
        b=pl.col("stateA").cast(pl.Int64),
        **{f"{c}_ba": c for c in atop.OBLIGATIONS},
    )
    edges = (
        pairs.join(ab, on=["a", "b"], how="inner")
        .join(ba, on=["a", "b"], how="left")
        .select(
            "a",
            "b",
            *[atop.either(pl.col(c), pl.col(f"{c}_ba")).alias(f"atop_{c}") for c in atop.OBLIGATIONS],
            "atopids",
        )
    )
    return edges.sort("a", "b"), found.manifest


def _names() -> tuple[dict[int, tuple[str, str]], store.Manifest | None]:
    found = store.current("cow-states")
    if found is None:
        return {}, None
    spells = found.table("spells").sort("start")
    return {int(r["code"]): (r["abb"], r["name"]) for r in spells.iter_rows(named=True)}, found.manifest


def _cow_members_on(on: dt.date) -> tuple[set[int], str | None]:
    found = store.current("cow-states")
    if found is None:
        return set(), None
    spells = found.table("spells")
    last = spells["end"].max()
    assert isinstance(last, dt.date)
    day = min(on, last)
    alive = spells.filter((pl.col("start") <= day) & (pl.col("end") >= day))["code"].to_list()
    note = None
    if on > last:
        note = f"Nodes: the COW list ends on {last}; the states alive that day stand for {on}."
    return {int(c) for c in alive}, note


def alliance_graph(
    on: dt.date, *, kb: KnowledgeBase | None = None, registry: bool = True, use_atop: bool = True
) -> Network:
    """The alliance network on ``on``: ATOP ties (to 2018-12-31) and the registry's US ties.

    Edge attributes: ``atop_defense`` … ``atop_consul`` (either direction), ``atopids``,
    ``us_tier`` and ``us_arrangements`` (for ties of the United States in the registry); after
    2018 ``alliance_defense`` … ``alliance_consul``, ``alliance_keys`` and ``alliance_source``
    (the continuation) instead of ATOP's.
    """
    graph = nx.Graph(date=on.isoformat())
    net = Network(graph, on)
    names, names_manifest = _names()
    if names_manifest is not None:
        net.inputs["cow-states"] = names_manifest
    nodes, note = _cow_members_on(on)
    if note:
        net.notes.append(note)
    if use_atop and on <= atop.END_OF_COVERAGE:
        edges, manifest = _atop_edges(on)
        net.inputs["atop"] = manifest
        for row in edges.iter_rows(named=True):
            # An obligation the member file cannot decide is left out of the edge (unknown).
            attrs = {k: v for k, v in row.items() if k not in ("a", "b") and v is not None}
            graph.add_edge(int(row["a"]), int(row["b"]), **attrs)
    elif use_atop and on <= dt.date.today():
        found = store.require("atop", "the alliance network")
        net.inputs["atop"] = found.manifest
        continuation = read_continuation()
        for row in edges_on(member_spells(found.table("members"), continuation), on).iter_rows(named=True):
            attrs = {k: v for k, v in row.items() if k not in ("a", "b")}
            graph.add_edge(int(row["a"]), int(row["b"]), alliance_source="allies", **attrs)
        net.notes.append(
            "After 2018 the ties are the allies continuation (alliance_* edge attributes, data version "
            f"{continuation.version}): {CARRY_FORWARD_RULE}"
        )
    elif use_atop:
        net.notes.append(f"{on} is after today: no alliance ties (unknown, not absent).")
    if registry:
        kb = load_registry(kb)
        net.registry_version = getattr(kb, "version", None)
        for result in kb.allies(on=on):
            code = registry_code("cow", result.state.cow, on)
            if code is None:
                continue
            held = sorted(arrangement_id(s) for s in result.statuses if counts(s))
            graph.add_edge(US_CODE, code, us_tier=result.tier, us_arrangements=";".join(held))
    for code in nodes:
        graph.add_node(code)
    for code in graph.nodes:
        abb, name = names.get(code, ("", ""))
        graph.nodes[code].update(code=code, abb=abb, name=name, cow_member=code in nodes)
    return net


def graph_metrics(net: Network) -> pl.DataFrame:
    """Degree, betweenness and community of every node (communities by greedy modularity)."""
    graph = net.graph
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    community: dict[int, int] = {}
    connected = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    if connected.number_of_edges():
        groups = sorted(greedy_modularity_communities(connected), key=lambda c: (-len(c), min(c)))
        for index, group in enumerate(groups, start=1):
            for node in group:
                community[node] = index
    rows = [
        {
            "code": node,
            "abb": graph.nodes[node].get("abb", ""),
            "name": graph.nodes[node].get("name", ""),
            "degree": graph.degree(node),
            "betweenness": betweenness[node],
            "community": community.get(node),
        }
        for node in sorted(graph.nodes)
    ]
    schema = {
        "code": pl.Int16,
        "abb": pl.String,
        "name": pl.String,
        "degree": pl.Int32,
        "betweenness": pl.Float64,
        "community": pl.Int32,
    }
    return pl.DataFrame(rows, schema=schema).sort(["degree", "code"], descending=[True, False])


def write_graph(net: Network, path: Path, argv: list[str] | None = None) -> Path:
    """GraphML with a ``.provenance.json`` sidecar."""
    if path.suffix.lower() != ".graphml":
        raise ValueError(f"cannot tell the format of {path.name!r}: end the file name in .graphml")
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(net.graph, path)
    record = provenance.build(
        what={
            "kind": "alliance network",
            "on": net.on.isoformat(),
            "nodes": net.graph.number_of_nodes(),
            "edges": net.graph.number_of_edges(),
        },
        inputs=net.inputs,
        call=f"alliance_graph(on={net.on.isoformat()!r})",
        argv=argv,
        notes=net.notes,
        registry=net.registry_version,
        columns={},
    )
    provenance.write(path, record)
    return path


# -- the yearly US series ---------------------------------------------------------------------


@dataclass
class Series:
    frame: pl.DataFrame
    inputs: dict[str, store.Manifest]
    notes: list[str]
    registry_version: str | None
    call: str


def _defense_partners(ddyr: pl.DataFrame, state: int) -> pl.DataFrame:
    """(year, partner, defense): 1 with a defense obligation in either direction, null when
    neither direction holds one and one of them is unknown (``docs/panels.md``, rule 7)."""
    mine = ddyr.filter((pl.col("stateA") == state) | (pl.col("stateB") == state))
    partner = pl.when(pl.col("stateA") == state).then(pl.col("stateB")).otherwise(pl.col("stateA"))
    return (
        mine.group_by("year", partner.alias("partner"))
        .agg(atop.any_of("defense"))
        .filter(pl.col("defense").ne_missing(0))
    )


def us_series(
    start: int, end: int, *, kb: KnowledgeBase | None = None, as_of: dt.date | None = None
) -> Series:
    """Yearly: US allies by tier (registry, 31 December) and bloc shares of world capabilities.

    ``us_bloc_cinc`` sums the CINC of the United States and its treaty allies (registry);
    ``china_bloc_cinc`` and ``russia_bloc_cinc`` sum those of China (710) and Russia (365) and
    the states with which ATOP (through 2018) or the allies continuation (after) records a
    defense obligation in either direction. Missing where NMC (after 2022) says nothing.
    """
    if start > end:
        raise ValueError(f"start={start} is after end={end}")
    registry = load_registry(kb)
    as_of = as_of or dt.date.today()
    nmc_found = store.require("nmc", "the US network series")
    atop_found = store.require("atop", "the US network series")
    nmc = nmc_found.table("nmc").select("ccode", "year", "cinc")
    cinc = {(int(c), int(y)): v for c, y, v in nmc.iter_rows() if v is not None}
    nmc_years = set(nmc["year"].to_list())
    ddyr = atop.ddyr_table(atop_found).select("stateA", "stateB", "year", "defense")
    # After 2018: the continuation (ATOP's 2018 alliances carried forward plus the curated records).
    later = continuation_dyad_years(member_spells(atop_found.table("members"), read_continuation()), as_of)
    ddyr = pl.concat([ddyr, later.select(ddyr.columns).cast(ddyr.schema)])
    blocs = {}
    unknown: dict[str, set[int]] = {}
    for name, state in (("china", CHINA), ("russia", RUSSIA)):
        partners = _defense_partners(ddyr, state)
        known = partners.filter(pl.col("defense") == 1)
        blocs[name] = (
            state,
            {int(y): {int(p) for p in g["partner"]} for (y,), g in known.group_by("year")},
        )
        # A partner the alliance data cannot decide leaves the bloc unknown that year, not smaller.
        unknown[name] = {int(y) for y in partners.filter(pl.col("defense").is_null())["year"]}
    rows: list[dict[str, Any]] = []
    for year in range(start, end + 1):
        on = min(dt.date(year, 12, 31), as_of)
        if on < dt.date(year, 1, 1):
            break
        results = registry.allies(on=on)
        row: dict[str, Any] = {"year": year, "on": on}
        for tier in TIERS:
            row[f"us_{tier}"] = sum(1 for r in results if r.tier == tier)
        row["us_allies"] = sum(row[f"us_{tier}"] for tier in TIERS)
        treaty = {registry_code("cow", r.state.cow, on) for r in results if r.tier == "treaty_ally"}
        us_bloc = {US_CODE} | {c for c in treaty if c is not None}
        row["us_bloc_members"] = len(us_bloc)
        row["us_cinc"] = cinc.get((US_CODE, year)) if year in nmc_years else None
        row["us_bloc_cinc"] = sum(cinc.get((c, year), 0.0) for c in us_bloc) if year in nmc_years else None
        for name, (state, partners_by_year) in blocs.items():
            row[f"{name}_cinc"] = cinc.get((state, year)) if year in nmc_years else None
            if year > as_of.year or year in unknown[name]:
                row[f"{name}_bloc_members"] = None
                row[f"{name}_bloc_cinc"] = None
                continue
            bloc = {state} | partners_by_year.get(year, set())
            row[f"{name}_bloc_members"] = len(bloc)
            row[f"{name}_bloc_cinc"] = (
                sum(cinc.get((c, year), 0.0) for c in bloc) if year in nmc_years else None
            )
        rows.append(row)
    frame = pl.DataFrame(rows, infer_schema_length=None)
    notes = [
        "US ally counts and the US bloc come from the curated registry on 31 December of each year "
        f"(on {as_of} for {as_of.year}); the US bloc is the United States and its treaty allies.",
        "China and Russia blocs: the state and every state with which ATOP (through 2018) or the allies "
        "continuation (after 2018) records a defense obligation in either direction that year; missing "
        "in a year when the data leave a state's defense obligation to or from it unknown "
        "(docs/panels.md, rule 7). " + CARRY_FORWARD_RULE,
        "CINC shares from NMC v7 (1816-2022); missing after 2022.",
    ]
    inputs = {"nmc": nmc_found.manifest, "atop": atop_found.manifest}
    return Series(
        frame,
        inputs,
        notes,
        getattr(registry, "version", None),
        f"us_series(start={start}, end={end}, as_of={as_of.isoformat()!r})",
    )


def _write_series_provenance(series: Series, path: Path, argv: list[str] | None, kind: str) -> Path:
    """Write the provenance sidecar of a file made from ``series``."""
    record = provenance.build(
        what={"kind": kind, "rows": series.frame.height},
        inputs=series.inputs,
        call=series.call,
        argv=argv,
        notes=series.notes,
        registry=series.registry_version,
        columns={},
    )
    provenance.write(path, record)
    return path


def write_series(series: Series, path: Path, argv: list[str] | None = None) -> Path:
    """The series as CSV (or Parquet) with a provenance sidecar."""
    from allies.research.export import check_format, write_frame

    check_format(path, {".csv": "CSV", ".parquet": "Parquet"})
    write_frame(series.frame, path)
    return _write_series_provenance(series, path, argv, "US alliance series")


def plot_us_series(
    series: Series,
    path: Path,
    argv: list[str] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
) -> Path:
    """Plot the series (PNG or SVG, from the extension): bloc capability shares and US allies by tier.

    ``labels`` and ``colours`` name and colour the tiers (the web site passes its own); by
    default the tier ids and matplotlib's colour cycle.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"cannot tell the format of {path.name!r}: end the file name in .png or .svg")
    frame = series.frame
    years = frame["year"].to_list()
    plt.rcParams["svg.hashsalt"] = "allies"
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True, constrained_layout=True)
    for column, label, colour in (
        ("us_bloc_cinc", "United States and treaty allies", "#1f4e79"),
        ("china_bloc_cinc", "China and its ATOP defense allies", "#b22222"),
        ("russia_bloc_cinc", "Russia/USSR and its ATOP defense allies", "#6b6b6b"),
    ):
        values = [float("nan") if v is None else v for v in frame[column].to_list()]
        top.plot(years, values, label=label, color=colour, linewidth=1.8)
    top.set_ylabel("Share of world capabilities (CINC)")
    top.legend(frameon=False, fontsize=8)
    top.set_title("Capabilities of the blocs (NMC v7; ATOP for China and Russia)", fontsize=10)
    stacks = [[float(v) for v in frame[f"us_{tier}"].to_list()] for tier in TIERS]
    bottom.stackplot(
        years,
        stacks,
        labels=[(labels or {}).get(t, t.replace("_", " ")) for t in TIERS],
        colors=[colours[t] for t in TIERS] if colours else None,
    )
    bottom.set_ylabel("States")
    bottom.set_title("US allies and partners by tier (curated registry, 31 December)", fontsize=10)
    bottom.legend(frameon=False, fontsize=8, loc="upper left")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=suffix[1:], metadata={"Date": None} if suffix == ".svg" else None, dpi=120)
    plt.close(fig)
    return _write_series_provenance(series, path, argv, "US alliance series plot")
