"""One JSON object per paper (``kg export --format jsonl``), streamed from the store.

Papers are read a chunk at a time in arXiv-id order: a handful of SPARQL queries, each starting
from the chunk's papers (``VALUES``, so Oxigraph looks them up by index), without property paths,
``ORDER BY`` or ``GROUP BY`` over the store — what made one query per field take 123 s at 10k
papers and more than 9 GB at 100k. Memory holds one chunk, however many papers the store has.
"""

from __future__ import annotations

KEYS = ("arxiv_id", "title", "title_zh", "authors", "institutions", "categories", "topics", "venue", "code",
        "methods", "benchmarks", "sources")
CHUNK = 1000  # papers per round of queries
PAPERS = "SELECT DISTINCT ?p ?n ?v WHERE { ?p a schema:ScholarlyArticle ; fabio:hasArXivId ?v }"
# what each paper ?p has, as ?v (and ?n: an author's position, a mention's role), over the union of the graphs
FIELDS = {
    "title": "?p rdfs:label ?v",
    "title_zh": '?p dcterms:title ?v FILTER(lang(?v) = "zh")',
    "authors": "?p kg:authorship ?x . ?x kg:position ?n ; kg:author ?a . ?a foaf:name ?v",
    "institutions": "?p kg:affiliation ?x . ?x rdfs:label ?v",
    "categories": "?p dcterms:subject ?x . ?x skos:notation ?v",
    "topics": "?p dcterms:subject ?x . ?x a kg:Topic ; skos:prefLabel ?v",
    "venue": "?p bibo:presentedAt ?x . ?x rdfs:label ?v",
    "code": "?p kg:code ?v",
    "mentions": "?p kg:mention ?x . ?x kg:role ?n ; kg:entity ?v",
    "sources": "?p prov:wasDerivedFrom ?x . ?x rdfs:label ?v",
}
# what each mentioned entity ?p is: its kind ?n with its preferred labels, and its other names
ENTITY_FIELDS = {
    "labels": "?p a ?n ; skos:prefLabel ?v FILTER(?n IN (kg:Method, kg:Benchmark))",
    "aliases": "?p skos:altLabel ?v",
}
KINDS = {"https://w3id.org/kg/ontology#Method": "methods", "https://w3id.org/kg/ontology#Benchmark": "benchmarks"}


def paper_records(store):
    """One dict per paper with the ``jsonl`` keys (``KEYS``), in arXiv-id order.

    A paper is a ``schema:ScholarlyArticle`` with an arXiv id (the least, if several), a label and
    a digest it was derived from. A paper that digests title differently has several labels: its
    record takes the least one, as the read index does, so each paper is one line. Lists are
    distinct and sorted, but authors are in position order, and methods/benchmarks have one
    ``{"name", "aliases", "role"}`` per entity label and role, by label.
    """
    ids: dict[str, str] = {}
    for p, _, arxiv_id in _rows(store, PAPERS):
        ids[p] = min(ids.get(p, arxiv_id.value), arxiv_id.value)
    papers = sorted((arxiv_id, p) for p, arxiv_id in ids.items())
    del ids
    for start in range(0, len(papers), CHUNK):
        chunk = papers[start:start + CHUNK]
        got = _fields(store, FIELDS, [p for _, p in chunk])
        mentioned = sorted({e.value for facts in got.values() for _, e in facts["mentions"]})
        entities = _fields(store, ENTITY_FIELDS, mentioned)
        for arxiv_id, p in chunk:
            record = _record(got[p], entities)
            if record is not None:
                yield {"arxiv_id": arxiv_id, **record}


def _rows(store, query: str):
    """(?p, ?n, ?v) of each solution: ?p's IRI, ?n and ?v as terms (?n may be None)."""
    with store.reading():
        for row in store.query(query):
            yield row["p"].value, row["n"], row["v"]


def _fields(store, fields: dict[str, str], nodes: list[str]) -> dict[str, dict[str, list]]:
    """For each of ``nodes``: each field's (?n, ?v) pairs, distinct."""
    out = {node: {key: [] for key in fields} for node in nodes}
    if not nodes:
        return out
    values = "VALUES ?p { " + " ".join(f"<{node}>" for node in nodes) + " } "
    for key, pattern in fields.items():
        for p, n, v in _rows(store, f"SELECT DISTINCT ?p ?n ?v WHERE {{ {values}{pattern} }}"):
            out[p][key].append((n, v))
    return out


def _record(got: dict, entities: dict) -> dict | None:
    titles, sources = _values(got["title"]), _values(got["sources"])
    if not titles or not sources:
        return None
    return {
        "title": titles[0],
        "title_zh": min(_values(got["title_zh"]), default=None),
        "authors": list(dict.fromkeys(v for _, v in sorted((_number(n.value), v.value) for n, v in got["authors"]))),
        "institutions": _values(got["institutions"]),
        "categories": _values(got["categories"]),
        "topics": _values(got["topics"]),
        "venue": min(_values(got["venue"]), default=None),
        "code": _values(got["code"]),
        **_entities(got["mentions"], entities),
        "sources": sources,
    }


def _entities(mentions: list, entities: dict) -> dict[str, list[dict]]:
    """``methods`` and ``benchmarks``: one item per entity label and mention role, by label.

    Entities that share a label and role share the item, with their aliases pooled.
    """
    groups: dict[tuple[str, str, str], set] = {}
    for role, e in mentions:
        facts = entities[e.value]
        for kind, label in facts["labels"]:
            aliases = groups.setdefault((KINDS[kind.value], label.value, role.value), set())
            aliases.update(alias for _, alias in facts["aliases"])
    out: dict[str, list[dict]] = {"methods": [], "benchmarks": []}
    for (kind, label, role), aliases in sorted(groups.items(), key=lambda item: item[0]):
        out[kind].append({"name": label, "aliases": sorted(a.value for a in aliases if a.value), "role": role})
    return out


def _values(pairs: list) -> list[str]:
    """The distinct values of the ?v terms, in SPARQL's order (IRIs before literals, then by text)."""
    import pyoxigraph as ox

    terms = sorted({v for _, v in pairs}, key=lambda v: (isinstance(v, ox.Literal), v.value))
    return list(dict.fromkeys(v.value for v in terms))


def _number(text: str) -> tuple:
    """Sort key of a position: numbers by value, anything else after them."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)
