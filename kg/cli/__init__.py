"""The ``kg`` command line: a thin layer over the library; the only place that prints or exits."""

import typer

from . import check, explore, ingest, serve, time, viz

app = typer.Typer(
    name="kg", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
    help="Build and explore a knowledge graph of AI papers from arXiv daily digests.",
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print kg's version.")) -> None:
    """Build and explore a knowledge graph of AI papers from arXiv daily digests."""


app.command()(ingest.build)
app.command()(ingest.stats)
app.command()(ingest.export)
app.command()(check.check)
for command in (explore.neighbors, explore.show, explore.search, explore.path, explore.sparql):
    app.command()(command)
for command in (time.new, time.trends, time.diff):
    app.command()(command)
app.command()(serve.serve)
app.command()(serve.push)
app.add_typer(viz.app, name="viz")
