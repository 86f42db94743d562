"""The shortest connection between two nodes: bidirectional BFS over the read index's edges.

Edges are the relations of :data:`kg.relations.RELATIONS`, walked in either direction. Categories and
topics are left out by default: nearly any two papers share one, which says little. Expanding the
smaller frontier one level at a time, in SQL (temporary tables of each side's seen nodes), keeps
the nodes of a hub's frontier out of Python, with no NetworkX load (that costs 1.8 s even on the
seeds' store). Paths of one or two steps are looked for first, with no expansion: an edge between
the two ends, then a node both reach, found by walking one end's edges and looking each neighbour up
in the other's (an author and a method with 30,000 papers each would otherwise cost two levels of
30,000 rows each); they are the paths the BFS would give.
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
    ends = tuple(sql.execute("SELECT id FROM nodes WHERE iri = ?", (n.iri,)).fetchone()[0] for n in (start, goal))
    near = _near(sql, ends, via, max_hops)
    if near is not None:
        return _described(store, near)
    tag = next(_TAGS)
    seen, cand = (f"temp.seen0_{tag}", f"temp.seen1_{tag}"), f"temp.cand_{tag}"
    try:
        for side, end in enumerate(ends):
            sql.execute(f"CREATE TABLE {seen[side]}(id INTEGER PRIMARY KEY, prev INTEGER, rel TEXT, fwd INTEGER, level INTEGER)")
            sql.execute(f"INSERT INTO {seen[side]} VALUES (?, NULL, NULL, NULL, 0)", (end,))
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


def _sides(via: tuple[str, ...]):
    """``(relation, forward, here, there)`` for each relation of ``via`` walked either way: the edges'
    columns holding the node walked from and the node reached, ``forward`` 1 if that is the stored way."""
    for relation in via:
        s, o = SUBJECT_COLUMN.get(relation, ("src", "dst"))
        yield relation, 1, s, o
        yield relation, 0, o, s


def _near(sql, ends: tuple[int, int], via: tuple[str, ...], max_hops: int) -> list[tuple] | None:
    """The BFS's path of one or two steps ``[(from, relation, forward, to)]`` (node ids) between
    ``ends``, or None if there is none or the BFS would choose otherwise.

    One step: the edge first by relation and direction. Two: through the common neighbour first by
    IRI, each edge first by relation and direction as seen from its end (the BFS expands the start,
    then the goal). A start with a single neighbour is left to the BFS, which expands it twice."""
    a, b = ends
    edge = _edge(sql, a, b, via) if max_hops >= 1 else None
    if edge is not None:
        return [(a, *edge, b)]
    if max_hops < 2 or not _branches(sql, a, via):
        return None
    mid = _middle(sql, ends, via)
    if mid is None:
        return None
    (rel, forward), (rel2, backward) = _edge(sql, a, mid, via), _edge(sql, b, mid, via)
    return [(a, rel, forward, mid), (mid, rel2, not backward, b)]


def _edge(sql, x: int, y: int, via: tuple[str, ...]) -> tuple[str, bool] | None:
    """The relation and direction (seen from ``x``) of the edge between ``x`` and ``y`` first by both."""
    union = " UNION ALL ".join(f"SELECT '{r}' AS rel, {fwd} AS fwd FROM edges WHERE {here} = ?1 AND rel = {ix.REL[r]}"
                               f" AND {there} = ?2" for r, fwd, here, there in _sides(via))
    found = sql.execute(f"SELECT rel, fwd FROM ({union}) ORDER BY rel, fwd LIMIT 1", (x, y)).fetchone()
    return None if found is None else (found[0], bool(found[1]))


def _branches(sql, node: int, via: tuple[str, ...]) -> bool:
    """Whether ``node`` has edges with two or more nodes other than itself."""
    union = " UNION ALL ".join(f"SELECT {there} AS n FROM edges WHERE {here} = ?1 AND rel = {ix.REL[r]}"
                               for r, _, here, there in _sides(via))
    return len(sql.execute(f"SELECT DISTINCT n FROM ({union}) WHERE n != ?1 LIMIT 2", (node,)).fetchall()) == 2


def _middle(sql, ends: tuple[int, int], via: tuple[str, ...]) -> int | None:
    """The node first by IRI, other than ``ends``, with an edge to each: the neighbours of one end are
    walked and each looked up in the other's edges, the end walked the one needing fewer look-ups."""
    edges = {n: _edges(sql, n, via) for n in ends}
    cost = {n: sum(size for _, size in edges[n].values()) * sum(len(rels) for rels, _ in edges[o].values())
            for n, o in (ends, ends[::-1])}
    walked, other = sorted(ends, key=cost.get)
    # CROSS JOIN keeps this order: the walked end's edges, the other's looked up, IRIs of the common ones only
    firsts = [f"SELECT n.id, MIN(n.iri) AS iri FROM edges e CROSS JOIN edges f ON f.{there2} = e.{there}"
              f" AND f.rel IN ({', '.join(map(str, rels2))}) AND f.{here2} = ?2 CROSS JOIN nodes n ON n.id = e.{there}"
              f" WHERE e.{here} = ?1 AND e.rel IN ({', '.join(map(str, rels))}) AND e.{there} NOT IN (?1, ?2)"
              for (here, there), (rels, _) in edges[walked].items() for (here2, there2), (rels2, _) in edges[other].items()]
    if not firsts:
        return None
    # SQLite takes a bare column (the id) from the row MIN picks
    return sql.execute(f"SELECT id, MIN(iri) FROM ({' UNION ALL '.join(firsts)})", (walked, other)).fetchone()[0]


