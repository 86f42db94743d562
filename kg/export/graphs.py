"""GraphML and GEXF of the graph, streamed from the SQLite read index.

The graph is :func:`kg.views.graph.load`'s (typed nodes with their place on the time axis,
relation-named edges) with one edge per node pair, as GraphML/GEXF readers expect: where a pair
has several relations, the last in ``RELATIONS`` order names it. Nodes and edges are written as
SQL yields them, with their time spans looked up a chunk at a time, so memory stays flat however
big the graph (the NetworkX graph it replaces weighed more than 1 GB at 100k papers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from xml.sax.saxutils import XMLGenerator

from ..explore.timeline import When, when
from ..parse.validate import ILLEGAL_XML
from ..relations import RELATIONS
from ..store import index as ix

TIME = tuple(When.__dataclass_fields__)
NODE_KEYS = ("kind", "label", "date", *TIME)
EDGE_KEYS = ("relation", *TIME)
CHUNK = 5000  # nodes whose time spans are read in one query
NODES = "SELECT iri, kind, label, date FROM nodes WHERE kind IS NOT NULL AND label IS NOT NULL ORDER BY iri"
DRAWN = "{0}.kind IS NOT NULL AND {0}.label IS NOT NULL"


def _edges_sql() -> str:
    """One row per drawn node pair (u, v, relation rank, the node whose time the edge takes), by that node.

    ``authored`` is stored paper → author and drawn author → paper; an edge is timed by its paper
    end, or by its source where neither end is a paper (a unit's ``unit_of``).
    """
    authored = ix.REL["authored"]
    rank = " ".join(f"WHEN {ix.REL[r]} THEN {i}" for i, r in enumerate(RELATIONS))
    return (
        "SELECT u.iri, v.iri, x.rank, CASE WHEN v.kind = 'paper' THEN v.iri ELSE u.iri END AS timed FROM"
        f" (SELECT CASE WHEN rel = {authored} THEN dst ELSE src END AS u, CASE WHEN rel = {authored} THEN src ELSE dst END AS v,"
        f" MAX(CASE rel {rank} END) AS rank FROM edges WHERE rel IN ({', '.join(str(ix.REL[r]) for r in RELATIONS)})"
        f" GROUP BY u, v) x JOIN nodes u ON u.id = x.u JOIN nodes v ON v.id = x.v"
        f" WHERE {DRAWN.format('u')} AND {DRAWN.format('v')} ORDER BY timed, u.iri, v.iri")


def _clean(data: dict) -> dict:
    return {k: ILLEGAL_XML.sub("", v) for k, v in data.items() if v is not None}


def _spans(index, iris: list[str]) -> dict[str, dict]:
    return {iri: dict(zip(TIME, astuple(span))) for iri, span in when(index, iris).items()}


def nodes(index) -> Iterator[tuple[str, dict]]:
    """(IRI, attributes) of every drawn node, in IRI order."""
    rows = index.sql.execute(NODES)
    while chunk := rows.fetchmany(CHUNK):
        spans = _spans(index, [row[0] for row in chunk])
        for iri, kind, label, day in chunk:
            yield iri, _clean({"kind": kind, "label": label, "date": day, **spans.get(iri, {})})


def edges(index) -> Iterator[tuple[str, str, dict]]:
    """(source, target, attributes) of every drawn node pair, grouped by the node timing them."""
    names = list(RELATIONS)
    rows = index.sql.execute(_edges_sql())
    pending: list[tuple] = []

    def flush():
        spans = _spans(index, sorted({row[3] for row in pending}))
        for u, v, rank, timed in pending:
            yield u, v, _clean({"relation": names[rank], **spans.get(timed, {})})
        pending.clear()

    for row in rows:
        if pending and row[3] != pending[-1][3] and len(pending) >= CHUNK:
            yield from flush()
        pending.append(row)
    yield from flush()


def write_graphml(store, fh) -> None:
    """The graph as GraphML (every attribute a string) to the text file ``fh``."""
    index = ix.of(store)
    keys = {("node", k): f"d{i}" for i, k in enumerate(NODE_KEYS)}
    keys |= {("edge", k): f"d{i}" for i, k in enumerate(EDGE_KEYS, len(NODE_KEYS))}
    xml = _start(fh, "graphml", {
        "xmlns": "http://graphml.graphdrawing.org/xmlns", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"})
    for (cls, name), key in keys.items():
        _element(xml, "key", {"id": key, "for": cls, "attr.name": name, "attr.type": "string"})
    xml.startElement("graph", {"edgedefault": "directed"})

    def entry(what: str, attrs: dict, data: dict) -> None:
        xml.startElement(what, attrs)
        for name, value in data.items():
            _element(xml, "data", {"key": keys[what, name]}, value)
        _end(xml, what)

    for iri, data in nodes(index):
        entry("node", {"id": iri}, data)
    for u, v, data in edges(index):
        entry("edge", {"source": u, "target": v}, data)
    _end(xml, "graph")
    _end(xml, "graphml")
    xml.endDocument()


def write_gexf(store, fh) -> None:
    """The graph as GEXF 1.2 (node labels as labels, other attributes strings) to the text file ``fh``."""
    index = ix.of(store)
    ids = {("node", k): str(i) for i, k in enumerate(k for k in NODE_KEYS if k != "label")}
    ids |= {("edge", k): str(i) for i, k in enumerate(EDGE_KEYS, len(ids))}
    xml = _start(fh, "gexf", {
        "xmlns": "http://www.gexf.net/1.2draft", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd", "version": "1.2"})
    xml.startElement("meta", {})
    _element(xml, "creator", {}, "kg")
    _end(xml, "meta")
    xml.startElement("graph", {"defaultedgetype": "directed", "mode": "static", "name": ""})
    for cls in ("node", "edge"):
        xml.startElement("attributes", {"mode": "static", "class": cls})
        for name in NODE_KEYS if cls == "node" else EDGE_KEYS:
            if (cls, name) in ids:
                _element(xml, "attribute", {"id": ids[cls, name], "title": name, "type": "string"})
        _end(xml, "attributes")

    def entry(what: str, attrs: dict, data: dict) -> None:
        xml.startElement(what, attrs)
        if data:
            xml.startElement("attvalues", {})
            for name, value in data.items():
                _element(xml, "attvalue", {"for": ids[what, name], "value": value})
            _end(xml, "attvalues")
        _end(xml, what)

    xml.startElement("nodes", {})
    for iri, data in nodes(index):
        entry("node", {"id": iri, "label": data.pop("label")}, data)
    _end(xml, "nodes")
    xml.startElement("edges", {})
    for n, (u, v, data) in enumerate(edges(index)):
        entry("edge", {"source": u, "target": v, "id": str(n)}, data)
    _end(xml, "edges")
    _end(xml, "graph")
    _end(xml, "gexf")
    xml.endDocument()


def _start(fh, root: str, attrs: dict) -> XMLGenerator:
    xml = XMLGenerator(fh, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement(root, attrs)
    xml.ignorableWhitespace("\n")
    return xml


def _element(xml: XMLGenerator, name: str, attrs: dict, text: str | None = None) -> None:
    xml.startElement(name, attrs)
    if text is not None:
        xml.characters(text)
    _end(xml, name)


def _end(xml: XMLGenerator, name: str) -> None:
    xml.endElement(name)
    xml.ignorableWhitespace("\n")
