"""Interactive HTML pages of a graph view, drawn by vis-network.

A page is one self-contained file that works from ``file://`` offline: vis-network is inlined
from pyvis's bundled copy and kg's template (``kg/views/templates/view.html``) loads nothing
else. Positions and clusters come from :mod:`.layout` (physics is off). The page draws its own
labels: the hubs' always, the others as zoom makes room, never two on top of each other.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .layout import layout, regions

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
RELATIONS = {  # relation: (legend text, colour, dash pattern or None); the first a pair has wins
    "proposes_method": ("proposes method", "#c03b3d", None),
    "uses_method": ("uses method", "#eb9394", None),
    "proposes_benchmark": ("proposes benchmark", "#3b7d34", None),
    "evaluated_on": ("evaluated on", "#8fc987", None),
    "authored": ("authored", "#f5b77a", None),
    "coauthor": ("co-authors", "#f28e2b", None),
    "affiliated_with": ("affiliated with", "#76b7b2", [6, 4]),
    "unit_of": ("unit of", "#4f9a94", [2, 3]),
    "in_category": ("in category", "#d4a72c", [2, 4]),
    "in_topic": ("in topic", "#b07aa1", [2, 4]),
    "presented_at": ("presented at", "#ff9da7", [6, 4]),
    "has_code": ("code", "#9c755f", [6, 4]),
}
UNSTYLED = ("", "#c3c9d1", None)
REGION_COLOURS = [  # (fill, text): the text a darker shade of the fill, to be read on white
    ("#4e79a7", "#2f4d6e"), ("#f28e2b", "#a35400"), ("#59a14f", "#2f6627"), ("#e15759", "#a3262a"),
    ("#b07aa1", "#74456a"), ("#76b7b2", "#35706b"), ("#edc948", "#8a6d00"), ("#9c755f", "#634634")]
LABEL_CHARS = 28  # longer labels are cut with …; the full label is in the tooltip and the node list
HUBS = (6, 30)  # a view has about √n hubs, at least 6 and at most 30


def hubs(view) -> list[str]:
    """The nodes whose labels are always drawn: the focus, then the most connected (about √n)."""
    ranked = sorted(view.graph, key=lambda n: (n != view.focus, -view.facts[n]["degree"], n))
    return ranked[: min(len(ranked), max(HUBS[0], min(HUBS[1], round(math.sqrt(len(ranked))))))]


def render(view) -> str:
    """The HTML page of a :class:`kg.views.data.View`."""
    H = view.graph
    pos, clusters = layout(H)
    ranked_hubs = hubs(view)
    hub = set(ranked_hubs)
    nodes = []
    for n in sorted(H):
        data = H.nodes[n]
        kind = data.get("kind", "")
        shape, colour, _ = STYLE.get(kind, OTHER)
        label = str(data.get("label", n))
        x, y = pos[n]
        nodes.append({"id": n, "kind": kind, "shape": shape, "color": colour, "x": round(x), "y": round(y),
                      "size": round(7 + 3 * math.sqrt(view.facts[n]["degree"]), 1),
                      "text": label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…",
                      "t": _time(data)})
    edges, used = [], {}
    for (u, v), (relations, weight) in _edges(H).items():
        rel = next((r for r in RELATIONS if r in relations), sorted(relations)[0] if relations else "")
        _, colour, dashes = RELATIONS.get(rel, UNSTYLED)
        used[rel] = used.get(rel, 0) + 1
        edges.append({"from": u, "to": v, "rel": rel, "color": colour, "dashes": dashes or False,
                      "width": round(1 + 1.5 * math.log2(weight), 2), "title": _edge_title(relations, weight)})
    kinds: dict[str, int] = {}
    for node in nodes:
        kinds[node["kind"]] = kinds.get(node["kind"], 0) + 1
    legend = [(k, STYLE.get(k, OTHER)[2], STYLE.get(k, OTHER)[1], kinds[k]) for k in dict.fromkeys([*STYLE, *sorted(kinds)])
              if k in kinds]
    relation_legend = []
    for rel in dict.fromkeys([*RELATIONS, *sorted(used)]):
        if rel in used:
            text, colour, dashes = RELATIONS.get(rel, (rel.replace("_", " "), *UNSTYLED[1:]))
            relation_legend.append((rel, text, colour, _dash_css(dashes), used[rel]))
    times = sorted({node["t"] for node in nodes if node["t"]})
    data = {"nodes": nodes, "edges": edges, "facts": view.facts, "regions": regions(H, pos, clusters),
            "region_colours": REGION_COLOURS, "focus": view.focus, "kinds": kinds, "times": times, "hubs": ranked_hubs}
    return _template().render(
        title=view.title, cut=view.cut, n_nodes=len(nodes), n_edges=len(edges), legend=legend,
        relations=relation_legend, times=times, data=_script_json(data),
        vis_js=_asset("vis-9.1.2/vis-network.min.js"), vis_css=_asset("vis-9.1.2/vis-network.css"),
    )


def write(view, path: str | Path) -> Path:
    """Write the page of ``view`` to ``path`` (parents created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(render(view), encoding="utf-8")
    tmp.replace(path)
    return path


def _time(data: dict) -> str | None:
    """Where a node sits on the view's time slider: its first paper date, else its first digest's."""
    return data.get("first_date") or data.get("first_seen")


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


def _dash_css(dashes) -> str:
    return "solid" if not dashes else "dotted" if dashes[0] <= 2 else "dashed"


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
