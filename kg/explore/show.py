"""Everything the store says about one node, with where each statement came from."""

from __future__ import annotations

from ..prefixes import PREFIXES
from .resolve import Node, resolve

# Reified detail shown in its own section rather than as opaque node IRIs.
HIDDEN = ("kg:authorship", "prov:qualifiedDerivation", "kg:mention", "kg:entity", "kg:author", "kg:candidate")
SEP = "\u001f"


def show(store, name: str | Node, *, kind: str | None = None, limit: int = 50) -> dict:
    """Facts about ``name`` with provenance.

    Returns ``{"node", "facts": [{predicate, value, lang?, iri?, digests}], "incoming": {total,
    items: [{predicate, iri, label, digests}]}, "sources": [{digest, section?, line?}],
    "mentions": [{paper, entity, label, role, extractor, evidence: [...]}]}``; ``digests`` are
    the digest files that state the fact. Incoming edges and mentions are cut at ``limit``.
    """
    import pyoxigraph as ox

    node = name if isinstance(name, Node) else resolve(store, name, kind=kind)
    x = str(ox.NamedNode(node.iri))
    hidden = " ".join(HIDDEN)
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
    incoming = [
        {"predicate": _curie(r["p"]), "iri": r["s"], "label": r["label"] or r["s"], "digests": sorted(r["digests"].split(SEP))}
        for r in store.select(
            f"SELECT ?s ?p (SAMPLE(?sl) AS ?label) (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests) WHERE {{"
            f" VALUES ?x {{ {x} }} GRAPH ?g {{ ?s ?p ?x }} ?g rdfs:label ?d . FILTER(?p NOT IN ({hidden.replace(' ', ', ')}))"
            f" OPTIONAL {{ ?s rdfs:label ?sl }} }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {int(limit)}"
        )
    ]
    total = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ VALUES ?x {{ {x} }} ?s ?p ?x ."
                         f" FILTER(?p NOT IN ({', '.join(HIDDEN)})) }} }}")[0]["n"]
    sources = [
        {k: (int(v) if k == "line" else v) for k, v in r.items() if v is not None}
        for r in store.select(
            f"SELECT ?digest ?section ?line WHERE {{ VALUES ?x {{ {x} }} ?x prov:qualifiedDerivation ?q ."
            " ?q prov:entity ?g ; kg:line ?line . ?g rdfs:label ?digest . OPTIONAL { ?q kg:section ?section } }"
            " ORDER BY ?digest ?line"
        )
    ]
    side = "?x kg:mention ?m . ?m kg:entity ?e" if node.kind == "paper" else "?paper kg:mention ?m . ?m kg:entity ?x"
    mentions = [
        {"paper": r["paper"], "entity": r["e"], "label": r["label"], "role": r["role"], "extractor": r["extractor"],
         "evidence": sorted(r["evidence"].split(SEP)) if r["evidence"] else []}
        for r in store.select(
            f"SELECT ?paper ?e ?role ?extractor (SAMPLE(?el) AS ?label) (GROUP_CONCAT(DISTINCT ?ev; SEPARATOR='{SEP}')"
            f" AS ?evidence) WHERE {{ VALUES ?x {{ {x} }} {side} ; kg:role ?role ; kg:extractor ?extractor ."
            " ?paper kg:mention ?m . ?m kg:entity ?e . OPTIONAL { ?m kg:evidence ?ev } OPTIONAL { ?e rdfs:label ?el } }"
            f" GROUP BY ?paper ?e ?role ?extractor ORDER BY ?paper ?e ?role LIMIT {int(limit)}"
        )
    ]
    return {"node": {"iri": node.iri, "kind": node.kind, "label": node.label}, "facts": facts,
            "incoming": {"total": int(total), "items": incoming}, "sources": sources, "mentions": mentions}


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
