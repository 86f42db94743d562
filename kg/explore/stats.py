"""Counts over the store: nodes per type, edges per relation, papers per digest."""

from __future__ import annotations

from ..relations import KINDS, RELATIONS


def stats(store) -> dict:
    """``{"nodes": {kind: n}, "edges": {relation: n}, "sources": {digest: n}, "triples": n}``."""
    nodes = {kind: 0 for kind in KINDS.values()}
    values = " ".join(f"({cls} \"{kind}\")" for cls, kind in KINDS.items())
    for row in store.select(f"SELECT ?kind (COUNT(DISTINCT ?n) AS ?c) WHERE {{ VALUES (?cls ?kind) {{ {values} }} ?n a ?cls }} GROUP BY ?kind"):
        nodes[row["kind"]] = int(row["c"])
    edges = {}
    for relation, pattern in RELATIONS.items():
        edges[relation] = int(store.select(f"SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ {pattern} }} }}")[0]["c"])
    sources = {
        row["name"]: int(row["c"])
        for row in store.select("SELECT ?name (COUNT(DISTINCT ?p) AS ?c) WHERE { GRAPH ?g { ?g rdfs:label ?name . "
                                "?p a schema:ScholarlyArticle } } GROUP BY ?name")
    }
    return {"nodes": nodes, "edges": edges, "sources": sources, "triples": store.triple_count()}
