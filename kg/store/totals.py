"""The counts ``kg stats`` shows, kept in the read index and checked against the store by ``kg check``.

``{"nodes": {kind: n}, "edges": {relation: n}, "sources": {digest name: papers}, "triples": n}``:
:func:`of_index` counts them in the index's tables each time the index is written, so reading
them costs one row; :func:`of_store` counts the same with SPARQL over the store (seconds at
100k papers), which is what they must equal.
"""

from __future__ import annotations

import sqlite3

from ..relations import KINDS, RELATIONS
from .index_rows import REL


def of_index(sql: sqlite3.Connection, triples: int) -> dict:
    """The totals of the index in ``sql``; ``triples``: the store's distinct triple count."""
    nodes = {kind: 0 for kind in KINDS.values()}
    nodes.update(sql.execute("SELECT kind, COUNT(*) FROM types GROUP BY kind"))
    per_rel = dict(sql.execute("SELECT rel, COUNT(*) FROM (SELECT DISTINCT rel, src, dst FROM edges) GROUP BY rel"))
    sources = dict(sql.execute(
        "SELECT d.name, COUNT(DISTINCT s.node) FROM seen s JOIN digests d ON d.id = s.digest"
        " JOIN types t ON t.node = s.node AND t.kind = 'paper' GROUP BY d.name"))
    return {"nodes": nodes, "edges": {r: per_rel.get(REL[r], 0) for r in RELATIONS}, "sources": sources,
            "triples": triples}


def of_store(store) -> dict:
    """The same totals counted with SPARQL over the open ``store``."""
    nodes = {kind: 0 for kind in KINDS.values()}
    values = " ".join(f"({cls} \"{kind}\")" for cls, kind in KINDS.items())
    for row in store.select(f"SELECT ?kind (COUNT(DISTINCT ?n) AS ?c) WHERE {{ VALUES (?cls ?kind) {{ {values} }} ?n a ?cls"
                            " FILTER(isIRI(?n)) } GROUP BY ?kind"):
        nodes[row["kind"]] = int(row["c"])
    edges = {}
    for relation, pattern in RELATIONS.items():
        edges[relation] = int(store.select(f"SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ {pattern} }} }}")[0]["c"])
    sources = {
        row["name"]: int(row["c"])
        for row in store.select("SELECT ?name (COUNT(DISTINCT ?p) AS ?c) WHERE { GRAPH ?g { ?g a kg:Digest ; rdfs:label ?name . "
                                "?p a schema:ScholarlyArticle } } GROUP BY ?name")
    }
    return {"nodes": nodes, "edges": edges, "sources": sources, "triples": store.triple_count()}
