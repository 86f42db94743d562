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
SORT_MAX = 1000  # more values of one predicate than this are picked as found, not sorted
WALK_SPAN = 4  # a walk in IRI order covers this many times the nodes expected to hold the subjects it wants


def show(store, name: str | Node, *, kind: str | None = None, limit: int = 50, index=None) -> dict:
    """Facts about ``name`` with provenance.

    Returns ``{"node", "facts": [{predicate, value, lang?, iri?, digests}], "facts_total",
    "incoming": {total, items: [{predicate, iri, label, digests}]}, "sources": [{digest, section?,
    line?}], "mentions": [{paper, entity, label, role, extractor, evidence: [...]}]}``; ``digests``
    are the digest files that state the fact. A predicate with more than ``limit`` values (a
    prolific author's co-authors) shows ``limit`` of them; ``facts_total`` counts them all.
    Incoming edges and mentions are cut at ``limit``: the incoming ones by predicate and subject
    IRI; a paper's mentions by entity, an entity's in the order the store finds them (sorting a
    hub's thousands costs seconds), then shown sorted. Where more than :data:`SORT_MAX` values or
    subjects share a predicate, those shown are likewise the first the store finds, then sorted.
    ``index``: the store's read index, if the caller has it open.
    """
    import pyoxigraph as ox

    store.open_ahead()
    index = index or ix.of(store)
    node = name if isinstance(name, Node) else resolve(index, name, kind=kind)
    indexed = _indexed_incoming(index, node.iri, limit)  # while the database opens
    x = str(ox.NamedNode(node.iri))
    facts, facts_total = _facts(store, x, limit)
    incoming, total = _incoming(store, node.iri, indexed, limit)
    sources = [
        {k: (int(v) if k == "line" else v) for k, v in r.items() if v is not None}
        for r in store.select(
            f"SELECT ?digest ?section ?line WHERE {{ {x} prov:qualifiedDerivation ?q ."
            " ?q prov:entity ?g ; kg:line ?line . ?g rdfs:label ?digest . OPTIONAL { ?q kg:section ?section } }"
            " ORDER BY ?digest ?line"
        )
    ]
    return {"node": {"iri": node.iri, "kind": node.kind, "label": node.label}, "facts": facts,
            "facts_total": facts_total, "incoming": {"total": total, "items": incoming}, "sources": sources,
            "mentions": _mentions(store, x, node.kind, limit)}


def _facts(store, x: str, limit: int) -> tuple[list[dict], int]:
    """The node's statements by predicate and value, each with its digests, at most ``limit``
    values of a predicate; and how many there are.

    Counted in the default graph first, so only the values shown are joined to their graphs."""
    distinct = "" if store.consolidated else "DISTINCT "  # the default graph holds each statement once
    counts = {r["p"]: int(r["n"]) for r in store.select(
        f"SELECT ?p (COUNT({distinct}?o) AS ?n) WHERE {{ {x} ?p ?o ."
        f" FILTER(?p NOT IN ({', '.join(HIDDEN)})) }} GROUP BY ?p")}
    whole = [f"<{p}>" for p, n in sorted(counts.items()) if n <= limit]
    cut = [(f"<{p}>", str(o)) for p, n in sorted(counts.items()) if n > limit
           for o in _first_values(store, f"{x} <{p}> ?v", n, limit)]
    shapes = ([f"VALUES ?p {{ {' '.join(whole)} }}"] if whole else []) + \
             ([f"VALUES (?p ?o) {{ {' '.join(f'({p} {o})' for p, o in cut)} }}"] if cut else [])
    facts = []
    for values in shapes:
        for row in store.select(
            f"SELECT ?p ?o (SAMPLE(?ol) AS ?label) (SAMPLE(LANG(?o)) AS ?lang) (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests) WHERE {{"
            f" {values} GRAPH ?g {{ {x} ?p ?o }} ?g rdfs:label ?d . OPTIONAL {{ ?o rdfs:label ?ol }} }}"
            " GROUP BY ?p ?o ORDER BY ?p ?o"
        ):
            is_iri = row["o"].startswith(("http://", "https://"))
            fact = {"predicate": _curie(row["p"]), "value": row["label"] or (_curie(row["o"]) if is_iri else row["o"]),
                    "_p": row["p"]}
            if is_iri:
                fact["iri"] = row["o"]
            elif row["lang"]:
                fact["lang"] = row["lang"]
            facts.append(fact | {"digests": sorted(row["digests"].split(SEP))})
    facts.sort(key=lambda f: f.pop("_p"))  # stable: each predicate's values stay in SPARQL's order
    return facts, sum(counts.values())


