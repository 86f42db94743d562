"""The counts ``kg stats`` shows, kept in the read index and checked against the store by ``kg check``.

``{"nodes": {kind: n}, "edges": {relation: n}, "sources": {digest name: papers}, "triples": n}``:
:func:`count` counts them in the index's tables when the index is made; from then on triggers
(:data:`TRIGGERS`) keep them in its ``counts`` table as rows come and go, so a build that brings
the index forward never recounts, and reading them costs one row (``meta.totals``, rewritten from
``counts`` by each write). :func:`of_store` counts the same with SPARQL over the store (seconds at
100k papers), which is what they must equal.
"""

from __future__ import annotations

import sqlite3

from ..relations import KINDS, RELATIONS
from .index_rows import REL


def count(sql: sqlite3.Connection) -> None:
    """Fill the index's ``counts`` table from its tables (then :data:`TRIGGERS` keep it)."""
    sql.execute("DELETE FROM counts")
    sql.execute("INSERT INTO counts SELECT 'nodes.' || kind, COUNT(*) FROM types GROUP BY kind")
    sql.execute("INSERT INTO counts SELECT 'edges.' || rel, COUNT(*) FROM (SELECT DISTINCT rel, src, dst FROM edges)"
                " GROUP BY rel")
    sql.execute("INSERT INTO counts SELECT 'sources.' || d.name, COUNT(DISTINCT s.node) FROM seen s JOIN digests d"
                " ON d.id = s.digest JOIN types t ON t.node = s.node AND t.kind = 'paper' GROUP BY d.name")


def kept(sql: sqlite3.Connection, triples: int) -> dict:
    """The totals as the index's ``counts`` table keeps them; ``triples``: the store's distinct triple count."""
    have = dict(sql.execute("SELECT key, n FROM counts"))
    sources = sorted((k.partition(".")[2], n) for k, n in have.items() if k.startswith("sources.") and n)
    return {"nodes": {kind: have.get(f"nodes.{kind}", 0) for kind in KINDS.values()},
            "edges": {r: have.get(f"edges.{REL[r]}", 0) for r in RELATIONS}, "sources": dict(sources),
            "triples": triples}


_PLUS = " ON CONFLICT(key) DO UPDATE SET n = n + excluded.n"
_NAME = "(SELECT name FROM digests WHERE id = {0}.digest)"
_SAME_NAME = ("EXISTS (SELECT 1 FROM seen o JOIN digests d ON d.id = o.digest WHERE o.node = {0}.node"
              " AND o.digest != {0}.digest AND d.name = " + _NAME + ")")
_PAPER = "EXISTS (SELECT 1 FROM types WHERE node = {0}.node AND kind = 'paper')"
# Each keeps one total right as rows come and go: nodes per kind (types), distinct (rel, src, dst)
# per relation (edges, whatever their positions), distinct papers per digest name (seen × paper type).
TRIGGERS = f"""
CREATE TRIGGER types_in AFTER INSERT ON types BEGIN
  INSERT INTO counts VALUES ('nodes.' || new.kind, 1){_PLUS};
  INSERT INTO counts SELECT DISTINCT 'sources.' || d.name, 1 FROM seen s JOIN digests d ON d.id = s.digest
    WHERE new.kind = 'paper' AND s.node = new.node{_PLUS};
END;
CREATE TRIGGER types_out AFTER DELETE ON types BEGIN
  INSERT INTO counts VALUES ('nodes.' || old.kind, -1){_PLUS};
  INSERT INTO counts SELECT DISTINCT 'sources.' || d.name, -1 FROM seen s JOIN digests d ON d.id = s.digest
    WHERE old.kind = 'paper' AND s.node = old.node{_PLUS};
END;
CREATE TRIGGER edges_in AFTER INSERT ON edges WHEN NOT EXISTS (SELECT 1 FROM edges WHERE src = new.src
    AND rel = new.rel AND dst = new.dst AND pos != new.pos) BEGIN
  INSERT INTO counts VALUES ('edges.' || new.rel, 1){_PLUS};
END;
CREATE TRIGGER edges_out AFTER DELETE ON edges WHEN NOT EXISTS (SELECT 1 FROM edges WHERE src = old.src
    AND rel = old.rel AND dst = old.dst) BEGIN
  INSERT INTO counts VALUES ('edges.' || old.rel, -1){_PLUS};
END;
CREATE TRIGGER seen_in AFTER INSERT ON seen WHEN {_PAPER.format("new")} AND NOT {_SAME_NAME.format("new")} BEGIN
  INSERT INTO counts SELECT 'sources.' || {_NAME.format("new")}, 1 WHERE true{_PLUS};
END;
CREATE TRIGGER seen_out AFTER DELETE ON seen WHEN {_PAPER.format("old")} AND NOT {_SAME_NAME.format("old")} BEGIN
  INSERT INTO counts SELECT 'sources.' || {_NAME.format("old")}, -1 WHERE true{_PLUS};
END;
"""


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
