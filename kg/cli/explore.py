"""``kg neighbors``, ``kg show``, ``kg search``, ``kg path`` and ``kg sparql``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .ingest import STORE
from .output import emit_json, fail, guarded, is_tty, table

TYPE = typer.Option(None, "--type", "-t", help="Only nodes of this type: paper, author, method, benchmark, institution, "
                    "category, topic, venue, code.")
PICK = typer.Option(None, "--pick", min=1, help="Choose the Nth node when the name is ambiguous.")
JSON = typer.Option(False, "--json", help="Print JSON.")


def _resolve(store, name: str, kind: str | None, pick: int | None):
    """Resolve a name; an ambiguous one lists numbered choices and exits 1 unless --pick chose."""
    from ..errors import Ambiguous
    from ..explore.resolve import resolve

    try:
        return resolve(store, name, kind=kind, pick=pick)
    except Ambiguous as exc:
        typer.echo(f"Error: {exc}; choose one with --pick N or --type:", err=True)
        for i, n in enumerate(exc.choices, 1):
            typer.echo(f"  {i}. {n.kind}\t{n.label}\t{n.iri}", err=True)
        raise typer.Exit(1) from None


@guarded
def neighbors(
    name: str = typer.Argument(..., help="A label, alias, arXiv id or IRI."),
    depth: int = typer.Option(1, "--depth", min=1, max=2, help="1, or 2 to expand each neighbour once more."),
    type: Optional[str] = TYPE,
    relation: Optional[str] = typer.Option(None, "--relation", "-r", help="Only this group, e.g. used_by, co_authors."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="Items per group (and nodes expanded at depth 2)."),
    pick: Optional[int] = PICK,
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """What a node is connected to, grouped by relation with counts.

    JSON: {"node": {iri, kind, label}, "depth": 1|2, "groups": [{"relation", "kind", "title",
    "total", "items": [{iri, kind, label, date?, count?, position?, role?, groups?}]}], "time"?};
    "count" is the number of shared papers, "groups" (depth 2) has the same shape; methods and
    benchmarks have "time": {first_seen, last_seen, first_date, last_date, window, periods}.
    """
    from ..store.index import open_index
    from ..explore.answers import neighborhood

    with open_index(store) as index:
        data = neighborhood(index, _resolve(index, name, type, pick), depth=depth, relation=relation, limit=limit)
    n = data["node"]
    if as_json:
        emit_json(data)
        return
    typer.echo(f"{n['label']} ({n['kind']}) {n['iri']}")
    if "time" in data:
        from .time import history_line

        typer.echo(history_line(data["time"]))
    _groups(data["groups"], prefix="")


def _groups(groups: list[dict], prefix: str) -> None:
    for g in groups:
        if not g["total"]:
            continue
        extra = [k for k in ("date", "count", "position", "role") if any(k in i for i in g["items"])]
        more = f", {len(g['items'])} shown" if len(g["items"]) < g["total"] else ""
        table(f"{prefix}{g['relation']}: {g['title']} ({g['total']}{more})", [*extra, g["kind"], "iri"],
              [[*(i.get(k, "") for k in extra), i["label"], i["iri"]] for i in g["items"]])
        for i in g["items"]:
            if i.get("groups"):
                _groups(i["groups"], prefix=f"{prefix}{i['label']} › ")


@guarded
def show(
    name: str = typer.Argument(..., help="A label, alias, arXiv id or IRI."),
    type: Optional[str] = TYPE,
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="Most incoming edges, mentions and values of one predicate to list."),
    pick: Optional[int] = PICK,
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """Everything known about one node, with the digests (and lines) it came from.

    JSON: {"node", "facts": [{predicate, value, lang?, iri?, digests}], "facts_total", "incoming":
    {total, items: [{predicate, iri, label, digests}]}, "sources": [{digest, section?, line?}],
    "mentions": [{paper, entity, label, role, extractor, evidence}]}.
    """
    from ..explore.show import show as run
    from ..store import Store
    from ..store import index as ix

    with Store(store) as db:
        db.open_ahead()  # while the name is resolved in the read index
        index = ix.of(db)
        data = run(db, _resolve(index, name, type, pick), limit=limit, index=index)
    if as_json:
        emit_json(data)
        return
    n = data["node"]
    typer.echo(f"{n['label']} ({n['kind']}) {n['iri']}")
    cut = f" ({data['facts_total']}, {len(data['facts'])} shown)" if data["facts_total"] > len(data["facts"]) else ""
    table(f"facts{cut}", ["predicate", "value", "digests"],
          [(f["predicate"], f["value"] + (f" @{f['lang']}" if "lang" in f else ""), ", ".join(f["digests"]))
           for f in data["facts"]])
    inc = data["incoming"]
    if inc["total"]:
        table(f"incoming ({inc['total']})", ["predicate", "from", "digests"],
              [(i["predicate"], i["label"], ", ".join(i["digests"])) for i in inc["items"]])
    if data["sources"]:
        table("read from", ["digest", "section", "line"],
              [(s["digest"], s.get("section", ""), s.get("line", "")) for s in data["sources"]])
    if data["mentions"]:
        table("mentions (evidence)", ["paper", "entity", "role", "evidence"],
              [(m["paper"], m["label"], m["role"], " | ".join(m["evidence"])) for m in data["mentions"]])


@guarded
def search(
    text: str = typer.Argument(..., help="Words, English or Chinese."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="Most results."),
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """Full-text search over titles and abstracts (BM25; Chinese by character bigrams).

    JSON: [{"iri", "label", "date", "score"}], best first.
    """
    from ..store.index import open_index
    from ..explore.search import search as run

    with open_index(store) as index:
        hits = run(index, text, limit=limit)
    if as_json:
        emit_json(hits)
    elif not hits:
        typer.echo(f"no paper matches {text!r}", err=True)
    else:
        table(None, ["score", "date", "title", "iri"], [(h["score"], h["date"], h["label"], h["iri"]) for h in hits])


@guarded
def path(
    a: str = typer.Argument(..., help="From this node."),
    b: str = typer.Argument(..., help="To this node."),
    via: Optional[list[str]] = typer.Option(None, "--via", help="Only these relations (repeatable); default all "
                                            "but in_category and in_topic."),
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """The shortest chain of edges between two nodes.

    JSON: [{"from": {iri, kind, label}, "relation", "forward", "to": {iri, kind, label}}].
    """
    from ..store.index import open_index
    from ..explore.paths import DEFAULT_VIA, path as run

    with open_index(store) as index:
        steps = run(index, _resolve(index, a, None, None), _resolve(index, b, None, None), via=tuple(via or DEFAULT_VIA))
    if as_json:
        emit_json(steps)
        return
    if not steps:
        typer.echo("(the same node)")
        return
    chain = [steps[0]["from"]["label"]]
    for s in steps:
        chain.append(f"—{s['relation']}→" if s["forward"] else f"←{s['relation']}—")
        chain.append(s["to"]["label"])
    typer.echo(" ".join(chain))


@guarded
def sparql(
    query: Optional[str] = typer.Argument(None, help="The query text (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from a file."),
    format: str = typer.Option("table", "--format", help="table, csv, tsv or json (W3C SPARQL results)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.01, help="Seconds before the query is stopped."),
    update: bool = typer.Option(False, "--update", help="Allow one INSERT/DELETE operation (atomic; kept in the "
                                "curation graph, so it outlasts rebuilds)."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Let SERVICE call other SPARQL endpoints."),
    memory: int = typer.Option(1024, "--memory", min=512, help="MiB of memory the query may use before it is stopped."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Ask this SPARQL server (its query URL, e.g. "
                                           "http://host:7878/query) instead of the store; read-only."),
    store: Optional[Path] = STORE,
) -> None:
    """Run SPARQL with kg's prefixes predeclared; CONSTRUCT/DESCRIBE print Turtle."""
    import json

    from ..explore.sparql import sparql as run
    from ..store import Store

    if (query is None) == (file is None):
        fail("give a query or --file, not both or neither")
    if format not in ("table", "csv", "tsv", "json"):
        fail(f"unknown format {format!r} (one of: table, csv, tsv, json)")
    text = file.read_text(encoding="utf-8") if file else query
    if endpoint:
        from ..explore.remote import sparql as ask
        from ..store.remote import Remote

        if update:
            fail("--update works on the store; change a server's data with its own tools (or kg push)")
        with Remote(endpoint, timeout=timeout) as remote:
            result = ask(remote, text)
    else:
        with Store(store, write=update) as db:
            result = run(db, text, timeout=timeout, update=update, allow_service=allow_service, memory=memory << 20)
    if result.kind == "update":
        done = json.loads(result.data)
        typer.echo(f"update applied: {done['deleted']} triple(s) deleted, {done['added']} added "
                   "(kept in the curation graph, so they outlast rebuilds)", err=True)
    elif result.kind == "graph" or format != "table":
        out = result.serialize(format if result.kind != "graph" else "turtle")
        sys.stdout.buffer.write(out if out.endswith(b"\n") else out + b"\n")
    else:
        columns, rows = result.table()
        if is_tty() or columns != ["answer"]:
            table(None, columns, rows)
        else:
            typer.echo(rows[0][0])
