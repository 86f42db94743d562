"""Write the graph out, streamed in one pass: RDF formats by Oxigraph's own serializers, GraphML
and GEXF from the read index (:mod:`.graphs`), one JSON object per paper (``jsonl``, :mod:`.records`)."""

from __future__ import annotations

import json
import re
from contextlib import suppress
from pathlib import Path

from ..errors import KGError
from ..parse.validate import ILLEGAL_XML  # what ingest drops; text can still arrive by SPARQL update
from .graphs import write_gexf, write_graphml
from .records import paper_records

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
        else:
            with tmp.open("w", encoding="utf-8", newline="\n") as fh:
                if fmt == "jsonl":
                    for record in paper_records(store):
                        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    (write_graphml if fmt == "graphml" else write_gexf)(store, fh)
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

    from ..vocab import EXPORT_PREFIXES

    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[fmt][0])
    prefixes = EXPORT_PREFIXES if fmt in ("turtle", "trig", "rdfxml", "jsonld") else None
    if fmt in ("nquads", "trig"):  # the digest graphs, with their provenance
        ox.serialize(_digest_quads(store.db), str(path), format=rdf_format, prefixes=prefixes)
    elif fmt != "rdfxml" and store.consolidated:
        store.db.dump(str(path), format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    else:
        triples = _triples(store)
        ox.serialize(_xml_safe(triples) if fmt == "rdfxml" else triples, str(path), format=rdf_format,
                     prefixes=prefixes)  # a write error is the file's


def _triples(store):
    """Every distinct triple of the digests: the consolidated default graph (or, in a store written
    before it, the union of the digest graphs, deduplicated by Oxigraph)."""
    import pyoxigraph as ox

    if not store.consolidated:
        return store.triples()
    return (q.triple for q in store.db.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _digest_quads(db):
    """The quads of every named graph, graph by graph in IRI order (not the consolidated default graph)."""
    for graph in sorted(db.named_graphs(), key=lambda g: g.value):
        yield from db.quads_for_pattern(None, None, None, graph)


def _xml_safe(triples):
    """``triples`` as RDF/XML can write them: predicates checked, XML-illegal characters dropped."""
    import pyoxigraph as ox

    predicates: set = set()
    for t in triples:
        if t.predicate not in predicates:
            if not XML_NAME_END.search(t.predicate.value):  # RDF/XML writes a predicate as an element name
                raise KGError(f"RDF/XML cannot write the predicate <{t.predicate.value}> (its IRI does not end in an "
                              "XML name); export turtle, nt or jsonld instead")
            predicates.add(t.predicate)
        o = t.object
        if isinstance(o, ox.Literal) and ILLEGAL_XML.search(o.value):
            text = ILLEGAL_XML.sub("", o.value)
            o = ox.Literal(text, language=o.language) if o.language else ox.Literal(text, datatype=o.datatype)
            t = ox.Triple(t.subject, t.predicate, o)
        yield t
