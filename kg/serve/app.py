"""``create_app(store)``: the Starlette application behind ``kg serve``."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..errors import Ambiguous, KGError, NotFound, QueryTimeout, StoreError, TooManyResults
from . import api, pages, sparql
from .http import HTTPError
from .snapshots import Snapshots
from .workers import QueryPool

STATUS = ((NotFound, 404), (Ambiguous, 409), (QueryTimeout, 503), (TooManyResults, 413), (StoreError, 503))


def create_app(store_path: str | Path | None = None, *, allow_update: bool = False, timeout: float = 30.0,
               max_rows: int = 100_000, workers: int = 2, memory: int | None = None) -> Starlette:
    """The server of the kg store at ``store_path`` (default ``$KG_STORE`` or ``.kg``).

    Args:
        allow_update: accept SPARQL Update at /sparql (else 403).
        timeout: seconds a SPARQL query may run before it is stopped (503).
        max_rows: most rows (or triples) a SPARQL answer may have (else 413).
        workers: query processes, each answering one SPARQL query at a time.
        memory: bytes of address space a query process may use (default that of ``kg sparql``).

    Raises StoreError when there is no store to serve.
    """
    from ..store import default_path

    snapshots = Snapshots(store_path if store_path is not None else default_path())
    pool = QueryPool(workers, timeout=timeout, max_rows=max_rows, memory=memory)

    @asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            pool.close()
            snapshots.close()

    routes = [
        Route("/", pages.index),
        Route("/sparql", sparql.endpoint, methods=["GET", "POST"], name="sparql"),
        Route("/api/neighbors", api.neighbors),
        Route("/api/show", api.show),
        Route("/api/search", api.search),
        Route("/api/path", api.path),
        Route("/view/overview", pages.overview),
        *(Route(f"/view/{what}/{{name:path}}", pages.view) for what in pages.VIEWS),
    ]
    app = Starlette(routes=routes, exception_handlers={KGError: _error}, lifespan=lifespan)
    app.state.snapshots, app.state.pool, app.state.allow_update = snapshots, pool, allow_update
    return app


async def _error(request: Request, exc: KGError) -> Response:
    """A KGError as an HTTP error: JSON under /api (with the choices of an ambiguous name), else text."""
    status = exc.status if isinstance(exc, HTTPError) else next((s for cls, s in STATUS if isinstance(exc, cls)), 400)
    message = " ".join(str(exc).split())
    if request.url.path.startswith("/api/"):
        body = {"error": message}
        if isinstance(exc, Ambiguous):
            body["choices"] = [{"iri": n.iri, "kind": n.kind, "label": n.label} for n in exc.choices]
        return JSONResponse(body, status_code=status)
    if isinstance(exc, Ambiguous):
        message += ": " + "; ".join(f"{n.label} ({n.kind}, {n.iri})" for n in exc.choices[:20]) + " (add ?pick=N)"
    return PlainTextResponse(f"Error: {message}\n", status_code=status)
