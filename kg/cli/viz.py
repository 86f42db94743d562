"""``kg viz …``: write an interactive HTML view of part of the graph (one self-contained file)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .ingest import STORE
from .output import fail, guarded

app = typer.Typer(no_args_is_help=True, help="Interactive HTML views of the graph; the files work offline.")
DEPTH = typer.Option(1, "--depth", min=1, max=2, help="How far to reach from the node: 1 or 2.")
OUT = typer.Option(None, "-o", "--output", help="HTML file to write (default exports/viz-<view>-<name>.html).")
OPEN = typer.Option(False, "--open", help="Open the page in the web browser.")


@app.command()
@guarded
def method(name: str = typer.Argument(..., help="Method name or alias."), depth: int = DEPTH,
           out: Optional[Path] = OUT, open_: bool = OPEN, store: Optional[Path] = STORE) -> None:
    """A method, the papers proposing or using it, methods used alongside, benchmarks, authors."""
    from ..views.data import method_view

    _show(store, name, "method", lambda index, iri: method_view(index, iri, depth=depth), "method", out, open_)


@app.command()
@guarded
def coauthors(name: str = typer.Argument(..., help="Author name."), depth: int = DEPTH,
              out: Optional[Path] = OUT, open_: bool = OPEN, store: Optional[Path] = STORE) -> None:
    """An author's co-author network; edge width is the number of shared papers."""
    from ..views.data import coauthor_view

    _show(store, name, "author", lambda index, iri: coauthor_view(index, iri, depth=depth), "coauthors", out, open_)


@app.command()
@guarded
def paper(arxiv_id: str = typer.Argument(..., help="arXiv id, e.g. 2510.01234."), depth: int = DEPTH,
          out: Optional[Path] = OUT, open_: bool = OPEN, store: Optional[Path] = STORE) -> None:
    """A paper with its authors, methods, benchmarks, categories, institutions and code."""
    from ..views.data import node_view

    _show(store, arxiv_id, "paper", lambda index, iri: node_view(index, iri, depth=depth), "paper", out, open_)


@app.command()
@guarded
def node(name: str = typer.Argument(..., help="Any node: name, label, arXiv id or IRI."), depth: int = DEPTH,
         out: Optional[Path] = OUT, open_: bool = OPEN, store: Optional[Path] = STORE) -> None:
    """Any node and its neighbours."""
    from ..views.data import node_view

    _show(store, name, None, lambda index, iri: node_view(index, iri, depth=depth), "node", out, open_)


@app.command()
@guarded
def overview(top: Optional[int] = typer.Option(None, "--top", min=1, help="Only the N most connected nodes."),
             out: Optional[Path] = OUT, open_: bool = OPEN, store: Optional[Path] = STORE) -> None:
    """The whole graph (or its most connected nodes), clusters laid out apart."""
    from ..store.index import open_index
    from ..views.data import overview as select

    with open_index(store) as index:
        view = select(index, top=top)
    _write(view, out or Path("exports") / f"viz-overview{f'-top{top}' if top else ''}.html", open_)


def _show(store, name: str, kind: str | None, select, view: str, out: Path | None, open_: bool) -> None:
    from ..errors import Ambiguous
    from ..keys import name_key, slug
    from ..explore.resolve import resolve
    from ..store.index import open_index

    with open_index(store) as index:
        try:
            found = resolve(index, name, kind=kind)
        except Ambiguous as exc:
            fail(f"{exc}: " + "; ".join(f"{c.label} ({c.kind}, {c.iri})" for c in exc.choices[:10]))
        drawn = select(index, found.iri)
    key = found.iri.rsplit("/", 1)[-1] if found.kind == "paper" else slug(name_key(found.label) or found.label)
    _write(drawn, out or Path("exports") / f"viz-{view}-{key[:80]}.html", open_)


def _write(view, path: Path, open_: bool) -> None:
    from ..views.html import write

    path = write(view, path)
    typer.echo(f"wrote {path}: {view.nodes:,} nodes, {view.edges:,} edges" + (f"; {view.cut}" if view.cut else ""))
    if open_:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
