"""Everything the store says about one node, with where each statement came from."""

from __future__ import annotations

from ..prefixes import PREFIXES
from ..store import index as ix
from ..store.index_rows import EDGES
from .resolve import Node, resolve

# Reified detail shown in its own section rather than as opaque node IRIs.
HIDDEN = ("kg:authorship", "prov:qualifiedDerivation", "kg:mention", "kg:entity", "kg:author", "kg:candidate")
SEP = "\u001f"
# IRI-valued predicates kg writes besides the read index's relations (kg/store/index_rows.py EDGES)
OTHER_INCOMING = ("dblp:coAuthorWith", "codemeta:referencePublication", "schema:codeRepository", "schema:parentOrganization",
                  "skos:inScheme", "kg:projectPage", "prov:wasDerivedFrom")
WALK_SPAN = 4  # a walk in IRI order covers this many times the nodes expected to hold the subjects it wants


def show(store, name: str | Node, *, kind: str | None = None, limit: int = 50) -> dict:
    """Facts about ``name`` with provenance.

    Returns ``{"node", "facts": [{predicate, value, lang?, iri?, digests}], "incoming": {total,
    items: [{predicate, iri, label, digests}]}, "sources": [{digest, section?, line?}],
    "mentions": [{paper, entity, label, role, extractor, evidence: [...]}]}``; ``digests`` are
    the digest files that state the fact. Incoming edges and mentions are cut at ``limit``: the
    incoming ones first by predicate and subject IRI; a paper's mentions by entity, an entity's in
    the order the store finds them (sorting a hub's thousands costs seconds), then shown sorted.
    """
    import pyoxigraph as ox

    node = name if isinstance(name, Node) else resolve(store, name, kind=kind)
    x = str(ox.NamedNode(node.iri))
    facts = []
    for row in store.select(
        f"SELECT ?p ?o (SAMPLE(?ol) AS ?label) (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests) WHERE {{"
        f" VALUES ?x {{ {x} }} GRAPH ?g {{ ?x ?p ?o }} ?g rdfs:label ?d . FILTER(?p NOT IN ({', '.join(HIDDEN)}))"
        " OPTIONAL { ?o rdfs:label ?ol } } GROUP BY ?p ?o ORDER BY ?p ?o"
    ):
        is_iri = row["o"].startswith(("http://", "https://"))
        fact = {"predicate": _curie(row["p"]), "value": row["label"] or (_curie(row["o"]) if is_iri else row["o"])}
        if is_iri:
            fact["iri"] = row["o"]
        facts.append(fact | {"digests": sorted(row["digests"].split(SEP))})
    _languages(store, x, facts)
    incoming, total = _incoming(store, node.iri, limit)
    sources = [
        {k: (int(v) if k == "line" else v) for k, v in r.items() if v is not None}
        for r in store.select(
            f"SELECT ?digest ?section ?line WHERE {{ VALUES ?x {{ {x} }} ?x prov:qualifiedDerivation ?q ."
            " ?q prov:entity ?g ; kg:line ?line . ?g rdfs:label ?digest . OPTIONAL { ?q kg:section ?section } }"
            " ORDER BY ?digest ?line"
        )
    ]
    side = "?x kg:mention ?m . ?m kg:entity ?e" if node.kind == "paper" else "?paper kg:mention ?m . ?m kg:entity ?x"
    # a paper has few mentions, shown in order; an entity's are the first found (no sort of a hub's thousands)
    order = "ORDER BY ?paper ?e ?role ?extractor" if node.kind == "paper" else ""
    with store.reading():
        groups = [tuple(row) for row in store.query(
            f"SELECT DISTINCT ?paper ?e ?role ?extractor WHERE {{ VALUES ?x {{ {x} }} {side} ; kg:role ?role ;"
            f" kg:extractor ?extractor . ?paper kg:mention ?m . ?m kg:entity ?e }} {order} LIMIT {int(limit)}")]
    mentions = []
    for paper, e, role, extractor in groups:
        [r] = store.select(
            f"SELECT (SAMPLE(?el) AS ?label) (GROUP_CONCAT(DISTINCT ?ev; SEPARATOR='{SEP}') AS ?evidence) WHERE {{"
            f" {paper} kg:mention ?m . ?m kg:entity {e} ; kg:role {role} ; kg:extractor {extractor} ."
            f" OPTIONAL {{ ?m kg:evidence ?ev }} OPTIONAL {{ {e} rdfs:label ?el }} }}")
        mentions.append({"paper": paper.value, "entity": e.value, "label": r["label"], "role": role.value,
                         "extractor": extractor.value, "evidence": sorted(r["evidence"].split(SEP)) if r["evidence"] else []})
    mentions.sort(key=lambda m: (m["paper"], m["entity"], m["role"], m["extractor"]))
    return {"node": {"iri": node.iri, "kind": node.kind, "label": node.label}, "facts": facts,
            "incoming": {"total": total, "items": incoming}, "sources": sources, "mentions": mentions}


