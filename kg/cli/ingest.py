"""``kg build``, ``kg stats`` and ``kg export``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .output import console, emit_json, fail, guarded, is_tty, table

STORE = typer.Option(None, "--store", envvar="KG_STORE", help="Store directory (default .kg).")


@guarded
def build(
    paths: list[Path] = typer.Argument(..., help="Digest files or folders."),
    store: Optional[Path] = STORE,
    format: Optional[str] = typer.Option(None, "--format", help="Force a layout: arxivdaily, digest-md, topic-table."),
    strict: bool = typer.Option(False, "--strict", help="Store nothing if any entry is bad."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Skip method/benchmark extraction."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Parse digests and add them to the store (incremental, atomic)."""
    from ..build import build as run

    if is_tty() and not as_json:
        from rich.progress import Progress

        with Progress(transient=True, console=console(stderr=True)) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total or 1)
                bar.update(tasks[stage], completed=done, total=total or 1)

            report = run(paths, store=store, format=format, strict=strict, extract=not no_extract, progress=progress)
    else:
        report = run(paths, store=store, format=format, strict=strict, extract=not no_extract)
    problems = [str(p) for p in report.problems]
    if as_json:
        emit_json({
            "files": [vars(f) for f in report.files], "papers": report.papers, "links": report.links,
            "triples_before": report.triples_before, "triples_after": report.triples_after, "problems": problems,
        })
    else:
        table("Build", ["file", "format", "entries", "status"],
              [(f.path, f.format or "-", f.entries, f.status) for f in report.files], justify=("left", "left", "right"))
        err = console(stderr=True)
        for p in problems:
            err.print(f"[yellow]warning:[/] {p}", markup=True, highlight=False) if is_tty() else typer.echo(f"warning: {p}", err=True)
        typer.echo(f"{report.papers} entries read, {report.links} method/benchmark links, "
                   f"triples {report.triples_before} -> {report.triples_after}, {len(problems)} problem(s)")
    if not report.read_anything:
        fail("nothing could be read" + (f": {problems[0]}" if problems else ""))


@guarded
def stats(store: Optional[Path] = STORE, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts of nodes per type, edges per relation, papers per source file."""
    from ..explore.stats import stats as compute
    from ..store import Store

    with Store(store) as db:
        data = compute(db)
    if as_json:
        emit_json(data)
        return
    table("Nodes", ["type", "count"], sorted(data["nodes"].items()), justify=("left", "right"))
    table("Edges", ["relation", "count"], sorted(data["edges"].items()), justify=("left", "right"))
    table("Papers per source", ["digest", "papers"], sorted(data["sources"].items()), justify=("left", "right"))
    typer.echo(f"{data['triples']} triples")


@guarded
def export(
    format: str = typer.Option("turtle", "--format", "-f", help="turtle, nt, nquads, trig, jsonld, rdfxml, graphml, gexf, jsonl."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file (default exports/kg.<ext>)."),
    store: Optional[Path] = STORE,
) -> None:
    """Write the graph in a standard format."""
    from ..export import export as run
    from ..store import Store

    with Store(store) as db:
        path = run(db, format, out)
    typer.echo(f"wrote {path}")
