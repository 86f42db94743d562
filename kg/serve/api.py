"""``/api/neighbors``, ``/api/search``, ``/api/show``, ``/api/path``: the CLI's ``--json`` over HTTP.

Each endpoint takes the CLI command's options as query parameters and answers with the same
bytes ``kg <command> --json`` prints (:func:`kg.explore.to_json`), read from the server's snapshot.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..explore import to_json
from ..explore.paths import DEFAULT_VIA, path as find_path
from ..explore.answers import neighborhood
from ..explore.resolve import resolve
from ..explore.search import search as find
from ..explore.show import show as describe
from .http import number, on_snapshot, text


@on_snapshot
def neighbors(request: Request, snap) -> Response:
    """``?name=&depth=1&type=&relation=&limit=10&pick=`` as ``kg neighbors --json``."""
    q = request.query_params
    depth, limit, pick = number(request, "depth", 1, high=2), number(request, "limit", 10), number(request, "pick", None)
    node = resolve(snap.index(), text(request, "name"), kind=q.get("type"), pick=pick)
    return _json(neighborhood(snap.index(), node, depth=depth, relation=q.get("relation"), limit=limit))


@on_snapshot
def show(request: Request, snap) -> Response:
    """``?name=&type=&limit=50&pick=`` as ``kg show --json``."""
    limit, pick = number(request, "limit", 50), number(request, "pick", None)
    store, index = snap.store(), snap.index()
    node = resolve(index, text(request, "name"), kind=request.query_params.get("type"), pick=pick)
    return _json(describe(store, node, limit=limit, index=index))


@on_snapshot
def search(request: Request, snap) -> Response:
    """``?q=&limit=10`` as ``kg search --json``."""
    limit = number(request, "limit", 10)
    return _json(find(snap.index(), text(request, "q"), limit=limit))


@on_snapshot
def path(request: Request, snap) -> Response:
    """``?from=&to=&via=`` (``via`` repeatable) as ``kg path --json``."""
    a, b, via = text(request, "from"), text(request, "to"), tuple(request.query_params.getlist("via") or DEFAULT_VIA)
    index = snap.index()
    return _json(find_path(index, resolve(index, a), resolve(index, b), via=via))


def _json(data) -> Response:
    return Response(to_json(data), media_type="application/json")
