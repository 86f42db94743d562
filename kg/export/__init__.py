"""Write the graph out: RDF formats from the store, GraphML/GEXF from the NetworkX projection,
and one JSON object per paper (``jsonl``)."""

from __future__ import annotations

import json
import re
from contextlib import suppress
from pathlib import Path

from .errors import KGError
from .parse.validate import ILLEGAL_XML  # what ingest drops; text can still arrive by SPARQL update

RDF_FORMATS = {"turtle": ("TURTLE", "ttl"), "nt": ("N_TRIPLES", "nt"), "nquads": ("N_QUADS", "nq"),
               "trig": ("TRIG", "trig"), "jsonld": ("JSON_LD", "jsonld"), "rdfxml": ("RDF_XML", "rdf")}
GRAPH_FORMATS = {"graphml": "graphml", "gexf": "gexf"}
FORMATS = [*RDF_FORMATS, *GRAPH_FORMATS, "jsonl"]
XML_NAME_END = re.compile(r"[^\W\d][\w.\-]*$")  # how Oxigraph cuts a predicate into namespace and local name


def default_file(fmt: str) -> Path:
    ext = RDF_FORMATS[fmt][1] if fmt in RDF_FORMATS else fmt
    return Path("exports") / f"kg.{ext}"


def export(store, fmt: str, out: str | Path | None = None) -> Path:
    """Export the store in ``fmt`` (one of ``FORMATS``) to ``out`` (default ``exports/kg.<ext>``).

    The file is written under a ``.part`` name and moved into place, so a failed export leaves
    neither a partial file nor the ``.part`` (the error is a KGError). Every format is valid
    whatever text the store holds: the XML formats (rdfxml, graphml, gexf) drop the characters
    XML 1.0 cannot carry (NUL and other C0 controls, U+FFFE, U+FFFF), which the others escape.
    """
    if fmt not in FORMATS:
        raise KGError(f"unknown export format {fmt!r}; choose from: {', '.join(FORMATS)}")
    path = Path(out) if out else default_file(fmt)
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt in RDF_FORMATS:
            _rdf(store, fmt, tmp)
        elif fmt in GRAPH_FORMATS:
            _graph(store, fmt, tmp)
        else:
            with tmp.open("w", encoding="utf-8") as fh:
                for record in paper_records(store):
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        tmp.replace(path)
    except BaseException as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, (OSError, ValueError, RuntimeError)):  # writing, or (RuntimeError) reading a damaged store
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else " ".join(str(exc).split())
            reason = re.sub(r" \(os error \d+\)$", "", reason)  # Rust's errno suffix
            raise KGError(f"could not write {path}: {reason}") from None
        raise
    return path


def _rdf(store, fmt: str, path: Path) -> None:
    import pyoxigraph as ox

    from .vocab import EXPORT_PREFIXES

    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[fmt][0])
    if fmt in ("nquads", "trig"):
        store.db.dump(str(path), format=rdf_format, prefixes=EXPORT_PREFIXES if fmt == "trig" else None)
        return
    prefixes = EXPORT_PREFIXES if fmt in ("turtle", "rdfxml", "jsonld") else None
    triples = store.triples()
    if fmt == "rdfxml":
        _check_predicates(store)
        triples = _xml_safe(triples)
    ox.serialize(triples, str(path), format=rdf_format, prefixes=prefixes)


def _check_predicates(store) -> None:
    """RDF/XML writes a predicate as an element name: its IRI must end in an XML name."""
    for row in store.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"):
        if not XML_NAME_END.search(row["p"]):
            raise KGError(f"RDF/XML cannot write the predicate <{row['p']}> (its IRI does not end in an XML name); "
                          "export turtle, nt or jsonld instead")


def _xml_safe(triples):
    import pyoxigraph as ox

    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and ILLEGAL_XML.search(o.value):
            text = ILLEGAL_XML.sub("", o.value)
            o = ox.Literal(text, language=o.language) if o.language else ox.Literal(text, datatype=o.datatype)
            t = ox.Triple(t.subject, t.predicate, o)
        yield t


