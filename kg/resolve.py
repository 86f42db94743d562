"""Name resolution: turn what a user typed into one node of the graph.

Tiers, first hit wins: an IRI or arXiv id; an exact label (``rdfs:label``, ``skos:prefLabel``,
``foaf:name``, ``skos:notation``); an exact alias (``skos:altLabel``); the same case-insensitively.
Several nodes on one tier raise :class:`Ambiguous` with the choices; nothing raises
:class:`NotFound` naming the closest labels (rapidfuzz). Names are bound as RDF terms, never
pasted into SPARQL text, so quotes or braces in a name are just characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Ambiguous, NotFound
from .graph import KINDS
from .prefixes import expand

KIND_OF = {expand(cls): kind for cls, kind in KINDS.items()}
ORDER = {kind: i for i, kind in enumerate(KINDS.values())}
LABELS = ("rdfs:label", "skos:prefLabel", "foaf:name", "skos:notation")
ALIASES = ("skos:altLabel",)
_ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})(?:v\d+)?$", re.I)
FUZZY_CUTOFF = 60.0  # similarity in percent; below this a label is not worth suggesting
SUGGESTIONS = 5


@dataclass(frozen=True, order=True)
class Node:
    """One node of the graph: its IRI, kind (paper, author, method, …) and display label."""

    iri: str
    kind: str
    label: str


def resolve(store, name: str, *, kind: str | None = None) -> Node:
    """The node ``name`` denotes, optionally only among nodes of one ``kind``.

    Raises:
        NotFound: nothing matches; the message names up to five close labels.
        Ambiguous: several nodes match equally well; ``choices`` lists them as Nodes.
    """
    import pyoxigraph as ox

    text = " ".join(name.split())
    if kind is not None and kind not in ORDER:
        raise NotFound(f"unknown node type {kind!r} (one of: {', '.join(ORDER)})")
    if text:
        tiers = (
            lambda: _by_iri(store, text),
            lambda: _by_literal(store, text, LABELS),
            lambda: _by_literal(store, text, ALIASES),
            lambda: _by_casefold(store, text, ox),
        )
        for tier in tiers:
            found = sorted({n for n in (node(store, iri) for iri in tier()) if n and (kind is None or n.kind == kind)},
                           key=_rank)
            if len(found) == 1:
                return found[0]
            if found:
                raise Ambiguous(f"{name!r} matches {len(found)} nodes", found)
    what = kind or "node"
    close = suggestions(store, text, kind=kind) if text else []
    hint = f". Did you mean: {', '.join(close)}?" if close else ""
    raise NotFound(f"No {what} {name!r}{hint}")


def node(store, iri: str) -> Node | None:
    """The Node at ``iri``, or None if it has no kind kg knows."""
    import pyoxigraph as ox

    db, subject = store.db, ox.NamedNode(iri)
    kinds = {KIND_OF.get(q.object.value) for q in db.quads_for_pattern(subject, ox.NamedNode(expand("rdf:type")), None)}
    kinds.discard(None)
    if not kinds:
        return None
    label = min((q.object.value for q in db.quads_for_pattern(subject, ox.NamedNode(expand("rdfs:label")), None)),
                default=iri)
    return Node(iri, min(kinds, key=ORDER.__getitem__), label)


def suggestions(store, name: str, *, kind: str | None = None, limit: int = SUGGESTIONS) -> list[str]:
    """Up to ``limit`` distinct labels closest to ``name`` (best first)."""
    from rapidfuzz import process, utils
    from rapidfuzz.distance import OSA

    classes = [cls for cls, k in KINDS.items() if kind is None or k == kind]
    rows = store.query(
        f"SELECT DISTINCT ?l WHERE {{ VALUES ?c {{ {' '.join(classes)} }} VALUES ?p {{ {' '.join(LABELS + ALIASES)} }}"
        " ?n a ?c ; ?p ?l }"
    )
    labels = {row[0].value for row in rows}
    # optimal string alignment counts a swap of two letters as one edit: GPRO is one step from GRPO
    best = process.extract(name, labels, scorer=OSA.normalized_similarity, processor=utils.default_process,
                           score_cutoff=FUZZY_CUTOFF / 100, limit=limit * 4)
    if not best:
        return []
    top = best[0][1]
    # keep only suggestions nearly as good as the best, so one clear match is named alone
    return list(dict.fromkeys(label for label, score, _ in best if score >= top - 0.1))[:limit]


def _rank(n: Node):
    return ORDER[n.kind], n.label.casefold(), n.iri


def _by_iri(store, text: str) -> list[str]:
    import pyoxigraph as ox

    if text.startswith(("http://", "https://")):
        return [text]
    m = _ARXIV.match(text)
    if not m:
        return []
    pred = ox.NamedNode(expand("fabio:hasArXivId"))
    return [q.subject.value for q in store.db.quads_for_pattern(None, pred, ox.Literal(m.group(1)))]


def _by_literal(store, text: str, predicates: tuple[str, ...]) -> list[str]:
    """Subjects having ``text`` as one of ``predicates`` (plain, @en or @zh): index lookups, no scan."""
    import pyoxigraph as ox

    preds = {expand(p) for p in predicates}
    terms = (ox.Literal(text), ox.Literal(text, language="en"), ox.Literal(text, language="zh"))
    return [q.subject.value for term in terms for q in store.db.quads_for_pattern(None, None, term)
            if q.predicate.value in preds and isinstance(q.subject, ox.NamedNode)]


def _by_casefold(store, text: str, ox) -> list[str]:
    rows = store.query(
        # a substituted variable must be projected (SEP-0007)
        f"SELECT DISTINCT ?n ?needle WHERE {{ VALUES ?p {{ {' '.join(LABELS + ALIASES)} }} ?n ?p ?l ."
        " FILTER(LCASE(STR(?l)) = ?needle) }",
        substitutions={"needle": ox.Literal(text.lower())},
    )
    return [row[0].value for row in rows]
