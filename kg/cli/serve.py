"""``kg serve`` and ``kg push``: share the store over HTTP, or move it into a SPARQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .ingest import STORE
from .output import fail, guarded


@guarded
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(7878, "--port", min=0, max=65535, help="Port (0: any free one, printed)."),
    allow_update: bool = typer.Option(False, "--allow-update", help="Accept SPARQL Update at /sparql."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.01, help="Seconds a SPARQL query may run."),
    max_rows: int = typer.Option(100_000, "--max-rows", min=1, help="Most rows (or triples) a SPARQL answer has."),
    workers: int = typer.Option(2, "--workers", min=1, help="Query processes (SPARQL queries run at once)."),
    store: Optional[Path] = STORE,
) -> None:
    """Serve the store: SPARQL 1.1 Protocol at /sparql, JSON at /api/*, live views at /view/*.

    Keeps answering while `kg build` adds data: each request sees the store before or after a
    build, never between.
    """
    import socket

    import uvicorn

    from ..serve import create_app

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    app = create_app(store, allow_update=allow_update, timeout=timeout, max_rows=max_rows, workers=workers)
    bound = sock.getsockname()[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/"
    typer.echo(f"serving {store or 'the store'} at {url} (SPARQL at {url}sparql); Ctrl-C stops", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5))
    server.run(sockets=[sock])
