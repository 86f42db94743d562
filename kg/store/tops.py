"""Hubs' neighbour counts and papers per date, kept in the read index (``tops``), so a hub
answers as fast as a leaf.

For every node more than :data:`HUB` papers reach, and every kind of neighbour counted over
papers (``OVER_PAPERS``), the index keeps how many such neighbours the node's papers have and
the first :data:`TOP` of them by shared papers (most first, then by IRI): what ``kg neighbors``
would count from tens of thousands of edges; and (``over`` = :data:`DATES`) how many of its
papers fall on each date (:data:`PAPER_TIME`), what its timeline counts. A full build of the
index counts every hub; a build that brings the index forward revises the hubs next to the
nodes it touched from the edges it added and took out and the papers whose time moved
(:func:`revise`; a paper whose date or digests change is touched, so its hubs are next to it).

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


def recount(sql: sqlite3.Connection) -> None:
    """Count every hub."""
    sql.execute("DELETE FROM tops")
    for node, papers_rel in _hubs(sql, None):
        _count(sql, node, papers_rel, _OVER)
        _keep_dates(sql, node, _dated(lambda q, *a: sql.execute(q, a).fetchall(), node, papers_rel))


def _count(sql: sqlite3.Connection, node: int, papers_rel: int, overs) -> None:
    """Count a hub's neighbours over each of ``overs``."""
    for over in overs:
        items, total = shared(lambda q, *a: sql.execute(q, a).fetchall(), node, papers_rel, over, TOP)
        sql.execute("INSERT OR REPLACE INTO tops VALUES (?, ?, ?, ?)", (node, over, total, json.dumps(items)))


def _keep_dates(sql: sqlite3.Connection, node: int, days: list) -> None:
    sql.execute("INSERT OR REPLACE INTO tops VALUES (?, ?, ?, ?)", (node, DATES, sum(n for _, n in days), json.dumps(days)))


# a paper's time as :data:`PAPER_TIME` gives it, for the paper ``{0}`` of a trigger
_TIME = ("CASE WHEN EXISTS (SELECT 1 FROM main.types WHERE node = {0} AND kind = 'paper') THEN"
         " COALESCE((SELECT date FROM main.nodes WHERE id = {0}), (SELECT MIN(d.date) FROM main.seen s"
         " JOIN main.digests d ON d.id = s.digest WHERE s.node = {0})) END")
# the first capture stays; NOT EXISTS, not OR IGNORE: a trigger's conflict clause gives way to
# its statement's (the index writes nodes with INSERT OR REPLACE)
_BEFORE = "INSERT INTO time_before SELECT {0}, " + _TIME + " WHERE NOT EXISTS (SELECT 1 FROM time_before WHERE paper = {0});"

# what a build that brings the index forward changes, for :func:`revise`: the edge rows it adds
# and takes out, and each paper's time before the first change that could move it (its date,
# its types, the digests that saw it, or the date of one of them)
FOLLOW = (
    "CREATE TEMP TABLE edge_delta(src INTEGER, rel INTEGER, dst INTEGER, sign INTEGER)",
    "CREATE TEMP TRIGGER edge_added AFTER INSERT ON main.edges BEGIN"
    " INSERT INTO edge_delta VALUES (new.src, new.rel, new.dst, 1); END",
    "CREATE TEMP TRIGGER edge_removed AFTER DELETE ON main.edges BEGIN"
    " INSERT INTO edge_delta VALUES (old.src, old.rel, old.dst, -1); END",
    "CREATE TEMP TABLE time_before(paper INTEGER PRIMARY KEY, date TEXT)",
    *(f"CREATE TEMP TRIGGER time_{name} BEFORE {event} ON main.{table} BEGIN {_BEFORE.format(row)} END"
      for name, event, table, row in (
          ("node_added", "INSERT", "nodes", "new.id"), ("node_changed", "UPDATE", "nodes", "old.id"),
          ("node_removed", "DELETE", "nodes", "old.id"), ("typed", "INSERT", "types", "new.node"),
          ("untyped", "DELETE", "types", "old.node"), ("seen", "INSERT", "seen", "new.node"),
          ("unseen", "DELETE", "seen", "old.node"))),
    *(f"CREATE TEMP TRIGGER time_{name} BEFORE {event} ON main.digests BEGIN"
      f" INSERT INTO time_before SELECT s.node, {_TIME.format('s.node')} FROM main.seen s"
      f" WHERE s.digest = {row} AND NOT EXISTS (SELECT 1 FROM time_before WHERE paper = s.node); END"
      for name, event, row in (("digest_added", "INSERT", "new.id"), ("digest_changed", "UPDATE", "old.id"),
                               ("digest_removed", "DELETE", "old.id"))),
)


