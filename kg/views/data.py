"""What a graph view shows: neighbourhoods picked by BFS over the NetworkX projection, capped so
a browser can draw them, plus the facts each node's tooltip needs.

Selections are ``G.subgraph`` views (no copy of the whole graph, unlike ``nx.ego_graph`` with
``undirected=True``); only the co-author network is a new, small graph, since its edges
(shared papers) are not edges of ``G``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import NotFound

MAX_NODES = 1500  # above this a browser view no longer settles within seconds
ENTITY = ("method", "benchmark")
FACT_ITEMS = 8  # list items a tooltip names before "… and N more"


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

    @property
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


def method_view(G, iri: str, *, depth: int = 1, limit: int = MAX_NODES) -> View:
    """A method (or benchmark), the papers proposing or using it, what those papers use alongside
    it (methods, benchmarks) and their authors; ``depth=2`` repeats the step from those methods."""
    _need(G, iri, ENTITY)
    rings, seen, entities = [[iri]], {iri}, [iri]
    for _ in range(depth):
        papers = _new(seen, (p for e in entities for p in G.pred[e] if _kind(G, p) == "paper"))
        around = _new(seen, (n for p in papers for n in (*G.succ[p], *G.pred[p]) if _kind(G, n) in (*ENTITY, "author")))
        rings += [papers, around]
        entities = [n for n in around if _kind(G, n) in ENTITY]
    kind = _kind(G, iri)
    return _capped(G, rings, limit, f"{kind.capitalize()} {G.nodes[iri]['label']} (depth {depth})", iri)


def node_view(G, iri: str, *, depth: int = 1, limit: int = MAX_NODES) -> View:
    """Any node and everything within ``depth`` edges of it, in either direction."""
    _need(G, iri)
    rings, seen = [[iri]], {iri}
    for _ in range(depth):
        rings.append(_new(seen, (n for u in rings[-1] for n in (*G.succ[u], *G.pred[u]))))
    data = G.nodes[iri]
    return _capped(G, rings, limit, f"{data['kind'].capitalize()} {data['label']} (depth {depth})", iri)


def overview(G, *, top: int | None = None, limit: int = MAX_NODES) -> View:
    """The whole graph, or its ``top`` most connected nodes (capped at ``limit``)."""
    n = min(top or len(G), limit)
    keep = sorted(G, key=lambda v: (-G.degree(v), v))[:n]
    H = G.subgraph(keep)
    title = f"Overview: the {n:,} most connected nodes" if n < len(G) else "Overview: the whole graph"
    asked = f"{top:,} were asked for, but " if top is not None else ""
    reason = (f"the {top:,} most connected were asked for" if top is not None and top <= limit
              else f"{asked}at most {limit:,} nodes are drawn, most connected first")
    return _view(G, H, title, len(G), len(pairs(G)), reason=reason)


def coauthor_view(G, iri: str, *, depth: int = 1, limit: int = MAX_NODES) -> View:
    """An author's co-author network: authors joined by their number of shared papers (edge
    ``weight``), and the institutions of their papers joined to them the same way."""
    import networkx as nx

    _need(G, iri, ("author",))
    rings, seen = [[iri]], {iri}
    for _ in range(depth):
        rings.append(_new(seen, (a for u in rings[-1] for p in _papers(G, u) for a in G.pred[p] if _kind(G, a) == "author")))
    authors = [a for ring in rings for a in ring]
    papers = {p for a in authors for p in _papers(G, a)}
    insts = _new(set(), (i for p in papers for i in G.succ[p] if _kind(G, i) == "institution"))
    full = _coauthor_graph(G, authors, insts, papers)
    keep = _ranked(G, [*rings, insts], limit)
    H = nx.Graph(full.subgraph(keep))
    label = G.nodes[iri]["label"]
    return _view(G, H, f"Co-authors of {label} (depth {depth})", len(full), full.number_of_edges(), iri,
                 reason=_nearest(limit))


def _coauthor_graph(G, authors, insts, papers):
    import networkx as nx

    chosen = set(authors)
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in (*authors, *insts))
    for p in papers:
        on = [a for a in G.pred[p] if a in chosen]
        for i, a in enumerate(on):
            for b in on[i + 1:]:
                _bump(H, a, b, "coauthor")
            for inst in G.succ[p]:
                if inst in H and _kind(G, inst) == "institution":
                    _bump(H, a, inst, "affiliated_with")
    return H


def _bump(H, u, v, relation: str) -> None:
    if H.has_edge(u, v):
        H[u][v]["weight"] += 1
    else:
        H.add_edge(u, v, relation=relation, weight=1)


def _papers(G, author: str) -> list[str]:
    return [p for p in G.succ[author] if _kind(G, p) == "paper"]


def _kind(G, n: str) -> str:
    return G.nodes[n].get("kind", "")


def _need(G, iri: str, kinds: tuple[str, ...] = ()) -> None:
    if iri not in G:
        raise NotFound(f"no node {iri!r} in the graph")
    if kinds and _kind(G, iri) not in kinds:
        raise NotFound(f"{G.nodes[iri]['label']!r} is a {_kind(G, iri)}, not a {' or '.join(kinds)}")


def _new(seen: set, candidates) -> list:
    """Candidates not seen before, in first-seen order; marks them seen."""
    out = []
    for n in candidates:
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def _ranked(G, rings: list[list], limit: int) -> list:
    """The first ``limit`` nodes: nearer rings first, more connected nodes first within a ring."""
    out: list = []
    for ring in rings:
        out += sorted(ring, key=lambda v: (-G.degree(v), v))[: limit - len(out)]
    return out


def _capped(G, rings, limit: int, title: str, focus: str) -> View:
    everything = G.subgraph(n for ring in rings for n in ring)
    H = G.subgraph(_ranked(G, rings, limit))
    return _view(G, H, title, len(everything), len(pairs(everything)), focus, reason=_nearest(limit))


def _view(G, H, title: str, total_nodes: int, total_edges: int, focus: str | None = None, *, reason: str) -> View:
    return View(H, title, total_nodes, total_edges, focus, {n: facts(G, n) for n in sorted(H)}, reason)


def _nearest(limit: int) -> str:
    return f"at most {limit:,} nodes are drawn, nearest and most connected first"


def facts(G, n: str) -> dict:
    """What a node's tooltip says: ``rows`` of (name, text) and ``links`` of (text, URL).

    Counts and lists come from the whole graph ``G``, not from the part on screen.
    """
    kind = _kind(G, n)
    by: dict[str, list[str]] = {}
    for v, rel in _incident(G, n):
        by.setdefault(rel, []).append(G.nodes[v]["label"])
    rows: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    if kind == "paper":
        links.append(("arXiv", n))
        links += [("code", c) for c in G.succ[n] if _kind(G, c) == "code"]
        rows += [("arXiv", n.rsplit("/", 1)[-1]), ("date", G.nodes[n].get("date", "")),
                 ("authors", _listed(by.get("<authored", []))), ("categories", _listed(by.get("in_category", [])))]
        rows += [(name, _listed(by[rel])) for name, rel in (
            ("topics", "in_topic"), ("venue", "presented_at"), ("institutions", "affiliated_with"),
            ("proposes", "proposes_method"), ("uses", "uses_method"),
            ("new benchmarks", "proposes_benchmark"), ("evaluated on", "evaluated_on")) if rel in by]
    elif kind == "author":
        papers = _papers(G, n)
        insts = sorted({G.nodes[i]["label"] for p in papers for i in G.succ[p] if _kind(G, i) == "institution"})
        rows += [("papers", f"{len(papers)}: {_listed(by.get('authored', []))}"), ("institutions (of papers)", _listed(insts))]
    elif kind in ENTITY:
        proposed, used = ("<proposes_method", "<uses_method") if kind == "method" else ("<proposes_benchmark", "<evaluated_on")
        rows += [("proposed in", _listed(by.get(proposed, []))), ("used by", f"{len(by.get(used, []))} papers")]
        links += [(f"proposed in {p.rsplit('/', 1)[-1]}", p) for p in G.pred[n] if proposed[1:] in G[p][n]][:FACT_ITEMS]
    elif kind == "code":
        links.append(("code", n))
        rows.append(("papers", _listed(by.get("<has_code", []))))
    else:
        papers = [v for v in G.pred[n] if _kind(G, v) == "paper"]
        rows.append(("papers", str(len(papers))))
        if "unit_of" in by or "<unit_of" in by:
            rows += [("part of", _listed(by.get("unit_of", []))), ("units", _listed(by.get("<unit_of", [])))]
    degree = G.degree(n)
    rows.append(("links in graph", str(degree)))
    return {"kind": kind, "label": G.nodes[n]["label"], "degree": degree, "rows": [r for r in rows if r[1]], "links": links}


def _incident(G, n: str):
    """(neighbour, relation) pairs; incoming relations are prefixed with ``<``."""
    for v, keys in G.succ[n].items():
        for rel in keys:
            yield v, rel
    for v, keys in G.pred[n].items():
        for rel in keys:
            yield v, f"<{rel}"


def _listed(items: list[str]) -> str:
    items = sorted(set(items))
    more = len(items) - FACT_ITEMS
    return "; ".join(items[:FACT_ITEMS]) + (f" … and {more} more" if more > 0 else "")