def _incoming(store, iri: str, limit: int) -> tuple[list[dict], int]:
    """The first ``limit`` (subject, predicate) pairs pointing at ``iri``, ordered by predicate and
    subject IRI, with labels and digests; and how many there are.

    The pairs are those of the read index's relations (picked and counted in SQLite) and of
    :data:`OTHER_INCOMING` (SPARQL with the predicate bound); then SPARQL is asked about the shown
    pairs only, one at a time, so a hub's thousands of edges are never joined to labels and digests.
    """
    import pyoxigraph as ox

    found, total = _indexed_incoming(ix.of(store), iri, limit)
    x = str(ox.NamedNode(iri))
    other = [(r["p"], r["s"]) for r in store.select(
        f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {' '.join(OTHER_INCOMING)} }} ?s ?p {x} . FILTER(isIRI(?s)) }}")]
    pairs = sorted(found + other)
    items = []
    for p, s in pairs[:limit]:
        subject = ox.NamedNode(s)
        rows = store.select(f"SELECT (SAMPLE(?sl) AS ?label) (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests)"
                            f" WHERE {{ GRAPH ?g {{ {subject} {ox.NamedNode(p)} {x} }} ?g rdfs:label ?d ."
                            f" OPTIONAL {{ {subject} rdfs:label ?sl }} }}")
        items.append({"predicate": _curie(p), "iri": s, "label": rows[0]["label"] or s,
                      "digests": sorted(rows[0]["digests"].split(SEP)) if rows[0]["digests"] else []})
    return items, total + len(other)


def _indexed_incoming(index, iri: str, limit: int) -> tuple[list[tuple[str, str]], int]:
    """The first ``limit`` (predicate, subject) IRI pairs of the read index's relations pointing at
    ``iri``, by predicate then subject; and how many there are (edges_in(dst, rel, src) counts them
    from the index alone)."""
    [(node, nodes)] = index.rows("SELECT (SELECT id FROM nodes WHERE iri = ?), (SELECT MAX(id) FROM nodes)", iri)
    counts = dict(index.rows(f"SELECT rel, COUNT(DISTINCT src) FROM edges WHERE dst = ? AND rel IN"
                             f" ({', '.join(str(r) for r in EDGES.values())}) GROUP BY rel", node))
    found: list[tuple[str, str]] = []
    for predicate, rel in sorted(EDGES.items()):
        if counts.get(rel) and len(found) < limit:
            found += [(predicate, s) for s in _first_subjects(index, node, rel, limit - len(found), counts[rel], nodes)]
    return found, sum(counts.values())


def _first_subjects(index, node: int, rel: int, need: int, count: int, nodes: int) -> list[str]:
    """The first ``need`` IRIs, in order, of the ``count`` nodes with a ``rel`` edge to ``node``.

    Walking the ``nodes`` in IRI order, each looked up in the node's edges, finds them sooner than
    sorting all ``count`` where they are many (a hub's thousands); a walk that falls short is dropped."""
    walk = int(WALK_SPAN * need * nodes / count)
    if walk < count:
        found = _walked(index, node, rel, need, walk)
        if len(found) == min(need, count):
            return found
    return [s for (s,) in index.rows("SELECT DISTINCT n.iri FROM edges e JOIN nodes n ON n.id = e.src"
                                     " WHERE e.dst = ? AND e.rel = ? ORDER BY 1 LIMIT ?", node, rel, need)]


def _walked(index, node: int, rel: int, need: int, walk: int) -> list[str]:
    """Of the first ``walk`` nodes by IRI, the first ``need`` with a ``rel`` edge to ``node``."""
    return [s for (s,) in index.rows("SELECT iri FROM (SELECT id, iri FROM nodes ORDER BY iri LIMIT ?) n WHERE EXISTS"
                                     " (SELECT 1 FROM edges e WHERE e.dst = ? AND e.rel = ? AND e.src = n.id) LIMIT ?",
                                     walk, node, rel, need)]


def _languages(store, x: str, facts: list[dict]) -> None:
    """Add ``lang`` to facts whose literal has a language tag (select() drops tags)."""
    for row in store.query(f"SELECT DISTINCT ?p ?o WHERE {{ VALUES ?x {{ {x} }} ?x ?p ?o . FILTER(LANG(?o) != '') }}"):
        key, lang = (_curie(row[0].value), row[1].value), row[1].language
        for fact in facts:
            if "iri" not in fact and (fact["predicate"], fact["value"]) == key:
                fact["lang"] = lang


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri
