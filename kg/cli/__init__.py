"""The ``kg`` command line: a thin layer over the library; the only place that prints or exits.

``app`` is the whole typer app. :func:`run` builds only the command named on the command line
(when it names one), so ``kg stats`` imports one command module and has typer build one command,
not nineteen; what it prints is the same, since a command's usage, help and errors do not depend
on its siblings. Anything else (``kg``, ``kg --version``, an unknown command) gets the whole app.
"""

from __future__ import annotations

import sys

import typer

# command → the module defining it, in the order ``kg --help`` lists them; "viz" is a typer group
COMMANDS = {
    "build": "ingest", "stats": "ingest", "export": "ingest", "check": "check",
    "neighbors": "explore", "show": "explore", "search": "explore", "path": "explore", "sparql": "explore",
    "new": "time", "trends": "time", "diff": "time", "serve": "serve", "push": "serve", "viz": "viz",
}
HELP = "Build and explore a knowledge graph of AI papers from arXiv daily digests."


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print kg's version.")) -> None:
    """Build and explore a knowledge graph of AI papers from arXiv daily digests."""


def make_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with only the command ``only``."""
    app = typer.Typer(name="kg", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                      rich_markup_mode=None, help=HELP)
    app.callback()(main)
    for name, module in COMMANDS.items():
        if only not in (None, name):
            continue
        defined = __import__(f"{__name__}.{module}", fromlist=[name])  # -X importtime misses import_module's
        if name == "viz":
            app.add_typer(defined.app, name="viz")
        else:
            app.command()(getattr(defined, name))
    return app


def run() -> None:
    """Run ``kg`` on ``sys.argv``, building only the command it names."""
    name = sys.argv[1] if len(sys.argv) > 1 else None
    make_app(name if name in COMMANDS else None)(prog_name="kg")


def __getattr__(name: str):
    if name == "app":  # built on first use: `kg stats` never needs the other eighteen commands
        global app
        app = make_app()
        return app
    raise AttributeError(f"module 'kg.cli' has no attribute {name!r}")
