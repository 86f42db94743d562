"""The HTML side: an index page (search box, query box, links) and the graph views drawn live.

``/view/method/{name}``, ``/view/coauthors/{name}``, ``/view/paper/{id}``, ``/view/node/{name}``
and ``/view/overview`` render :mod:`kg.views` pages from the server's snapshot; names are only
looked up in the graph, never used as paths.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..explore.resolve import resolve
from .http import number, on_snapshot

VIEWS = {"method": "method", "coauthors": "author", "paper": "paper", "node": None}  # /view/X → node kind
SELECT = {"method": "method_view", "coauthors": "coauthor_view", "paper": "node_view", "node": "node_view"}
TOP = 12  # links per list on the index page


@on_snapshot
def index(request: Request, snap) -> HTMLResponse:
    """The start page; ``?q=`` adds search hits."""
    from ..explore.search import search

    text = request.query_params.get("q", "").strip()
    hits = search(snap.index(), text, limit=20) if text else []
    lists = snap.cached("top", lambda: _top(snap.store()))
    html = _template("index.html").render(q=text, hits=hits, lists=lists, quote=lambda s: quote(s, safe=""),
                                          example="SELECT ?title WHERE {\n  ?paper kg:usesMethod/skos:prefLabel ?m ;"
                                                  " dcterms:title ?title .\n} LIMIT 10")
    return HTMLResponse(html)


@on_snapshot
def view(request: Request, snap) -> HTMLResponse:
    """``/view/{what}/{name}?depth=1``: a method, an author's co-authors, a paper or any node.

    ``{what}`` is the route's own segment (one of VIEWS), never a value taken from the client.
    """
    from ..views import data
    from ..views.html import render

    what, name = request.url.path.split("/")[2], request.path_params["name"]
    kind, select = VIEWS[what], getattr(data, SELECT[what])
    depth, pick = number(request, "depth", 1, high=2), number(request, "pick", None)
    node = resolve(snap.store(), name, kind=kind, pick=pick)
    return HTMLResponse(render(select(snap.index(), node.iri, depth=depth)))


@on_snapshot
def overview(request: Request, snap) -> HTMLResponse:
    """``/view/overview?top=N``: the whole graph, or its N most connected nodes."""
    from ..views.data import overview as select
    from ..views.html import render

    return HTMLResponse(render(select(snap.index(), top=number(request, "top", None))))


def _top(store) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """(title, view, [(label, papers)]) for the most used methods and benchmarks and the busiest authors."""
    lists = []
    for title, view, pattern in (
        ("Methods", "method", "?p kg:proposesMethod|kg:usesMethod ?x . ?x skos:prefLabel ?l"),
        ("Benchmarks", "node", "?p kg:proposesBenchmark|kg:evaluatesOn ?x . ?x skos:prefLabel ?l"),
        ("Authors", "coauthors", "?p dcterms:creator ?x . ?x foaf:name ?l"),
    ):
        rows = store.select(f"SELECT ?l (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {pattern} }} GROUP BY ?l "
                            f"ORDER BY DESC(?n) ?l LIMIT {TOP}")
        lists.append((title, view, [(r["l"], int(r["n"])) for r in rows]))
    return lists


def _template(name: str):
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("kg.serve", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template(name)
