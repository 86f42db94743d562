"""``/sparql``: the W3C SPARQL 1.1 Protocol (query and update operations) over the served store.

Queries come as ``query`` (GET, or POST form-encoded or ``application/sparql-query``), updates as
``update`` (POST form-encoded or ``application/sparql-update``) and only when the server allows
them. Results follow the Accept header; a GET without a query returns the service description.
kg's prefixes are predeclared and the default graph is the union of the digest graphs. An answer
is kept with the snapshot it was read from, so the same query is not run twice on one state of
the store (unless it asks for RAND(), NOW(), UUID() or BNODE()).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..errors import QueryError
from ..explore.sparql import UPDATE_FORMS, query_form
from .http import HTTPError, snapshot

# media type → result format, most preferred first (the first is the default for */*)
SOLUTIONS = {
    "application/sparql-results+json": "json", "application/sparql-results+xml": "xml", "text/csv": "csv",
    "text/tab-separated-values": "tsv", "application/json": "json", "application/xml": "xml",
}
GRAPHS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "jsonld", "text/plain": "nt"}
MAX_TEXT = 1 << 20  # bytes of query or update text
# functions whose value changes from one evaluation to the next: such answers are not kept
VOLATILE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
FORM = "application/x-www-form-urlencoded"


async def endpoint(request: Request) -> Response:
    """GET or POST /sparql."""
    state = request.app.state
    params = await _operation(request)
    if "update" in params:
        if not state.allow_update:
            raise HTTPError(403, "this server is read-only: SPARQL Update needs `kg serve --allow-update`")
        await run_in_threadpool(_update, state, params["update"])
        return PlainTextResponse("update applied\n")
    if "query" not in params:
        return Response(await run_in_threadpool(_description, state, str(request.url.replace(query=""))),
                        media_type="text/turtle")
    text = params["query"]
    form = query_form(text)
    if form in UPDATE_FORMS:
        raise HTTPError(400, f"{form.upper()} is an update: send it as `update` in a POST, not as `query`")
    offers = GRAPHS if form in ("construct", "describe") else SOLUTIONS
    media = negotiate(request.headers.get("accept", "*/*"), list(offers))
    with snapshot(request) as snap:
        key = ("sparql", text, media)
        payload = None if VOLATILE.search(text) else snap.responses.get(key)
        if payload is None:
            _, payload = await run_in_threadpool(state.pool.run, str(snap.path), text, offers[media])
            if not VOLATILE.search(text):
                snap.responses.put(key, payload)
    return Response(payload, media_type=media)


def negotiate(accept: str, offers: list[str]) -> str:
    """The offer ``accept`` prefers (the first offer on a tie).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/sparql-results+json", "text/csv",
    ...           "application/sparql-results+xml"])
    'application/sparql-results+xml'
    >>> negotiate("*/*", ["text/turtle", "application/n-triples"])
    'text/turtle'
    """
    import mimeparse

    try:
        best = mimeparse.best_match(offers[::-1], accept or "*/*")  # it prefers the last on a tie
    except (ValueError, mimeparse.MimeTypeParseException):
        raise HTTPError(400, f"malformed Accept header {accept!r}") from None
    if not best:
        raise HTTPError(406, f"cannot answer as {accept}; this query's results come as: {', '.join(offers)}")
    return best


async def _operation(request: Request) -> dict[str, str]:
    """The ``query`` or ``update`` of a protocol request (at most one of them)."""
    params = dict(request.query_params)
    if request.method == "POST":
        body = await _body(request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == FORM:
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
            except (UnicodeDecodeError, ValueError):
                raise HTTPError(400, "the form body is not UTF-8 URL-encoded text") from None
            params = {k: v[0] for k, v in form.items()}
        elif kind in ("application/sparql-query", "application/sparql-update"):
            try:
                params["query" if kind.endswith("query") else "update"] = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPError(400, "the query is not UTF-8 text") from None
        else:
            raise HTTPError(415, f"POST a query as {FORM}, application/sparql-query or application/sparql-update, "
                                 f"not {kind or 'no content type'}")
    elif "update" in params:
        raise HTTPError(400, "an update must be sent with POST")
    if "query" in params and "update" in params:
        raise HTTPError(400, "give either `query` or `update`, not both")
    if {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"} & set(params):
        raise HTTPError(400, "dataset parameters are not supported: the default graph is the union of all digests; "
                             "use GRAPH or FROM in the query")
    if any(len(params.get(k, "")) > MAX_TEXT for k in ("query", "update")):
        raise HTTPError(413, f"the query is longer than {MAX_TEXT:,} characters")
    return params


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > 3 * MAX_TEXT:  # room for URL-encoding
            raise HTTPError(413, f"the request body is larger than {3 * MAX_TEXT:,} bytes")
    return body


def _update(state, text: str) -> None:
    from ..explore.sparql import sparql
    from ..store import Store

    if query_form(text) not in UPDATE_FORMS:
        raise QueryError("`update` holds a query; send it as `query`")
    with Store(state.snapshots.source, write=True) as db:
        sparql(db, text, timeout=state.pool.timeout, update=True)


def _description(state, endpoint: str) -> bytes:
    """The SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    import pyoxigraph as ox

    from ..prefixes import PREFIXES

    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def t(s, p, o):
        return ox.Triple(s, ox.NamedNode(sd + p) if p != "a" else a, o)

    languages = ["SPARQL11Query"] + (["SPARQL11Update"] if state.allow_update else [])
    triples = [t(service, "a", ox.NamedNode(sd + "Service")), t(service, "endpoint", ox.NamedNode(endpoint)),
               *(t(service, "supportedLanguage", ox.NamedNode(sd + lang)) for lang in languages),
               t(service, "feature", ox.NamedNode(sd + "UnionDefaultGraph")),
               *(t(service, "resultFormat", ox.NamedNode(formats + f)) for f in (
                   "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD")),
               t(service, "defaultDataset", dataset), t(dataset, "a", ox.NamedNode(sd + "Dataset")),
               t(dataset, "defaultGraph", default), t(default, "a", ox.NamedNode(sd + "Graph"))]
    snap = state.snapshots.use()
    try:
        for graph in sorted(str(g.value) for g in snap.store().db.named_graphs()):  # digests, curation, …
            named = ox.BlankNode()
            triples += [t(dataset, "namedGraph", named), t(named, "name", ox.NamedNode(graph))]
    finally:
        state.snapshots.release(snap)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sd": sd, "kg": PREFIXES["kg"]})
