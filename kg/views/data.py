"""What a graph view shows: a neighbourhood read from the read index ring by ring (the node,
then what is one step further, …), capped so a browser can draw it, and the facts each node's
tooltip needs. Only the nodes drawn are projected into NetworkX (:func:`kg.views.graph.load`);
the rest is SQL over the index (:mod:`.subgraph`), so a view of a hub costs what its
neighbourhood does, never what the whole graph does.

Every view answers as it would on the whole projection: nodes are ranked by their degree
there, and counts (totals, tooltips) are of the whole graph, not of the part on screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import NotFound
from ..store import index as ix
from . import subgraph as sub
from .graph import load

MAX_NODES = 1500  # above this a browser view no longer settles within seconds
ENTITY = ("method", "benchmark")
FACT_ITEMS = 8  # list items a tooltip names before "… and N more"
RELATION = {code: name for name, code in ix.REL.items()}
LISTED = {  # the relations whose far ends a tooltip names, by kind (a paper's: all of them)
    "author": {"authored"}, "method": {"<proposes_method"}, "benchmark": {"<proposes_benchmark"},
    "code": {"<has_code"}, None: {"unit_of", "<unit_of"}}


@dataclass
class View:
    """A subgraph ready to draw: ``graph`` is what is shown, the totals what was asked for."""

    graph: object
    title: str
    total_nodes: int
    total_edges: int
    focus: str | None = None
    facts: dict = field(default_factory=dict)
    reason: str = ""  # why nodes were left out, for ``cut``

    @property
    def nodes(self) -> int:
        return self.graph.number_of_nodes()

    @cached_property
    def edges(self) -> int:
        """Node pairs joined by at least one edge (parallel and opposite edges are drawn once)."""
        return len(pairs(self.graph))

    @property
    def cut(self) -> str:
        """What the cap left out, in words ("" when nothing was)."""
        nodes, edges = self.total_nodes - self.nodes, self.total_edges - self.edges
        if not nodes and not edges:
            return ""
        return f"{nodes:,} nodes and {edges:,} edges not shown: {self.reason}"


def pairs(G) -> set[frozenset]:
    """The distinct unordered node pairs of ``G``'s edges (self-loops left out).

    >>> import networkx as nx
    >>> sorted(sorted(p) for p in pairs(nx.MultiDiGraph([(1, 2), (2, 1), (2, 3), (3, 3)])))
    [[1, 2], [2, 3]]
    """
    return {frozenset((u, v)) for u, v in G.edges() if u != v}


def method_view(store, iri: str, *, depth: int = 1, limit: int = MAX_NODES) -> View:
    """A method (or benchmark), the papers proposing or using it, what those papers use alongside
    it (methods, benchmarks) and their authors; ``depth=2`` repeats the step from those methods.

    ``store``: an open Store or its read index (:mod:`kg.store.index`); likewise below.
    """
    index = ix.of(store)
    x, kind, label = _need(index, iri, ENTITY)
    rings, seen, entities = [{x}], {x}, {x}
    for _ in range(depth):
        papers = _new(seen, sub.adjacent(index, entities, ("paper",)))
        around = _new(seen, sub.adjacent(index, papers, (*ENTITY, "author")))
        rings += [set(papers), set(around)]
        entities = {n for n, k in around.items() if k in ENTITY}
    return _capped(index, rings, limit, f"{kind.capitalize()} {label} (depth {depth})", iri)


def node_view(store, iri: str, *, depth: int = 1, limit: int = MAX_NODES) -> View:
    """Any node and everything within ``depth`` edges of it, in either direction."""
    index = ix.of(store)
    x, kind, label = _need(index, iri)
    rings, seen = [{x}], {x}
    for _ in range(depth):
        rings.append(set(_new(seen, sub.adjacent(index, rings[-1]))))
    return _capped(index, rings, limit, f"{kind.capitalize()} {label} (depth {depth})", iri)


def overview(store, *, top: int | None = None, limit: int = MAX_NODES) -> View:
    """The whole graph, or its ``top`` most connected nodes (capped at ``limit``)."""
    index = ix.of(store)
    total, edges = sub.count(index)
    n = min(top or total, limit)
    H = load(index, sub.ranked(index, None, n))
    title = f"Overview: the {n:,} most connected nodes" if n < total else "Overview: the whole graph"
    asked = f"{top:,} were asked for, but " if top is not None else ""
    reason = (f"the {top:,} most connected were asked for" if top is not None and top <= limit
              else f"{asked}at most {limit:,} nodes are drawn, most connected first")
    return _view(index, H, title, total, edges, reason=reason)


def coauthor_view(store, iri: str, *, depth: int = 1, limit: int = MAX_NODES) -> View:
    """An author's co-author network: authors joined by their number of shared papers (edge
    ``weight``), and the institutions of their papers joined to them the same way."""
    import networkx as nx

    index = ix.of(store)
    x, _, label = _need(index, iri, ("author",))
    rings, seen = [{x}], {x}
    for _ in range(depth):
        rings.append(set(_new(seen, sub.adjacent(index, sub.adjacent(index, rings[-1], ("paper",)), ("author",)))))
    authors = set().union(*rings)
    insts = set(sub.adjacent(index, sub.adjacent(index, authors, ("paper",)), ("institution",)))
    keep = _ranked(index, [*rings, insts], limit)
    H = nx.Graph()
    H.add_nodes_from(load(index, keep).nodes(data=True))
    named = sub.iris(index, keep)
    drawn, total = sub.shared(index, authors, keep)
    H.add_edges_from((named[a], named[b], {"relation": relation, "weight": w}) for relation, a, b, w in drawn)
    return _view(index, H, f"Co-authors of {label} (depth {depth})", len(authors | insts), total, iri,
                 reason=_nearest(limit))


def _need(index, iri: str, kinds: tuple[str, ...] = ()) -> tuple[int, str, str]:
    found = sub.node(index, iri)
    if found is None:
        raise NotFound(f"no node {iri!r} in the graph")
    if kinds and found[1] not in kinds:
        raise NotFound(f"{found[2]!r} is a {found[1]}, not a {' or '.join(kinds)}")
    return found


def _new(seen: set, found: dict) -> dict:
    """The entries of ``found`` not seen before; marks them seen."""
    out = {n: k for n, k in found.items() if n not in seen}
    seen.update(out)
    return out


def _ranked(index, rings: list[set], limit: int) -> list[int]:
    """The first ``limit`` nodes: nearer rings first, more connected nodes first within a ring."""
    out: list = []
    for ring in rings:
        if len(out) < limit and ring:
            out += sub.ranked(index, ring, limit - len(out))
    return out


def _capped(index, rings, limit: int, title: str, focus: str) -> View:
    total, edges = sub.count(index, set().union(*rings))
    H = load(index, _ranked(index, rings, limit))
    return _view(index, H, title, total, edges, focus, reason=_nearest(limit))


def _view(index, H, title: str, total_nodes: int, total_edges: int, focus: str | None = None, *, reason: str) -> View:
    return View(H, title, total_nodes, total_edges, focus, facts(index, H), reason)


def _nearest(limit: int) -> str:
    return f"at most {limit:,} nodes are drawn, nearest and most connected first"


def facts(store, nodes) -> dict[str, dict]:
    """What each node's tooltip says, by IRI: ``rows`` of (name, text) and ``links`` of (text, URL).

    Counts and lists come from the whole graph, not from the part on screen.
    """
    index = ix.of(store)
    rows = index.rows("SELECT id, iri, kind, label, COALESCE(date, '') FROM nodes WHERE iri IN (SELECT value FROM json_each(?))",
                      json.dumps(sorted(nodes)))
    ids = [r[0] for r in rows]
    kinds = {n: kind for n, _, kind, _, _ in rows}
    by: dict[int, dict] = {n: {} for n in ids}
    wanted = []
    for n, out, rel, edges in sub.groups(index, ids):
        key = _key(out, rel)
        by[n][key] = [edges, 0, []]
        if key in LISTED.get(kinds[n], LISTED[None]) or kinds[n] == "paper":
            wanted.append((n, out, rel))
    for n, out, rel, label, distinct in sub.labels(index, wanted, first=FACT_ITEMS):
        group = by[n][_key(out, rel)]
        group[1] = distinct
        group[2].append(label)
    papers = sub.papers(index, [n for n in ids if kinds[n] not in ("paper", "code", *ENTITY)])
    links: dict[int, list] = {n: [] for n in ids}
    for n, url in sub.linked(index, [n for n in ids if kinds[n] == "paper"], ("has_code",), "code", out=True):
        links[n].append(("code", url))
    for kind, rel in (("method", "proposes_method"), ("benchmark", "proposes_benchmark")):
        for n, url in sub.linked(index, [n for n in ids if kinds[n] == kind], (rel,), "paper", out=False):
            if len(links[n]) < FACT_ITEMS:
                links[n].append((f"proposed in {url.rsplit('/', 1)[-1]}", url))
    insts: dict[int, list] = {}
    for n, label in sub.institutions(index, [n for n in ids if kinds[n] == "author"]):
        insts.setdefault(n, []).append(label)
    return {iri: _facts(iri, kind, label, day, by[n], papers.get(n, 0), links[n], insts.get(n, []))
            for n, iri, kind, label, day in sorted(rows, key=lambda r: r[1])}


def _key(out: int, rel: int) -> str:
    """A relation as the projection draws it from one end: ``rel``, or ``<rel`` for incoming."""
    name = RELATION[rel]
    return name if out != (name == "authored") else f"<{name}"  # authored is drawn author → paper


def _facts(n: str, kind: str, label: str, day: str, by: dict, papers: int, found: list, insts: list) -> dict:
    def listed(key: str) -> str:
        _, distinct, first = by.get(key, (0, 0, []))
        more = distinct - FACT_ITEMS
        return "; ".join(first) + (f" … and {more} more" if more > 0 else "")

    rows: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    if kind == "paper":
        links += [("arXiv", n), *found]
        rows += [("arXiv", n.rsplit("/", 1)[-1]), ("date", day), ("authors", listed("<authored")),
                 ("categories", listed("in_category"))]
        rows += [(name, listed(rel)) for name, rel in (
            ("topics", "in_topic"), ("venue", "presented_at"), ("institutions", "affiliated_with"),
            ("proposes", "proposes_method"), ("uses", "uses_method"),
            ("new benchmarks", "proposes_benchmark"), ("evaluated on", "evaluated_on")) if rel in by]
    elif kind == "author":
        rows += [("papers", f"{papers}: {listed('authored')}"), ("institutions (of papers)", _listed(insts))]
    elif kind in ENTITY:
        proposed, used = ("<proposes_method", "<uses_method") if kind == "method" else ("<proposes_benchmark", "<evaluated_on")
        rows += [("proposed in", listed(proposed)), ("used by", f"{by.get(used, [0])[0]} papers")]
        links += found
    elif kind == "code":
        links.append(("code", n))
        rows.append(("papers", listed("<has_code")))
    else:
        rows.append(("papers", str(papers)))
        if "unit_of" in by or "<unit_of" in by:
            rows += [("part of", listed("unit_of")), ("units", listed("<unit_of"))]
    degree = sum(group[0] for group in by.values())
    rows.append(("links in graph", str(degree)))
    return {"kind": kind, "label": label, "degree": degree, "rows": [r for r in rows if r[1]], "links": links}


def _listed(items: list[str]) -> str:
    items = sorted(set(items))
    more = len(items) - FACT_ITEMS
    return "; ".join(items[:FACT_ITEMS]) + (f" … and {more} more" if more > 0 else "")