def _edges(sql, node: int, via: tuple[str, ...]) -> dict[tuple[str, str], tuple[list[int], int]]:
    """``node``'s edges along ``via`` by the columns holding it and its neighbour: the relations
    (index ids) and how many edges."""
    found: dict[tuple[str, str], tuple[list[int], int]] = {}
    for relation, _, here, there in _sides(via):
        [(size,)] = sql.execute(f"SELECT COUNT(*) FROM edges WHERE {here} = ? AND rel = {ix.REL[relation]}", (node,))
        if size:
            rels, total = found.get((here, there), ([], 0))
            found[(here, there)] = ([*rels, ix.REL[relation]], total + size)
    return found


def _expand(sql, mine: str, other: str, cand: str, level: int, via: tuple[str, ...]) -> int | None:
    """Add the unseen neighbours of ``mine``'s nodes at ``level`` to it (each under its first edge in
    order of IRI, relation and direction), all in SQL; the id of the first one ``other`` has seen, if any."""
    parts = [f"SELECT DISTINCT e.{b} AS there, e.{a} AS here, '{relation}' AS rel, {forward} AS fwd FROM edges e"
             f" WHERE e.{a} IN (SELECT id FROM {mine} WHERE level = {level}) AND e.rel = {ix.REL[relation]}"
             for relation, forward, a, b in _sides(via)]
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
    return _described(store, chain(seen[0])[::-1] + [(node, relation, not forward, prev)
                                                     for prev, relation, forward, node in chain(seen[1])])


def _described(store, steps: list[tuple]) -> list[dict]:
    """``steps`` ``[(from, relation, forward, to)]`` of node ids as :func:`path` gives them."""
    ids = {n for f, _, _, t in steps for n in (f, t)}
    iris = dict(store.rows("SELECT id, iri FROM nodes WHERE id IN (SELECT value FROM json_each(?))", json.dumps(sorted(ids))))
    nodes = {i: node_at(store, iri) for i, iri in iris.items()}
    return [{"from": _d(nodes[f], iris[f]), "relation": r, "forward": fw, "to": _d(nodes[t], iris[t])} for f, r, fw, t in steps]


def _d(n: Node | None, iri: str) -> dict:
    return {"iri": iri, "kind": n.kind if n else None, "label": n.label if n else iri}
