"""Name resolution: turn what a user typed into one node of the graph.

Tiers, first hit wins: an IRI or arXiv id; an exact label (``rdfs:label``, ``skos:prefLabel``,
``foaf:name``, ``skos:notation``); an exact alias (``skos:altLabel``); the same case-insensitively.
Several nodes on one tier raise :class:`Ambiguous` with the choices; nothing raises
:class:`NotFound` naming the closest labels (rapidfuzz). Names are looked up in the read index
(:mod:`kg.store.index`) as SQL parameters, never pasted into query text, so quotes or braces in a name
are just characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Ambiguous, NotFound
from ..store import index as ix
from ..store.index import ORDER

_ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})(?:v\d+)?$", re.I)
FUZZY_CUTOFF = 60.0  # similarity in percent; below this a label is not worth suggesting
SUGGESTIONS = 5
# exact literals (plain, @en, @zh) of one tier, or any literal of labels and aliases lower-cased
_EXACT = "SELECT n.iri FROM names m JOIN nodes n ON n.id = m.node WHERE m.value = ? AND m.tier = ? AND m.exact"
_ANY_CASE = "SELECT n.iri FROM names m JOIN nodes n ON n.id = m.node WHERE m.lower = ? AND m.tier != 'arxiv'"


@dataclass(frozen=True, order=True)
class Node:
    """One node of the graph: its IRI, kind (paper, author, method, …) and display label."""

    iri: str
    kind: str
    label: str


def resolve(store, name: str, *, kind: str | None = None, pick: int | None = None) -> Node:
    """The node ``name`` denotes, optionally only among nodes of one ``kind``.

    ``store`` is an open Store or its :class:`kg.store.index.Index`; ``pick`` (1-based) chooses
    among the nodes an ambiguous name matches.

    Raises:
        NotFound: nothing matches; the message names up to five close labels.
        Ambiguous: several nodes match equally well (and ``pick`` chose none); ``choices`` lists them as Nodes.
    """
    index = ix.of(store)
    text = " ".join(name.split())
    if kind is not None and kind not in ORDER:
        raise NotFound(f"unknown node type {kind!r} (one of: {', '.join(ORDER)})")
    if text:
        tiers = (
            lambda: _by_iri(index, text),
            lambda: [r[0] for r in index.rows(_EXACT, text, "label")],
            lambda: [r[0] for r in index.rows(_EXACT, text, "alias")],
            lambda: [r[0] for r in index.rows(_ANY_CASE, text.lower())],
        )
        for tier in tiers:
            found = sorted({n for n in (node(index, iri) for iri in tier()) if n and (kind is None or n.kind == kind)},
                           key=_rank)
            if len(found) == 1:
                return found[0]
            if found and pick is not None and 1 <= pick <= len(found):
                return found[pick - 1]
            if found:
                raise Ambiguous(f"{name!r} matches {len(found)} nodes", found)
    what = kind or "node"
    close = suggestions(index, text, kind=kind) if text else []
    hint = f". Did you mean: {', '.join(close)}?" if close else ""
    raise NotFound(f"No {what} {name!r}{hint}")


def node(store, iri: str) -> Node | None:
    """The Node at ``iri``, or None if it has no kind kg knows."""
    rows = ix.of(store).rows("SELECT kind, label FROM nodes WHERE iri = ? AND kind IS NOT NULL", iri)
    return Node(iri, rows[0][0], rows[0][1] or iri) if rows else None


def suggestions(store, name: str, *, kind: str | None = None, limit: int = SUGGESTIONS) -> list[str]:
    """Up to ``limit`` distinct labels closest to ``name`` (best first)."""
    from rapidfuzz import process, utils
    from rapidfuzz.distance import OSA

    query = "SELECT DISTINCT m.value FROM names m JOIN types t ON t.node = m.node WHERE m.tier != 'arxiv'"
    labels = [r[0] for r in (ix.of(store).rows(query + " AND t.kind = ?", kind) if kind else ix.of(store).rows(query))]
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


def _by_iri(index, text: str) -> list[str]:
    if text.startswith(("http://", "https://")):
        return [text]
    m = _ARXIV.match(text)
    return [r[0] for r in index.rows(_EXACT, m.group(1), "arxiv")] if m else []
