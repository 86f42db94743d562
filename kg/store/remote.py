"""External SPARQL 1.1 servers (Oxigraph server, Virtuoso, Fuseki, …): push the store into one,
and send it queries.

A push copies every named graph of the store (one per digest, plus the curation graph) under its
own IRI, so provenance survives the move: through the Graph Store HTTP Protocol (``POST``, or
``PUT`` to replace, N-Triples in batches), or with SPARQL Update ``INSERT DATA`` where the server
has no GSP. Graphs pushed completely are recorded in ``<store>/push-state.json`` under the
endpoint (with each graph's size and digest versions), so a push that failed resumes where it
stopped and one repeated after a build sends only the graphs that are new or changed. kg writes
no blank nodes, so sending a graph twice adds nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ..errors import KGError, StoreError
from ..prefixes import PREFIXES

STATE = "push-state.json"
BATCH = 20_000  # triples per request
NO_GSP = {404, 405, 415, 501}  # the URL is no Graph Store endpoint: fall back to SPARQL Update
Progress = Callable[[str, int, int], None]  # (graph IRI, triples sent, triples in the graph)


class RemoteError(KGError):
    """The server refused or failed a request; the message says which and why."""


@dataclass
class PushReport:
    """What a push did: graphs sent and skipped (already there), triples sent, how, how long."""

    endpoint: str
    method: str = "gsp"  # gsp | update
    graphs: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0


class Remote:
    """A SPARQL 1.1 server: its query URL, and where it takes updates and Graph Store requests.

    ``url`` is the query endpoint. Oxigraph (``…/query``) takes updates at ``…/update`` and GSP at
    ``…/store``; Virtuoso (``…/sparql``) takes updates at the same URL and GSP at
    ``…/sparql-graph-crud``; anything else is given with ``update_url`` / ``gsp_url``.
    """

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 timeout: float = 120.0) -> None:
        import httpx

        if not url.startswith(("http://", "https://")):
            raise RemoteError(f"endpoint {url!r} is not an http(s) URL")
        self.url = url.rstrip("/")
        base, _, last = self.url.rpartition("/")
        self.update_url = update_url or (f"{base}/update" if last == "query" else self.url)
        self.gsp_url = gsp_url or {"query": f"{base}/store", "sparql": f"{self.url}-graph-crud"}.get(last)
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def query(self, text: str, accept: str) -> tuple[str, bytes]:
        """POST ``text`` (kg's prefixes declared before it); ``(content type, body)`` of the answer."""
        r = self._send("POST", self.url, data={"query": declared(text)}, headers={"Accept": accept})
        return r.headers.get("content-type", "").split(";")[0].strip(), r.content

    def update(self, text: str) -> None:
        self._send("POST", self.update_url, data={"update": text})

    def send_graph(self, graph: str, ntriples: bytes, *, replace: bool) -> bool:
        """Add (or with ``replace`` put) N-Triples into ``graph`` by GSP; False if the server has none."""
        if self.gsp_url is None:
            return False
        r = self._send("PUT" if replace else "POST", self.gsp_url, params={"graph": graph}, content=ntriples,
                       headers={"Content-Type": "application/n-triples"}, ok=NO_GSP)
        if r.status_code in NO_GSP:
            self.gsp_url = None
            return False
        return True

    def insert(self, graph: str, ntriples: bytes, *, replace: bool) -> None:
        """The same by SPARQL Update: ``INSERT DATA`` (after ``DROP SILENT GRAPH`` with ``replace``)."""
        drop = f"DROP SILENT GRAPH <{graph}> ;\n" if replace else ""
        self.update(f"{drop}INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.decode()}}} }}")

    def _send(self, method: str, url: str, *, ok: set[int] = frozenset(), **kw):
        import httpx

        try:
            r = self.http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise RemoteError(f"{method} {url}: {exc or type(exc).__name__}") from None
        if r.status_code >= 400 and r.status_code not in ok:
            detail = " ".join(r.text.split())[:300]
            hint = " (the server does not let this client write: grant it update rights)" \
                if r.status_code in (401, 403) else ""
            raise RemoteError(f"{method} {url}: HTTP {r.status_code}{hint}: {detail}")
        return r


def declared(text: str) -> str:
    """``text`` with kg's PREFIX declarations before it, on its first line, so a server's error
    positions still name the user's lines (a query's own declarations win).

    >>> declared("ASK {}")[:43]
    'PREFIX kg: <https://w3id.org/kg/ontology#> '
    >>> declared("ASK {}").endswith("> ASK {}") and "\\n" not in declared("ASK {}")
    True
    """
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items()) + text