def follow(sql: sqlite3.Connection) -> None:
    """Record every edge row added or taken out from now on, for :func:`revise`."""
    for statement in FOLLOW:
        sql.execute(statement)


def revise(sql: sqlite3.Connection, near: set[int], reshaped: set[int]) -> None:
    """Bring the hubs among ``near`` forward after a build whose changes :func:`follow` recorded;
    those ``reshaped`` (their kinds or label changed, so maybe the relation their papers reach
    them by) are counted again.

    A hub's neighbour counts change only by the papers whose edges changed: each one's share
    before (its edges less those added, plus those taken out) comes off, its share now goes on.
    A list that only gains keeps its order with the neighbours it did not hold counted alone;
    a list that loses (a neighbour in it lost papers) and a hub without kept counts are counted
    again. Papers per date move the same way, by each changed paper's time and edges before and now."""
    if not near:
        return
    # a node is a hub by the papers reaching it: only one whose incoming edges or kind changed
    # is counted; the others are hubs as before, those with kept counts
    counted = near & ({n for (n,) in sql.execute("SELECT DISTINCT dst FROM edge_delta")} | reshaped)
    hubs = _hubs(sql, counted) + [(node, REL[PAPERS_OF[kind]]) for node, kind in sql.execute(
        "SELECT t.node, n.kind FROM json_each(?) k JOIN tops t ON t.node = k.value AND t.over = ?"
        " JOIN nodes n ON n.id = t.node", (json.dumps(sorted(near - counted)), DATES))]
    sql.execute("DELETE FROM tops WHERE node IN (SELECT value FROM json_each(?)) AND node NOT IN"
                " (SELECT value FROM json_each(?))", (json.dumps(sorted(near)), json.dumps(sorted(n for n, _ in hubs))))
    kept = {(n, o): (total, json.loads(items)) for n, o, total, items in sql.execute(
        "SELECT node, over, total, items FROM tops WHERE node IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(n for n, _ in hubs)),))}
    moved = _moved(sql)
    now, before = _shares(sql, moved)
    reaching: dict[tuple[int, int], list] = {}  # (node, relation): (paper, +1 now / -1 before, its edges)
    for edges, sign in ((now, 1), (before, -1)):
        for paper, rels in edges.items():
            for rel, dsts in rels.items():
                for dst in dsts:
                    reaching.setdefault((dst, rel), []).append((paper, sign, rels))
    for node, papers_rel in hubs:
        papers = reaching.get((node, papers_rel), [])
        fresh = [over for over in _OVER if (node, over) not in kept or node in reshaped]
        for over in _OVER if papers else ():
            if over not in fresh:
                items, total = _brought_forward(sql, node, papers_rel, over, *kept[node, over], papers)
                sql.execute("INSERT OR REPLACE INTO tops VALUES (?, ?, ?, ?)", (node, over, total, json.dumps(items)))
        _count(sql, node, papers_rel, fresh)
        days = None if node in reshaped or (node, DATES) not in kept else \
            _dates_forward(kept[node, DATES][1], node, papers_rel, moved, papers)
        if days is None:
            _keep_dates(sql, node, _dated(lambda q, *a: sql.execute(q, a).fetchall(), node, papers_rel))
        elif days != kept[node, DATES][1]:
            _keep_dates(sql, node, days)
    sql.execute("DELETE FROM edge_delta")
    sql.execute("DELETE FROM time_before")


def _moved(sql: sqlite3.Connection) -> dict[int, tuple[str | None, str | None]]:
    """The time before and now of each paper whose time or edges changed: {paper: (before, now)}."""
    changed = {src for (src,) in sql.execute("SELECT DISTINCT src FROM edge_delta")}
    papers = json.dumps(sorted(changed | {p for (p,) in sql.execute("SELECT paper FROM time_before")}))
    now = dict(sql.execute(f"WITH {PAPER_TIME} SELECT p.paper, p.date FROM json_each(?) k JOIN paper_time p"
                           " ON p.paper = k.value", (papers,)))
    before = dict(sql.execute("SELECT paper, date FROM time_before"))
    times = {p: (before.get(p, now.get(p)), now.get(p)) for p in json.loads(papers)}
    return {p: (was, is_) for p, (was, is_) in times.items() if p in changed or was != is_}


def _dates_forward(days: list, node: int, papers_rel: int, moved: dict, papers: list) -> list | None:
    """:func:`_dated` for a hub from its kept papers per date and the ``papers`` whose time or
    edges changed that reach it (now or before); None when a date would lose more papers than it holds."""
    counts = dict(days)
    for paper, sign, rels in papers:
        if (date := moved.get(paper, (None, None))[sign > 0]) is not None:
            counts[date] = counts.get(date, 0) + sign * rels[papers_rel][node]
    if any(n < 0 for n in counts.values()):
        return None
    return [[date, n] for date, n in sorted(counts.items()) if n]


def _shares(sql: sqlite3.Connection, moved: dict) -> tuple[dict, dict]:
    """The edges now and before of each node whose edges changed and each paper in ``moved``:
    {src: {rel: {dst: rows}}}."""
    delta = sql.execute("SELECT src, rel, dst, SUM(sign) FROM edge_delta GROUP BY src, rel, dst HAVING SUM(sign) != 0").fetchall()
    now: dict[int, dict[int, dict[int, int]]] = {}
    for src, rel, dst, n in sql.execute("SELECT src, rel, dst, COUNT(*) FROM edges WHERE src IN (SELECT value FROM"
                                        " json_each(?)) GROUP BY src, rel, dst", (json.dumps(sorted({d[0] for d in delta} | set(moved))),)):
        now.setdefault(src, {}).setdefault(rel, {})[dst] = n
    before = {src: {rel: dict(dsts) for rel, dsts in rels.items()} for src, rels in now.items()}
    for src, rel, dst, change in delta:
        dsts = before.setdefault(src, {}).setdefault(rel, {})
        if (left := dsts.get(dst, 0) - change) > 0:
            dsts[dst] = left
        else:
            dsts.pop(dst, None)
    return now, before


def _brought_forward(sql: sqlite3.Connection, node: int, papers_rel: int, over: int, total: int, items: list,
                     papers: list) -> tuple[list[tuple[int, int]], int]:
    """:func:`shared` for a hub from its kept list and the ``papers`` whose edges changed that reach it."""
    change: dict[int, int] = {}
    for _, sign, rels in papers:
        for dst, n in rels.get(over, {}).items():
            if dst != node:
                change[dst] = change.get(dst, 0) + sign * n
    change = {dst: n for dst, n in change.items() if n}
    counts = dict(items)
    if not change:
        return [tuple(item) for item in items], total
    if any(n < 0 for dst, n in change.items() if dst in counts):
        return shared(lambda q, *a: sql.execute(q, a).fetchall(), node, papers_rel, over, TOP)
    for dst in list(change):
        if dst in counts:
            counts[dst] += change.pop(dst)
    outside = dict(sql.execute(
        "SELECT b.dst, COUNT(*) FROM json_each(?) k CROSS JOIN edges b ON b.dst = k.value AND b.rel = ?"
        " WHERE EXISTS (SELECT 1 FROM edges a WHERE a.src = b.src AND a.rel = ? AND a.dst = ?) GROUP BY b.dst",
        (json.dumps(sorted(change)), over, papers_rel, node)))
    total += sum((outside.get(dst, 0) > 0) - (outside.get(dst, 0) - n > 0) for dst, n in change.items())
    counts.update((dst, n) for dst, n in outside.items() if n > 0)
    iris = dict(sql.execute("SELECT id, iri FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                            (json.dumps(sorted(counts)),)))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], iris[item[0]]))[:TOP]
    return ranked, total


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
