"""``kg new``, ``kg trends`` and ``kg diff``: the graph along its time axis."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .ingest import STORE
from .output import emit_json, guarded, table

JSON = typer.Option(False, "--json", help="Print JSON.")
LIMIT = typer.Option(20, "--limit", "-n", min=1, help="Items per list.")
BARS = "▁▂▃▄▅▆▇█"


def sparkline(counts: list[int]) -> str:
    """Counts as block characters, the largest a full block; a zero is a dot.

    >>> sparkline([0, 1, 4, 8])
    '·▁▄█'
    """
    top = max(counts, default=0)
    return "".join("·" if not c else BARS[max(0, round(c / top * len(BARS)) - 1)] for c in counts)


def history_line(time: dict) -> str:
    """One line: when a node was first and last seen, and a sparkline of its papers per period."""
    seen = f"first seen {time['first_seen']}, last seen {time['last_seen']}" if time["first_seen"] else "seen in no dated digest"
    if time["first_date"]:
        seen += f" (papers dated {time['first_date']} … {time['last_date']})"
    spans = time["periods"]
    if not spans:
        return seen
    counts = [p["papers"] for p in spans]
    return f"{seen}; papers per {time['window']}: {sparkline(counts)} ({spans[0]['start']} … {spans[-1]['end']})"


@guarded
def new(
    since: Optional[str] = typer.Option(None, "--since", help="First seen on or after this date (YYYY-MM-DD)."),
    digest: Optional[str] = typer.Option(None, "--digest", help="First seen in this digest: its file, file name or "
                                         "date (default: the latest digests)."),
    type: Optional[str] = typer.Option(None, "--type", "-t", help="Only method, benchmark, author or institution."),
    limit: int = LIMIT,
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """What appeared for the first time, most papers first.

    JSON: {"since", "digests": [{name, date}], "papers": new papers, "kinds": {kind: {"total",
    "items": [{iri, label, papers, first_seen}]}}}.
    """
    from ..explore.changes import NEW_KINDS, new as run
    from ..store.index import open_index

    with open_index(store) as index:
        data = run(index, since=since, digest=digest, kinds=(type,) if type else NEW_KINDS, limit=limit)
    if as_json:
        emit_json(data)
        return
    where = f"since {since}" if since else "in " + ", ".join(f"{d['name']} ({d['date'] or 'undated'})"
                                                             for d in data["digests"])
    typer.echo(f"new {where}: {data['papers']:,} papers")
    for kind, group in data["kinds"].items():
        more = f", {len(group['items'])} shown" if len(group["items"]) < group["total"] else ""
        table(f"{kind}: {group['total']:,} new{more}", ["papers", "first seen", kind, "iri"],
              [(i["papers"], i["first_seen"] or "", i["label"], i["iri"]) for i in group["items"]])


@guarded
def trends(
    type: str = typer.Option("method", "--type", "-t", help="method, benchmark, author, institution, category, "
                             "topic or venue."),
    window: str = typer.Option("7d", "--window", "-w", help="Period length: 7d, 30d, 2w …"),
    top: int = typer.Option(10, "--top", min=1, help="How many to list."),
    chart: Optional[Path] = typer.Option(None, "--chart", help="Also draw them to FILE.html, .png or .svg."),
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """Papers per period and what is bursting now (Kleinberg's burst detection).

    JSON: {"kind", "window", "days", "periods": [{start, end, papers}], "undated", "total",
    "items": [{iri, label, papers, counts, score, peak, bursts: [{start, end, weight}]}]}.
    """
    from ..explore.trends import trends as run
    from ..store.index import open_index

    if chart is not None:
        from ..views.chart import check_format

        check_format(chart)
    with open_index(store) as index:
        data = run(index, kind=type, window=window, top=top)
    if chart is not None:
        from ..views.chart import write

        write(data, chart)
    if as_json:
        emit_json(data)
        return
    spans = data["periods"]
    if not spans:
        typer.echo("no dated papers: nothing to count", err=True)
        return
    dated = sum(p["papers"] for p in spans)
    undated = f"; {data['undated']:,} undated papers not counted" if data["undated"] else ""
    typer.echo(f"{type} papers per {window}, {spans[0]['start']} … {spans[-1]['end']} ({len(spans)} periods, "
               f"{dated:,} dated papers{undated})")
    typer.echo(f"all papers\t{sparkline([p['papers'] for p in spans])}")
    table(f"{data['total']:,} {type}s, bursting now first (score), then past bursts (peak), then papers",
          ["score", "peak", "papers", "last", "per period", type, "bursts"],
          [(f"{i['score']:.1f}", f"{i['peak']:.1f}", i["papers"], i["counts"][-1], sparkline(i["counts"]), i["label"],
            ", ".join(f"{b['start']}…{b['end']}" for b in i["bursts"])) for i in data["items"]])
    if chart is not None:
        typer.echo(f"wrote {chart}", err=True)


@guarded
def diff(
    a: str = typer.Argument(..., help="A digest (file, file name) or a date: all digests of that day."),
    b: str = typer.Argument(..., help="Another digest or date."),
    limit: int = LIMIT,
    as_json: bool = JSON,
    store: Optional[Path] = STORE,
) -> None:
    """Papers, methods, benchmarks and authors that B has and A lacks (+), and the reverse (-).

    JSON: {"a": {name, digests}, "b": …, "kinds": {kind: {"a", "b", "both", "gained": {total,
    items}, "lost": {total, items}}}}; items: {iri, label, papers (in that side), date (papers)}.
    """
    from ..explore.changes import diff as run
    from ..store.index import open_index

    with open_index(store) as index:
        data = run(index, a, b, limit=limit)
    if as_json:
        emit_json(data)
        return

    def side(s: dict) -> str:
        return ", ".join(f"{d['name']} ({d['date'] or 'undated'})" for d in s["digests"])

    typer.echo(f"A: {side(data['a'])}\nB: {side(data['b'])}")
    for kind, d in data["kinds"].items():
        shown = [("+", i) for i in d["gained"]["items"]] + [("-", i) for i in d["lost"]["items"]]
        table(f"{kind}: +{d['gained']['total']:,} -{d['lost']['total']:,} ({d['both']:,} in both)",
              ["", "date" if kind == "paper" else "papers", kind, "iri"],
              [(sign, i.get("date", "") if kind == "paper" else i["papers"], i["label"], i["iri"]) for sign, i in shown])
