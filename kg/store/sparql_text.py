"""SPARQL text read as tokens (pygments' SPARQL lexer), never run: what a query asks for before
Oxigraph sees it — federated SERVICE calls, how deep its brackets nest, an update's parts.

Tokens make strings, IRIs, comments and variables opaque, so ``?service``, ``"SERVICE"`` or
``<http://x/service>`` are not a SERVICE call, and ``}`` inside a literal closes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import QueryError

MAX_DEPTH = 200  # Oxigraph's recursive parser overflows its stack near 3,000 nested brackets
OPEN, CLOSE = "({[", ")}]"


@dataclass(frozen=True)
class Token:
    pos: int
    kind: str  # keyword, punct, other
    value: str  # keywords lower-cased, with inner blanks single spaces ("delete data")


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` that matter here: keywords, punctuation, the rest as ``other``.

    >>> [t.value for t in tokens('SELECT ?service { <s> ?p "SERVICE" } # service')]
    ['select', '?service', '{', '<s>', '?p', '"', 'SERVICE', '"', '}']
    """
    from pygments.lexers.rdf import SparqlLexer
    from pygments.token import Comment, Keyword, Punctuation, Text

    out = []
    for pos, kind, value in SparqlLexer().get_tokens_unprocessed(text):
        if kind in Text or kind in Comment:
            continue
        if kind in Keyword:
            out.append(Token(pos, "keyword", " ".join(value.lower().split())))
        else:
            out.append(Token(pos, "punct" if kind in Punctuation else "other", value))
    return out


def check(text: str, *, allow_service: bool = False) -> None:
    """Refuse what kg does not run: brackets nested deeper than ``MAX_DEPTH`` and, unless
    ``allow_service``, a SERVICE call (a query must not send requests to other hosts).

    Raises QueryError. Text with no "service" in it and too few brackets to nest that deep is
    passed without lexing (a 1 MB query takes seconds to lex).
    """
    if sum(map(text.count, OPEN)) <= MAX_DEPTH and (allow_service or "service" not in text.lower()):
        return
    toks = tokens(text)
    depth = deepest = 0
    for i, t in enumerate(toks):
        if t.kind == "punct" and t.value in OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif t.kind == "punct" and t.value in CLOSE:
            depth -= 1
        elif t.kind == "keyword" and t.value == "service" and not _prefix(toks, i) and not allow_service:
            raise QueryError("SERVICE (a call to another SPARQL endpoint) is off: a query does not send requests "
                             "to other hosts unless you pass --allow-service")
    if deepest > MAX_DEPTH:
        raise QueryError(f"query nested {deepest} brackets deep; kg runs queries nested at most {MAX_DEPTH} deep")


def _prefix(toks: list[Token], i: int) -> bool:
    """True if the keyword at ``i`` is really a prefix name, as in ``service:x``."""
    return i + 1 < len(toks) and toks[i + 1].value == ":" and toks[i + 1].pos == toks[i].pos + len(toks[i].value)


def refuse(toks: list[Token]) -> None:
    """Raise QueryError if an update uses an operation or clause kg does not run (before anything runs)."""
    for i, t in enumerate(toks):
        if t.kind == "keyword" and t.value in REFUSED and not _prefix(toks, i):
            raise QueryError(REFUSED[t.value])


@dataclass(frozen=True)
class Operation:
    """One SPARQL update operation, taken apart: its kind and the text of each of its blocks.

    ``kind`` is ``insert data``, ``delete data``, ``delete where`` or ``modify``; ``delete`` and
    ``insert`` are the templates' text (None when absent), ``where`` the pattern they are
    instantiated from ('' for DATA, the template itself for DELETE WHERE); ``prologue`` the
    PREFIX and BASE declarations before it.
    """

    kind: str
    prologue: str
    delete: str | None = None
    insert: str | None = None
    where: str | None = None


