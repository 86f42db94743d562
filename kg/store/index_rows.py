"""Which quads give which rows of the read index: the one derivation both ways of filling it use.

A full rebuild feeds :class:`Rows` the relevant quads of the store, graph by graph; ``kg build``
feeds it the N-Quads it writes (:meth:`Rows.feed_text`, made where the digest is read and handed
on by a :class:`Delta` digest by digest), so the index is brought forward from the records being
stored without reading the store again. Rows are keyed by IRI; :mod:`.index` numbers them.
pyoxigraph is imported only when quads are read, so readers of the index can import the codes.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from ..prefixes import expand
from ..relations import KINDS
from .entities import GRAPH as ENTITIES

TYPE, DIGEST, DATE = expand("rdf:type"), expand("kg:Digest"), expand("dcterms:date")
CANDIDATE, ENTITY = expand("kg:candidate"), expand("kg:entity")
AUTHORSHIP, AUTHOR, POSITION = expand("kg:authorship"), expand("kg:author"), expand("kg:position")
ARXIV, ISSUED, LABEL = expand("fabio:hasArXivId"), expand("dcterms:issued"), expand("rdfs:label")
XSD_STRING = expand("xsd:string")
CLASSES = {expand(cls): kind for cls, kind in KINDS.items()}
NAMES = {expand(curie): tier for curie, tier in {
    "rdfs:label": "label", "skos:prefLabel": "label", "foaf:name": "label", "skos:notation": "label",
    "skos:altLabel": "alias"}.items()}
TEXTS = {expand("dcterms:title"): 2, expand("dcterms:abstract"): 1}  # BM25 weight: titles count twice
# stored relations as small integers; the last four are derived (kg/store/index.py)
REL = {name: i for i, name in enumerate((
    "authored", "creator", "affiliated_with", "proposes_method", "uses_method", "proposes_benchmark",
    "evaluated_on", "subject", "primary_category", "presented_at", "has_code", "unit_of",
    "method", "benchmark", "in_category", "in_topic"), 1)}
EDGES = {expand(curie): REL[rel] for rel, curie in {
    "creator": "dcterms:creator", "affiliated_with": "kg:affiliation", "proposes_method": "kg:proposesMethod",
    "uses_method": "kg:usesMethod", "proposes_benchmark": "kg:proposesBenchmark", "evaluated_on": "kg:evaluatesOn",
    "subject": "dcterms:subject", "primary_category": "kg:primaryCategory", "presented_at": "bibo:presentedAt",
    "has_code": "kg:code", "unit_of": "org:unitOf"}.items()}
PREDICATES = {TYPE, DATE, CANDIDATE, ENTITY, AUTHORSHIP, AUTHOR, POSITION, ARXIV, ISSUED, *NAMES, *TEXTS, *EDGES}
_WANTED = {f"<{p}>" for p in PREDICATES - {TYPE}}  # as N-Quads terms, to skip other lines unparsed
_TYPE, _TYPED = f"<{TYPE}>", {f"<{c}>" for c in (*CLASSES, DIGEST)}
# the predicates whose quads join two IRIs: read from the line's terms, not parsed
_EDGE_TERMS = {f"<{p}>": rel for p, rel in EDGES.items()}
_AUTHORSHIP, _AUTHOR, _CANDIDATE, _ENTITY = (f"<{p}>" for p in (AUTHORSHIP, AUTHOR, CANDIDATE, ENTITY))
_IRI_ONLY = {_TYPE, *_EDGE_TERMS, _AUTHORSHIP, _AUTHOR, _CANDIDATE, _ENTITY}


class Rows:
    """Index rows gathered from the digest graphs' quads (each quad once per graph holding it)."""

    def __init__(self) -> None:
        self.types: list[tuple] = []
        self.seen: list[tuple] = []  # (node, graph): the digest graph types the node
        self.candidates: list[tuple] = []  # (candidate, graph)
        self.named: list[tuple] = []  # (candidate, entity), from the entities graph
        self.names: list[tuple] = []
        self.labels: list[tuple] = []
        self.dates: list[tuple] = []
        self.edges: list[tuple] = []
        self.texts: list[tuple] = []
        self._digest: dict[str, dict[str, list]] = defaultdict(lambda: {"typed": [], "name": [], "date": []})
        self._ships: list[tuple] = []  # (paper, authorship node)
        self._authors: dict = defaultdict(list)
        self._positions: dict = defaultdict(list)
        self._joined: tuple[list, list] | None = None  # (authored, digests) once settled

    def feed(self, quads: Iterable) -> Rows:
        """Add the rows these pyoxigraph quads give."""
        import pyoxigraph as ox

        from .tokens import HAN, tokens

        for q in quads:
            s, p, o, g = q.subject, q.predicate.value, q.object, q.graph_name
            if not isinstance(g, ox.NamedNode):
                continue  # the consolidated default graph repeats what the digest graphs say
            graph = g.value
            iri = isinstance(s, ox.NamedNode)
            if p == TYPE:
                if o.value == DIGEST and s.value == graph:
                    self._digest[graph]["typed"].append(True)
                elif iri and o.value in CLASSES:
                    self.types.append((s.value, CLASSES[o.value]))
                    self.seen.append((s.value, graph))
            elif p in NAMES:
                if iri and isinstance(o, ox.Literal):
                    exact = o.language in ("en", "zh") or (o.language is None and o.datatype.value == XSD_STRING)
                    self.names.append((s.value, NAMES[p], o.value, int(exact), o.value.lower()))
                    if p == LABEL:
                        self.labels.append((s.value, o.value))
                        if s.value == graph:
                            self._digest[graph]["name"].append(o.value)
            elif p in EDGES:
                if iri and isinstance(o, ox.NamedNode):
                    self.edges.append((s.value, EDGES[p], o.value, 0))
            elif p in TEXTS:
                if iri:
                    text = o.value
                    # FTS5's unicode61 tokenizer cuts and lower-cases other text as search.tokens() does;
                    # Chinese needs its bigrams made here
                    body = " ".join(tokens(text)) if HAN.search(text) else text
                    self.texts.append((s.value, TEXTS[p], TEXTS[p] * len(text.lower()), body))
            elif p == AUTHORSHIP:
                if iri:
                    self._ships.append((s.value, str(o)))
            elif p == AUTHOR:
                if isinstance(o, ox.NamedNode):
                    self._authors[str(s)].append(o.value)
            elif p == POSITION:
                self._positions[str(s)].append(int(o.value))
            elif p == ISSUED:
                if iri:
                    self.dates.append((s.value, o.value))
            elif p == ARXIV:
                if iri and isinstance(o, ox.Literal) and o.datatype.value == XSD_STRING:
                    self.names.append((s.value, "arxiv", o.value, 1, o.value.lower()))
            elif p == CANDIDATE:
                self.candidates.append((o.value, graph))
            elif p == ENTITY:
                if graph == ENTITIES:
                    self.named.append((s.value, o.value))
            elif p == DATE and s.value == graph:
                self._digest[graph]["date"].append(o.value)
        return self

    def feed_text(self, chunk: str) -> Rows:
        """Add the rows of an N-Quads chunk as kg writes it (one quad per line), parsing only the
        lines that give rows, and only those with a literal: a quad between IRIs is read from its terms."""
        seen: set[str] = set()  # a store holds a quad once, however often a digest says it
        literal = []
        for line in chunk.splitlines():
            parts = line.split(" ", 3)
            if len(parts) < 3 or not (parts[1] in _WANTED or (parts[1] == _TYPE and parts[2] in _TYPED)) or line in seen:
                continue
            seen.add(line)
            graph, _, end = parts[3].partition(" ") if len(parts) == 4 else ("", "", "")
            if (parts[1] in _IRI_ONLY and parts[0][:1] == parts[2][:1] == graph[:1] == "<" and end == "."
                    and "\\" not in line):
                self._between_iris(parts[0], parts[1], parts[2], graph)
            else:
                literal.append(line)
        if literal:
            import pyoxigraph as ox

            self.feed(ox.parse("\n".join(literal), format=ox.RdfFormat.N_QUADS))
        return self

    def _between_iris(self, s: str, p: str, o: str, g: str) -> None:
        """:meth:`feed` for one quad whose subject, object and graph are IRIs (N-Quads terms, no escapes)."""
        subject, obj, graph = s[1:-1], o[1:-1], g[1:-1]
        if p == _TYPE:
            if obj == DIGEST and subject == graph:
                self._digest[graph]["typed"].append(True)
            elif obj in CLASSES:
                self.types.append((subject, CLASSES[obj]))
                self.seen.append((subject, graph))
        elif p in _EDGE_TERMS:
            self.edges.append((subject, _EDGE_TERMS[p], obj, 0))
        elif p == _AUTHORSHIP:
            self._ships.append((subject, o))
        elif p == _AUTHOR:
            self._authors[s].append(obj)
        elif p == _CANDIDATE:
            self.candidates.append((obj, graph))
        elif p == _ENTITY and graph == ENTITIES:
            self.named.append((subject, obj))

    def settle(self) -> Rows:
        """Join the rows that come in parts (authorships, digests) and drop the parts: settled
        rows pickle, so another process can make them. Nothing more is fed after."""
        self._joined = list(self.authored()), list(self.digests())
        self._digest = self._ships = self._authors = self._positions = None
        return self

    def authored(self) -> Iterator[tuple]:
        """Paper → author edges, with the author's position (0 if none): the join of the authorship quads."""
        if self._joined is not None:
            yield from self._joined[0]
            return
        for paper, ship in self._ships:
            for author in self._authors.get(ship, ()):
                for pos in self._positions.get(ship) or (0,):
                    yield paper, REL["authored"], author, pos

    def digests(self) -> Iterator[tuple]:
        """(graph, name, date) for every graph describing itself as a kg:Digest with a label."""
        if self._joined is not None:
            yield from self._joined[1]
            return
        for graph, d in self._digest.items():
            if d["typed"]:
                for name in d["name"]:
                    for date in d["date"] or (None,):
                        yield graph, name, date


