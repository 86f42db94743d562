"""kg.explore.paths: the BFS run in SQL gives the path a plain BFS in Python gives."""

from __future__ import annotations

import random

import pytest

from kg.errors import NotFound
from kg.explore.paths import DEFAULT_VIA, SUBJECT_COLUMN, path
from kg.explore.resolve import node
from kg.store import index as ix


def plain(index, a: str, b: str, hops: int = 8) -> list[tuple] | None:
    """Bidirectional BFS over every edge in Python; ties go to the least (from, to, relation, forward)."""
    def adjacent(nodes):
        found = []
        for relation in DEFAULT_VIA:
            s, o = SUBJECT_COLUMN.get(relation, ("src", "dst"))
            for forward, (x, y) in ((True, (s, o)), (False, (o, s))):
                for here in nodes:
                    found += [(here, there, relation, forward) for (there,) in index.rows(
                        f"SELECT DISTINCT t.iri FROM edges e JOIN nodes h ON h.id = e.{x} JOIN nodes t ON t.id = e.{y}"
                        " WHERE h.iri = ? AND e.rel = ?", here, ix.REL[relation])]
        return sorted(found)

    seen, frontier = ({a: None}, {b: None}), ([a], [b])
    for _ in range(hops):
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        nxt = []
        for here, there, relation, forward in adjacent(frontier[side]):
            if there in seen[side]:
                continue
            seen[side][there] = (here, relation, forward)
            nxt.append(there)
            if there in seen[1 - side]:
                steps, n = [], there
                while seen[0][n]:
                    steps.insert(0, (seen[0][n][0], seen[0][n][1], seen[0][n][2], n))
                    n = seen[0][n][0]
                n = there
                while seen[1][n]:
                    steps.append((n, seen[1][n][1], not seen[1][n][2], seen[1][n][0]))
                    n = seen[1][n][0]
                return steps
        frontier = (nxt, frontier[1]) if side == 0 else (frontier[0], nxt)
        if not nxt:
            return None
    return None


@pytest.fixture(scope="module")
def index(seeds_store):
    with ix.open_index(seeds_store) as index:
        yield index


def test_sql_bfs_gives_the_plain_bfs_path(index):
    iris = [r[0] for r in index.rows("SELECT iri FROM nodes WHERE kind IN ('author', 'method') ORDER BY iri")]
    pairs = random.Random(7).sample([(a, b) for a in iris[::7] for b in iris[3::11] if a != b], 15)
    # and pairs known to be linked: an author and a method of one of her papers, two authors of methods' papers
    pairs += index.rows(
        "SELECT a.iri, m.iri FROM edges w JOIN edges u ON u.src = w.src AND u.rel = ? JOIN nodes a ON a.id = w.dst"
        " JOIN nodes m ON m.id = u.dst WHERE w.rel = ? ORDER BY a.iri, m.iri LIMIT 4", ix.REL["uses_method"], ix.REL["authored"])
    pairs += index.rows(
        "SELECT a.iri, b.iri FROM edges w JOIN edges u ON u.dst = w.dst AND u.rel = w.rel AND u.src != w.src"
        " JOIN nodes a ON a.id = w.src JOIN nodes b ON b.id = u.src WHERE w.rel = ? ORDER BY a.iri, b.iri LIMIT 4",
        ix.REL["uses_method"])
    found = 0
    for a, b in pairs:
        want = plain(index, a, b)
        try:
            got = [(s["from"]["iri"], s["to"]["iri"], s["relation"], s["forward"]) for s in path(index, node(index, a), node(index, b))]
        except NotFound:
            got = None
        assert got == (None if want is None else [(f, t, r, fw) for f, r, fw, t in want]), (a, b)
        found += got is not None and len(got) > 1
    assert found >= 6  # several multi-step paths, not only misses
    assert not [r for r in index.rows("SELECT name FROM temp.sqlite_master")]  # its tables are dropped
