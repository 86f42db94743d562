"""The curation layer: edits made with ``kg sparql --update``, kept apart from what digests say.

Queries see every graph's facts (the consolidated default graph, :mod:`.consolidated`), so an
update acts on all of them too:

- what it inserts goes into one named graph, ``https://w3id.org/kg/id/graph/curation``, which
  ``kg build`` never replaces or drops;
- what it deletes is removed from every graph holding it (the default graph too), and recorded in the curation graph as
  a ``kg:Retraction`` (``rdf:subject``/``rdf:predicate``/``rdf:object`` name the triple). Each
  build removes the retracted triples from the digest graphs it writes, so a rebuild — or a new
  digest saying the same thing — does not bring them back. Inserting a retracted triple again
  withdraws its retraction.

An update is one operation (INSERT DATA, DELETE DATA, DELETE WHERE, DELETE/INSERT … WHERE). Its
templates are instantiated by CONSTRUCT queries over the union, then all its changes are applied
in one Oxigraph transaction.
"""

from __future__ import annotations

import hashlib

from ..errors import QueryError
from ..prefixes import PREFIXES, expand

GRAPH = expand("kgid:graph/curation")  # kg.keys would load rdflib, which readers never need
RDF = PREFIXES["rdf"]
RETRACTION = expand("kg:Retraction")
_RETRACTED = (f"GRAPH <{GRAPH}> {{ ?r a <{RETRACTION}> ; <{RDF}subject> ?s ; <{RDF}predicate> ?p ; "
              f"<{RDF}object> ?o }}")


def size(store) -> int:
    """Quads in the curation graph (0 when there is none)."""
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")[0]["n"])


def retracts(db) -> bool:
    """True if the pyoxigraph store ``db`` records any deletion."""
    return bool(db.query(f"ASK {{ {_RETRACTED} }}"))


def reapply(db) -> None:
    """Remove every retracted triple from the other graphs of ``db`` (after a build wrote them),
    and from the default graph what no graph holds any more."""
    db.update(f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {_RETRACTED} GRAPH ?g {{ ?s ?p ?o }} "
              f"FILTER(?g != <{GRAPH}>) }} ; "
              f"DELETE {{ ?s ?p ?o }} WHERE {{ {_RETRACTED} ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")


def edit(db, text: str) -> dict[str, int]:
    """Apply the update ``text`` to the union of ``db`` (checked by :func:`.sparql_text.check` first).

    Returns ``{"deleted": n, "added": n}``: triples that were there and are gone, and triples
    that were not there and are now. Raises QueryError for a malformed or refused update.
    """
    import pyoxigraph as ox

    from .consolidated import prune
    from .sparql_text import operation, refuse, tokens

    toks = tokens(text)
    refuse(toks)  # LOAD and the like, before Oxigraph runs anything
    try:
        ox.Store().update(text, prefixes=PREFIXES)  # Oxigraph's own syntax check, on an empty store
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
    op = operation(text, toks)
    removed = _construct(db, op.prologue, op.delete, op.where)
    added = _construct(db, op.prologue, op.insert, op.where)
    removed -= added  # DELETE then INSERT: what both name stays
    if any(isinstance(term, ox.BlankNode) for t in removed for term in t):
        raise QueryError("cannot delete triples with blank nodes (kg's own data has none)")
    graph, retraction = ox.NamedNode(GRAPH), ox.NamedNode(RETRACTION)
    drop, keep, unretract = [], [], []
    deleted = 0
    for t in removed:
        held = list(db.quads_for_pattern(t.subject, t.predicate, t.object, None))
        deleted += bool(held)
        drop += held
        r = _retraction_iri(t)
        keep += [ox.Quad(r, ox.NamedNode(RDF + "type"), retraction, graph), *_reified(r, t, graph)]
    new = 0
    for t in added:
        new += not any(True for _ in db.quads_for_pattern(t.subject, t.predicate, t.object, None))
        keep.append(ox.Quad(t.subject, t.predicate, t.object, graph))
        r = _retraction_iri(t)
        if ox.Quad(r, ox.NamedNode(RDF + "type"), retraction, graph) in db:
            unretract += [ox.Quad(r, ox.NamedNode(RDF + "type"), retraction, graph), *_reified(r, t, graph)]
    pruned = prune(str(q.triple) for q in unretract)  # the default graph's copy of what leaves the curation graph
    db.update(f"DELETE DATA {{ {_quads(drop + unretract)} }} ; INSERT DATA {{ {_quads(keep)} "
              f"{' '.join(f'{q.triple} .' for q in keep)} }}" + (f" ; {pruned}" if pruned else ""))  # one transaction
    db.flush()
    return {"deleted": deleted, "added": new}


def _construct(db, prologue: str, template: str | None, where: str | None) -> set:
    if not template:
        return set()
    return set(db.query(f"{prologue} CONSTRUCT {{ {template} }} WHERE {{ {where} }}", prefixes=PREFIXES,
                        use_default_graph_as_union=True))


def _retraction_iri(t):
    import pyoxigraph as ox

    return ox.NamedNode(expand(f"kgid:retraction/{hashlib.sha256(str(t).encode()).hexdigest()[:24]}"))


def _reified(r, t, graph) -> list:
    import pyoxigraph as ox

    return [ox.Quad(r, ox.NamedNode(RDF + name), term, graph)
            for name, term in (("subject", t.subject), ("predicate", t.predicate), ("object", t.object))]


def _quads(quads: list) -> str:
    """Quads as SPARQL DATA: N-Triples terms, each inside GRAPH (none for the default graph)."""
    import pyoxigraph as ox

    out = []
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        out.append(triple if isinstance(q.graph_name, ox.DefaultGraph) else f"GRAPH {q.graph_name} {{ {triple} }}")
    return " ".join(out)