def push(store, remote: Remote, *, graph: str | None = None, replace: bool = False, batch: int = BATCH,
         progress: Progress | None = None, state_dir: Path | None = None) -> PushReport:
    """Copy the named graphs of ``store`` into ``remote``; with ``graph``, all into that one graph.

    Adds by default; ``replace`` replaces each target graph. Raises RemoteError when the server
    fails; graphs pushed completely are kept in the state file (in ``state_dir``, default the
    store's directory) and skipped by the next run unless they changed since (a digest re-read
    by a newer parser, the curation graph edited).
    """
    state_dir = Path(state_dir) if state_dir is not None else store.path
    started = time.monotonic()
    report = PushReport(remote.url)
    key = json.dumps([remote.url, graph, replace])
    digests = store.digests()
    # counted by SPARQL on term ids: reading the quads costs a string lookup per term
    sizes = {str(r["g"].value): int(r["n"].value)
             for r in store.db.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    now = {g: [n, *(digests.get(g, {}).get(k) for k in ("sha", "parser", "extractor"))] for g, n in sizes.items()}
    state = _load(state_dir, key)
    done = state.get("done", {})
    if graph and replace and any(now.get(g) != seen for g, seen in done.items()):
        state, done = {}, {}  # one target graph holding a changed graph: clear it and send all again
    for source in sorted(now):
        if done.get(source) == now[source]:
            report.skipped.append(source)
            continue
        target = graph or source
        sent = 0
        for chunk in _chunks(store.db, source, batch):
            first = replace and sent == 0 and not (graph and state.get("cleared"))
            if report.method == "gsp" and not remote.send_graph(target, chunk, replace=first):
                report.method = "update"
            if report.method == "update":
                remote.insert(target, chunk, replace=first)
            sent += chunk.count(b"\n")
            state["cleared"] = state.get("cleared") or (graph is not None and first)
            if progress:
                progress(source, sent, sizes[source])
        report.triples += sent
        done[source] = now[source]
        state["done"] = done
        report.graphs.append(source)
        _save(state_dir, key, state)
    report.seconds = time.monotonic() - started
    return report


def _chunks(db, graph: str, size: int) -> Iterator[bytes]:
    """The triples of ``graph`` as N-Triples, ``size`` at a time (one triple a line)."""
    import pyoxigraph as ox

    quads = db.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    while True:
        triples = [q.triple for q in islice(quads, size)]
        if not triples:
            return
        yield ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _load(path: Path, key: str) -> dict:
    try:
        return json.loads((path / STATE).read_text(encoding="utf-8")).get(key, {})
    except (OSError, ValueError, AttributeError):
        return {}


def _save(path: Path, key: str, state: dict) -> None:
    """Record progress atomically (write a temporary file, then rename it over the old one)."""
    try:
        all_ = json.loads((path / STATE).read_text(encoding="utf-8"))
        if not isinstance(all_, dict):
            all_ = {}
    except (OSError, ValueError):
        all_ = {}
    all_[key] = state
    tmp = path / f"{STATE}.tmp-{os.getpid()}"
    try:
        tmp.write_text(json.dumps(all_, indent=1), encoding="utf-8")
        tmp.replace(path / STATE)
    except OSError as exc:
        raise StoreError(f"cannot record push progress in {path / STATE}: {exc.strerror}") from None
