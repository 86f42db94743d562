"""The consolidated default graph: every fact once, beside the digest graphs that said it.

Each digest keeps its named graph (provenance: which digest said so, at which line). The store's
default graph holds the union of all named graphs, each triple once, and every write keeps it so:

- what is added to a named graph is added to the default graph in the same load or update;
- a triple leaves the default graph when the last named graph holding it drops it (a replaced
  digest, a revised entity decision, a curated deletion).

Queries then run on the default graph (a plain, indexed graph) instead of a union of every digest
graph that Oxigraph deduplicates on the fly, and ``GRAPH ?g`` still answers from the digest graphs.
Stores written before schema 3 have no consolidated graph: readers query their union, and the next
writer consolidates them (:func:`fill`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

SCHEMA = 3  # the first store schema with a consolidated default graph
FILL_BATCH = 200_000


def default_copy(nquads: str) -> str:
    """The default-graph copy of each line of N-Quads ``nquads`` (kg names every graph by IRI).

    A chunk kg writes holds one graph's lines, or few graphs': when the graphs of its first and
    last lines end every line, each is cut off by one ``str.replace`` (a line holds its graph
    last, before the only " .\n"); else line by line."""
    ends = {f" {line.rsplit(' ', 2)[1]} .\n" for line in (nquads[:nquads.find("\n")], nquads[nquads.rfind("\n", 0, -1) + 1:-1])
            if line.count(" ") >= 3}
    if nquads.endswith("\n") and sum(nquads.count(end) for end in ends) == nquads.count("\n"):
        for end in ends:
            nquads = nquads.replace(end, " .\n")
        return nquads
    return "".join(line.rsplit(" ", 2)[0] + " .\n" for line in nquads.splitlines() if line)


def prune(triples: Iterable[str]) -> str:
    """A SPARQL update taking out of the default graph those of ``triples`` (N-Triples terms,
    without the final dot) that no named graph holds; empty if there are none."""
    rows = " ".join(f"({t})" for t in dict.fromkeys(triples))
    if not rows:
        return ""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")


def drop_graphs(db: ox.Store, graphs: set[ox.NamedNode]) -> None:
    """Remove ``graphs`` from ``db`` (not in a transaction: for a database being rebuilt), and
    the default graph's triples no other graph holds.

    Dropping most graphs refills the default graph from the ones kept; dropping a few checks
    each of their triples for another holder.
    """
    if not graphs:
        return
    kept = [g for g in db.named_graphs() if g not in graphs]
    if len(kept) < len(graphs):
        for graph in graphs:
            db.remove_graph(graph)
        fill(db)
        return
    gone = []
    for graph in graphs:
        for q in db.quads_for_pattern(None, None, None, graph):
            if all(h.graph_name in graphs for h in db.quads_for_pattern(q.subject, q.predicate, q.object)
                   if isinstance(h.graph_name, ox.NamedNode)):
                gone.append(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
        db.remove_graph(graph)
    for q in gone:
        db.remove(q)


def fill(db: ox.Store) -> None:
    """Rebuild the default graph of ``db`` from its named graphs (not in a transaction)."""
    db.clear_graph(ox.DefaultGraph())
    for graph in db.named_graphs():
        quads = db.quads_for_pattern(None, None, None, graph)
        while batch := [q.triple for _, q in zip(range(FILL_BATCH), quads)]:
            db.bulk_load(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)


def named_holders(db: ox.Store, triple: ox.Triple) -> list:
    """The named graphs of ``db`` holding ``triple``."""
    return [q.graph_name for q in db.quads_for_pattern(triple.subject, triple.predicate, triple.object)
            if isinstance(q.graph_name, ox.NamedNode)]
