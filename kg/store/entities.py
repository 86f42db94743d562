"""The entities graph: node-level facts about methods and benchmarks, derived from every digest.

Digest graphs hold what each entry says about a name (``kg:Candidate``: spellings, long forms,
cues, role, evidence). The entities graph, ``https://w3id.org/kg/id/graph/entities``, holds what
is decided from all of them together: each kept entity's type, preferred label and aliases, the
papers' ``kg:proposesMethod``/``kg:usesMethod``/``kg:proposesBenchmark``/``kg:evaluatesOn``
edges, and which candidates are ``kg:Mention``\\ s of which entity. ``kg build`` replaces it at
the end of every build that changes a digest, so it is a function of the set of digests alone:
any build order or batching gives the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..prefixes import expand

if TYPE_CHECKING:  # readers of the index import GRAPH (through index_rows) and never build records
    from ..model import Candidate, Entity

GRAPH = expand("kgid:graph/entities")  # kg.keys would load rdflib, which readers never need
LABEL = "entities graph (decided from every digest)"
_PAPER = "https://arxiv.org/abs/"
_MULTI = {"spelling": "spellings", "longForm": "long_forms", "cue": "cues"}
CHUNK = 200_000  # lines of N-Quads per chunk of the entities graph


def stored_candidates(db, *, exclude: set[str] = frozenset()) -> list[tuple[str, Candidate]]:
    """Every candidate in the digest graphs of the pyoxigraph store ``db`` (except those of the
    ``exclude`` graphs), as (candidate IRI, Candidate), sorted by IRI; evidence is not read."""
    from ..model import Candidate

    base: dict[str, dict] = {}
    query = (f"SELECT ?g ?p ?c ?key ?name ?role WHERE {{ GRAPH ?g {{ ?p <{expand('kg:candidate')}> ?c ."
             f" ?c <{expand('kg:candidateKey')}> ?key ; <{expand('kg:writtenAs')}> ?name ; <{expand('kg:role')}> ?role }} }}")
    for row in db.query(query):
        if row["g"].value in exclude:
            continue
        c = row["c"].value
        fields = base.setdefault(c, {"arxiv_id": row["p"].value.removeprefix(_PAPER), "key": row["key"].value,
                                     "name": row["name"].value, "role": row["role"].value})
        if row["role"].value == "proposed":
            fields["role"] = "proposed"
    multi: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for local, field in _MULTI.items():
        for row in db.query(f"SELECT ?g ?c ?v WHERE {{ GRAPH ?g {{ ?c <{expand('kg:' + local)}> ?v }} }}"):
            if row["g"].value not in exclude:
                multi[row["c"].value][field].add(row["v"].value)
    return [(c, Candidate(**fields, **{f: tuple(sorted(multi[c][f])) for f in _MULTI.values()}))
            for c, fields in sorted(base.items())]


def nquads(mentions: Sequence[str], cands: Sequence[Candidate], entities: Sequence[Entity | None],
           extractor: str, *, lines: int = CHUNK) -> Iterator[str]:
    """The entities graph as N-Quads, chunk by chunk (about ``lines`` lines each), from candidates
    (by IRI, sorted) and the entity each one names.

    The same decisions always give the same text: mentions in IRI order, then each paper's
    edges in the order of their first mention, then the entities by kind and key.
    """
    from .quads import KG, RDF, RDFS, ROLE_EDGE, SDO, SKOS, _node, iri, lit  # rdflib: only writers need it

    g = f" <{GRAPH}> .\n"
    # labelled, so that `kg show` names it as the source of the facts decided here
    out = [f"<{GRAPH}> {KG.extractor} {lit(extractor)}{g}", f"<{GRAPH}> {RDFS.label} {lit(LABEL)}{g}"]
    roles: dict[tuple[str, Entity], str] = {}
    last = None
    for m, c, e in zip(mentions, cands, entities):
        if e is None:
            continue
        node, paper, mention = _node(e.kind, e.key), iri(_PAPER + c.arxiv_id), iri(m)
        if roles.get((paper, e)) != "proposed":
            roles[(paper, e)] = c.role
        if (m, e) == last:
            continue  # a mention IRI twice (two names of one key in an entry) is one mention
        if last is None or m != last[0]:
            out += (f"{paper} {KG.mention} {mention}{g}", f"{mention} {RDF.type} {KG.Mention}{g}")
        out.append(f"{mention} {KG.entity} {node}{g}")
        last = (m, e)
        if len(out) >= lines:
            yield "".join(out)
            out = []
    for (paper, e), role in roles.items():
        out.append(f"{paper} {ROLE_EDGE[(e.kind, role)]} {_node(e.kind, e.key)}{g}")
        if len(out) >= lines:
            yield "".join(out)
            out = []
    for e in sorted({e for e in entities if e is not None}, key=lambda e: (e.kind, e.key)):
        node = _node(e.kind, e.key)
        classes = (KG.Method, SDO.DefinedTerm, SKOS.Concept) if e.kind == "method" else (KG.Benchmark, SDO.Dataset)
        out += (f"{node} {RDF.type} {cls}{g}" for cls in classes)
        out += (f"{node} {SKOS.prefLabel} {lit(e.label)}{g}", f"{node} {RDFS.label} {lit(e.label)}{g}")
        out += (f"{node} {SKOS.altLabel} {lit(a)}{g}" for a in dict.fromkeys(e.aliases) if a != e.label)
    yield "".join(out)


def stored_extractor(db) -> str | None:
    """The extractor the stored entities graph was derived with, or None if there is none."""
    import pyoxigraph as ox

    for q in db.quads_for_pattern(ox.NamedNode(GRAPH), ox.NamedNode(expand("kg:extractor")), None, ox.NamedNode(GRAPH)):
        return q.object.value
    return None
