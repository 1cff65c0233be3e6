"""The alliance network on a date, its metrics, and the yearly US series."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest

from allies.kb import KnowledgeBase
from allies.research import alliance_graph, graph_metrics, plot_us_series, us_series, write_graph

pytestmark = pytest.mark.shared


def test_network_in_atops_coverage(store: Path, kb: KnowledgeBase) -> None:
    net = alliance_graph(dt.date(2010, 6, 1), kb=kb)
    graph = net.graph
    us_japan = graph.edges[2, 740]
    assert us_japan["atop_defense"] == 1
    assert us_japan["us_tier"] == "treaty_ally"
    assert "us-japan" in us_japan["us_arrangements"].split(";")
    assert graph.nodes[740]["name"] == "Japan"
    metrics = graph_metrics(net)
    assert metrics.columns == ["code", "abb", "name", "degree", "betweenness", "community"]
    top = metrics.row(0, named=True)
    assert top["code"] == 2 and top["degree"] == graph.degree(2)
    assert metrics["community"].drop_nulls().min() == 1


def test_network_after_2018_holds_the_continuation_and_registry_ties(store: Path, kb: KnowledgeBase) -> None:
    net = alliance_graph(dt.date(2024, 6, 1), kb=kb)
    assert net.graph.has_edge(2, 380)  # Sweden, NATO since March 2024 (registry and continuation)
    assert not any("atop_defense" in data for *_, data in net.graph.edges(data=True))
    # The continuation: ATOP's 2018 alliances carried forward, plus records since 2019.
    assert net.graph.edges[2, 740]["alliance_defense"] == 1  # US-Japan, carried forward
    assert net.graph.edges[375, 380]["alliance_source"] == "allies"
    assert not net.graph.has_edge(365, 369) or net.graph.edges[365, 369]["alliance_consul"] == 0
    assert any("carried forward" in note for note in net.notes)
    after = alliance_graph(dt.date(2024, 12, 31), kb=kb)
    assert after.graph.edges[365, 731]["alliance_defense"] == 1  # Russia-North Korea, June 2024
    assert "allies:russia-dprk-2024" in after.graph.edges[365, 731]["alliance_keys"]


def test_graphml_with_provenance(store: Path, kb: KnowledgeBase, tmp_path: Path) -> None:
    net = alliance_graph(dt.date(1960, 1, 1), kb=kb)
    path = write_graph(net, tmp_path / "net.graphml")
    back = nx.read_graphml(path)
    assert back.number_of_edges() == net.graph.number_of_edges()
    record = json.loads((tmp_path / "net.graphml.provenance.json").read_text())
    assert record["what"]["on"] == "1960-01-01"
    assert {i["name"] for i in record["inputs"]} == {"atop", "cow-states"}


def test_a_bloc_resting_on_an_undecidable_pledge_is_unknown(store: Path, kb: KnowledgeBase) -> None:
    """In 1946 the Soviet Union's row in the 1942 Anglo-Soviet-Iranian treaty (ATOP 2555) pledges
    defense with ``obvary = 1`` to two partners, and Iran's pledges none: whether Iran is in the
    Soviet bloc is unknown (rule 7), so the bloc's size and capabilities are missing, not smaller."""
    frame = us_series(1946, 1947, kb=kb, as_of=dt.date(2025, 1, 1)).frame
    y1946, y1947 = frame.rows(named=True)
    assert y1946["russia_bloc_members"] is None and y1946["russia_bloc_cinc"] is None
    assert y1946["russia_cinc"] > 0 and y1946["china_bloc_members"] is not None
    assert y1947["russia_bloc_members"] > 1 and y1947["russia_bloc_cinc"] > y1947["russia_cinc"]


def test_us_series_and_plot(store: Path, kb: KnowledgeBase, tmp_path: Path) -> None:
    series = us_series(2016, 2023, kb=kb, as_of=dt.date(2025, 1, 1))
    frame = series.frame
    assert frame["year"].to_list() == list(range(2016, 2024))
    y2018 = frame.row(2, named=True)
    assert y2018["us_treaty_ally"] >= 49 and y2018["us_allies"] >= y2018["us_treaty_ally"]
    assert y2018["china_bloc_cinc"] >= y2018["china_cinc"] > 0
    assert y2018["us_bloc_cinc"] > y2018["us_cinc"] > 0
    y2019 = frame.row(3, named=True)
    # After 2018 the blocs come from the continuation; capabilities end with NMC in 2022.
    assert y2019["china_bloc_cinc"] >= y2019["china_cinc"] > 0 and y2019["us_bloc_cinc"] is not None
    y2023 = frame.row(-1, named=True)
    assert y2023["russia_bloc_members"] == y2019["russia_bloc_members"] and y2023["russia_bloc_cinc"] is None
    assert frame.row(-1, named=True)["us_bloc_cinc"] is None  # NMC ends in 2022
    for suffix in (".png", ".svg"):
        path = plot_us_series(series, tmp_path / f"series{suffix}")
        assert path.stat().st_size > 1000
        assert (tmp_path / f"series{suffix}.provenance.json").exists()
