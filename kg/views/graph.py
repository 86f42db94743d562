"""The NetworkX projection of the store: typed nodes, relation-labelled edges.

Node ids are IRIs; each node has ``kind`` (paper, author, institution, method, benchmark,
category, topic, venue, code) and ``label``. Papers also carry ``date``. Nodes carry their place
on the time axis (:mod:`kg.explore.timeline`) where they have one: ``first_seen``/``last_seen``
(digest dates) and ``first_date``/``last_date`` (paper dates), and so do edges: an edge is seen
and dated with the paper it hangs off (a unit's ``unit_of`` edge with the unit). Edges are
directed as stored (paper → method, author → paper, …) with a ``relation`` name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import astuple, fields

from ..explore.timeline import When, when
from ..relations import RELATIONS
from ..store import index as ix

TIME = tuple(f.name for f in fields(When))


def load(store, nodes: Iterable[int] | None = None):
    """Build a ``networkx.MultiDiGraph`` of the whole store (an open Store or its read index), or
    only of ``nodes`` (read-index ids) and the edges among them — what a view draws.

    Read from the SQLite read index (:mod:`kg.store.index`, which mirrors the store): 0.1 s for
    the seeds where the SPARQL it replaces took 4 s. Rows are sorted before they are added, since
    node order decides layouts, so the same store always gives the same graph.
    """
    import networkx as nx

    index = ix.of(store)
    # a set of nodes leads the joins (see kg.views.subgraph._from)
    only = () if nodes is None else (json.dumps(sorted(nodes)),)
    at = "" if nodes is None else "json_each(?{}) k CROSS JOIN "
    G = nx.MultiDiGraph()
    for n, kind, label, day in index.rows(f"SELECT n.iri, n.kind, n.label, n.date FROM {at.format(1)}nodes n"
                                          f"{' ON n.id = k.value' if only else ''} WHERE n.kind IS NOT NULL"
                                          " AND n.label IS NOT NULL ORDER BY n.iri", *only):
        G.add_node(n, kind=kind, label=label, **({"date": day} if day else {}))
    for n, span in when(index, None if nodes is None else list(G)).items():
        if n in G:
            G.nodes[n].update({k: v for k, v in zip(TIME, astuple(span)) if v is not None})
    for relation in RELATIONS:
        # authored is stored paper → author, and drawn author → paper as kg:authorship/kg:author reads
        ends = "b.iri, a.iri" if relation == "authored" else "a.iri, b.iri"
        for u, v in index.rows(f"SELECT DISTINCT {ends} FROM {at.format(2)}edges e{' ON e.src = k.value' if only else ''}"
                               " CROSS JOIN nodes a ON a.id = e.src CROSS JOIN nodes b ON b.id = e.dst WHERE e.rel = ?1"
                               f"{' AND +e.dst IN (SELECT value FROM json_each(?2))' if only else ''} ORDER BY 1, 2",
                               ix.REL[relation], *only):
            if u in G and v in G:
                G.add_edge(u, v, key=relation, relation=relation)
    for u, v, data in G.edges(data=True):
        end = G.nodes[v] if G.nodes[v]["kind"] == "paper" else G.nodes[u]
        data.update({k: end[k] for k in TIME if k in end})
    return G
