"""The shortest connection between two nodes: bidirectional BFS over the read index's edges.

Edges are the relations of :data:`kg.relations.RELATIONS`, walked in either direction. Categories and
topics are left out by default: nearly any two papers share one, which says little. Expanding the
smaller frontier one level at a time, in SQL (temporary tables of each side's seen nodes), keeps
the nodes of a hub's frontier out of Python, with no NetworkX load (that costs 1.8 s even on the
seeds' store).
"""

from __future__ import annotations

import json
from itertools import count

from ..errors import NotFound
from ..relations import RELATIONS
from ..store import index as ix
from .resolve import Node, node as node_at, resolve

DEFAULT_VIA = tuple(r for r in RELATIONS if r not in ("in_category", "in_topic"))
# The index stores authorship from the paper; RELATIONS reads it from the author.
SUBJECT_COLUMN = {"authored": ("dst", "src")}
MAX_HOPS = 8
_TAGS = count()  # names of each question's temporary tables: questions may share one connection


def path(store, a: str | Node, b: str | Node, *, via: tuple[str, ...] = DEFAULT_VIA,
         max_hops: int = MAX_HOPS) -> list[dict]:
    """Steps from ``a`` to ``b``: ``[{from, relation, forward, to}]`` with nodes as {iri, kind, label}.

    ``forward`` says whether the stored edge points along the path (``a —authored→ paper``) or
    against it. Of several shortest paths, the one first in order of IRIs, relation and direction
    is given. Raises NotFound if the two are not connected within ``max_hops`` edges.
    """
    unknown = [r for r in via if r not in RELATIONS]
    if unknown:
        raise NotFound(f"unknown relation {unknown[0]!r} (one of: {', '.join(RELATIONS)})")
    store = ix.of(store)
    start = a if isinstance(a, Node) else resolve(store, a)
    goal = b if isinstance(b, Node) else resolve(store, b)
    if start.iri == goal.iri:
        return []
    sql = store.sql
    tag = next(_TAGS)
    seen, cand = (f"temp.seen0_{tag}", f"temp.seen1_{tag}"), f"temp.cand_{tag}"
    try:
        for side, iri in enumerate((start.iri, goal.iri)):
            sql.execute(f"CREATE TABLE {seen[side]}(id INTEGER PRIMARY KEY, prev INTEGER, rel TEXT, fwd INTEGER, level INTEGER)")
            sql.execute(f"INSERT INTO {seen[side]} SELECT id, NULL, NULL, NULL, 0 FROM nodes WHERE iri = ?", (iri,))
        level, size = [0, 0], [1, 1]
        for _ in range(max_hops):
            side = 0 if size[0] <= size[1] else 1
            if not size[side]:
                break
            meet = _expand(sql, seen[side], seen[1 - side], cand, level[side], via)
            if meet is not None:
                return _steps(store, meet, seen)
            level[side] += 1
            size[side] = sql.execute(f"SELECT COUNT(*) FROM {seen[side]} WHERE level = ?", (level[side],)).fetchone()[0]
    finally:
        for table in (*seen, cand):
            sql.execute(f"DROP TABLE IF EXISTS {table}")
    raise NotFound(f"no connection between {start.label!r} and {goal.label!r} within {max_hops} steps")


def _expand(sql, mine: str, other: str, cand: str, level: int, via: tuple[str, ...]) -> int | None:
    """Add the unseen neighbours of ``mine``'s nodes at ``level`` to it (each under its first edge in
    order of IRI, relation and direction), all in SQL; the id of the first one ``other`` has seen, if any."""
    parts = []
    for relation in via:
        s, o = SUBJECT_COLUMN.get(relation, ("src", "dst"))
        for forward, (a, b) in ((1, (s, o)), (0, (o, s))):
            parts.append(f"SELECT DISTINCT e.{b} AS there, e.{a} AS here, '{relation}' AS rel, {forward} AS fwd FROM edges e"
                         f" WHERE e.{a} IN (SELECT id FROM {mine} WHERE level = {level}) AND e.rel = {ix.REL[relation]}")
    sql.execute(f"DROP TABLE IF EXISTS {cand}")
    sql.execute(f"CREATE TABLE {cand} AS SELECT c.*, h.iri AS hiri FROM ({' UNION ALL '.join(parts)}) c"
                f" JOIN nodes h ON h.id = c.here WHERE c.there NOT IN (SELECT id FROM {mine})")
    meet = sql.execute(f"SELECT c.there, c.here, c.rel, c.fwd FROM {cand} c JOIN {other} o ON o.id = c.there"
                       " JOIN nodes t ON t.id = c.there ORDER BY c.hiri, t.iri, c.rel, c.fwd LIMIT 1").fetchone()
    first = (f"SELECT there, here, rel, fwd, {level + 1} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY there"
             f" ORDER BY hiri, rel, fwd) AS k FROM {cand}) WHERE k = 1")
    if meet is not None:  # only its own parent matters now
        sql.execute(f"INSERT INTO {mine} VALUES (?, ?, ?, ?, ?)", (*meet, level + 1))
        return meet[0]
    sql.execute(f"INSERT INTO {mine} {first}")
    return None


def _steps(store, meet: int, seen) -> list[dict]:
    def chain(table: str) -> list[tuple]:
        out, node = [], meet
        while True:
            prev, relation, forward = store.sql.execute(f"SELECT prev, rel, fwd FROM {table} WHERE id = ?", (node,)).fetchone()
            if prev is None:
                return out
            out.append((prev, relation, bool(forward), node))
            node = prev

    # walk back to the start; then on to the goal, whose edges were found from the far side
    steps = chain(seen[0])[::-1] + [(node, relation, not forward, prev) for prev, relation, forward, node in chain(seen[1])]
    ids = {n for f, _, _, t in steps for n in (f, t)}
    iris = dict(store.rows("SELECT id, iri FROM nodes WHERE id IN (SELECT value FROM json_each(?))", json.dumps(sorted(ids))))
    nodes = {i: node_at(store, iri) for i, iri in iris.items()}
    return [{"from": _d(nodes[f], iris[f]), "relation": r, "forward": fw, "to": _d(nodes[t], iris[t])} for f, r, fw, t in steps]


def _d(n: Node | None, iri: str) -> dict:
    return {"iri": iri, "kind": n.kind if n else None, "label": n.label if n else iri}
