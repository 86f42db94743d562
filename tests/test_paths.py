"""kg.explore.paths: the BFS run in SQL gives the path a plain BFS in Python gives."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from kg.errors import NotFound
from kg.explore import paths
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


def test_one_and_two_step_paths_are_the_ones_the_bfs_finds(index, monkeypatch):
    """Paths of one or two steps, looked for before any expansion, are the BFS's own (same steps,
    same choice among ties), between hubs too; a start with one neighbour and max_hops included."""
    adjacent = defaultdict(set)
    for relation, _, here, there in paths._sides(DEFAULT_VIA):
        for x, y in index.rows(f"SELECT {here}, {there} FROM edges WHERE rel = ?", ix.REL[relation]):
            adjacent[x].add(y)
    nodes = {i: n for i, iri in index.rows("SELECT id, iri FROM nodes") if (n := node(index, iri))}
    known = sorted(n for n in adjacent if n in nodes)
    rng = random.Random(11)
    hubs = sorted(known, key=lambda n: -len(adjacent[n]))[:6]
    lonely = [n for n in known if len(adjacent[n] - {n}) == 1][:4]
    pairs = [(x, y) for x in hubs for y in hubs if x != y]
    for x in rng.sample(known, 60) + hubs + lonely:
        one = sorted(n for n in adjacent[x] - {x} if n in nodes)
        two = sorted({z for y in adjacent[x] for z in adjacent[y] if z in nodes} - adjacent[x] - {x})
        shared = [z for z in two if len(adjacent[x] & adjacent[z]) > 1]
        pairs += [(x, y) for y in rng.sample(one, min(2, len(one)))] + [(x, z) for z in rng.sample(two, min(3, len(two)))]
        pairs += [(x, z) for z in rng.sample(shared, min(2, len(shared)))]

    def steps(a, b, **options):
        try:
            found = path(index, nodes[a], nodes[b], **options)
        except NotFound:
            return None
        return [(s["from"]["iri"], s["relation"], s["forward"], s["to"]["iri"]) for s in found]

    got = {pair: steps(*pair) for pair in pairs}
    with monkeypatch.context() as m:
        m.setattr(paths, "_near", lambda *args: None)
        assert got == {pair: steps(*pair) for pair in pairs}
    lengths = [len(s) for s in got.values() if s is not None]
    assert lengths.count(1) >= 40 and lengths.count(2) >= 100
    tied = [p for p, s in got.items() if s and len(s) == 2 and len(adjacent[p[0]] & adjacent[p[1]] - set(p)) > 1]
    assert len(tied) >= 5  # several common neighbours: the choice among them is checked
    assert {x for x, _ in got} & set(lonely)
    a, b = next(p for p, s in got.items() if s and len(s) == 2)
    assert steps(a, b, max_hops=1) is None
    assert steps(a, b, max_hops=2) == got[(a, b)]