def _first_values(store, pattern: str, count: int, limit: int) -> list:
    """The first ``limit`` distinct ``?v`` of ``pattern`` (``count`` of them), as pyoxigraph terms:
    by their sorted N-Triples form where there are at most :data:`SORT_MAX`, else the first the
    store finds, sorted (Oxigraph orders 17,000 IRIs in 1.6 s)."""
    if count <= SORT_MAX:
        rows = store.query(f"SELECT DISTINCT ?v WHERE {{ {pattern} }}")
    else:
        rows = store.query(f"SELECT DISTINCT ?v WHERE {{ {pattern} }} LIMIT {int(limit)}")
    with store.reading():
        return sorted((row[0] for row in rows), key=str)[:limit]


def _mentions(store, x: str, kind: str, limit: int) -> list[dict]:
    """The node's mentions (a paper's, or an entity's), at most ``limit``, with their evidence."""
    side = f"{x} kg:mention ?m . ?m kg:entity ?e" if kind == "paper" else f"?paper kg:mention ?m . ?m kg:entity {x}"
    # a paper has few mentions, shown in order; an entity's are the first found (no sort of a hub's thousands)
    order = "ORDER BY ?paper ?e ?role ?extractor" if kind == "paper" else ""
    with store.reading():
        groups = [tuple(str(t) for t in row) for row in store.query(
            f"SELECT DISTINCT ?paper ?e ?role ?extractor WHERE {{ {side} ; kg:role ?role ;"
            f" kg:extractor ?extractor . ?paper kg:mention ?m . ?m kg:entity ?e }} {order} LIMIT {int(limit)}")]
    if not groups:
        return []
    rows = " ".join("(" + " ".join(group) + ")" for group in groups)
    mentions = [{"paper": r["paper"], "entity": r["e"], "label": r["label"], "role": r["role"], "extractor": r["extractor"],
                 "evidence": sorted(r["evidence"].split(SEP)) if r["evidence"] else []}
                for r in store.select(
                    f"SELECT ?paper ?e ?role ?extractor (SAMPLE(?el) AS ?label) (GROUP_CONCAT(DISTINCT ?ev; SEPARATOR='{SEP}')"
                    f" AS ?evidence) WHERE {{ VALUES (?paper ?e ?role ?extractor) {{ {rows} }}"
                    " ?paper kg:mention ?m . ?m kg:entity ?e ; kg:role ?role ; kg:extractor ?extractor ."
                    " OPTIONAL { ?m kg:evidence ?ev } OPTIONAL { ?e rdfs:label ?el } } GROUP BY ?paper ?e ?role ?extractor")]
    return sorted(mentions, key=lambda m: (m["paper"], m["entity"], m["role"], m["extractor"]))


def _incoming(store, iri: str, indexed: tuple[list[tuple[str, str]], int], limit: int) -> tuple[list[dict], int]:
    """The first ``limit`` (subject, predicate) pairs pointing at ``iri``, ordered by predicate and
    subject IRI, with labels and digests; and how many there are.

    The pairs are those of the read index's relations (``indexed``, from :func:`_indexed_incoming`)
    and of :data:`OTHER_INCOMING` (counted by SPARQL in the default graph, then picked as
    :func:`_first_values` does); one more query joins the shown pairs to their labels and digests,
    so a hub's thousands of edges never are.
    """
    import pyoxigraph as ox

    found, total = indexed
    x = str(ox.NamedNode(iri))
    distinct = "" if store.consolidated else "DISTINCT "
    counts = {r["p"]: int(r["n"]) for r in store.select(
        f"SELECT ?p (COUNT({distinct}?s) AS ?n) WHERE {{ VALUES ?p {{ {' '.join(OTHER_INCOMING)} }} ?s ?p {x} }} GROUP BY ?p")}
    other = [(p, s.value) for p, n in counts.items()
             for s in _first_values(store, f"?v <{p}> {x} . FILTER(isIRI(?v))", n, limit)]
    pairs = sorted(found + other)[:limit]
    if not pairs:
        return [], total + sum(counts.values())
    shown = {(r["s"], r["p"]): r for r in store.select(
        f"SELECT ?s ?p (SAMPLE(?sl) AS ?label) (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests) WHERE {{"
        f" VALUES (?s ?p) {{ {' '.join(f'(<{s}> <{p}>)' for p, s in pairs)} }} GRAPH ?g {{ ?s ?p {x} }} ?g rdfs:label ?d ."
        " OPTIONAL { ?s rdfs:label ?sl } } GROUP BY ?s ?p")}
    items = []
    for p, s in pairs:
        row = shown.get((s, p), {})
        items.append({"predicate": _curie(p), "iri": s, "label": row.get("label") or s,
                      "digests": sorted(row["digests"].split(SEP)) if row.get("digests") else []})
    return items, total + sum(counts.values())


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


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri
