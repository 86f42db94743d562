"""``kg build``, ``kg stats`` and ``kg export``."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from .output import console, emit_json, fail, guarded, is_tty, table

STORE = typer.Option(None, "--store", envvar="KG_STORE", help="Store directory (default .kg).")


@guarded
def build(
    paths: list[Path] = typer.Argument(..., help="Digest files or folders."),
    store: Optional[Path] = STORE,
    format: Optional[str] = typer.Option(None, "--format", help="Force a layout (see README: What it reads)."),
    strict: bool = typer.Option(False, "--strict", help="Store nothing if any entry is bad."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Skip method/benchmark extraction."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every problem, not a summary by kind."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="List no problems, only their count."),
    report_file: Optional[Path] = typer.Option(None, "--report", help="Write the whole report (every problem) as JSON."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Parse digests and add them to the store (incremental, atomic)."""
    from ..build import build as run

    if verbose and quiet:
        fail("--verbose and --quiet exclude each other")
    options = dict(store=store, format=format, strict=strict, extract=not no_extract)
    if is_tty() and not as_json:
        with _progress() as progress:
            report = run(paths, progress=progress, **options)
    else:
        report = run(paths, **options)
    data = _report_data(report)
    if report_file:
        _write_json(report_file, data)
    if as_json:
        emit_json(data)
    else:
        _print_report(report, verbose=verbose, quiet=quiet)
    if not report.read_anything:
        fail("nothing could be read" + (f": {report.problems[0]}" if report.problems else ""))


@contextmanager
def _progress():
    """A rich progress display on stderr, yielding the build's ``progress(stage, done, total, detail)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    with Progress(*columns, transient=True, console=console(stderr=True)) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int, detail: str = "") -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or 1, detail=detail)
            bar.update(tasks[stage], completed=done, total=total or 1, detail=detail)

        yield progress


def _report_data(report) -> dict:
    from dataclasses import asdict

    from ..problems import kind, summarize

    return {
        "files": [asdict(f) for f in report.files], "papers": report.papers, "links": report.links,
        "triples_before": report.triples_before, "triples_after": report.triples_after,
        "problems": [{"path": p.path, "line": p.line, "message": p.message, "kind": kind(p)} for p in report.problems],
        "problem_kinds": [{"kind": k.kind, "count": k.count} for k in summarize(report.problems)],
    }


def _write_json(path: Path, data: dict) -> None:
    import json

    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"{path}: cannot write the report: {exc.strerror}")


def _share(part: int | None, whole: int) -> str:
    return "-" if part is None or not whole else f"{100 * part // whole}%"


def _print_report(report, *, verbose: bool, quiet: bool) -> None:
    """One line per file, then the problems: by kind with examples, all (verbose) or none (quiet)."""
    from ..problems import summarize

    rows = [(f.path, f.format or "-", f.papers, _share(f.with_authors, f.papers), _share(f.with_abstract, f.papers),
             _share(f.with_categories, f.papers), f.status) for f in report.files]
    table("Build", ["file", "format", "papers", "authors", "abstract", "categories", "status"], rows,
          justify=("left", "left", "right", "right", "right", "right"))
    if report.problems and not quiet:
        if verbose:
            _warn([str(p) for p in report.problems])
        else:
            lines = []
            for k in summarize(report.problems):
                if k.count == 1:
                    lines.append(str(k.examples[0]))
                    continue
                lines.append(f"{k.count} × {k.kind}")
                lines += [f"    {p}" for p in k.examples]
                if k.count > len(k.examples):
                    lines.append(f"    … {k.count - len(k.examples)} more (--verbose or --report FILE lists them)")
            _warn(lines)
    typer.echo(f"{report.papers} entries read, {report.links} method/benchmark links, "
               f"triples {report.triples_before} -> {report.triples_after}, {len(report.problems)} problem(s)")


def _warn(lines: list[str]) -> None:
    """Problem lines on stderr, in yellow on a terminal."""
    if is_tty():
        from rich.text import Text

        err = console(stderr=True)
        for line in lines:
            err.print(Text(line) if line.startswith(" ") else Text.assemble(("warning: ", "yellow"), line))
    else:
        for line in lines:
            typer.echo(line if line.startswith(" ") else f"warning: {line}", err=True)


@guarded
def stats(store: Optional[Path] = STORE, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts of nodes per type, edges per relation, papers per source file."""
    from ..explore.stats import stats as compute
    from ..store.index import open_index

    with open_index(store) as index:
        data = compute(index)
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
