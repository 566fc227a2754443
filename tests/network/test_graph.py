"""Graph metrics: our sampled betweenness agrees with networkx; gaps and isolates."""

from __future__ import annotations

import networkx as nx
import pytest

from actlocal.network import graph


def test_betweenness_with_every_source_equals_networkx_exact() -> None:
    g = nx.karate_club_graph()
    ours = graph.sampled_betweenness(g, k=g.number_of_nodes())
    exact = nx.betweenness_centrality(g)
    assert max(abs(ours[n] - exact[n]) for n in g) < 1e-12


def test_sampled_betweenness_is_seeded_and_close_to_networkx_sample() -> None:
    g = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    first = graph.sampled_betweenness(g, k=50)
    assert first == graph.sampled_betweenness(g, k=50)
    reference = nx.betweenness_centrality(g, k=50, seed=graph.SEED)
    assert max(abs(first[n] - reference[n]) for n in g) == pytest.approx(0, abs=1e-3)


def test_compute_finds_broker_isolates_and_coalition_gaps() -> None:
    g = nx.Graph()
    for pk in range(1, 7):
        g.add_node(pk, name=f"P{pk}", kind="grassroots")
    g.add_edges_from([(1, 2), (2, 3)], kind="coalition_with")
    g.add_edge(3, 4, kind="chapter_of")
    metrics = graph.compute(g, issues={1: {"labor"}, 4: {"voting-rights"}, 6: {"housing"}})
    assert metrics.brokers[0]["id"] in {2, 3}
    assert {i["id"] for i in metrics.isolated} == {5, 6}
    assert metrics.coalition_gaps == ["housing", "voting-rights"]
    assert metrics.components == 3
