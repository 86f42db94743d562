"""The shortest connection between two nodes: bidirectional BFS over the read index's edges.

Edges are the relations of :data:`kg.relations.RELATIONS`, walked in either direction. Categories and
topics are left out by default: nearly any two papers share one, which says little. Expanding the
smaller frontier one level per query keeps this to a few indexed SQL queries, with no NetworkX
load (that costs 1.8 s even on the seeds' store).
"""

from __future__ import annotations

import json

from ..errors import NotFound
from ..relations import RELATIONS
from ..store import index as ix
from .resolve import Node, node as node_at, resolve

DEFAULT_VIA = tuple(r for r in RELATIONS if r not in ("in_category", "in_topic"))
# The index stores authorship from the paper; RELATIONS reads it from the author.
SUBJECT_COLUMN = {"authored": ("dst", "src")}
MAX_HOPS = 8


def path(store, a: str | Node, b: str | Node, *, via: tuple[str, ...] = DEFAULT_VIA,
         max_hops: int = MAX_HOPS) -> list[dict]:
    """Steps from ``a`` to ``b``: ``[{from, relation, forward, to}]`` with nodes as {iri, kind, label}.

    ``forward`` says whether the stored edge points along the path (``a —authored→ paper``) or
    against it. Raises NotFound if the two are not connected within ``max_hops`` edges.
    """
    unknown = [r for r in via if r not in RELATIONS]
    if unknown:
        raise NotFound(f"unknown relation {unknown[0]!r} (one of: {', '.join(RELATIONS)})")
    store = ix.of(store)
    start = a if isinstance(a, Node) else resolve(store, a)
    goal = b if isinstance(b, Node) else resolve(store, b)
    if start.iri == goal.iri:
        return []
    # parent maps: node -> (previous node, relation, stored edge points from previous to node)
    seen = ({start.iri: None}, {goal.iri: None})
    frontier = ([start.iri], [goal.iri])
    for _ in range(max_hops):
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        if not frontier[side]:
            break
        nxt = []
        for here, there, relation, forward in _adjacent(store, frontier[side], via):
            if there in seen[side]:
                continue
            seen[side][there] = (here, relation, forward)
            nxt.append(there)
            if there in seen[1 - side]:
                return _steps(store, there, seen)
        frontier = (nxt, frontier[1]) if side == 0 else (frontier[0], nxt)
    raise NotFound(f"no connection between {start.label!r} and {goal.label!r} within {max_hops} steps")


def _adjacent(index, nodes: list[str], via: tuple[str, ...]):
    """(node, neighbour, relation, forward) for every edge at ``nodes``, in a stable order."""
    found = []
    frontier = json.dumps(nodes)
    for relation in via:
        s, o = SUBJECT_COLUMN.get(relation, ("src", "dst"))
        for forward, (a, b) in ((True, (s, o)), (False, (o, s))):
            found += index.rows(
                f"SELECT DISTINCT x.iri, y.iri, ?, ? FROM nodes x JOIN edges e ON e.{a} = x.id AND e.rel = ?"
                f" JOIN nodes y ON y.id = e.{b} WHERE x.iri IN (SELECT value FROM json_each(?))",
                relation, forward, ix.REL[relation], frontier,
            )
    return sorted((a, b, relation, bool(forward)) for a, b, relation, forward in found)


def _steps(store, meet: str, seen) -> list[dict]:
    left, right = [], []
    node = meet
    while seen[0][node] is not None:  # walk back to the start
        prev, relation, forward = seen[0][node]
        left.append((prev, relation, forward, node))
        node = prev
    node = meet
    while seen[1][node] is not None:  # walk on to the goal; these edges were found from the far side
        prev, relation, forward = seen[1][node]
        right.append((node, relation, not forward, prev))
        node = prev
    chain = left[::-1] + right
    nodes = {iri: node_at(store, iri) for step in chain for iri in (step[0], step[3])}
    return [{"from": _d(nodes[f], f), "relation": r, "forward": fw, "to": _d(nodes[t], t)} for f, r, fw, t in chain]


def _d(n: Node | None, iri: str) -> dict:
    return {"iri": iri, "kind": n.kind if n else None, "label": n.label if n else iri}