def store_quads(db, graph) -> Iterator:
    """Every quad of ``graph`` in the pyoxigraph store ``db`` that gives an index row (read through indexes)."""
    import pyoxigraph as ox

    type_ = ox.NamedNode(TYPE)
    for cls in (*CLASSES, DIGEST):
        yield from db.quads_for_pattern(None, type_, ox.NamedNode(cls), graph)
    for p in sorted(PREDICATES - {TYPE, ENTITY}):
        yield from db.quads_for_pattern(None, ox.NamedNode(p), None, graph)
    if graph.value == ENTITIES:
        yield from db.quads_for_pattern(None, ox.NamedNode(ENTITY), None, graph)


def graph_lines(db, graph: str, batch: int = 100_000) -> Iterator[str]:
    """One graph of the pyoxigraph store ``db`` as N-Quads lines, serialized ``batch`` quads at a time."""
    import pyoxigraph as ox

    quads = db.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    while chunk := list(itertools.islice(quads, batch)):
        yield from ox.serialize(chunk, format=ox.RdfFormat.N_QUADS).decode().splitlines()


def node_quads(db, iri: str) -> Iterator:
    """The quads of ``db`` about one node (as subject), with those of its authorship nodes."""
    import pyoxigraph as ox

    for q in db.quads_for_pattern(ox.NamedNode(iri), None, None, None):
        yield q
        if q.predicate.value == AUTHORSHIP:
            yield from db.quads_for_pattern(q.object, None, None, None)


