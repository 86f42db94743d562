"""The NetworkX projection of the store: typed nodes, relation-labelled edges.

Node ids are IRIs; each node has ``kind`` (paper, author, institution, method, benchmark,
category, topic, venue, code) and ``label``. Papers also carry ``date``. Nodes carry their place
on the time axis (:mod:`kg.explore.timeline`) where they have one: ``first_seen``/``last_seen``
(digest dates) and ``first_date``/``last_date`` (paper dates), and so do edges: an edge is seen
and dated with the paper it hangs off (a unit's ``unit_of`` edge with the unit). Edges are
directed as stored (paper → method, author → paper, …) with a ``relation`` name.
"""

from __future__ import annotations

from dataclasses import astuple, fields

from ..explore.timeline import When, when
from ..relations import KINDS, RELATIONS
from ..store import index as ix

TIME = tuple(f.name for f in fields(When))


def load(store):
    """Build a ``networkx.MultiDiGraph`` of the whole store.

    Rows are sorted before they are added: Oxigraph's result order varies from run to run, and
    node order decides layouts, so the same store must always give the same graph.
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    values = " ".join(KINDS)
    rows = store.select(
        f"SELECT ?n ?c (MIN(?l) AS ?label) (MAX(?d) AS ?date) WHERE {{ VALUES ?c {{ {values} }} ?n a ?c ; rdfs:label ?l . "
        "OPTIONAL { ?n dcterms:issued ?d } } GROUP BY ?n ?c"
    )
    for row in sorted(rows, key=lambda r: (r["n"], r["c"])):
        kind = KINDS[_prefixed(row["c"])]
        G.add_node(row["n"], kind=kind, label=row["label"], **({"date": row["date"]} if row["date"] else {}))
    for n, span in when(ix.of(store)).items():
        if n in G:
            G.nodes[n].update({k: v for k, v in zip(TIME, astuple(span)) if v is not None})
    for relation, pattern in RELATIONS.items():
        for row in sorted(store.select(f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}"), key=lambda r: (r["s"], r["o"])):
            if row["s"] in G and row["o"] in G:
                G.add_edge(row["s"], row["o"], key=relation, relation=relation)
    for u, v, data in G.edges(data=True):
        end = G.nodes[v] if G.nodes[v]["kind"] == "paper" else G.nodes[u]
        data.update({k: end[k] for k in TIME if k in end})
    return G


def _prefixed(iri: str) -> str:
    from ..vocab import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
