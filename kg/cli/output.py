"""How the CLI speaks: rich tables on a terminal, tab-separated text when piped, JSON on request."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from functools import wraps
from typing import NoReturn

import typer

from ..errors import KGError


def is_tty() -> bool:
    return sys.stdout.isatty()


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=not stderr)


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` on one line to stderr and exit 1."""
    typer.echo(f"Error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(1)


class _Notes(logging.Handler):
    """What the library logs under ``kg`` (a store migrated, say) as ``note: …`` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"note: {' '.join(record.getMessage().split())}", err=True)


_LOG = logging.getLogger("kg")
_LOG.addHandler(_Notes(logging.INFO))
_LOG.setLevel(logging.INFO)
_LOG.propagate = False


def guarded(fn):
    """Turn a KGError raised by a command into a one-line error and exit code 1."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KGError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted")

    return wrapper


def emit_json(data) -> None:
    from ..explore import to_json

    typer.echo(to_json(data), nl=False)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence], *, justify: Sequence[str] = ()) -> None:
    """A table: rich and coloured on a terminal, tab-separated lines when piped."""
    if not is_tty():
        if title:
            typer.echo(f"# {title}")
        for row in rows:
            typer.echo("\t".join("" if v is None else str(v) for v in row))
        return
    from rich.table import Table

    t = Table(title=title, title_justify="left", header_style="bold cyan", title_style="bold")
    for i, col in enumerate(columns):
        t.add_column(col, justify=justify[i] if i < len(justify) else "left")
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    console().print(t)
