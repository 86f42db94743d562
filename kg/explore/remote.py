"""``kg sparql --endpoint``: the same queries against an external SPARQL server, the same answers.

The query goes out with kg's prefixes declared (:func:`kg.store.remote.declared`); the answer is
read into the :class:`kg.explore.sparql.Result` a local query gives (SPARQL JSON results, or
N-Triples for graphs), so every output format works alike. Servers' dialects are read here:
Virtuoso 7 answers ASK with a one-row table.
"""

from __future__ import annotations

import json

from ..errors import QueryError
from .sparql import UPDATE_FORMS, Result, query_form


def sparql(remote, text: str) -> Result:
    """Run a read-only query on ``remote`` (a :class:`kg.store.remote.Remote`)."""
    import pyoxigraph as ox

    form = query_form(text)
    if form in UPDATE_FORMS:
        raise QueryError(f"{form.upper()} changes data: kg sparql --endpoint only queries (use the server's own tools)")
    if form in ("construct", "describe"):
        media, body = remote.query(text, "application/n-triples, text/turtle;q=0.5")
        fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
        try:
            triples = list(ox.parse(body, format=fmt))
        except SyntaxError as exc:
            raise QueryError(f"the server's answer is not {fmt.name}: {' '.join(str(exc).split())}") from None
        return Result("graph", ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    media, body = remote.query(text, "application/sparql-results+json, application/sparql-results+xml;q=0.5")
    fmt = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
    try:
        answer = ox.parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise QueryError(f"the server's answer is not SPARQL results: {' '.join(str(exc).split())}") from None
    if isinstance(answer, ox.QueryBoolean):
        return Result("boolean", answer.serialize(format=ox.QueryResultsFormat.JSON))
    if form == "ask" and [v.value for v in answer.variables] == ["__ASK_RETVAL"]:  # Virtuoso 7
        rows = list(answer)
        truth = bool(rows) and rows[0][0] is not None and rows[0][0].value not in ("0", "false")
        return Result("boolean", json.dumps({"head": {}, "boolean": truth}).encode())
    return Result("solutions", answer.serialize(format=ox.QueryResultsFormat.JSON))
