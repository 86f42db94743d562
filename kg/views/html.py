"""Interactive HTML pages of a graph view, drawn by vis-network through pyvis.

A page is one self-contained file that works from ``file://`` offline: vis-network is inlined
from pyvis's own copy and kg's template (``kg/views/templates/view.html``) loads nothing else.
Positions are computed here and physics is off, because vis-network's physics takes minutes to
settle past a few hundred nodes; clusters (Louvain communities) are laid out apart and drawn on
a tinted disc so they stay visible.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

STYLE = {  # kind: (vis-network shape, colour, legend glyph)
    "paper": ("dot", "#4e79a7", "●"),
    "author": ("triangle", "#f28e2b", "▲"),
    "institution": ("square", "#76b7b2", "■"),
    "method": ("diamond", "#e15759", "◆"),
    "benchmark": ("star", "#59a14f", "★"),
    "category": ("hexagon", "#d4a72c", "⬢"),
    "topic": ("hexagon", "#b07aa1", "⬢"),
    "venue": ("triangleDown", "#ff9da7", "▼"),
    "code": ("square", "#9c755f", "■"),
}
OTHER = ("dot", "#999999", "●")
HALOS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"]
SPACING = 42.0  # pixels per node along a cluster's radius, at zoom 1
BIG = 250  # clusters above this are split again, or laid out on shells: dense spring layout is O(n²)
LABEL_CHARS = 32


def layout(G, *, seed: int = 1) -> tuple[dict, list]:
    """Node positions in pixels, and the clusters as ``(x, y, radius)`` discs.

    Louvain communities are laid out one by one (spring layout seeded from ``seed``) and packed
    in rows, largest first, so a 1,500-node view takes well under a second.
    """
    import networkx as nx

    U = _ordered(G, G)
    if 0 < len(U) <= BIG and nx.is_connected(U):  # one neighbourhood: a single spring layout keeps its centre central
        local, _ = _local(U, seed)
        return local, []
    boxes = [_local(_ordered(U, c), seed) for c in _clusters(U, seed)]
    pos: dict = {}
    halos: list = []
    width = max(math.sqrt(sum((2 * r) ** 2 for _, r in boxes)) * 1.2, max((2 * r for _, r in boxes), default=0))
    x = y = row = 0.0
    for local, r in boxes:
        if x and x + 2 * r > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + r, y + r
        pos.update({n: (cx + px, cy + py) for n, (px, py) in local.items()})
        if len(local) > 3:
            halos.append((round(cx), round(cy), round(r)))
        x, row = x + 2 * r, max(row, 2 * r)
    return pos, halos


def _ordered(G, nodes):
    """An undirected copy of ``G`` on ``nodes`` with sorted nodes and edges.

    Subgraph views iterate small node sets in set (hash) order, which changes from run to run;
    layouts depend on order, so the same view must always be built the same way.
    """
    import networkx as nx

    keep = set(nodes)
    U = nx.Graph()
    U.add_nodes_from(sorted(keep))
    U.add_edges_from(sorted(tuple(sorted((u, v))) for u, v in G.edges() if u != v and u in keep and v in keep))
    return U


def _clusters(U, seed: int) -> list:
    import networkx as nx

    found = nx.community.louvain_communities(U, seed=seed) if U.number_of_edges() else [{n} for n in U]
    out = []
    for c in found:
        parts = nx.community.louvain_communities(U.subgraph(c), seed=seed, resolution=4) if len(c) > BIG else [c]
        out += parts if len(parts) > 1 else [c]
    return sorted(out, key=lambda c: (-len(c), min(c)))


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
    return dict(zip(nodes, map(tuple, xy))), float(max(math.hypot(x, y) for x, y in xy)) + SPACING / 2


def _spread(xy, gap: float, rounds: int = 12):
    """Push apart nodes closer than ``gap`` (spring layouts pack cliques into one spot)."""
    import numpy as np

    xy = np.asarray(xy, dtype=np.float32)
    if len(xy) > 2 * BIG:  # pairwise arrays would cost more than the overlap does
        return xy
    rng = np.random.default_rng(0)
    xy += rng.normal(scale=1e-3, size=xy.shape).astype(np.float32)  # coincident points need a direction to move in
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        push = np.clip(gap - dist, 0, None)
        if not push.any():
            break
        xy += (delta / dist[..., None] * push[..., None] / 2).sum(axis=1)
    return xy


def render(view) -> str:
    """The HTML page of a :class:`kg.views.data.View`."""
    from pyvis.network import Network

    H = view.graph
    pos, halos = layout(H)
    # directed=True only stops pyvis searching all edges for a duplicate on each add (O(E²));
    # edges are deduplicated below and drawn without arrows
    net = Network(directed=True, cdn_resources="in_line")
    for n in sorted(H):
        kind = H.nodes[n].get("kind", "")
        shape, colour, _ = STYLE.get(kind, OTHER)
        label = str(H.nodes[n].get("label", n))
        x, y = pos[n]
        net.add_node(n, label=label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…", shape=shape,
                     color=colour, size=round(7 + 3 * math.sqrt(view.facts[n]["degree"]), 1), x=round(x), y=round(y),
                     kind=kind)
    for (u, v), (relations, weight) in _edges(H).items():
        net.add_edge(u, v, arrows="", title=_edge_title(relations, weight), width=round(1 + 1.5 * math.log2(weight), 2))
    nodes, edges, *_ = net.get_network_data()
    kinds = {}
    for node in nodes:
        kinds[node["kind"]] = kinds.get(node["kind"], 0) + 1
    legend = [(k, STYLE.get(k, OTHER)[2], STYLE.get(k, OTHER)[1], kinds[k]) for k in dict.fromkeys([*STYLE, *sorted(kinds)]) if k in kinds]
    data = {"nodes": nodes, "edges": edges, "facts": view.facts, "halos": halos, "halo_colours": HALOS,
            "focus": view.focus, "kinds": kinds}
    return _template().render(
        title=view.title, cut=view.cut, n_nodes=len(nodes), n_edges=len(edges), legend=legend,
        data=_script_json(data), vis_js=_asset("vis-9.1.2/vis-network.min.js"), vis_css=_asset("vis-9.1.2/vis-network.css"),
    )


def write(view, path: str | Path) -> Path:
    """Write the page of ``view`` to ``path`` (parents created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(render(view), encoding="utf-8")
    tmp.replace(path)
    return path


def _edges(H) -> dict:
    """One entry per node pair: the relations between them and a weight (shared papers, or 1)."""
    out: dict = {}
    for u, v, data in sorted(H.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        if u == v:
            continue
        key = (u, v) if (v, u) not in out else (v, u)
        relations, weight = out.get(key, (set(), 0))
        relations.add(data.get("relation", ""))
        out[key] = (relations, max(weight, data.get("weight", 1)))
    return out


def _edge_title(relations: set, weight: int) -> str:
    text = ", ".join(sorted(r.replace("_", " ") for r in relations if r))
    return f"{text}: {weight} shared papers" if weight > 1 else text


def _script_json(data) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, no HTML comment opener."""
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return Markup(text)


def _asset(name: str) -> str:
    import pyvis
    from markupsafe import Markup

    text = (Path(pyvis.__file__).parent / "lib" / name).read_text(encoding="utf-8")
    return Markup(text.replace("</script", "<\\/script"))


def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("kg.views", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("view.html")
