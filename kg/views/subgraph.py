"""The part of the read index a view draws, read with SQL: neighbours, degrees, node pairs,
co-authorship counts and what tooltips say, so a view never loads the whole graph.

Everything here answers as :func:`kg.views.graph.load`'s projection would: its nodes (a kind
and a label), its relations (``RELATIONS``), one edge per node pair and relation. Nodes are the
index's integer ids; sets of them travel to SQLite as one JSON array (``json_each``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..store import index as ix

DRAWN = ix.DRAWN  # the relations the projection has
AUTHORED, AFFILIATED = ix.REL["authored"], ix.REL["affiliated_with"]  # institutions are reached by affiliation


def _valid(alias: str) -> str:
    return f"{alias}.kind IS NOT NULL AND {alias}.label IS NOT NULL"


def _from(end: str, only: bool = True) -> str:
    """``edges e`` at the nodes of ``?1`` (at their ``end``), or all of it.

    The ids lead the join (SQLite's planner takes a JSON list for a few rows and would otherwise
    probe the index once per pair of ids); ``+`` keeps a second list from leading it.
    """
    return f"json_each(?1) k CROSS JOIN edges e ON {end} = k.value" if only else "edges e"


def ids(nodes: Iterable[int]) -> str:
    """A set of node ids as the JSON array the queries here take."""
    return json.dumps(sorted(nodes))


def node(index, iri: str) -> tuple[int, str, str] | None:
    """(id, kind, label) of the projected node ``iri``, or None."""
    rows = index.rows(f"SELECT id, kind, label FROM nodes n WHERE iri = ? AND {_valid('n')}", iri)
    return rows[0] if rows else None


def iris(index, nodes: Iterable[int]) -> dict[int, str]:
    """The IRI of each of ``nodes``."""
    return dict(index.rows("SELECT n.id, n.iri FROM json_each(?1) k CROSS JOIN nodes n ON n.id = k.value", ids(nodes)))


def adjacent(index, nodes: Iterable[int], kinds: tuple[str, ...] | None = None) -> dict[int, str]:
    """The nodes joined to any of ``nodes`` by an edge either way (of ``kinds`` only), with their kind."""
    only = f" AND o.kind IN (SELECT value FROM json_each(?2))" if kinds else ""
    rows = index.rows(
        f"SELECT e.dst, o.kind FROM {_from('e.src')} CROSS JOIN nodes o ON o.id = e.dst"
        f" WHERE e.rel {DRAWN} AND {_valid('o')}{only}"
        f" UNION SELECT e.src, o.kind FROM {_from('e.dst')} CROSS JOIN nodes o ON o.id = e.src"
        f" WHERE e.rel {DRAWN} AND {_valid('o')}{only}", ids(nodes), *([json.dumps(kinds)] if kinds else []))
    return dict(rows)


def ranked(index, nodes: Iterable[int] | None, limit: int) -> list[int]:
    """The ``limit`` most connected of ``nodes`` (of every node when None): degree, then IRI.

    Degrees are the index's own (``degree``), kept at build time: a hub's 30,000 papers are
    ranked by one lookup each, and the whole graph's top by reading the degree index from the top
    down to the ``limit``-th degree.
    """
    limit = int(limit)
    if nodes is not None:
        return [n for (n,) in index.rows(
            "SELECT n.id FROM json_each(?1) k CROSS JOIN nodes n ON n.id = k.value LEFT JOIN degree d ON d.node = n.id"
            f" WHERE {_valid('n')} ORDER BY -COALESCE(d.n, 0), n.iri LIMIT {limit}", ids(nodes))]
    if limit <= 0:
        return []
    cut = index.rows(f"SELECT d.n FROM degree d CROSS JOIN nodes n ON n.id = d.node WHERE {_valid('n')}"
                     f" ORDER BY d.n DESC LIMIT 1 OFFSET {limit - 1}")
    if cut:  # ties at the cut are ordered by IRI like the rest
        return [n for (n,) in index.rows(
            f"SELECT n.id FROM degree d CROSS JOIN nodes n ON n.id = d.node WHERE d.n >= ? AND {_valid('n')}"
            f" ORDER BY d.n DESC, n.iri LIMIT {limit}", cut[0][0])]
    return [n for (n,) in index.rows(  # fewer connected nodes than asked for: the unconnected ones follow
        f"SELECT n.id FROM nodes n LEFT JOIN degree d ON d.node = n.id WHERE {_valid('n')}"
        f" ORDER BY -COALESCE(d.n, 0), n.iri LIMIT {limit}")]


def count(index, nodes: Iterable[int] | None = None) -> tuple[int, int]:
    """(nodes, node pairs joined by an edge, self-loops left out) among ``nodes``, or in the whole projection."""
    if nodes is None:
        within, params = f"edges e JOIN nodes a ON a.id = e.src JOIN nodes b ON b.id = e.dst WHERE {_valid('a')} AND {_valid('b')}", ()
        total = index.rows(f"SELECT COUNT(*) FROM nodes n WHERE {_valid('n')}")[0][0]
    else:
        within, params = f"{_from('e.src')} WHERE +e.dst IN (SELECT value FROM json_each(?1))", (ids(nodes),)
        total = len(set(nodes))
    pairs = index.rows(f"SELECT COUNT(*) FROM (SELECT DISTINCT MIN(e.src, e.dst), MAX(e.src, e.dst) FROM {within}"
                       f" AND e.rel {DRAWN} AND e.src != e.dst)", *params)[0][0]
    return total, pairs


def shared(index, authors: Iterable[int], among: Iterable[int]) -> tuple[list[tuple], int]:
    """Co-authorship among ``authors``: ``(relation, a, b, papers)`` for two authors who share
    papers (``coauthor``) and for an author and an institution of the author's papers
    (``affiliated_with``), only for pairs whose ends are both ``among``; and how many pairs
    there are in all."""
    rows = index.rows(
        f"WITH onto(p, a) AS MATERIALIZED (SELECT DISTINCT e.src, e.dst FROM {_from('e.dst')} CROSS JOIN nodes p"
        f" ON p.id = e.src WHERE e.rel = {AUTHORED} AND p.kind = 'paper' AND p.label IS NOT NULL),"
        f" pairs(relation, a, b, n) AS MATERIALIZED ("
        f"SELECT 'coauthor', x.a, y.a, COUNT(*) FROM onto x JOIN onto y ON y.p = x.p AND y.a > x.a GROUP BY x.a, y.a"
        f" UNION ALL SELECT 'affiliated_with', x.a, f.dst, COUNT(DISTINCT x.p) FROM onto x CROSS JOIN edges f"
        f" ON f.src = x.p AND f.rel = {AFFILIATED} CROSS JOIN nodes i ON i.id = f.dst"
        f" WHERE i.kind = 'institution' AND i.label IS NOT NULL GROUP BY x.a, f.dst),"
        f" keep(id) AS (SELECT value FROM json_each(?2))"
        f" SELECT * FROM pairs WHERE +a IN keep AND +b IN keep UNION ALL SELECT NULL, NULL, NULL, COUNT(*) FROM pairs",
        ids(authors), ids(among))
    return rows[:-1], rows[-1][3]


def groups(index, nodes: Iterable[int]) -> list[tuple[int, int, int, int]]:
    """Each of ``nodes``' edges counted by direction and relation: ``(node, out, rel, edges)``,
    ``out`` as stored (paper → node, unit → institution); the index's ``degrees``, kept at build time."""
    return index.rows("SELECT d.node, d.out, d.rel, d.n FROM json_each(?1) k CROSS JOIN degrees d ON d.node = k.value",
                      ids(nodes))


