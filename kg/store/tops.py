"""Hubs' neighbour counts and papers per date, kept in the read index (``tops``), so a hub
answers as fast as a leaf.

For every node more than :data:`HUB` papers reach, and every kind of neighbour counted over
papers (``OVER_PAPERS``), the index keeps how many such neighbours the node's papers have and
the first :data:`TOP` of them by shared papers (most first, then by IRI): what ``kg neighbors``
would count from tens of thousands of edges; and (``over`` = :data:`DATES`) how many of its
papers fall on each date (:data:`PAPER_TIME`), what its timeline counts. A full build of the
index counts every hub; a build that brings the index forward recounts the hubs next to the
nodes it touched (a paper whose date or digests change is touched, so its hubs are next to it).

    tops(node, over, total, items)   over: the relation to the neighbours counted (REL code);
                                     items: JSON [[neighbour id, shared papers], ...]
                                     over = DATES: total dated papers, items [[date, papers], ...]
"""

from __future__ import annotations

import json
import sqlite3

from ..relations import OVER_PAPERS, PAPERS_OF
from .index_rows import REL

HUB = 1_000  # papers above which a node's counts are kept
TOP = 50  # neighbours kept per node and kind: groups asking for more are counted when asked
_OVER = sorted({REL[r] for r in OVER_PAPERS.values()})
DATES = 0  # the ``over`` of a hub's papers per date (relation codes start at 1)
# a paper's time: its own date, else the first dated digest that listed it
PAPER_TIME = """paper_time(paper, date) AS (
    SELECT t.node, COALESCE(n.date, (SELECT MIN(d.date) FROM seen s JOIN digests d ON d.id = s.digest
                                     WHERE s.node = t.node))
    FROM types t JOIN nodes n ON n.id = t.node WHERE t.kind = 'paper')"""


def recount(sql: sqlite3.Connection, near: set[int] | None) -> None:
    """Count the hubs again: those among ``near`` (every hub when None); a node no longer a hub loses its rows."""
    if near is not None:
        if not near:
            return
        sql.execute("DELETE FROM tops WHERE node IN (SELECT value FROM json_each(?))", (json.dumps(sorted(near)),))
    else:
        sql.execute("DELETE FROM tops")
    for node, papers_rel in _hubs(sql, near):
        for over in _OVER:
            items, total = shared(lambda q, *a: sql.execute(q, a).fetchall(), node, papers_rel, over, TOP)
            sql.execute("INSERT INTO tops VALUES (?, ?, ?, ?)", (node, over, total, json.dumps(items)))
        days = _dated(lambda q, *a: sql.execute(q, a).fetchall(), node, papers_rel)
        sql.execute("INSERT INTO tops VALUES (?, ?, ?, ?)", (node, DATES, sum(n for _, n in days), json.dumps(days)))


def shared(rows, node: int, papers_rel: int, over: int, limit: int) -> tuple[list[tuple[int, int]], int]:
    """The first ``limit`` neighbours (relation ``over`` from a paper) of the papers reaching
    ``node`` (by ``papers_rel``), as (id, shared papers), most first, then by IRI, and how many
    there are. ``rows(query, *params)`` runs SQL on the index. Only the neighbours sharing at
    least as many papers as the ``limit``-th are joined to their IRIs and sorted."""
    found = rows(
        "WITH c AS (SELECT dst, COUNT(*) AS n FROM edges WHERE src IN (SELECT src FROM edges WHERE dst = ?1 AND rel = ?2)"
        " AND rel = ?3 AND dst != ?1 GROUP BY dst)"
        " SELECT c.dst, c.n, (SELECT COUNT(*) FROM c) FROM c JOIN nodes n ON n.id = c.dst"
        " WHERE c.n >= COALESCE((SELECT n FROM c ORDER BY n DESC LIMIT 1 OFFSET ?4), 0) ORDER BY c.n DESC, n.iri LIMIT ?5",
        node, papers_rel, over, limit - 1, limit)
    return [(d, n) for d, n, _ in found], found[0][2] if found else 0


def _hubs(sql: sqlite3.Connection, near: set[int] | None) -> list[tuple[int, int]]:
    """(node, relation from its papers to it) for the hubs among ``near`` (or all)."""
    rels = {REL[rel] for rel in PAPERS_OF.values()}
    if near is None:  # one pass over the edges into the nodes
        rows = sql.execute(f"SELECT e.dst, e.rel, n.kind FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.rel IN"
                           f" ({', '.join(map(str, sorted(rels)))}) GROUP BY e.dst, e.rel HAVING COUNT(DISTINCT e.src) > ?",
                           (HUB,))
        return [(node, rel) for node, rel, kind in rows if REL.get(PAPERS_OF.get(kind, "")) == rel]
    out = []
    for kind, rel in PAPERS_OF.items():
        rows = sql.execute("SELECT n.id FROM json_each(?) k JOIN nodes n ON n.id = k.value AND n.kind = ?"
                           " WHERE (SELECT COUNT(DISTINCT src) FROM edges WHERE dst = n.id AND rel = ?) > ?",
                           (json.dumps(sorted(near)), kind, REL[rel], HUB))
        out += [(node, REL[rel]) for (node,) in rows]
    return out


def counted(rows, node: int, papers_rel: int, over: int, limit: int) -> tuple[list[tuple[int, int]], int]:
    """:func:`shared`, read from the kept counts when ``node`` is a hub and ``limit`` ≤ TOP."""
    kept = rows("SELECT total, items FROM tops WHERE node = ? AND over = ?", node, over) if limit <= TOP else []
    if kept:
        return [tuple(item) for item in json.loads(kept[0][1])[:limit]], kept[0][0]
    return shared(rows, node, papers_rel, over, limit)


def dated(rows, node: int, papers_rel: int) -> list[tuple[str, int]]:
    """How many of the papers reaching ``node`` (by ``papers_rel``) fall on each date, by date
    (undated papers left out): read from the kept counts when ``node`` is a hub."""
    kept = rows("SELECT items FROM tops WHERE node = ? AND over = ?", node, DATES)
    return [tuple(item) for item in json.loads(kept[0][0])] if kept else _dated(rows, node, papers_rel)


def _dated(rows, node: int, papers_rel: int) -> list[tuple[str, int]]:
    return [tuple(r) for r in rows(
        f"WITH {PAPER_TIME} SELECT p.date, COUNT(*) FROM paper_time p JOIN edges e ON e.src = p.paper AND e.rel = ?"
        " WHERE e.dst = ? AND p.date IS NOT NULL GROUP BY p.date ORDER BY p.date", papers_rel, node)]
