"""The entities graph: node-level facts about methods and benchmarks, derived from every digest.

Digest graphs hold what each entry says about a name (``kg:Candidate``: spellings, long forms,
cues, role, evidence). The entities graph, ``https://w3id.org/kg/id/graph/entities``, holds what
is decided from all of them together: each kept entity's type, preferred label and aliases, the
papers' ``kg:proposesMethod``/``kg:usesMethod``/``kg:proposesBenchmark``/``kg:evaluatesOn``
edges, and which candidates are ``kg:Mention``\\ s of which entity. ``kg build`` decides it again
at the end of every build that changes a digest, as if from every candidate, so it is a function
of the set of digests alone: any build order or batching gives the same graph. A build that only
adds digests decides again only what its candidates can change (:mod:`kg.extract.revision`) and
writes just the lines that changed (:func:`changes`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..prefixes import expand

if TYPE_CHECKING:  # readers of the index import GRAPH (through index_rows) and never build records
    from ..model import Candidate, Entity

GRAPH = expand("kgid:graph/entities")  # kg.keys would load rdflib, which readers never need
LABEL = "entities graph (decided from every digest)"
_PAPER = "https://arxiv.org/abs/"
_MULTI = {"spelling": "spellings", "longForm": "long_forms", "cue": "cues"}
CHUNK = 200_000  # lines of N-Quads per chunk of the entities graph


def stored_candidates(db) -> list[tuple[str, str, Candidate]]:
    """Every candidate in the digest graphs of the pyoxigraph store ``db``, as (candidate IRI,
    digest graph, Candidate), sorted by IRI; evidence is not read."""
    from ..model import Candidate

    base: dict[str, dict] = {}
    graphs: dict[str, str] = {}
    query = (f"SELECT ?g ?p ?c ?key ?name ?role WHERE {{ GRAPH ?g {{ ?p <{expand('kg:candidate')}> ?c ."
             f" ?c <{expand('kg:candidateKey')}> ?key ; <{expand('kg:writtenAs')}> ?name ; <{expand('kg:role')}> ?role }} }}")
    for row in db.query(query):
        c = row["c"].value
        graphs[c] = row["g"].value
        fields = base.setdefault(c, {"arxiv_id": row["p"].value.removeprefix(_PAPER), "key": row["key"].value,
                                     "name": row["name"].value, "role": row["role"].value})
        if row["role"].value == "proposed":
            fields["role"] = "proposed"
    multi: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for local, field in _MULTI.items():
        for row in db.query(f"SELECT ?c ?v WHERE {{ GRAPH ?g {{ ?c <{expand('kg:' + local)}> ?v }} }}"):
            multi[row["c"].value][field].add(row["v"].value)
    return [(c, graphs[c], Candidate(**fields, **{f: tuple(sorted(multi[c][f])) for f in _MULTI.values()}))
            for c, fields in sorted(base.items())]


def nquads(mentions: Sequence[str], cands: Sequence[Candidate], entities: Sequence[Entity | None],
           extractor: str, *, lines: int = CHUNK) -> Iterator[str]:
    """The entities graph as N-Quads, chunk by chunk (about ``lines`` lines each), from candidates
    (by IRI, sorted) and the entity each one names.

    The same decisions always give the same text: mentions in IRI order, then each paper's
    edges in the order of their first mention, then the entities by kind and key.
    """
    from .quads import KG, RDFS, lit  # rdflib: only writers need it

    # labelled, so that `kg show` names it as the source of the facts decided here
    out = [f"<{GRAPH}> {KG.extractor} {lit(extractor)}{_IN}", f"<{GRAPH}> {RDFS.label} {lit(LABEL)}{_IN}"]
    for line in itertools.chain(_mention_lines(mentions, cands, entities), _edge_lines(cands, entities),
                                _entity_lines({e for e in entities if e is not None})):
        out.append(line)
        if len(out) >= lines:
            yield "".join(out)
            out = []
    if out:  # none left when the lines filled the last chunk exactly
        yield "".join(out)


def changes(mentions: Sequence[str], cands: Sequence[Candidate], old: Sequence[Entity | None],
            new: Sequence[Entity | None]) -> tuple[list[str], list[str]]:
    """The N-Quads lines the entities graph loses and gains when the decisions ``old`` become
    ``new`` (both aligned with ``mentions`` and ``cands``, as :func:`nquads` takes them): those
    of the mentions whose node changed, of the edges of their papers to the nodes on either
    side, and of the entities that changed."""
    node = _node_keys()
    moved = {m for m, a, b in zip(mentions, old, new) if a is not b and node(a) != node(b)}
    pairs = {(c.arxiv_id, node(e)) for m, c, a, b in zip(mentions, cands, old, new) if m in moved
             for e in (a, b) if e is not None}
    papers = {paper for paper, _ in pairs}

    def lines(decided: Sequence[Entity | None]) -> set[str]:
        at = [i for i, (m, c, e) in enumerate(zip(mentions, cands, decided))
              if m in moved or (c.arxiv_id in papers and e is not None and (c.arxiv_id, node(e)) in pairs)]
        some = [cands[i] for i in at], [decided[i] for i in at]
        return set(_mention_lines([mentions[i] for i in at], *some)) | set(_edge_lines(*some))

    had, has = {e for e in old if e is not None}, {e for e in new if e is not None}
    gone, came = lines(old) | set(_entity_lines(had - has)), lines(new) | set(_entity_lines(has - had))
    return sorted(line.rstrip("\n") for line in gone - came), sorted(line.rstrip("\n") for line in came - gone)


_IN = f" <{GRAPH}> .\n"


def _node_keys() -> Callable[[Entity | None], tuple[str, str] | None]:
    """(kind, key) of an entity, the node it is written as; worked out once per entity object."""
    known: dict[int, tuple[str, str]] = {}

    def node(e: Entity | None) -> tuple[str, str] | None:
        if e is None:
            return None
        if (k := known.get(id(e))) is None:
            k = known[id(e)] = (e.kind, e.key)
        return k

    return node


def _mention_lines(mentions: Sequence[str], cands: Sequence[Candidate], entities: Sequence[Entity | None]) -> Iterator[str]:
    """Each linked candidate's mention (one per IRI) and the nodes it names, in the candidates' order."""
    from .quads import KG, RDF, _node, iri

    last = None
    for m, c, e in zip(mentions, cands, entities):
        if e is None or (m, e) == last:
            continue  # a mention IRI twice (two names of one key in an entry) is one mention
        mention = iri(m)
        if last is None or m != last[0]:
            yield f"{iri(_PAPER + c.arxiv_id)} {KG.mention} {mention}{_IN}"
            yield f"{mention} {RDF.type} {KG.Mention}{_IN}"
        yield f"{mention} {KG.entity} {_node(e.kind, e.key)}{_IN}"
        last = (m, e)


def _edge_lines(cands: Sequence[Candidate], entities: Sequence[Entity | None]) -> Iterator[str]:
    """Each paper's edge to each node its candidates name: proposed if any of them proposes it,
    in the order of their first mention."""
    from .quads import ROLE_EDGE, _node, iri

    roles: dict[tuple[str, tuple[str, str]], str] = {}
    for c, e in zip(cands, entities):
        if e is not None and roles.get(pair := (c.arxiv_id, (e.kind, e.key))) != "proposed":
            roles[pair] = c.role
    for (paper, (kind, key)), role in roles.items():
        yield f"{iri(_PAPER + paper)} {ROLE_EDGE[(kind, role)]} {_node(kind, key)}{_IN}"


def _entity_lines(entities: Iterable[Entity]) -> Iterator[str]:
    """Each entity's types, labels and aliases, by kind and key."""
    from .quads import KG, RDF, RDFS, SDO, SKOS, _node, lit

    for e in sorted(entities, key=lambda e: (e.kind, e.key, e.label, e.aliases)):
        node = _node(e.kind, e.key)
        classes = (KG.Method, SDO.DefinedTerm, SKOS.Concept) if e.kind == "method" else (KG.Benchmark, SDO.Dataset)
        yield from (f"{node} {RDF.type} {cls}{_IN}" for cls in classes)
        yield from (f"{node} {SKOS.prefLabel} {lit(e.label)}{_IN}", f"{node} {RDFS.label} {lit(e.label)}{_IN}")
        yield from (f"{node} {SKOS.altLabel} {lit(a)}{_IN}" for a in dict.fromkeys(e.aliases) if a != e.label)


def stored_extractor(db) -> str | None:
    """The extractor the stored entities graph was derived with, or None if there is none."""
    import pyoxigraph as ox

    for q in db.quads_for_pattern(ox.NamedNode(GRAPH), ox.NamedNode(expand("kg:extractor")), None, ox.NamedNode(GRAPH)):
        return q.object.value
    return None