def labels(index, wanted: Iterable[tuple[int, int, int]], *, first: int) -> list[tuple]:
    """The labels at the far end of some of a node's edges: for each ``(node, out, rel)`` of
    ``wanted`` (as :func:`groups` gives them), ``(node, out, rel, label, labels)`` for its
    ``first`` least labels, ``labels`` counting its distinct ones."""
    return index.rows(
        "WITH w(node, out, rel) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
        " json_extract(value, '$[2]') FROM json_each(?1)),"
        f" l(node, out, rel, label) AS (SELECT DISTINCT w.node, 1, w.rel, o.label FROM w CROSS JOIN edges e"
        f" ON e.src = w.node AND e.rel = w.rel CROSS JOIN nodes o ON o.id = e.dst WHERE w.out = 1 AND {_valid('o')}"
        f" UNION ALL SELECT DISTINCT w.node, 0, w.rel, o.label FROM w CROSS JOIN edges e ON e.dst = w.node"
        f" AND e.rel = w.rel CROSS JOIN nodes o ON o.id = e.src WHERE w.out = 0 AND {_valid('o')})"
        " SELECT node, out, rel, label, c FROM (SELECT *, COUNT(*) OVER g AS c, ROW_NUMBER() OVER (g ORDER BY label) AS r"
        f" FROM l WINDOW g AS (PARTITION BY node, out, rel)) WHERE r <= {int(first)}", json.dumps(sorted(wanted)))


def papers(index, nodes: Iterable[int]) -> dict[int, int]:
    """How many papers have an edge to each of ``nodes`` (its papers)."""
    return dict(index.rows(f"SELECT e.dst, COUNT(DISTINCT e.src) FROM {_from('e.dst')} CROSS JOIN nodes o ON o.id = e.src"
                           f" WHERE e.rel {DRAWN} AND o.kind = 'paper' AND o.label IS NOT NULL GROUP BY e.dst", ids(nodes)))


def linked(index, nodes: Iterable[int], rels: tuple[str, ...], kind: str, *, out: bool) -> list[tuple[int, str]]:
    """(node, IRI) of the nodes of ``kind`` linked to ``nodes`` by ``rels`` (stored from the node
    when ``out``, else to it), by IRI."""
    near, far = ("src", "dst") if out else ("dst", "src")
    codes = ", ".join(str(ix.REL[r]) for r in rels)
    return index.rows(f"SELECT DISTINCT e.{near}, o.iri FROM {_from('e.' + near)} CROSS JOIN nodes o ON o.id = e.{far}"
                      f" WHERE e.rel IN ({codes})"
                      f" AND o.kind = ? AND o.label IS NOT NULL ORDER BY o.iri", ids(nodes), kind)


def institutions(index, authors: Iterable[int]) -> list[tuple[int, str]]:
    """(author, label) of the institutions of each author's papers."""
    return index.rows(
        f"SELECT DISTINCT e.dst, i.label FROM {_from('e.dst')} CROSS JOIN nodes p ON p.id = e.src CROSS JOIN edges f"
        f" ON f.src = e.src AND f.rel = {AFFILIATED} CROSS JOIN nodes i ON i.id = f.dst WHERE e.rel = {AUTHORED}"
        f" AND p.kind = 'paper' AND p.label IS NOT NULL AND i.kind = 'institution' AND i.label IS NOT NULL",
        ids(authors))
