"""Where a view's nodes go: positions in pixels, and clusters drawn as named regions.

Positions are computed here, not by vis-network's physics, which takes minutes to settle past a
few hundred nodes. Clusters are Louvain communities: in a large view each is laid out on its own
and packed in rows, largest first (a 1,500-node view takes well under a second); a small
connected neighbourhood gets one spring layout, which keeps its centre central.
"""

from __future__ import annotations

import math

SPACING = 42.0  # pixels per node along a cluster's radius, at zoom 1
BIG = 250  # clusters above this are split again, or laid out on shells: dense spring layout is O(n²)
PAD = 26.0  # a region's margin around its nodes, in pixels at zoom 1
NAMED_BY = ("method", "topic", "benchmark", "category")  # what a cluster can be named after
NAME_CHARS = 28


def layout(G, *, seed: int = 1) -> tuple[dict, list[list]]:
    """Node positions ``{node: (x, y)}`` and the clusters (lists of nodes, largest first)."""
    import networkx as nx

    U = _ordered(G, G)
    clusters = _clusters(U, seed)
    if 0 < len(U) <= BIG and nx.is_connected(U):
        local, _ = _local(U, seed)
        return local, clusters
    boxes = [_local(_ordered(U, c), seed) for c in clusters]
    pos: dict = {}
    width = max(math.sqrt(sum((2 * r) ** 2 for _, r in boxes)) * 1.2, max((2 * r for _, r in boxes), default=0))
    x = y = row = 0.0
    for local, r in boxes:
        if x and x + 2 * r > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + r, y + r
        pos.update({n: (cx + px, cy + py) for n, (px, py) in local.items()})
        x, row = x + 2 * r, max(row, 2 * r)
    return pos, clusters


def regions(G, pos: dict, clusters: list[list], *, smallest: int = 4) -> list[dict]:
    """Clusters of at least ``smallest`` nodes as ``{name, nodes, outline}``: the outline is the
    convex hull of the members, ``PAD`` pixels out; the name is :func:`cluster_name`'s."""
    out = []
    ring = [(PAD * math.cos(2 * math.pi * i / 12), PAD * math.sin(2 * math.pi * i / 12)) for i in range(12)]
    for members in clusters:
        if len(members) < smallest:
            continue
        points = [(pos[n][0] + dx, pos[n][1] + dy) for n in members for dx, dy in ring]
        name = cluster_name(G, members)
        out.append({"name": name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…", "nodes": len(members),
                    "outline": [[round(x), round(y)] for x, y in hull(points)]})
    return out


def cluster_name(G, members) -> str:
    """The label of the member most connected inside the cluster among its methods, topics,
    benchmarks and categories (the first of these kinds on a tie), else among all its members.

    >>> import networkx as nx
    >>> G = nx.Graph([("p1", "m"), ("p2", "m"), ("p1", "c")])
    >>> nx.set_node_attributes(G, {"p1": "paper", "p2": "paper", "m": "method", "c": "category"}, "kind")
    >>> nx.set_node_attributes(G, {"p1": "P1", "p2": "P2", "m": "GRPO", "c": "cs.LG"}, "label")
    >>> cluster_name(G, ["p1", "p2", "m", "c"])
    'GRPO'
    """
    inside = set(members)
    order = {kind: i for i, kind in enumerate(NAMED_BY)}

    def rank(n):
        return (-sum(1 for v in _neighbours(G, n) if v in inside), order.get(G.nodes[n].get("kind"), len(order)), str(n))

    named = [n for n in members if G.nodes[n].get("kind") in order] or list(members)
    return str(G.nodes[min(named, key=rank)].get("label", ""))


def hull(points) -> list[tuple[float, float]]:
    """The convex hull of ``points``, counter-clockwise (Andrew's monotone chain).

    >>> hull([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2)])
    [(0, 0), (2, 0), (2, 2), (0, 2)]
    """
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    upper: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _neighbours(G, n):
    if G.is_directed():
        return (*G.succ[n], *G.pred[n])
    return G[n]


def _ordered(G, nodes):
    """An undirected copy of ``G`` on ``nodes`` with sorted nodes and edges.

    Subgraph views iterate small node sets in set (hash) order, which changes from run to run;
    layouts depend on order, so the same view must always be built the same way.
    """
    import networkx as nx

    keep = set(nodes)
    U = nx.Graph()
    U.add_nodes_from(sorted(keep))
    # only the edges at these nodes: a cluster's, not every edge of the view once per cluster
    U.add_edges_from(sorted(tuple(sorted((u, v))) for u, v in G.edges(keep) if u != v and u in keep and v in keep))
    return U


def _clusters(U, seed: int) -> list[list]:
    import networkx as nx

    found = nx.community.louvain_communities(U, seed=seed) if U.number_of_edges() else [{n} for n in U]
    out = []
    for c in found:
        parts = nx.community.louvain_communities(_ordered(U, c), seed=seed, resolution=4) if len(c) > BIG else [c]
        # a star (a category and its papers) falls apart into single nodes: keep it whole, on shells
        alone = sum(len(part) for part in parts if len(part) == 1)
        out += parts if len(parts) > 1 and alone < 0.3 * len(c) else [c]
    return [sorted(c) for c in sorted(out, key=lambda c: (-len(c), min(c)))]


def _local(S, seed: int) -> tuple[dict, float]:
    """Positions of one cluster around (0, 0), and its radius."""
    import networkx as nx

    n = len(S)
    if n == 1:
        return {next(iter(S)): (0.0, 0.0)}, SPACING / 2
    radius = max(SPACING * math.sqrt(n) * 0.75, 5 * SPACING)
    if n <= BIG:
        pos = nx.spring_layout(S, seed=seed, iterations=40 if n > 100 else 60, method="force")
    else:  # most connected in the middle, the rest on rings of growing size
        order = sorted(S, key=lambda v: (-S.degree(v), v))
        pos, ring, i = {}, 0, 0
        while i < len(order):
            count = max(1, 6 * ring)
            for j, v in enumerate(order[i:i + count]):
                a = 2 * math.pi * j / count
                pos[v] = (ring * math.cos(a), ring * math.sin(a))
            i, ring = i + count, ring + 1
    far = max(math.hypot(*p) for p in pos.values()) or 1.0
    nodes = list(pos)
    gap = SPACING * (2.0 if n <= 60 else 0.8)  # small views have room for their labels
    xy = _spread([(pos[v][0] / far * radius, pos[v][1] / far * radius) for v in nodes], gap)
    return dict(zip(nodes, map(tuple, xy.tolist()))), float(max(math.hypot(x, y) for x, y in xy)) + SPACING / 2


def _spread(xy, gap: float, rounds: int = 12):
    """Push apart nodes closer than ``gap`` (spring layouts pack cliques into one spot)."""
    import numpy as np

    xy = np.asarray(xy, dtype=np.float64)
    if len(xy) > 2 * BIG:  # pairwise arrays would cost more than the overlap does
        return xy
    rng = np.random.default_rng(0)
    xy += rng.normal(scale=1e-3, size=xy.shape)  # coincident points need a direction to move in
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        push = np.clip(gap - dist, 0, None)
        if not push.any():
            break
        xy += (delta / dist[..., None] * push[..., None] / 2).sum(axis=1)
    return xy