REFUSED = {
    "load": "LOAD fetches a document from the network; kg does not",
    "clear": "CLEAR empties whole graphs; kg's digest graphs are rebuilt by kg build, not cleared",
    "drop": "DROP removes whole graphs; kg's digest graphs are rebuilt by kg build, not dropped",
    "create": "CREATE makes a named graph; kg keeps edits in its curation graph",
    "add": "ADD copies whole graphs; kg keeps edits in its curation graph",
    "move": "MOVE moves whole graphs; kg keeps edits in its curation graph",
    "copy": "COPY copies whole graphs; kg keeps edits in its curation graph",
    "with": "WITH names a graph to edit; kg keeps every edit in its curation graph (leave WITH out)",
    "using": "USING names graphs to match; kg matches against what queries see (leave USING out)",
    "using named": "USING NAMED names graphs to match; kg matches against what queries see (leave it out)",
}


def operation(text: str, toks: list[Token]) -> Operation:
    """The one operation of the update ``text`` (``toks``: its :func:`tokens`).

    Raises QueryError for several operations, a graph-level operation, WITH/USING, or a GRAPH
    block in what is inserted or deleted: edits are triples, kept in kg's curation graph.

    >>> op = operation("PREFIX e: <http://e/> DELETE { ?s e:p ?o } WHERE { ?s e:p ?o FILTER(?o > 1) }",
    ...                tokens("PREFIX e: <http://e/> DELETE { ?s e:p ?o } WHERE { ?s e:p ?o FILTER(?o > 1) }"))
    >>> op.kind, op.prologue, op.delete, op.where
    ('modify', 'PREFIX e: <http://e/> ', ' ?s e:p ?o ', ' ?s e:p ?o FILTER(?o > 1) ')
    """
    i = 0
    while i < len(toks) and toks[i].value in ("prefix", "base"):
        i += 1
        while i < len(toks) and toks[i].kind != "keyword":
            i += 1
    prologue = text[:toks[i].pos] if i < len(toks) else text
    blocks: dict[str, str] = {}
    kind = None
    while i < len(toks):
        word = toks[i].value
        if word in REFUSED:
            raise QueryError(REFUSED[word])
        if word == ";":
            if i + 1 < len(toks):
                raise QueryError("one operation per update, please: kg applies each --update atomically")
            break
        if toks[i].kind != "keyword" or word not in ("insert data", "delete data", "delete where", "delete",
                                                     "insert", "where") or i + 1 >= len(toks) or toks[i + 1].value != "{":
            raise QueryError(f"unexpected {toks[i].value!r} at character {toks[i].pos + 1} of the update")
        end = _closing(toks, i + 1)
        body = text[toks[i + 1].pos + 1:toks[end].pos]
        if word != "where" and any(t.value == "graph" for t in toks[i + 2:end]):
            raise QueryError("GRAPH in what an update inserts or deletes: kg keeps every edit in its curation graph "
                             "(write the triples without GRAPH)")
        if kind is not None and (kind != "modify" or word in ("insert data", "delete data", "delete where")):
            raise QueryError("one operation per update, please: kg applies each --update atomically")
        kind = "modify" if word in ("delete", "insert", "where") else word
        blocks[word] = body
        i = end + 1
    if kind == "modify":
        if "where" not in blocks:
            raise QueryError("DELETE/INSERT needs a WHERE clause")
        return Operation(kind, prologue, blocks.get("delete"), blocks.get("insert"), blocks["where"])
    if kind == "insert data":
        return Operation(kind, prologue, insert=blocks[kind], where="")
    if kind == "delete data":
        return Operation(kind, prologue, delete=blocks[kind], where="")
    if kind == "delete where":
        return Operation(kind, prologue, delete=blocks[kind], where=blocks[kind])
    raise QueryError("an empty update")


def _closing(toks: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == "punct" and toks[j].value in OPEN:
            depth += 1
        elif toks[j].kind == "punct" and toks[j].value in CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise QueryError("unbalanced braces in the update")