def _graph(store, fmt: str, path: Path) -> None:
    import networkx as nx

    from .views.graph import load

    G = nx.DiGraph(load(store))  # GraphML/GEXF readers expect one edge per pair
    for _, _, data in G.edges(data=True):
        data.pop("key", None)
    for data in [d for _, d in G.nodes(data=True)] + [d for _, _, d in G.edges(data=True)]:
        for key, value in data.items():
            if isinstance(value, str) and ILLEGAL_XML.search(value):
                data[key] = ILLEGAL_XML.sub("", value)
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(G, str(path))


PAPER_QUERY = """
SELECT ?p (MIN(?id_) AS ?id) (MIN(?title_) AS ?title) (MIN(?zh) AS ?title_zh)
  (GROUP_CONCAT(DISTINCT ?src; separator="\\u001f") AS ?sources)
WHERE {
  ?p a schema:ScholarlyArticle ; fabio:hasArXivId ?id_ ; rdfs:label ?title_ ; prov:wasDerivedFrom/rdfs:label ?src .
  OPTIONAL { ?p dcterms:title ?zh FILTER(lang(?zh) = "zh") }
} GROUP BY ?p ORDER BY ?id
"""
MULTI = {
    "authors": "SELECT ?p ?v WHERE { ?p kg:authorship ?a . ?a kg:position ?pos ; kg:author/foaf:name ?v } ORDER BY ?p ?pos",
    "institutions": "SELECT DISTINCT ?p ?v WHERE { ?p kg:affiliation/rdfs:label ?v } ORDER BY ?p ?v",
    "categories": "SELECT DISTINCT ?p ?v WHERE { ?p dcterms:subject/skos:notation ?v } ORDER BY ?p ?v",
    "topics": "SELECT DISTINCT ?p ?v WHERE { ?p dcterms:subject ?t . ?t a kg:Topic ; skos:prefLabel ?v } ORDER BY ?p ?v",
    "code": "SELECT DISTINCT ?p ?v WHERE { ?p kg:code ?v } ORDER BY ?p ?v",
    "venue": "SELECT DISTINCT ?p ?v WHERE { ?p bibo:presentedAt/rdfs:label ?v } ORDER BY ?p ?v",
}
ENTITY_QUERY = """
SELECT ?p ?kind ?label ?role (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?aliases) WHERE {
  ?p kg:mention ?m . ?m kg:role ?role ; kg:entity ?e . ?e skos:prefLabel ?label .
  VALUES (?c ?kind) { (kg:Method "methods") (kg:Benchmark "benchmarks") } ?e a ?c .
  OPTIONAL { ?e skos:altLabel ?alt }
} GROUP BY ?p ?kind ?label ?role ORDER BY ?p ?kind ?label
"""


def paper_records(store):
    """One dict per paper with the ``jsonl`` keys, in arXiv-id order.

    A paper that digests title differently has several labels: its record takes the least one,
    as the read index does, so each paper is one line.
    """
    many: dict[str, dict[str, list]] = {}
    for key, query in MULTI.items():
        for row in store.select(query):
            values = many.setdefault(row["p"], {}).setdefault(key, [])
            if row["v"] not in values:
                values.append(row["v"])
    for row in store.select(ENTITY_QUERY):
        aliases = sorted(a for a in (row["aliases"] or "").split("\u001f") if a)
        many.setdefault(row["p"], {}).setdefault(row["kind"], []).append(
            {"name": row["label"], "aliases": aliases, "role": row["role"]})
    for row in store.select(PAPER_QUERY):
        got = many.get(row["p"], {})
        venues = got.get("venue", [])
        yield {
            "arxiv_id": row["id"],
            "title": row["title"],
            "title_zh": row["title_zh"],
            "authors": got.get("authors", []),
            "institutions": got.get("institutions", []),
            "categories": got.get("categories", []),
            "topics": got.get("topics", []),
            "venue": venues[0] if venues else None,
            "code": got.get("code", []),
            "methods": got.get("methods", []),
            "benchmarks": got.get("benchmarks", []),
            "sources": sorted(set(row["sources"].split("\u001f"))),
        }
