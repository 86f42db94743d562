"""``kg serve`` and ``kg push``: share the store over HTTP, or move it into a SPARQL server."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from .ingest import STORE
from .output import console, fail, guarded, is_tty


@guarded
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(7878, "--port", min=0, max=65535, help="Port (0: any free one, printed)."),
    allow_update: bool = typer.Option(False, "--allow-update", help="Accept SPARQL Update at /sparql."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.01, help="Seconds a SPARQL query may run."),
    max_rows: int = typer.Option(100_000, "--max-rows", min=1, help="Most rows (or triples) a SPARQL answer has."),
    workers: int = typer.Option(2, "--workers", min=1, help="Query processes (SPARQL queries run at once)."),
    memory: int = typer.Option(1024, "--memory", min=512, help="MiB of memory each query process may use."),
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
    app = create_app(store, allow_update=allow_update, timeout=timeout, max_rows=max_rows, workers=workers,
                     memory=memory << 20)
    bound = sock.getsockname()[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/"
    typer.echo(f"serving {store or 'the store'} at {url} (SPARQL at {url}sparql); Ctrl-C stops", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5))
    server.run(sockets=[sock])


@guarded
def push(
    endpoint: str = typer.Option(..., "--endpoint", help="The server's SPARQL query URL, e.g. http://host:7878/query "
                                 "(Oxigraph) or http://host:8890/sparql (Virtuoso)."),
    graph: Optional[str] = typer.Option(None, "--graph", help="Put everything into this one graph (IRI) instead "
                                        "of one graph per digest."),
    replace: bool = typer.Option(False, "--replace", help="Replace the target graphs (default: add to them)."),
    gsp: Optional[str] = typer.Option(None, "--gsp", help="Graph Store Protocol URL, if not the server's usual one."),
    update_url: Optional[str] = typer.Option(None, "--update-endpoint", help="SPARQL Update URL, if not the usual one."),
    batch: int = typer.Option(20_000, "--batch", min=1, help="Triples per request."),
    store: Optional[Path] = STORE,
) -> None:
    """Load the store into a SPARQL 1.1 server, one named graph per digest (provenance kept).

    Uses the Graph Store HTTP Protocol, or SPARQL Update where the server has none; batched and
    resumable: a re-run skips the graphs already pushed whole (recorded in the store directory).
    """
    from ..serve.snapshots import Snapshots
    from ..store import default_path
    from ..store.remote import Remote, push as run

    # read a checkpoint, not the store itself: a build may run while a long push goes on
    snapshots = Snapshots(store if store is not None else default_path())
    snap = snapshots.use()
    try:
        with Remote(endpoint, update_url=update_url, gsp_url=gsp) as remote:
            options = {"graph": graph, "replace": replace, "batch": batch, "state_dir": snapshots.source}
            if is_tty():
                with _progress_bars() as progress:
                    report = run(snap.store(), remote, progress=progress, **options)
            else:
                report = run(snap.store(), remote, **options)
    finally:
        snapshots.release(snap)
        snapshots.close()
    if not report.graphs:
        typer.echo(f"nothing to push: the {len(report.skipped)} graph(s) are on {endpoint} already")
        return
    how = "Graph Store Protocol" if report.method == "gsp" else "SPARQL Update"
    rate = f", {report.triples / report.seconds:,.0f} triples/s" if report.seconds and report.triples else ""
    skipped = f"; {len(report.skipped)} already there" if report.skipped else ""
    typer.echo(f"pushed {len(report.graphs)} graph(s), {report.triples:,} triples to {endpoint} by {how} "
               f"in {report.seconds:.1f} s{rate}{skipped}")


@contextmanager
def _progress_bars():
    """A progress callback drawing one bar per graph on stderr (rich), while the block runs."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    tasks: dict[str, int] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True, console=console(stderr=True)) as bar:
        def progress(source: str, sent: int, total: int) -> None:
            if source not in tasks:
                tasks[source] = bar.add_task(source.rsplit("/", 1)[-1][:16], total=total)
            bar.update(tasks[source], completed=sent)

        yield progress