class Delta:
    """What one build changes in the index: the rows of the quads it writes, handed to ``sink`` a
    digest at a time (so they are never all held), and the quads it takes out.

    ``complete``: the store was empty before, so these rows are the whole index. ``wanted``:
    False when the index is rebuilt after the build whatever the rows say (they need not be made).
    """

    def __init__(self, sink, *, complete: bool, wanted: bool = True) -> None:
        self.sink, self.removed, self.complete, self.wanted = sink, [], complete, wanted

    def feed_text(self, chunk: str) -> None:
        """Hand on the rows of one digest's N-Quads text (see :meth:`Rows.feed_text`)."""
        self.feed(Rows().feed_text(chunk))

    def feed(self, rows: Rows) -> None:
        """Hand on rows made from N-Quads this build writes."""
        self.sink(rows)

    def replace_graph(self, old: Callable[[], Iterable[str]], new: Iterable[str]) -> str:
        """Record a graph rewritten from the N-Quads lines ``old()`` gives (called twice) to the
        chunks of N-Quads text ``new`` (see :meth:`change`). Lines are compared by a 128-bit
        digest, so neither version is held whole; only the lines that differ are parsed."""
        had = {_digest(line) for line in old()}
        have, came = set(), []
        for chunk in new:
            for line in chunk.splitlines():
                if line:
                    have.add(key := _digest(line))
                    if key not in had:
                        came.append(line)
        del had
        return self.change((line for line in old() if _digest(line) not in have), came)

    def change(self, gone: Iterable[str], came: Iterable[str]) -> str:
        """Record that a graph loses the N-Quads lines ``gone`` and gains ``came``: the quads it
        gains give rows, the ones it loses are taken out. Returns the quads gained as N-Quads
        text: what the store must add."""
        import pyoxigraph as ox

        lost = set(ox.parse("\n".join(gone), format=ox.RdfFormat.N_QUADS))
        added = set(ox.parse("\n".join(came), format=ox.RdfFormat.N_QUADS))
        self.sink(Rows().feed(added - lost))
        self.removed += lost - added
        return ox.serialize(added - lost, format=ox.RdfFormat.N_QUADS).decode()


def _digest(line: str) -> bytes:
    return hashlib.blake2b(line.encode(), digest_size=16).digest()
