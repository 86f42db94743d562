"""``kg check``: verify a store and say what to do."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .ingest import STORE
from .output import emit_json, guarded, table


@guarded
def check(store: Optional[Path] = STORE, as_json: bool = typer.Option(False, "--json", help="Print JSON."),
          repair: bool = typer.Option(False, "--repair", help="Rebuild the consolidated default graph, the read index "
                                      "and its totals from the digest graphs first.")) -> None:
    """Check a store: layout, schema, leftovers of killed builds, database, digests, read index, kept totals.

    Exits 1 if anything is wrong. JSON: [{"check", "status": ok|note|error, "detail", "todo"}].
    """
    from ..store.check import check as run
    from ..store.check import repair as rebuild
    from ..store.database import default_path

    path = store if store is not None else default_path()
    if repair:
        rebuild(path)
    findings = run(path)
    if as_json:
        emit_json([f.as_dict() for f in findings])
    else:
        table(None, ["check", "status", "detail", "what to do"], [(f.check, f.status, f.detail, f.todo) for f in findings])
    if any(f.status == "error" for f in findings):
        raise typer.Exit(1)
