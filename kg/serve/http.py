"""What every endpoint shares: HTTP errors, the snapshot a request reads, query parameters."""

from __future__ import annotations

from contextlib import contextmanager
from functools import wraps

from starlette.requests import Request
from starlette.responses import Response

from ..errors import KGError


class HTTPError(KGError):
    """A request the server rejects, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@contextmanager
def snapshot(request: Request):
    """The store as this request sees it (:class:`kg.serve.snapshots.Snapshot`), held until the end."""
    snapshots = request.app.state.snapshots
    snap = snapshots.use()
    try:
        yield snap
    finally:
        snapshots.release(snap)


def on_snapshot(endpoint):
    """Make ``endpoint(request, snap) -> Response`` a GET endpoint that reads the request's
    snapshot and keeps its answers there: the same request on the same snapshot is answered
    from memory (errors are not kept)."""

    @wraps(endpoint)
    def run(request: Request) -> Response:
        key = (request.url.path, request.url.query)
        with snapshot(request) as snap:
            kept = snap.responses.get(key)
            if kept is None:
                response = endpoint(request, snap)
                kept = (response.body, response.media_type)
                snap.responses.put(key, *kept)
            return Response(kept[0], media_type=kept[1])

    return run


def text(request: Request, key: str) -> str:
    """A required, non-blank query parameter."""
    value = request.query_params.get(key, "")
    if not value.strip():
        raise HTTPError(400, f"missing query parameter `{key}`")
    return value


def number(request: Request, key: str, default: int | None, *, high: int | None = None) -> int | None:
    """A whole-number query parameter from 1 (to ``high``), or ``default`` when absent."""
    raw = request.query_params.get(key)
    if raw is None:
        return default
    value = int(raw) if raw.isdigit() else 0
    if value < 1 or (high is not None and value > high):
        raise HTTPError(400, f"`{key}` must be a whole number from 1{f' to {high}' if high else ' up'}, not {raw!r}")
    return value
