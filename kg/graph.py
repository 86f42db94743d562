"""The NetworkX projection of the store: typed nodes, relation-labelled edges.

Node ids are IRIs; each node has ``kind`` (paper, author, institution, method, benchmark,
category, topic, venue, code) and ``label``. Papers also carry ``date``. Edges are directed as
stored (paper → method, author → paper, …) with a ``relation`` name.
"""

from __future__ import annotations

KINDS = {
    "schema:ScholarlyArticle": "paper", "schema:Person": "author", "schema:Organization": "institution",
    "kg:Method": "method", "kg:Benchmark": "benchmark", "kg:Category": "category", "kg:Topic": "topic",
    "bibo:Conference": "venue", "schema:SoftwareSourceCode": "code",
}
RELATIONS = {
    "authored": "?o kg:authorship/kg:author ?s",
    "affiliated_with": "?s kg:affiliation ?o",
    "proposes_method": "?s kg:proposesMethod ?o",
    "uses_method": "?s kg:usesMethod ?o",
    "proposes_benchmark": "?s kg:proposesBenchmark ?o",
    "evaluated_on": "?s kg:evaluatesOn ?o",
    "in_category": "?s dcterms:subject ?o . ?o a kg:Category",
    "in_topic": "?s dcterms:subject ?o . ?o a kg:Topic",
    "presented_at": "?s bibo:presentedAt ?o",
    "has_code": "?s kg:code ?o",
    "unit_of": "?s org:unitOf ?o",
}


def load(store):
    """Build a ``networkx.MultiDiGraph`` of the whole store."""
    import networkx as nx

    G = nx.MultiDiGraph()
    values = " ".join(KINDS)
    for row in store.select(
        f"SELECT ?n ?c (SAMPLE(?l) AS ?label) (MAX(?d) AS ?date) WHERE {{ VALUES ?c {{ {values} }} ?n a ?c ; rdfs:label ?l . "
        "OPTIONAL { ?n dcterms:issued ?d } } GROUP BY ?n ?c"
    ):
        kind = KINDS[_prefixed(row["c"])]
        G.add_node(row["n"], kind=kind, label=row["label"], **({"date": row["date"]} if row["date"] else {}))
    for relation, pattern in RELATIONS.items():
        for row in store.select(f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}"):
            if row["s"] in G and row["o"] in G:
                G.add_edge(row["s"], row["o"], key=relation, relation=relation)
    return G


def _prefixed(iri: str) -> str:
    from .vocab import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
